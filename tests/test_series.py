"""Issue 16: the 1998–2007 migrant-workers series, evidence read from later texts, series pages.

The series texts are the real ones in fixtures/series/ (openings only, as found). The evidence
flow is also run end to end on two small texts written for the test (an earlier resolution
with full operative paragraphs and a later one citing it), since none of the found texts has
its operative part.
"""

import datetime
import json
import re
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from mandates import evidence
from mandates.importer import ImportFailed, parse_text
from mandates.importer.saving import import_text
from mandates.loading import load_default_data
from mandates.models import (
    EvidenceProposal,
    Mandate,
    Organization,
    ProgressRecord,
    Resolution,
    Session,
)
from mandates.series import SERIES_DIR, read_manifest, word_diff

from .factories import SLUG_2289

D = datetime.date
TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


def series_text(name: str) -> str:
    return (SERIES_DIR / name).read_text(encoding="utf-8")


# --- 1. The series in the default data -------------------------------------------------------


def test_a_text_cut_off_before_its_operative_part_is_refused_unless_declared_partial(db):
    text = series_text("ag-res-1548-xxviii-o-98.en.txt")
    with pytest.raises(ImportFailed, match="No operative part"):
        parse_text(text, organs=[], sessions={})
    result = parse_text(text, organs=[], sessions={}, partial=True)
    assert result["symbol"] == "AG/RES. 1548 (XXVIII-O/98)"
    assert result["title"] == "The Human Rights of All Migrant Workers and Their Families"
    assert result["adopted_on"] == "1998-06-02"
    assert result["paragraphs"] == []
    assert result.partial is True
    assert any("Partial text" in str(w) for w in result.warnings)
    # The preamble is kept as published, cut-off last clause included, never completed.
    assert result.preamble.endswith("without discrimination of any kind, particularly")


def test_a_flattened_spanish_opening_is_read_heading_and_clauses(db):
    """A text copied as one long line with no numbered paragraph: the heading and each
    preamble clause are found by the enacting formula and the clause verbs in capitals."""
    result = parse_text(
        series_text("ag-res-2224-xxxvi-o-06.es.txt"), organs=[], sessions={}, partial=True
    )
    assert result["symbol"] == "AG/RES. 2224 (XXXVI-O/06)"
    assert result["adopted_on"] == "2006-06-06"
    assert result.language == "es"
    assert result["title"].lower().startswith("los derechos humanos de todos los trabajadores")
    clauses = evidence.preamble_clauses(result.preamble)
    assert clauses[0].startswith("VISTO el informe que sobre este tema")
    assert clauses[2].startswith("TOMANDO NOTA de la sesión especial")
    assert len(clauses) == 7


def test_the_default_data_holds_the_series_with_sources_and_partial_marks(db):
    load_default_data()
    manifest = read_manifest()
    series = Resolution.objects.filter(series=manifest["series"]).order_by("adopted_on")
    assert [r.symbol for r in series] == [
        "AG/RES. 1548 (XXVIII-O/98)",
        "AG/RES. 1611 (XXIX-O/99)",
        "AG/RES. 1717 (XXX-O/00)",
        "AG/RES. 1775 (XXXI-O/01)",
        "AG/RES. 1898 (XXXII-O/02)",
        "AG/RES. 1928 (XXXIII-O/03)",
        "AG/RES. 2224 (XXXVI-O/06)",
        "AG/RES. 2289 (XXXVII-O/07)",
    ]
    for member in manifest["members"]:
        if not member.get("import"):
            continue
        resolution = Resolution.objects.get(symbol=member["symbol"])
        assert resolution.source == member["source"]
        assert resolution.partial_text is True
        assert resolution.mandates.count() == 0
        # The stored preamble is the file's text, not retyped: every clause is in it verbatim
        # (line breaks and indentation aside).
        published = " ".join(series_text(member["file"]).split())
        clauses = evidence.preamble_clauses(resolution.preamble)
        assert len(clauses) >= 3
        for clause in clauses:
            assert clause in published, clause
    assert not Resolution.objects.get(slug=SLUG_2289).partial_text


