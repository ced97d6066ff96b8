"""`manage.py import_resolution`: staff import a published resolution in one step."""

import datetime
import html
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mandates.models import Deadline, Mandate, ProgressRecord, Resolution
from tests import snapshot
from tests.shared_paths import SEEDS

ROOT = Path(__file__).resolve().parent.parent
SEED = SEEDS / "ag-res-2289-xxxvii-o-07.txt"
DATA = Path(__file__).resolve().parent / "data" / "import"
SYMBOL = "AG/RES. 2289 (XXXVII-O/07)"


@pytest.fixture
def directory(db):
    """Organs and sessions, without any resolution."""
    snapshot.default_data(["organs.json", "sessions.json"])


def run(*args):
    """Run the command; (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    call_command("import_resolution", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def table_counts():
    return (
        Resolution.objects.count(),
        Mandate.objects.count(),
        Deadline.objects.count(),
        ProgressRecord.objects.count(),
    )


def test_json_prints_the_parse_and_nothing_else_on_stdout(directory):
    out, err = run(SEED, "--json", "--dry-run")

    data = json.loads(out)
    assert data["symbol"] == SYMBOL
    assert [p["label"] for p in data["paragraphs"]][-1] == "23"
    # Not escaped: the curly quotes of the text are there as they are.
    assert "“Fund for the Inter-American Program" in out
    assert "Warning: Line 81" in err
    assert "Dry run" in err
    assert table_counts() == (0, 0, 0, 0)


def test_json_equals_the_curated_fixture(directory):
    out, _err = run(SEED, "--json", "--dry-run")
    fixture = json.loads((ROOT / "fixtures" / "ag-res-2289-xxxvii-o-07.json").read_text())

    def strip(paragraphs):
        return [
            {
                **{k: p[k] for k in ("label", "text", "deadlines")},
                # The kind the importer proposes is the one the fixture's curator chose.
                "kind": p.get("kind", "instructs"),
                # The parse names the organ a report goes to among the organs; the fixture
                # keeps it apart as the recipient ("reports_to").
                "organs": p["organs"] + p.get("reports_to", []),
                **({"children": strip(p["children"])} if p.get("children") else {}),
            }
            for p in paragraphs
        ]

    data = json.loads(out)
    assert {k: data[k] for k in ("symbol", "title", "adopted_on")} == {
        k: fixture[k] for k in ("symbol", "title", "adopted_on")
    }
    assert data["paragraphs"] == strip(fixture["paragraphs"])


def test_dry_run_writes_nothing(directory):
    out, _err = run(SEED, "--dry-run")

    assert "Dry run: AG/RES. 2289 (XXXVII-O/07) parsed, 26 paragraphs" in out
    assert table_counts() == (0, 0, 0, 0)


def test_a_real_import_creates_the_resolution_as_curated(directory):
    out, _err = run(SEED)

    assert f"Imported {SYMBOL}: 26 paragraphs." in out
    resolution = Resolution.objects.get(symbol=SYMBOL)
    assert resolution.title == "The Human Rights of All Migrant Workers and Their Families"
    assert resolution.adopted_on == datetime.date(2007, 6, 5)
    assert resolution.session.ordinal == 37
    assert resolution.slug == "ag-res-2289-xxxvii-o-07"
    assert resolution.source == SEED.name
    p20c = resolution.mandates.get(label="20.c")
    assert p20c.parent.label == "20"
    assert [(r.organ.acronym, r.role) for r in p20c.responsibilities.all()] == [
        ("IACHR", "lead"),
        ("PC", "supporting"),
    ]
    assert [(d.session.ordinal, d.wording) for d in p20c.deadlines.all()] == [
        (38, "prior to the thirty-eighth regular session"),
        (39, "prior to the thirty-ninth regular session"),
    ]
    p14 = resolution.mandates.get(label="14")
    assert [d.due_on for d in p14.deadlines.all()] == [
        datetime.date(2008, 6, 30),
        datetime.date(2009, 6, 30),
    ]
    assert Mandate.objects.count() == 26


def test_an_existing_symbol_is_refused_without_replace(directory):
    run(SEED)
    before = table_counts()

    with pytest.raises(CommandError, match=r"already in the database.*Use --replace"):
        run(SEED)

    assert table_counts() == before


def test_a_dry_run_of_an_existing_symbol_only_warns(directory):
    run(SEED)

    out, err = run(SEED, "--dry-run", "--json")

    assert json.loads(out)["symbol"] == SYMBOL
    assert "already in the database: a real import needs --replace" in err


def edited_seed(tmp_path) -> Path:
    text = SEED.read_text(encoding="utf-8")
    text = text.replace(
        "1. To strongly condemn manifestations", "1. To condemn in the strongest terms acts"
    )
    text = text.replace(
        "22. To urge member states to consider inviting the Special Rapporteur on Migrant "
        "Workers and Their Families to visit their countries to enable said Rapporteur to "
        "perform his or her functions effectively.\n",
        "",
    )
    text = text.replace("23. To request", "22. To request")
    path = tmp_path / "ag-res-2289-edited.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_replace_keeps_progress_records_of_unchanged_paragraphs(directory, tmp_path):
    run(SEED)
    resolution = Resolution.objects.get(symbol=SYMBOL)
    p14 = resolution.mandates.get(label="14")
    kept_deadline = p14.deadlines.get(wording="in the first half of 2008")
    kept_record = ProgressRecord.objects.create(
        mandate=p14, date=datetime.date(2008, 2, 20), title="CAJP special meeting"
    )
    kept_record.fulfils.add(kept_deadline)
    lost_record = ProgressRecord.objects.create(
        mandate=resolution.mandates.get(label="1"),
        date=datetime.date(2008, 1, 10),
        title="Statement",
        completes_mandate=True,
    )
    child_record = ProgressRecord.objects.create(
        mandate=resolution.mandates.get(label="20.c"),
        date=datetime.date(2008, 5, 1),
        title="IACHR report",
    )

    out, err = run(edited_seed(tmp_path), "--replace")

    assert f"Replaced {SYMBOL}" in out
    # ¶1's text changed; ¶22 went and ¶23 became ¶22, so ¶22 is rewritten and ¶23 removed.
    assert "23 paragraphs unchanged, 0 with new organs or deadlines, 2 added or rewritten" in out
    assert "1 removed" in out
    assert "¶1 changed: its 1 progress records were removed with it." in err
    labels = list(resolution.mandates.order_by("order").values_list("label", flat=True))
    assert labels[-3:] == ["20.c", "21", "22"]
    assert resolution.mandates.get(label="22").text.startswith("To request the Permanent")
    kept_record.refresh_from_db()
    assert kept_record.mandate_id == p14.pk
    assert list(kept_record.fulfils.all()) == [kept_deadline]
    assert ProgressRecord.objects.filter(pk=child_record.pk).exists()
    assert not ProgressRecord.objects.filter(pk=lost_record.pk).exists()
    assert resolution.mandates.count() == 25


def test_replace_updates_organs_and_deadlines_of_a_kept_paragraph(directory, tmp_path):
    run(SEED)
    resolution = Resolution.objects.get(symbol=SYMBOL)
    p23 = resolution.mandates.get(label="23")
    fulfilled = p23.deadlines.get(wording="at its thirty-eighth regular session")
    record = ProgressRecord.objects.create(
        mandate=p23, date=datetime.date(2008, 5, 28), title="PC report"
    )
    record.fulfils.add(fulfilled)
    # A curator's correction: ¶23's deadlines moved to another day; the text did not change.
    Deadline.objects.filter(pk=fulfilled.pk).update(session=None, due_on="2008-05-31")

    out, _err = run(SEED, "--replace")

    assert "25 paragraphs unchanged, 1 with new organs or deadlines" in out
    fulfilled.refresh_from_db()
    assert fulfilled.session.ordinal == 38 and fulfilled.due_on is None
    assert list(record.fulfils.all()) == [fulfilled]


def test_a_failure_midway_leaves_the_database_as_it_was(directory, monkeypatch):
    from mandates import loading

    original = loading._create_mandate
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 20:
            raise loading.LoadError("the disk is full")
        return original(*args, **kwargs)

    monkeypatch.setattr(loading, "_create_mandate", failing)

    with pytest.raises(CommandError, match="Nothing was imported: the disk is full"):
        run(SEED)

    assert len(calls) == 20
    assert table_counts() == (0, 0, 0, 0)


def test_a_deadline_in_an_unknown_session_stops_the_whole_import(directory):
    from mandates.models import Session

    Session.objects.filter(ordinal=42, kind="regular").delete()
    with pytest.raises(CommandError, match="no regular session number 42"):
        run(DATA / "ag-res-older-layout.txt")

    assert table_counts() == (0, 0, 0, 0)


def test_a_text_without_adoption_date_is_not_saved(directory, tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text(
        "AG/RES. 2610 (XL-O/10)\n\nTHE RIGHTS OF THE CHILD\n\nTHE GENERAL ASSEMBLY,\n\n"
        "RESOLVES:\n\n1. To urge member states to act.\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="no adoption date was found in the text"):
        run(path)

    assert table_counts() == (0, 0, 0, 0)


def test_a_text_without_operative_part_fails_naming_the_line(directory):
    with pytest.raises(CommandError, match=r"Nothing was imported .* Line 11: No operative part"):
        run(DATA / "no-operative-part.txt")


def test_duplicate_labels_fail_naming_the_line(directory):
    with pytest.raises(CommandError, match="Line 15: Paragraph 2 appears twice"):
        run(DATA / "duplicate-labels.txt")


def test_a_docx_is_imported(directory, tmp_path):
    import docx

    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "resolution.docx"
    document.save(path)

    run(path)

    assert Resolution.objects.get(symbol=SYMBOL).mandates.count() == 26


def test_a_pdf_is_imported(directory, tmp_path):
    import weasyprint

    lines = SEED.read_text(encoding="utf-8").splitlines()
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    path = tmp_path / "resolution.pdf"
    weasyprint.HTML(string=body).write_pdf(path)

    out, _err = run(path, "--json")

    assert json.loads(out)["paragraphs"][19]["children"][2]["organs"] == ["IACHR", "PC"]
    assert Resolution.objects.get(symbol=SYMBOL).mandates.count() == 26


def test_an_unreadable_file_fails_with_a_message(directory, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Resolución".encode("latin-1"))

    with pytest.raises(CommandError, match="latin1.txt is not UTF-8 text"):
        run(path)


def test_the_exit_status_is_not_zero_on_error(tmp_path):
    # Through manage.py, as staff run it; the file is refused before the database is needed.
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_resolution", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings"},
        timeout=60,
    )

    assert completed.returncode != 0
    assert completed.stdout == ""
    assert "scan.pdf is not a readable PDF" in completed.stderr


# --- Many files at once ---------------------------------------------------------------------


def batch(tmp_path):
    """A session's directory: the seed, a text without operative part, a Spanish text."""
    folder = tmp_path / "session"
    folder.mkdir()
    (folder / "01-seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "02-broken.txt").write_text(
        (DATA / "no-operative-part.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "notes.odt").write_bytes(b"ignored: not a format the importer reads")
    return folder


def test_a_directory_is_imported_file_by_file_with_a_summary(directory, tmp_path):
    folder = batch(tmp_path)

    with pytest.raises(CommandError, match="1 of 2 files were refused"):
        run(folder)

    # The good file was saved in its own transaction; the refused one changed nothing.
    assert Resolution.objects.filter(symbol=SYMBOL).exists()
    assert Resolution.objects.count() == 1


def test_the_summary_names_each_refused_file_and_why(directory, tmp_path):
    folder = batch(tmp_path)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError):
        call_command("import_resolution", str(folder), stdout=out, stderr=err)

    summary = out.getvalue()
    assert "01-seed.txt: Imported AG/RES. 2289 (XXXVII-O/07): 26 paragraphs." in summary
    assert "Summary: 1 imported, 1 refused." in summary
    assert "Nothing was imported from 02-broken.txt. Line 11: No operative part" in summary


def test_dry_run_json_prints_one_json_line_per_parsed_file(directory, tmp_path):
    folder = batch(tmp_path)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 of 2 files were refused"):
        call_command(
            "import_resolution", str(folder), "--dry-run", "--json", stdout=out, stderr=err
        )

    lines = out.getvalue().splitlines()
    assert len(lines) == 1  # the refused file has no parse; its reason is on stderr
    data = json.loads(lines[0])
    assert (data["file"], data["symbol"]) == ("01-seed.txt", SYMBOL)
    assert any("Line 81" in warning for warning in data["warnings"])
    assert "02-broken.txt" in err.getvalue()
    assert "Summary: 1 parsed, 1 refused; nothing was written." in err.getvalue()
    assert table_counts() == (0, 0, 0, 0)


def test_symbol_is_refused_with_several_files(directory, tmp_path):
    with pytest.raises(CommandError, match="give one file with it"):
        run(SEED, SEED, "--symbol", "AG/RES. 1 (I-O/71)")


# A real OAS text as circulated without its heading (AG/RES. 2438 (XXXIX-O/09), on Cuba,
# as published in the press the day it was adopted): no symbol, title or date to read.
HEADLESS = """THE GENERAL ASSEMBLY:

RECOGNIZING the shared interest in the full participation of all the member states;

BEARING IN MIND that pursuant to Article 54 of the OAS Charter, the General Assembly is the
supreme organ of the Organization,

RESOLVES:

1. That Resolution VI, adopted on January 31, 1962 at the Eighth Meeting of Ministers of
Foreign Affairs, which excluded the Government of Cuba from its participation in the
Inter-American System hereby ceases to have effect in the Organization of American States.

2. That the participation of the Republic of Cuba in the OAS will be the result of a process
of dialogue initiated at the request of the Government of Cuba.
"""


def test_a_text_without_heading_says_what_to_give(directory, tmp_path):
    path = tmp_path / "cuba.txt"
    path.write_text(HEADLESS)
    with pytest.raises(CommandError) as error:
        run(path)
    message = str(error.value)
    assert "no symbol, title, adoption date was found" in message
    assert "--symbol, --title, --adopted-on" in message
    assert table_counts() == (0, 0, 0, 0)


def test_symbol_title_and_date_can_be_given(directory, tmp_path):
    path = tmp_path / "cuba.txt"
    path.write_text(HEADLESS)
    out, err = run(
        path,
        "--symbol", "AG/RES. 2438 (XXXIX-O/09)",
        "--title", "Resolution on Cuba",
        "--adopted-on", "2009-06-03",
    )  # fmt: skip
    resolution = Resolution.objects.get()
    assert resolution.symbol == "AG/RES. 2438 (XXXIX-O/09)"
    assert resolution.title == "Resolution on Cuba"
    assert resolution.adopted_on == datetime.date(2009, 6, 3)
    # The session is read from the given symbol, as from a printed one.
    assert resolution.session.ordinal == 39
    assert [m.label for m in resolution.mandates.order_by("order")] == ["1", "2"]
    # Nothing is reported missing once given.
    assert "No resolution symbol" not in err and "No title" not in err


def test_a_given_title_wins_over_the_texts_with_a_warning(directory):
    out, err = run(SEED, "--dry-run", "--title", "Migrant workers")
    assert "“Migrant workers” was given and is used" in err
    assert "Dry run" in out


def test_a_malformed_adoption_date_is_refused_before_reading(directory, tmp_path):
    path = tmp_path / "cuba.txt"
    path.write_text(HEADLESS)
    with pytest.raises(CommandError, match="is not a date: write it as YYYY-MM-DD"):
        run(path, "--adopted-on", "2009-13-03")
    assert table_counts() == (0, 0, 0, 0)


def test_title_and_date_belong_to_one_file(directory, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(HEADLESS)
    with pytest.raises(CommandError, match="--title belongs to one resolution"):
        run(tmp_path, "--title", "Resolution on Cuba")
