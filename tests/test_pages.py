"""Public pages: what a delegate sees, with no login."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from tests import snapshot

from .factories import SLUG_2289, deadline_of, make_record, make_resolution, mandate_2289

D = datetime.date
pytestmark = pytest.mark.usefixtures("default_data")

# Every page is rendered as of this "today" unless the URL says otherwise.
TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def labels_in(response) -> list[str]:
    """The paragraph labels of the rows of a mandate table, in order."""
    html = response.content.decode()
    return re.findall(
        r'<th scope="row"[^>]*><a [^>]*>(?:<span[^>]*>[^<]*</span> )?¶&nbsp;([^<]+)</a>', html
    )


def status_words(response) -> list[str]:
    html = response.content.decode()
    return re.findall(
        r'<span class="status status-\w+">(?:<span aria-hidden="true">[^<]*</span>)?([^<]+)</span>',
        html,
    )


def test_overview_counts_and_latest_progress(client):
    make_record(
        mandate_2289("14"),
        D(2008, 5, 15),
        kind="meeting",
        title="CAJP special meeting",
        document_symbol="CP/CAJP-2600/08",
        fulfils=[deadline_of("14", "2008")],
    )
    response = client.get("/")
    assertContains(response, "as of today, November 22, 2026")
    html = response.content.decode()
    counts = dict(
        re.findall(r"<dt><a [^>]*>(Overdue|Pending|Met)</a></dt><dd>(?:<a [^>]*>)?(\d+)", html)
    )
    # 23 + 5 Santiago paragraphs, of which 11 of 2289's are not tracked (declaratory or calling
    # on states); ¶14 is still overdue for its 2009 meeting.
    assert counts == {"Overdue": "6", "Pending": "11", "Met": "0"}
    assertContains(response, "Also 11 operative paragraphs not tracked (no status):")
    assertContains(response, "CAJP special meeting")
    assertContains(response, "CP/CAJP-2600/08")


def test_overview_lists_deadlines_in_the_next_90_days(client):
    with time_machine.travel(datetime.datetime(2008, 4, 1, 12, tzinfo=datetime.UTC), tick=False):
        response = client.get("/")
    assertContains(response, "Deadlines in the next 90 days")
    assertContains(response, "June 1, 2008")  # 38th session: ¶15, ¶20.c, ¶23
    assertContains(response, "June 30, 2008")  # ¶14 first half of 2008
    assertNotContains(response, "June 30, 2009")


def test_resolution_list_links_each_instrument(client):
    response = client.get("/resolutions/")
    assertContains(response, f'href="/resolutions/{SLUG_2289}/?as_of=2026-11-22"')
    assertContains(response, "The Human Rights of All Migrant Workers and Their Families")
    assertContains(response, "/resolutions/santiago-plan-of-action-migrant-workers/")


def test_resolution_page_shows_every_paragraph_with_status_today(client):
    response = client.get(f"/resolutions/{SLUG_2289}/")
    assertContains(response, "AG/RES. 2289 (XXXVII-O/07)")
    assertContains(response, "June 5, 2007")
    html = response.content.decode()
    labels = re.findall(r'<h3 id="h([0-9.a-z]+)">', html)
    assert labels == [str(n) for n in range(1, 21)] + ["20.a", "20.b", "20.c", "21", "22", "23"]
    # Where a status would be, the paragraphs not tracked say their kind instead.
    words = dict(
        zip(
            labels,
            re.findall(
                r'<span class="(?:status status|kind-label kind)-\w+">'
                r'(?:<span aria-hidden="true">[^<]*</span>)?([^<]+)</span>',
                html[html.index('id="ops-h"') :],  # the paragraphs, after the counts
            ),
            strict=True,
        )
    )
    assert {k for k, v in words.items() if v == "Declaratory — no follow-up"} == {"1", "2"}
    assert {k for k, v in words.items() if v == "Calls on states — not tracked"} == {
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "13",
        "22",
    }
    assert {k for k, v in words.items() if v == "Overdue"} == {
        "11",
        "12",
        "14",
        "15",
        "20",
        "20.c",
        "23",
    }
    # The full text, the organs and the deadlines with their wording and date.
    assertContains(response, "To convene, as established in the Inter-American Program")
    assertContains(response, "“in the first half of 2008”")
    assertContains(response, "June 30, 2008")
    assertContains(response, ">Committee on Juridical and Political Affairs (CAJP)</a>")
    assertContains(response, 'name="as_of"')


def test_resolution_page_as_of_2008(client):
    response = client.get(f"/resolutions/{SLUG_2289}/?as_of=2008-01-01")
    assertContains(response, "Status as of January 1, 2008")
    assert set(status_words(response)) == {"Pending"}


def test_resolution_page_shows_the_progress_trail_and_met_late(client):
    make_record(
        mandate_2289("11"),
        D(2010, 2, 1),
        title="Follow-up report",
        document_symbol="CP/doc.4500/10",
        fulfils=[deadline_of("11", "biennium")],
    )
    response = client.get(f"/resolutions/{SLUG_2289}/")
    assertContains(response, "Met late")
    assertContains(response, "Follow-up report")
    assertContains(response, "fulfilled late, on February 1, 2010")
    # As of before the record, it is not there.
    earlier = client.get(f"/resolutions/{SLUG_2289}/?as_of=2010-01-15")
    assertNotContains(earlier, "Follow-up report")


def test_mandate_detail_timeline(client):
    make_record(
        mandate_2289("23"),
        D(2008, 5, 30),
        title="Annual report to the 38th session",
        fulfils=[deadline_of("23", "thirty-eighth")],
    )
    response = client.get(f"/resolutions/{SLUG_2289}/23/")
    assertContains(response, "paragraph 23")
    assertContains(response, "Annual report to the 38th session")
    assertContains(response, "fulfilled on May 30, 2008")
    assertContains(response, "Overdue")  # the 39th session's report is still missing
    assertContains(response, "June 2, 2009")


def test_sub_paragraph_detail_and_parent_lists_children(client):
    response = client.get(f"/resolutions/{SLUG_2289}/20/")
    assertContains(response, "Sub-paragraphs")
    assertContains(response, "Presenting to the Permanent Council a report")
    response = client.get(f"/resolutions/{SLUG_2289}/20.c/")
    assertContains(response, "prior to the thirty-eighth regular session")


def test_mandate_list_filters_overdue(client):
    response = client.get("/mandates/?status=overdue")
    assert labels_in(response) == ["11", "12", "14", "15", "20", "20.c", "23"]
    assertContains(
        response,
        "7 mandates (paragraphs and sub-paragraphs counted separately), status as of "
        "November 22, 2026.",
    )
    # The row: opening words (at least 100 characters), organs, missed deadline, status.
    assertContains(
        response,
        "To request that, during the biennium 2008-2009, pursuant to paragraph V.A of the "
        "Inter-American",
    )
    assertContains(response, "missed Dec 31, 2009")
    assert set(status_words(response)) == {"Overdue"}
    # Active filter shown, with a link that removes it.
    assertContains(response, "Status: <strong>Overdue</strong>")
    assertContains(response, 'href="?" aria-label="Remove filter Status"')


@pytest.mark.parametrize(
    "query, expected",
    [
        ("organ=CAJP", ["14", "16"]),
        # CAJP sits under PC; PC only receives the report of ¶20.c, so it is not listed.
        ("organ=PC&status=overdue", ["14", "23"]),
        (f"resolution={SLUG_2289}&as_of=2008-06-02&status=overdue", ["15", "20", "20.c", "23"]),
        ("as_of=2008-01-01&status=overdue", []),
        ("due_after=2008-06-15&due_before=2008-07-15", ["14"]),
        ("q=voluntary+fund&resolution=" + SLUG_2289, ["21", "17"]),  # ranked full-text
        ('q="voluntary+fund"&resolution=' + SLUG_2289, ["21"]),  # an exact phrase
        ("status=met", []),
    ],
)
def test_mandate_list_filters(client, query, expected):
    response = client.get(f"/mandates/?{query}")
    assert response.status_code == 200
    assert labels_in(response) == expected
    if not expected:
        assertContains(response, "No mandate matches these filters.")


@pytest.mark.parametrize(
    "url, status, message",
    [
        ("/mandates/?status=foo", 400, "“foo” is not a status: use pending, met or overdue."),
        ("/mandates/?as_of=2008-13-45", 400, "“as_of” must be a real date written YYYY-MM-DD."),
        ("/mandates/?organ=XYZ", 400, "There is no organ with the acronym “XYZ”."),
        ("/mandates/?resolution=nope", 400, "There is no resolution “nope”."),
        ("/mandates/?page=999", 404, "There is no page 999: this list has 1 page(s)."),
        ("/mandates/?page=abc", 400, "“page” must be a whole number."),
        ("/organs/NOPE/", 404, "There is no organ with the acronym “NOPE”."),
        (f"/resolutions/{SLUG_2289}/?as_of=yesterday", 400, "must be a real date"),
        ("/resolutions/nope/", 404, "Not found"),
        (f"/resolutions/{SLUG_2289}/99/", 404, "Not found"),
    ],
)
def test_bad_parameters_get_a_clear_message(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assertContains(response, message, status_code=status)


def test_organ_pages(client):
    response = client.get("/organs/")
    assertContains(response, 'href="/organs/IACHR/?as_of=2026-11-22"')
    response = client.get("/organs/IACHR/")
    assertContains(response, "Inter-American Commission on Human Rights")
    # Its operative paragraphs (¶20 through its sub-paragraphs), oldest first.
    assert labels_in(response) == ["5", "10", "19", "20"]
    response = client.get("/organs/I/A%20Court%20H.R./")
    assert response.status_code == 200
    assertContains(response, "No mandate is addressed to this organ.")


def test_mandate_list_query_count_stays_flat(client):
    """Rows grow from 38 to 98; the number of queries does not."""

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    before = queries("/mandates/?page=1")
    make_resolution(60, deadline=D(2011, 1, 1))
    after = queries("/mandates/?page=1")
    # data version, count, the page's ids, its mandates (status annotated),
    # responsibilities+organs, deadlines (with state), progress records, their fulfilled
    # deadlines and documents, plus the filter form's organization and organ choices.
    assert before == after <= 12


@pytest.mark.parametrize(
    "url", ["/", "/resolutions/", f"/resolutions/{SLUG_2289}/", "/organs/", "/organs/PC/"]
)
def test_other_pages_query_count_stays_flat(client, url):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    make_record(mandate_2289("23"), D(2008, 5, 1), title="r")
    before = queries()
    for label in ["15", "14", "11", "10", "20.c"]:
        make_record(mandate_2289(label), D(2008, 5, 1), title="r")
        make_record(mandate_2289(label), D(2008, 5, 2), title="s")
    assert queries() == before


# Query budgets of the public pages on the default data, page cache off (cold rendering).
# Each includes the data-version read of the page cache (1). Growing the data does not change
# them (the "stays flat" tests above); a new query here is an N+1 in the making.
QUERY_BUDGETS = [
    # version, counts, deadlines in the next 90 days, the next deadlines when none is near,
    # latest progress, latest resolutions
    ("/", 6),
    # version, organizations, count, the page of resolutions, their counts
    ("/resolutions/", 5),
    # version, resolution, the chart of status over time (changes of its paragraphs'
    # timelines, one query; its last column gives the counts, hence the number of
    # paragraphs and of overdue ones), rows + organs, deadlines, records, their deadlines,
    # their documents (the resolution fits on one page: no query of a page's paragraph ids,
    # and the overdue box is read from these rows), the resolutions of its series (no next
    # year's text in the default data, so no query for its paragraphs), what it cites (with
    # the cited resolutions, joined on the symbol) and what cites it (2)
    (f"/resolutions/{SLUG_2289}/", 12),
    # version, count, page ids, rows, their organs, the filter's organization and organ
    # choices (a table row shows no deadline list nor trail: none is loaded)
    ("/mandates/", 8),
    ("/mandates/?status=overdue", 8),
    # version, counts by organ, organs
    ("/organs/", 4),
    # version, organ, counts (which give the list's length and the overdue count), overdue
    # box (4: the longest overdue, their sub-paragraphs' ids, missed deadlines, organs), page
    # ids, rows, organs, deadlines, records (+ fulfils, documents), sub-organs
    ("/organs/PC/", 13),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url,budget", QUERY_BUDGETS)
def test_query_budgets(client, url, budget, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE = False
    snapshot.default_data()
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_long_resolution_is_paged_with_a_jump_list(client, settings):
    """60 paragraphs: pages of 25 with a jump list naming each page's paragraphs; the counts
    still cover the whole resolution; a page past the end says how many there are."""
    settings.PAGE_CACHE = False
    resolution = make_resolution(60, deadline=D(2009, 1, 1))
    url = resolution.get_absolute_url()
    first = client.get(url, {"as_of": "2010-01-01"}).content.decode()
    assert "¶&nbsp;25</a>" in first and "¶&nbsp;26</a>" not in first
    assert "¶&nbsp;1–25" in first and "¶&nbsp;26–50" in first and "¶&nbsp;51–60" in first
    assert 'data-count="60"' in first  # all 60 overdue, counted on every page
    last = client.get(url, {"as_of": "2010-01-01", "page": 3}).content.decode()
    assert "¶&nbsp;60</a>" in last and "¶&nbsp;50</a>" not in last
    assert 'data-count="60"' in last
    missing = client.get(url, {"page": 4})
    assert missing.status_code == 404
    assert "this list has 3 page(s)" in missing.content.decode()
