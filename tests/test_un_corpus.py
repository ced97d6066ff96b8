"""The 30 real UN General Assembly resolutions of ../shared/corpus/un-ga-80 import as a reader
of each text expects (tests/data/un-ga-80-expected.json, written by reading the texts)."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from mandates.importer import parse_text
from mandates.models import Deadline, Mandate, Resolution
from tests.shared_paths import CORPUS

UN_GA_80 = CORPUS / "un-ga-80"
EXPECTED = json.loads(
    (Path(__file__).parent / "data" / "un-ga-80-expected.json").read_text(encoding="utf-8")
)["texts"]

pytestmark = pytest.mark.django_db


def body(name: str) -> str:
    """The text as extracted, without the corpus's front matter (not part of the text)."""
    return (UN_GA_80 / name).read_text(encoding="utf-8").split("---\n", 2)[2]


def walk(paragraphs):
    for item in paragraphs:
        yield item
        yield from walk(item.get("children", []))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_text_parses_as_its_reader_expects(name):
    expected = EXPECTED[name]
    result = parse_text(body(name))
    paragraphs = list(walk(result["paragraphs"]))

    assert result.organization == "un"
    assert result["symbol"] == expected["symbol"]
    assert result["adopted_on"] == expected["adopted_on"]
    assert result["title"] == expected["title"]
    assert [p["label"] for p in paragraphs] == expected["labels"]
    # The Secretary-General (or the Secretariat) leads where the text addresses it first.
    leads = [p["label"] for p in paragraphs if p["organs"][:1] == ["SG"]]
    assert leads == expected["secretary_general_leads"]
    sessions = [
        [p["label"].split(".")[0], d["session"]]
        for p in paragraphs
        for d in p["deadlines"]
        if d["session"]
    ]
    assert sessions == expected["session_deadlines"]
    recurring = [
        [p["label"], d["wording"], d["recurrence"], d["due_on"]]
        for p in paragraphs
        for d in p["deadlines"]
        if d.get("recurrence")
    ]
    assert recurring == expected["recurring_deadlines"]
    # The kind proposed for each operative paragraph, where the reader noted them.
    if "kinds" in expected:
        proposed = {p["label"]: p["kind"] for p in result["paragraphs"]}
        for kind in ("declaratory", "calls_on_states"):
            assert [label for label, k in proposed.items() if k == kind] == expected["kinds"][kind]
        others = set(proposed) - {
            label for labels in expected["kinds"].values() for label in labels
        }
        assert {proposed[label] for label in others} <= {"instructs"}
    # No footnote text, page mark or running title inside a paragraph.
    for paragraph in paragraphs:
        assert "[^" not in paragraph["text"]
        assert "plenary meeting" not in paragraph["text"]


def test_an_annex_with_numbered_paragraphs_is_not_operative():
    result = parse_text(body("A_RES_80_5.md"))

    [paragraph] = result["paragraphs"]
    assert paragraph["text"].startswith("Adopts the Doha Political Declaration")
    assert "We, Heads of State" not in paragraph["text"]


def test_the_general_assembly_of_a_un_text_is_the_uns():
    result = parse_text(body("A_RES_80_28.md"))
    paragraph = next(p for p in result["paragraphs"] if p["label"] == "11")

    # "Requests the Secretary-General to report to the General Assembly at its eighty-third
    # session": the Secretary-General leads, the UN General Assembly receives the report.
    assert paragraph["organs"] == ["SG", "UNGA"]
    assert "GA" not in paragraph["organs"]
    assert paragraph["deadlines"] == [
        {"due_on": None, "session": 83, "wording": "at its eighty-third session"}
    ]


def test_a_line_broken_hyphen_is_repaired_in_the_wording():
    result = parse_text(body("A_RES_80_28.md"))
    paragraph = next(p for p in result["paragraphs"] if p["label"] == "6")

    assert "eighty-third session" in paragraph["text"]
    assert paragraph["deadlines"][0]["wording"] == "at its eighty-third session"


def test_the_symbol_built_from_the_title_line_is_flagged():
    result = parse_text(body("A_RES_80_28.md"))

    assert any("built from the title line “80/28.”" in str(w) for w in result.warnings)


def test_the_whole_session_imports_in_one_command(capsys):
    # How long it takes is printed by `make bench` (no timed tests: a loaded machine fails them).
    call_command("import_resolution", str(UN_GA_80))

    out = capsys.readouterr().out
    assert "Summary: 30 imported, 0 refused." in out
    assert Resolution.objects.filter(organization__code="un").count() == 30
    transparency = Resolution.objects.get(symbol="A/RES/80/28")
    assert transparency.session.ordinal == 80
    assert transparency.session.organization.code == "un"
    recurring = Deadline.objects.get(mandate__resolution=transparency, mandate__label="4")
    assert (recurring.recurrence, str(recurring.due_on)) == (
        "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=31",
        "2026-05-31",
    )
    report = Mandate.objects.get(resolution=transparency, label="11")
    organs = [r.organ for r in report.responsibilities.all()]
    # The UN's own General Assembly: "GA" within the UN, "UNGA" in addresses.
    assert [(o.key, o.acronym, o.organization.code) for o in organs] == [
        ("SG", "SG", "un"),
        ("UNGA", "GA", "un"),
    ]
    assert report.deadlines.get().session.start_date is None  # the 83rd: date not yet known