def test_loading_the_default_data_twice_changes_nothing(db):
    load_default_data()
    counts = [m.objects.count() for m in (Resolution, Mandate, ProgressRecord, EvidenceProposal)]
    report = load_default_data()
    assert report.created == []
    assert [
        m.objects.count() for m in (Resolution, Mandate, ProgressRecord, EvidenceProposal)
    ] == counts


def test_every_text_in_the_series_folder_is_in_the_manifest():
    manifest = read_manifest()
    named = {m["file"] for m in manifest["members"] if m.get("file")}
    texts = {p.name for p in Path(SERIES_DIR).glob("*.txt")}
    listed_elsewhere = {"ag-res-2224-xxxvi-o-06.en.txt"}  # named in the 2224 retrieval note
    assert texts - named == listed_elsewhere
    assert all(listed in json.dumps(manifest) for listed in listed_elsewhere)


# --- 2. Evidence proposed from later texts ---------------------------------------------------


def test_the_series_preambles_give_proposals_with_symbols_dates_and_reasons(db):
    load_default_data()
    proposal = EvidenceProposal.objects.get(
        citing_resolution__symbol="AG/RES. 1611 (XXIX-O/99)", document_symbol="CP/CAJP-1487/99"
    )
    assert proposal.target_resolution.symbol == "AG/RES. 1548 (XXVIII-O/98)"
    assert proposal.kind == ProgressRecord.Kind.REPORT
    assert proposal.clause == 1
    assert "presented pursuant to resolution AG/RES. 1548 (XXVIII-O/98)" in proposal.quote
    # No date in the clause: the citing resolution's adoption date, marked "on or before".
    assert proposal.date == D(1999, 6, 7)
    assert proposal.date_precision == ProgressRecord.Precision.BY
    assert proposal.date_source == EvidenceProposal.DateSource.ADOPTION
    # AG/RES. 1548's operative part was not found: no paragraph, and the reason says so.
    assert proposal.mandate is None
    assert "Only part of the text of AG/RES. 1548" in proposal.reason

    meeting = EvidenceProposal.objects.get(
        citing_resolution__slug=SLUG_2289, kind=ProgressRecord.Kind.MEETING
    )
    assert meeting.date == D(2007, 2, 13)  # "held on February 13, 2007"
    assert meeting.date_precision == ProgressRecord.Precision.DAY
    assert meeting.target_resolution.symbol == "AG/RES. 2224 (XXXVI-O/06)"
    assert "previous year's resolution of the series" in meeting.reason

    # "(AG/doc. /07)": printed without its number, so not taken as a symbol; said in the reason.
    seen = EvidenceProposal.objects.get(citing_resolution__slug=SLUG_2289, clause=1)
    assert seen.document_symbol == ""
    assert "AG/doc. /07" in seen.reason
    # Portuguese (2001): "TENDO OUVIDO o relatório … (CP/ACTA 1276/01)" for the year before.
    heard = EvidenceProposal.objects.get(document_symbol="CP/ACTA 1276/01")
    assert heard.target_resolution.symbol == "AG/RES. 1717 (XXX-O/00)"
    assert heard.kind == ProgressRecord.Kind.REPORT
    # Nothing proposed counts: no progress record was made for the series.
    assert not ProgressRecord.objects.filter(mandate__resolution__series="oas-migrant-workers")


EARLIER = """AG/RES. 9001 (XL-O/10)

THE HUMAN RIGHTS OF TEST WORKERS

(Adopted at the fourth plenary session, held on June 8, 2010)

THE GENERAL ASSEMBLY,

HAVING SEEN the annual report of the Permanent Council;

RESOLVES:

1. To urge member states to protect the human rights of test workers.

2. To instruct the Committee on Juridical and Political Affairs to hold a special meeting on
this subject.

3. To request the Permanent Council to report to the General Assembly at its forty-first
regular session on the implementation of this resolution.
"""

