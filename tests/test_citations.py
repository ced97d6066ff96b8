"""Issue 14, point 6: citations become links.

The preamble (and the operative paragraphs) of a resolution name earlier resolutions; the
importer reads them, the loader stores them with the text, and each resolution page lists
what it cites and what cites it, linked when the other resolution is in the tracker.
"""

import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from mandates import citations
from mandates.importer.citations import cited_symbols
from mandates.importer.saving import import_text
from mandates.loading import load_default_data
from mandates.models import Citation, Resolution
from tests import snapshot

from .factories import SLUG_2289

TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)
SLUG_1717 = "ag-res-1717-xxx-o-00"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def symbols(text: str, own: str = "") -> list[str]:
    return [c.symbol for c in cited_symbols(text, own)]


# --- What the importer recognises ------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        # Full OAS symbols, and the abbreviated ones that follow in the same enumeration.
        (
            "RECALLING resolutions AG/RES. 1717 (XXX-O/00), AG/RES. 1775 (XXXI-O/01), 2130 "
            "(XXXV-O/05) and 2224 (XXXVI-O/06);",
            [
                "AG/RES. 1717 (XXX-O/00)",
                "AG/RES. 1775 (XXXI-O/01)",
                "AG/RES. 2130 (XXXV-O/05)",
                "AG/RES. 2224 (XXXVI-O/06)",
            ],
        ),
        # Spacing as extraction leaves it is normalised to the stored form.
        ("RECALLING AG/RES.1717 (XXX O/00);", ["AG/RES. 1717 (XXX-O/00)"]),
        ("the Permanent Council resolution CP/RES. 797 (1293/01);", ["CP/RES. 797 (1293/01)"]),
        # Spanish, French, Portuguese.
        (
            "mediante la resolución AG/RES. 2141 (XXXV-O/05); Las resoluciones AG/RES. 1717 "
            "(XXX-O/00) y 2130 (XXXV-O/05); y",
            ["AG/RES. 2141 (XXXV-O/05)", "AG/RES. 1717 (XXX-O/00)", "AG/RES. 2130 (XXXV-O/05)"],
        ),
        (
            "Rappelant sa résolution 60/169 du 16 décembre 2005 et la résolution 61/165,",
            ["A/RES/60/169", "A/RES/61/165"],
        ),
        ("Relembrando as resoluções 78/150 e 79/161,", ["A/RES/78/150", "A/RES/79/161"]),
        # UN General Assembly: full symbols, "resolutions N/M and N/M", dates between items.
        ("Recalling A/RES/79/123 and A/RES/ ES-10/1,", ["A/RES/79/123", "A/RES/ES-10/1"]),
        (
            "Recalling its resolutions 78/150 and 79/161, and its resolution 60/169 of 16 "
            "December 2005 and 61/165 of 19 December 2006,",
            ["A/RES/78/150", "A/RES/79/161", "A/RES/60/169", "A/RES/61/165"],
        ),
        # Security Council resolutions are stored as S/RES/N (YYYY).
        (
            "Recalling Security Council resolutions 1325 (2000), 1820 (2008) and 1888 (2009),",
            ["S/RES/1325 (2000)", "S/RES/1820 (2008)", "S/RES/1888 (2009)"],
        ),
        ("la resolución 1325 (2000) del Consejo de Seguridad", ["S/RES/1325 (2000)"]),
        # Other UN bodies, when the text says whose resolution it is.
        (
            "Human Rights Council resolution 15/3 and Economic and Social Council resolution "
            "1980/67 of 25 July 1980",
            ["A/HRC/RES/15/3", "E/RES/1980/67"],
        ),
        # Documents are not resolutions.
        (
            "HAVING EXAMINED the annual report (CP/CAJP-1487/99), CP/doc.3327/00, AG/doc.4548/06 "
            "add. 6, A/79/123 and Advisory Opinion OC-16/99, presented pursuant to resolution "
            "AG/RES. 1548 (XXVIII-O/98);",
            ["AG/RES. 1548 (XXVIII-O/98)"],
        ),
        ("the annual report (CP/CAJP-1487/99) and document 1487/99", []),
        # A commission's "resolution 2005/69" is not the Economic and Social Council's.
        ("Commission on Human Rights resolution 2005/69", []),
    ],
)
def test_the_importer_recognises_cited_resolutions(db, text, expected):
    assert symbols(text) == expected