REAL = Path(__file__).resolve().parent / "data" / "import" / "real"


def test_a_spanish_un_text_with_broken_line_breaks_is_read_by_its_numbers():
    """A/RES/55/93 as issuu extracted it: heading on one line, "…migrantes, 1." / "Decide …",
    paragraphs 2 and 3 on one line, the date only in the closing line."""
    result = parse_text((REAL / "a-res-55-93.es.txt").read_text(encoding="utf-8"))
    assert result["symbol"] == "A/RES/55/93"
    assert result["title"] == "Proclamación del 18 de diciembre Día Internacional del Migrante"
    assert result["adopted_on"] == "2000-12-04"
    paragraphs = result["paragraphs"]
    assert [p["label"] for p in paragraphs] == ["1", "2", "3"]
    assert paragraphs[0]["text"] == (
        "Decide proclamar el 18 de diciembre Día Internacional del Migrante;"
    )
    assert paragraphs[1]["text"].startswith("Invita a los Estados Miembros")
    assert paragraphs[1]["text"].endswith("formulen medidas para protegerlos;")
    # The closing line and the page's footnote are not part of the last paragraph.
    assert paragraphs[2]["text"].endswith("no gubernamentales apropiadas.")
    assert paragraphs[2]["organs"] == ["SG"]
    warnings = " ".join(str(w) for w in result.warnings)
    assert "found by their numbers in sequence" in warnings
    assert "taken from the closing line" in warnings


def test_an_oas_council_text_copied_from_its_web_page_leaves_the_page_out():
    """CP/RES. 777 (1252/00) as copied from oas.org: table borders around the heading, a
    "| Resolutions Index |" cell after the last paragraph."""
    organs = json.loads((REAL.parents[2].parent / "fixtures" / "organs.json").read_text("utf-8"))
    result = parse_text((REAL / "cp-res-777.en.txt").read_text(encoding="utf-8"), organs=organs)
    assert result["symbol"] == "CP/RES. 777 (1252/00)"
    assert result["adopted_on"] == "2000-10-11"
    assert result["title"].startswith("Granting the Kingdom of Denmark the Status of Permanent")
    paragraphs = result["paragraphs"]
    assert [p["label"] for p in paragraphs] == ["1", "2", "3"]
    assert paragraphs[0]["text"].startswith("To grant the Kingdom of Denmark the status")
    assert paragraphs[2]["text"] == (
        "To request the Secretary General to advise the organs, agencies, and entities of the "
        "Organization, including the inter-American specialized organizations, of this "
        "decision, once the Kingdom of Denmark has been apprised thereof."
    )
    assert paragraphs[2]["organs"] == ["GS"]
    warnings = " ".join(str(w) for w in result.warnings)
    assert "navigation after the operative part" in warnings
    assert "taken from this header line" in warnings


def test_a_copy_cut_short_in_mid_sentence_is_flagged_not_padded():
    """CP/RES. 936 (1650/08) as a stored page holds it: cut after "…a los órganos,"."""
    text = (REAL.parent / "oas" / "cp-res-936-es.txt").read_text(encoding="utf-8")
    result = parse_text(text)
    last = result["paragraphs"][-1]
    assert last["label"] == "3"
    assert last["text"].endswith("posteriormente a los órganos,")
    assert any(
        "The last paragraph (¶3) ends in mid-sentence (“…posteriormente a los órganos,”)" in str(w)
        for w in result.warnings
    )
    # A whole text ends with its full stop: no such warning.
    whole = parse_text((REAL / "a-res-55-93.es.txt").read_text(encoding="utf-8"))
    assert not any("mid-sentence" in str(w) for w in whole.warnings)


def test_an_old_security_council_text_is_read_from_its_numbered_paragraphs():
    """S/RES/1 (1946): "Therefore" / "1. The Security Council requests …", no operative
    line; the closing "Adopted at the 2nd meeting." and its footnote are left out."""
    text = (REAL / "s-res-1-1946.en.txt").read_text(encoding="utf-8")
    result = parse_text(
        text,
        symbol="S/RES/1 (1946)",
        organization="un",
        title="Military Staff Committee",
        adopted_on=datetime.date(1946, 1, 25),
    )
    paragraphs = result["paragraphs"]
    assert [p["label"] for p in paragraphs] == ["1", "2", "3"]
    assert paragraphs[0]["text"].startswith("The Security Council requests the permanent members")
    assert paragraphs[2]["text"].endswith("and to submit these proposals to the Security Council.")
    warnings = " ".join(str(w) for w in result.warnings)
    assert "taken to begin at the first numbered paragraph" in warnings