LATER = """AG/RES. 9002 (XLI-O/11)

THE HUMAN RIGHTS OF TEST WORKERS

(Adopted at the fourth plenary session, held on June 7, 2011)

THE GENERAL ASSEMBLY,

HAVING EXAMINED the annual report of the Permanent Council on the human rights of test workers
(CP/doc.9999/11), presented pursuant to resolution AG/RES. 9001 (XL-O/10);

NOTING the special meeting of the Committee on Juridical and Political Affairs (CAJP), held on
March 1, 2011, on the human rights of test workers;

RECALLING its resolution AG/RES. 9001 (XL-O/10);

RESOLVES:

1. To urge member states to protect the human rights of all test workers.

2. To instruct the Committee on Juridical and Political Affairs to hold a special meeting on
this subject.

3. To request the Permanent Council to report to the General Assembly at its forty-second
regular session on the implementation of this resolution.
"""


@pytest.fixture
def two_years(db):
    load_default_data(["organs.json", "sessions.json"])
    Session.objects.get_or_create(organization=Organization.objects.get(code="oas"), ordinal=42)
    for name, text in (("earlier.txt", EARLIER), ("later.txt", LATER)):
        outcome = import_text(text, name, source=f"https://example.org/{name}", series="test")
        assert outcome.status == "imported", outcome.message
    return Resolution.objects.get(symbol="AG/RES. 9001 (XL-O/10)"), Resolution.objects.get(
        symbol="AG/RES. 9002 (XLI-O/11)"
    )


def test_import_proposes_evidence_on_the_paragraph_that_asked_for_it(two_years):
    earlier, later = two_years
    report = EvidenceProposal.objects.get(citing_resolution=later, kind="report")
    assert (report.target_resolution, report.mandate.label) == (earlier, "3")
    assert report.document_symbol == "CP/doc.9999/11"
    assert report.title.startswith("Annual report of the Permanent Council")
    meeting = EvidenceProposal.objects.get(citing_resolution=later, kind="meeting")
    assert meeting.mandate.label == "2"  # asks the CAJP for a meeting
    assert (meeting.date, meeting.date_precision) == (D(2011, 3, 1), "day")
    assert "previous year's resolution" in meeting.reason  # the clause names none
    # "RECALLING its resolution …" is no evidence.
    assert EvidenceProposal.objects.filter(citing_resolution=later).count() == 2
    assert Resolution.objects.get(pk=later.pk).source == "https://example.org/later.txt"


def test_nothing_proposed_counts_until_confirmed_then_it_is_an_ordinary_record(two_years):
    earlier, later = two_years
    reporting = Mandate.objects.get(resolution=earlier, label="3")
    as_of = D(2011, 7, 1)  # after the 41st session opened (June 5, 2011)
    assert Mandate.objects.with_status(as_of).get(pk=reporting.pk).status == "overdue"
    proposal = EvidenceProposal.objects.get(citing_resolution=later, kind="report")

    record = evidence.confirm(proposal)

    assert record.mandate == reporting
    assert record.document_symbol == "CP/doc.9999/11"
    assert (record.date, record.date_precision) == (D(2011, 6, 7), "by")
    assert list(record.fulfils.all()) == list(reporting.deadlines.all())
    assert Mandate.objects.with_status(as_of).get(pk=reporting.pk).status == "met"
    # Met late: the report is known only by the Assembly's adoption day, after the opening.
    assert Mandate.objects.with_status(as_of).get(pk=reporting.pk).met_late
    proposal.refresh_from_db()
    assert (proposal.state, proposal.progress_record) == ("confirmed", record)
    with pytest.raises(evidence.ReviewError, match="already reviewed"):
        evidence.confirm(proposal)


def test_a_rejected_or_unattached_proposal_makes_no_record(two_years):
    _earlier, later = two_years
    meeting = EvidenceProposal.objects.get(citing_resolution=later, kind="meeting")
    evidence.reject(meeting)
    meeting.refresh_from_db()
    assert meeting.state == "rejected" and meeting.progress_record is None
    report = EvidenceProposal.objects.get(citing_resolution=later, kind="report")
    report.mandate = None
    report.save()
    with pytest.raises(evidence.ReviewError, match="choose the paragraph first"):
        evidence.confirm(report)
    assert ProgressRecord.objects.count() == 0