def test_a_text_never_cites_itself():
    assert symbols("AG/RES. 2289 (XXXVII-O/07) and AG/RES. 2224 (XXXVI-O/06)", "AG/RES. 2289 "
                   "(XXXVII-O/07)") == ["AG/RES. 2224 (XXXVI-O/06)"]  # fmt: skip


def test_its_resolution_in_a_human_rights_council_text_is_the_councils():
    assert symbols("Recalling its resolution 15/3,", "A/HRC/RES/16/1") == ["A/HRC/RES/15/3"]


# --- The default data ------------------------------------------------------------------------


def test_the_2289_page_lists_what_its_preamble_cites_linked_when_tracked(db, client):
    snapshot.default_data()
    page = client.get(f"/resolutions/{SLUG_2289}/")
    html = page.content.decode()
    cites = html[html.index('id="cites-h"') : html.index('id="cited-by-h"')]
    # Preamble clause 8: "Its resolutions AG/RES. 1717 (XXX-O/00), … and AG/RES. 2224 …".
    for symbol, slug in [
        ("AG/RES. 1717 (XXX-O/00)", SLUG_1717),
        ("AG/RES. 1775 (XXXI-O/01)", "ag-res-1775-xxxi-o-01"),
        ("AG/RES. 1898 (XXXII-O/02)", "ag-res-1898-xxxii-o-02"),
        ("AG/RES. 1928 (XXXIII-O/03)", "ag-res-1928-xxxiii-o-03"),
        ("AG/RES. 2224 (XXXVI-O/06)", "ag-res-2224-xxxvi-o-06"),
    ]:
        assert f'<a href="/resolutions/{slug}/">{symbol}</a>' in cites
    # Not found for the series (README), so not in the tracker: plain text, said so.
    for symbol in ["AG/RES. 2027 (XXXIV-O/04)", "AG/RES. 2130 (XXXV-O/05)"]:
        assert f'{symbol} <span class="muted">(not in the tracker)</span>' in cites
    # Where: the preamble clause, linked on the page.
    assert f'<a href="/resolutions/{SLUG_2289}/#clause-8">preamble clause 8</a>' in cites
    assert 'id="clause-8"' in html
    # Clause 2 cites the Inter-American Program's resolution; documents are not resolutions.
    assert "AG/RES. 2141 (XXXV-O/05)" in cites
    assert "CP/doc.4088/06" not in cites and "AG/doc." not in cites
    assert list(
        Citation.objects.filter(citing__slug=SLUG_2289).values_list("cited_symbol", flat=True)
    ) == [
        "AG/RES. 2141 (XXXV-O/05)",
        "AG/RES. 1717 (XXX-O/00)",
        "AG/RES. 1775 (XXXI-O/01)",
        "AG/RES. 1898 (XXXII-O/02)",
        "AG/RES. 1928 (XXXIII-O/03)",
        "AG/RES. 2027 (XXXIV-O/04)",
        "AG/RES. 2130 (XXXV-O/05)",
        "AG/RES. 2224 (XXXVI-O/06)",
    ]


def test_the_cited_page_lists_who_cites_it(db, client):
    snapshot.default_data()
    page = client.get(f"/resolutions/{SLUG_1717}/")
    html = page.content.decode()
    cited_by = html[html.index('id="cited-by-h"') :]
    cited_by = cited_by[: cited_by.index("</section>")]
    # Newest first: 2289 (2007, English), 2224 (2006, its Spanish text), each with its place.
    assert re.search(
        rf'<a href="/resolutions/{SLUG_2289}/">AG/RES. 2289 \(XXXVII-O/07\)</a>.*'
        rf'<a href="/resolutions/{SLUG_2289}/#clause-8">preamble clause 8</a>.*'
        r'<a href="/resolutions/ag-res-2224-xxxvi-o-06/">AG/RES. 2224 \(XXXVI-O/06\)</a>'
        r".*Los Derechos Humanos de Todos los Trabajadores Migratorios",
        cited_by,
        re.DOTALL,
    )
    # 1717 itself cites the previous year's, which the page links.
    cites = html[html.index('id="cites-h"') : html.index('id="cited-by-h"')]
    assert '<a href="/resolutions/ag-res-1611-xxix-o-99/">AG/RES. 1611 (XXIX-O/99)</a>' in cites
    assert "CP/doc.3327/00" not in cites  # the report's symbol is a document