def test_staff_confirm_proposals_from_the_filtered_admin_list(two_years, client, staff_user):
    _earlier, later = two_years
    client.force_login(staff_user)
    url = reverse("admin:mandates_evidenceproposal_changelist")
    listing = client.get(url, {"state__exact": "proposed"})
    assertContains(listing, "AG/RES. 9002 (XLI-O/11), preamble clause 1")
    assertContains(listing, "CP/doc.9999/11")
    report = EvidenceProposal.objects.get(citing_resolution=later, kind="report")
    response = client.post(
        url,
        {"action": "confirm_selected", "_selected_action": [report.pk]},
        follow=True,
    )
    assertContains(response, "1 proposal confirmed: a progress record was made.")
    record = ProgressRecord.objects.get(proposal__pk=report.pk)
    assert record.created_by == staff_user
    confirmed = client.get(url, {"state__exact": "confirmed"})
    assertContains(confirmed, "CP/doc.9999/11")
    assertNotContains(client.get(url, {"state__exact": "proposed"}), "CP/doc.9999/11")


def test_the_confirmed_record_links_back_to_the_citing_clause(two_years, client):
    earlier, later = two_years
    evidence.confirm(EvidenceProposal.objects.get(citing_resolution=later, kind="report"))
    with time_machine.travel(TODAY, tick=False):
        page = client.get(earlier.get_absolute_url())
    assertContains(
        page,
        f'Source: <a href="{later.get_absolute_url()}#clause-1">AG/RES. 9002 (XLI-O/11), '
        "preamble clause 1</a>",
        html=False,
    )
    with time_machine.travel(TODAY, tick=False):
        citing = client.get(later.get_absolute_url())
    assertContains(citing, '<p id="clause-1">')