def test_loading_the_default_data_twice_keeps_the_same_citations(db):
    load_default_data()
    before = list(Citation.objects.values_list("citing__symbol", "cited_symbol", "clause"))
    assert len(before) == 17
    load_default_data()
    assert list(Citation.objects.values_list("citing__symbol", "cited_symbol", "clause")) == before


# --- Imports ---------------------------------------------------------------------------------

LATER_2130 = """AG/RES. 2130 (XXXV-O/05)

THE HUMAN RIGHTS OF TEST WORKERS

(Adopted at the fourth plenary session, held on June 7, 2005)

THE GENERAL ASSEMBLY,

RECALLING its resolutions AG/RES. 1717 (XXX-O/00) and 1775 (XXXI-O/01);

RESOLVES:

1. To urge member states to protect the human rights of test workers.

2. To request the Permanent Council to report on the implementation of this resolution, as
resolution CP/RES. 797 (1293/01) provides.
"""


def test_a_resolution_imported_later_turns_the_plain_symbol_into_a_link(db, client):
    snapshot.default_data()
    plain = 'AG/RES. 2130 (XXXV-O/05) <span class="muted">(not in the tracker)</span>'
    assertContains(client.get(f"/resolutions/{SLUG_2289}/"), plain, html=False)
    outcome = import_text(LATER_2130, "test-2130.txt")
    assert outcome.status == "imported", outcome.message
    page = client.get(f"/resolutions/{SLUG_2289}/")  # the page cache follows the new data
    assertNotContains(page, plain, html=False)
    assertContains(
        page, '<a href="/resolutions/ag-res-2130-xxxv-o-05/">AG/RES. 2130 (XXXV-O/05)</a>'
    )
    # The new text's own citations: the preamble, and an operative paragraph (its own page).
    page = client.get("/resolutions/ag-res-2130-xxxv-o-05/")
    assertContains(page, '<a href="/resolutions/ag-res-2130-xxxv-o-05/#clause-1">')
    assertContains(page, '<a href="/resolutions/ag-res-2130-xxxv-o-05/2/">¶&nbsp;2</a>')
    assertContains(page, 'CP/RES. 797 (1293/01) <span class="muted">(not in the tracker)')
    # …and it is "cited by" 2289 (2007), on its page.
    html = page.content.decode()
    assert f'<a href="/resolutions/{SLUG_2289}/">AG/RES. 2289' in html[html.index("cited-by-h") :]


def test_a_reimport_replaces_the_citations(db, client):
    snapshot.default_data(["organs.json", "sessions.json"])
    assert import_text(LATER_2130, "a.txt").status == "imported"
    changed = LATER_2130.replace("and 1775 (XXXI-O/01)", "and 1898 (XXXII-O/02)").replace(
        ", as\nresolution CP/RES. 797 (1293/01) provides", ""
    )
    outcome = import_text(changed, "b.txt", replace=True)
    assert outcome.status == "replaced", outcome.message
    resolution = Resolution.objects.get(symbol="AG/RES. 2130 (XXXV-O/05)")
    assert list(resolution.citations.values_list("cited_symbol", "part", "clause", "label")) == [
        ("AG/RES. 1717 (XXX-O/00)", "preamble", 1, ""),
        ("AG/RES. 1898 (XXXII-O/02)", "preamble", 1, ""),
    ]
    page = client.get(resolution.get_absolute_url())
    assertContains(page, "AG/RES. 1898 (XXXII-O/02)")
    assertNotContains(page, "AG/RES. 1775")
    assertNotContains(page, "CP/RES. 797")


def test_a_un_text_cites_by_the_un_forms(db, client):
    snapshot.default_data(["organs.json", "sessions.json"])
    text = open_un_text("A_RES_80_11.md")
    outcome = import_text(text, "A_RES_80_11.md")
    assert outcome.status == "imported", outcome.message
    resolution = Resolution.objects.get(symbol="A/RES/80/11")
    cited = set(resolution.citations.values_list("cited_symbol", flat=True))
    assert {"S/RES/1325 (2000)", "S/RES/2250 (2015)"} <= cited
    page = client.get(resolution.get_absolute_url())
    assertContains(page, 'S/RES/1325 (2000) <span class="muted">(not in the tracker)</span>')


def open_un_text(name: str) -> str:
    from .shared_paths import SHARED

    return (SHARED / "corpus" / "un-ga-80" / name).read_text(encoding="utf-8")


# --- Bounds and query counts -----------------------------------------------------------------


def make_citing(n: int, cited: str = "AG/RES. 1717 (XXX-O/00)") -> None:
    """``n`` resolutions whose preamble recalls ``cited``, stored as an import would."""
    for i in range(n):
        resolution = Resolution.objects.create(
            symbol=f"AG/RES. {5000 + i} (XL-O/10)",
            title=f"Test {i}",
            adopted_on=datetime.date(2010, 6, 1) + datetime.timedelta(days=i),
            preamble=f"THE GENERAL ASSEMBLY,\n\nRECALLING its resolution {cited};",
        )
        citations.store(resolution)