def test_import_command_takes_partial_source_and_series(db, tmp_path):
    load_default_data(["organs.json", "sessions.json"])
    path = tmp_path / "2224.txt"
    path.write_text(series_text("ag-res-2224-xxxvi-o-06.es.txt"), encoding="utf-8")
    with pytest.raises(CommandError, match="No operative part"):
        call_command("import_resolution", str(path), stdout=StringIO(), stderr=StringIO())
    call_command(
        "import_resolution",
        str(path),
        "--partial",
        "--source",
        "https://example.org/2224",
        "--series",
        "oas-migrant-workers",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    resolution = Resolution.objects.get(symbol="AG/RES. 2224 (XXXVI-O/06)")
    assert (resolution.partial_text, resolution.series) == (True, "oas-migrant-workers")
    assert resolution.source == "https://example.org/2224"


# --- 3. Series pages ---------------------------------------------------------------------------


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_a_resolution_page_shows_its_place_in_the_series(db, client, today):
    load_default_data()
    page = client.get("/resolutions/ag-res-1611-xxix-o-99/")
    assertContains(page, "8 resolutions in this tracker")
    assertContains(page, 'rel="prev">previous: AG/RES. 1548 (XXVIII-O/98)</a>', html=False)
    assertContains(page, 'rel="next">next: AG/RES. 1717 (XXX-O/00)</a>', html=False)
    assertContains(page, '<strong aria-current="page">AG/RES. 1611 (XXIX-O/99)</strong>')
    assertContains(page, "Partial text: only the opening of the published text was found")
    assertContains(
        page,
        "/resolutions/ag-res-1611-xxix-o-99/compare/ag-res-2289-xxxvii-o-07/",
    )
    # 2004 and 2005 were not found: said where they belong in the list.
    assertContains(page, "No text in the tracker for regular sessions 34 to 35.")
    full = client.get(f"/resolutions/{SLUG_2289}/")
    assertNotContains(full, "Partial text:")
    assertContains(full, 'rel="prev">previous: AG/RES. 2224 (XXXVI-O/06)</a>', html=False)


def test_paragraphs_that_recur_next_year_say_where(two_years, client, today):
    earlier, later = two_years
    page = client.get(earlier.get_absolute_url())
    html = page.content.decode()
    for label in ("1", "2", "3"):
        assert f"Continues in ¶{label} of AG/RES. 9002 (XLI-O/11)" in html
    assertContains(page, f'href="{later.get_absolute_url()}#p2"')
    assertNotContains(client.get(later.get_absolute_url()), "Continues in")


def test_the_comparison_aligns_paragraphs_and_marks_words(two_years, client, today):
    earlier, later = two_years
    url = reverse("resolution_compare", args=[later.slug, earlier.slug])  # either order
    page = client.get(url)
    assertContains(page, "<h1>AG/RES. 9001 (XL-O/10) → AG/RES. 9002 (XLI-O/11)</h1>", html=True)
    html = page.content.decode()
    # ¶1: "test workers" → "all test workers"; ¶3: "forty-first" → "forty-second".
    assert re.search(r"<ins><span class=\"visually-hidden\">added: </span>all</ins>", html)
    assert re.search(
        r"<del><span class=\"visually-hidden\">removed: </span>forty-first</del>", html
    )
    assert "¶2 → ¶2: unchanged" in html
    assert "¶1 → ¶1: changed" in html
    # Preamble: the RECALLING clause is new, the HAVING SEEN one is gone.
    assert "Clause 3: added" in html
    assert "Clause 1: removed" in html
    assertContains(page, "2 paragraphs changed")
    assert client.get("/resolutions/ag-res-9001-xl-o-10/compare/nothing-here/").status_code == 404


def test_word_diff_escapes_the_text():
    diff = word_diff("a <b> c", "a <i> c")
    assert "&lt;b&gt;" in diff and "&lt;i&gt;" in diff and "<b>" not in diff


def test_a_page_with_a_next_year_adds_two_queries_at_most(
    two_years, client, today, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE = False
    earlier, _later = two_years
    # As the AG/RES. 2289 budget (tests/test_pages.py, 19 with its series and citations) +
    # the next text's paragraphs (1); no overdue box query differs in kind.
    with django_assert_max_num_queries(20):
        assert client.get(earlier.get_absolute_url()).status_code == 200


# --- 4. Honest data --------------------------------------------------------------------------


def test_every_shipped_record_cites_its_source_and_its_symbols_verbatim(db):
    load_default_data()
    records = list(ProgressRecord.objects.select_related("proposal__citing_resolution"))
    assert records, "the default data ships progress records"
    for record in records:
        proposal = getattr(record, "proposal", None)
        assert record.document_symbol or record.source or proposal, record
        if proposal is not None:
            cited = proposal.citing_resolution.preamble
            assert proposal.quote in " ".join(cited.split()) or proposal.quote in cited
        else:
            # A record transcribed from its source page: the transcription is its summary.
            cited = record.summary
        if record.document_symbol:
            assert record.document_symbol in cited, (record, record.document_symbol)


def test_every_reviewed_confirmation_in_the_manifest_is_a_made_proposal(db):
    """The loader confirms only what the manifest lists (reviewed by hand); each must match a
    proposal the importer made, and its symbol must be in the citing text."""
    load_default_data()
    for item in read_manifest()["confirmed"]:
        proposal = EvidenceProposal.objects.get(
            citing_resolution__symbol=item["citing"], clause=item["clause"]
        )
        assert proposal.state == "confirmed"
        assert item.get("document_symbol", "") in proposal.quote
    confirmed = EvidenceProposal.objects.filter(state="confirmed").count()
    assert confirmed == len(read_manifest()["confirmed"])


def test_staff_choose_the_paragraph_on_the_proposal_page_but_only_of_that_resolution(
    two_years, client, staff_user
):
    earlier, later = two_years
    client.force_login(staff_user)
    proposal = EvidenceProposal.objects.get(citing_resolution=later, kind="meeting")
    url = reverse("admin:mandates_evidenceproposal_change", args=[proposal.pk])
    page = client.get(url)
    assertContains(page, "NOTING the special meeting of the Committee on Juridical")
    assertContains(page, "previous year&#x27;s resolution of the series")
    form = {
        "kind": proposal.kind,
        "title": proposal.title,
        "document_symbol": "",
        "date": "2011-03-01",
        "date_precision": "day",
    }
    other = Mandate.objects.get(resolution=later, label="2")
    response = client.post(url, {**form, "mandate": other.pk})
    assertContains(response, "The paragraph must belong to AG/RES. 9001 (XL-O/10)")
    assertContains(response, "Please correct the error below.")
    proposal.refresh_from_db()
    assert proposal.mandate.resolution == earlier
    chosen = Mandate.objects.get(resolution=earlier, label="3")
    client.post(url, {**form, "mandate": chosen.pk})
    proposal.refresh_from_db()
    assert proposal.mandate == chosen


@pytest.mark.parametrize(
    "clause,symbols,incomplete,kind,date",
    [
        (
            "HAVING SEEN: The report by the Chair of the Committee on Juridical and Political "
            "Affairs (CP/CAJP/SA.369/02 and CP/CAJP/SA.375/02); and",
            ["CP/CAJP/SA.369/02", "CP/CAJP/SA.375/02"],
            [],
            "report",
            None,
        ),
        (
            "HAVING SEEN the Annual Report of the Permanent Council to the General Assembly "
            "(AG/doc.4548/06 add. 6 corr. 1);",
            ["AG/doc.4548/06 add. 6 corr. 1"],
            [],
            "report",
            None,
        ),
        (
            "HAVING SEEN the report on this topic included in the Annual Report of the "
            "Permanent Council to the General Assembly (AG/doc. /07);",
            [],
            ["AG/doc. /07"],
            "report",
            None,
        ),
        (
            "TOMANDO NOTA de la sesión especial de la Comisión de Asuntos Jurídicos y Políticos "
            "del Consejo Permanente de la Organización de los Estados Americanos (OEA), "
            "celebrada el 16 de marzo de 2006, sobre la implementación del Programa",
            [],
            [],
            "meeting",
            D(2006, 3, 16),
        ),
        (
            "BEARING IN MIND the Declaration and the Plan of Action of the Second Summit of "
            "the Americas (Santiago, 1998);",
            [],
            [],
            "document",
            None,
        ),
    ],
)
def test_what_a_clause_gives(clause, symbols, incomplete, kind, date):
    assert evidence.document_symbols(clause) == (symbols, incomplete)
    assert evidence.kind_of(clause) == kind
    assert evidence.date_in(clause) == date


def test_only_clauses_that_report_something_done_are_evidence():
    preamble = (
        "THE GENERAL ASSEMBLY,\n\nHAVING SEEN:\n\nThe annual report of the Permanent Council "
        "(AG/doc. 3718/98); and\n\nThe annual report of the IACHR (CP/doc.3036/98);\n\n"
        "CONSIDERING:\n\nThat the American Declaration proclaims (CP/doc.1/98);\n\n"
        "RECALLING its resolution AG/RES. 1480 (XXVII-O/97);"
    )
    clauses = evidence.evidence_clauses(preamble)
    assert [(c.number, c.lead) for c in clauses] == [(2, "HAVING SEEN"), (3, "HAVING SEEN")]


def test_a_full_text_replacing_a_partial_one_gets_the_waiting_proposals(db):
    """The earlier year first known only by its opening: the later year's evidence waits
    unattached; importing its full text with --replace attaches it to the paragraph."""
    load_default_data(["organs.json", "sessions.json"])
    Session.objects.get_or_create(organization=Organization.objects.get(code="oas"), ordinal=42)
    opening = EARLIER.split("RESOLVES:")[0]
    assert (
        import_text(
            opening, "earlier-opening.txt", parse=lambda t: parse_text(t, partial=True)
        ).status
        == "imported"
    )
    assert import_text(LATER, "later.txt", series="test").status == "imported"
    proposal = EvidenceProposal.objects.get(kind="report")
    assert proposal.mandate is None and "Only part of the text" in proposal.reason
    outcome = import_text(EARLIER, "earlier.txt", replace=True)
    assert outcome.status == "replaced", outcome.message
    assert any("now point at a paragraph" in note for note in outcome.notes)
    proposal.refresh_from_db()
    assert proposal.mandate.label == "3"
    assert not Resolution.objects.get(symbol="AG/RES. 9001 (XL-O/10)").partial_text