def test_cited_by_is_bounded_newest_first_with_the_rest_counted(
    db, client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE = False
    snapshot.default_data()
    make_citing(citations.CITED_BY_SHOWN + 5)
    resolution = Resolution.objects.get(slug=SLUG_1717)
    with django_assert_num_queries(1):  # the citing places, newest resolution first
        cited_by = citations.cited_by(resolution)
    assert len(cited_by.items) == citations.CITED_BY_SHOWN
    assert cited_by.items[0].symbol == f"AG/RES. {5000 + citations.CITED_BY_SHOWN + 4} (XL-O/10)"
    # 25 new ones + 2289 + 2224, 20 shown.
    assert cited_by.more == 7
    citing = Resolution.objects.get(slug=SLUG_2289)
    with django_assert_num_queries(1):  # its citations, with the cited resolutions joined
        cites = citations.cites(citing)
    assert [ref.resolution is not None for ref in cites.items].count(True) == 5
    assertContains(client.get(resolution.get_absolute_url()), "…and 7 more resolutions.")


def test_cited_by_a_much_cited_resolution_counts_the_citing_ones_apart(
    db, settings, monkeypatch, django_assert_num_queries
):
    """Past CITED_BY_ROWS places the page stops reading: the resolutions it shows are whole
    (every place), the last one read is dropped in case its places go on, the rest counted."""
    snapshot.default_data()
    make_citing(6)
    monkeypatch.setattr(citations, "CITED_BY_ROWS", 4)
    monkeypatch.setattr(citations, "CITED_BY_SHOWN", 3)
    resolution = Resolution.objects.get(slug=SLUG_1717)
    expected = Citation.objects.citing_count(resolution.symbol)
    assert expected == 8  # the 6 new ones, 2289 and 2224
    with django_assert_num_queries(2):  # 5 places read, then the citing ones counted
        cited_by = citations.cited_by(resolution)
    assert [ref.symbol for ref in cited_by.items] == [
        f"AG/RES. {5000 + i} (XL-O/10)" for i in (5, 4, 3)
    ]
    assert all(len(ref.places) == 1 for ref in cited_by.items)
    assert cited_by.more == expected - 3


def test_the_resolution_page_queries_stay_flat_as_citations_grow(db, client, settings):
    settings.PAGE_CACHE = False
    snapshot.default_data()

    def queries(slug):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/resolutions/{slug}/").status_code == 200
        return len(captured)

    before = queries(SLUG_1717), queries(SLUG_2289)
    make_citing(30)
    # 2289 now cites many more: a preamble of 30 clauses, each naming a resolution.
    resolution = Resolution.objects.get(slug=SLUG_2289)
    resolution.preamble += "".join(
        f"\n\nRECALLING its resolution AG/RES. {5000 + i} (XL-O/10);" for i in range(30)
    )
    resolution.save()
    citations.store(resolution)
    assert resolution.citations.count() == 38
    assert (queries(SLUG_1717), queries(SLUG_2289)) == before


# --- API, admin, command ---------------------------------------------------------------------


def test_the_api_gives_cites_and_cited_by_with_urls_when_tracked(db, client):
    snapshot.default_data()
    data = client.get(f"/api/v1/resolutions/{SLUG_2289}/").json()
    by_symbol = {ref["symbol"]: ref for ref in data["cites"]}
    assert (
        by_symbol["AG/RES. 1717 (XXX-O/00)"]["url"] == f"http://testserver/resolutions/{SLUG_1717}/"
    )
    assert by_symbol["AG/RES. 2027 (XXXIV-O/04)"]["url"] is None
    assert by_symbol["AG/RES. 2027 (XXXIV-O/04)"]["title"] is None
    place = by_symbol["AG/RES. 1717 (XXX-O/00)"]["places"][0]
    assert (place["part"], place["clause"]) == ("preamble", 8)
    assert place["snippet"].startswith("Its resolutions AG/RES. 1717 (XXX-O/00)")
    assert data["cited_by"] == [] and data["cites_more"] == 0
    cited_by = client.get(f"/api/v1/resolutions/{SLUG_1717}/").json()["cited_by"]
    assert [ref["symbol"] for ref in cited_by] == [
        "AG/RES. 2289 (XXXVII-O/07)",
        "AG/RES. 2224 (XXXVI-O/06)",
    ]
    # The list stays as it was: no citations there (no query per row).
    assert "cites" not in client.get("/api/v1/resolutions/").json()["results"][0]


def test_the_admin_shows_the_citations_read_only(db, client, staff_user):
    snapshot.default_data()
    client.force_login(staff_user)
    resolution = Resolution.objects.get(slug=SLUG_2289)
    page = client.get(f"/admin/mandates/resolution/{resolution.pk}/change/")
    assertContains(page, f'<a href="/resolutions/{SLUG_1717}/">AG/RES. 1717 (XXX-O/00)</a>')
    assertContains(page, "AG/RES. 2027 (XXXIV-O/04) <em>(not in the tracker)</em>")
    assertContains(page, "preamble clause 8")
    assertNotContains(page, 'name="citations-0-cited_symbol"')  # nothing to type


def test_deleting_paragraphs_in_bulk_in_the_admin_drops_their_citations(db, client, staff_user):
    load_default_data(["organs.json", "sessions.json"])
    assert import_text(LATER_2130, "a.txt").status == "imported"
    resolution = Resolution.objects.get(symbol="AG/RES. 2130 (XXXV-O/05)")
    assert resolution.citations.filter(cited_symbol="CP/RES. 797 (1293/01)").exists()
    client.force_login(staff_user)
    paragraph = resolution.mandates.get(label="2")
    response = client.post(
        "/admin/mandates/mandate/",
        {"action": "delete_selected", "_selected_action": [paragraph.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not resolution.mandates.filter(label="2").exists()
    # The preamble's citations stay; the deleted paragraph's one is gone.
    assert list(resolution.citations.values_list("cited_symbol", flat=True)) == [
        "AG/RES. 1717 (XXX-O/00)",
        "AG/RES. 1775 (XXXI-O/01)",
    ]
    assertNotContains(client.get(resolution.get_absolute_url()), "CP/RES. 797")


def test_extract_citations_reads_them_for_resolutions_already_stored(db):
    snapshot.default_data()
    Citation.objects.all().delete()
    out = StringIO()
    call_command("extract_citations", "--dry-run", stdout=out)
    assert "AG/RES. 2289 (XXXVII-O/07): 0 citations stored, 8 read from its text" in out.getvalue()
    assert "Nothing was written" in out.getvalue()
    assert not Citation.objects.exists()
    call_command("extract_citations", stdout=StringIO())
    assert Citation.objects.count() == 17
    out = StringIO()
    call_command("extract_citations", stdout=out)
    assert "the stored ones agree with the texts" in out.getvalue()
