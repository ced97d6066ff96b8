"""Overdue at a glance, report recipients, the past banner and sorting: what a delegate reads."""

import datetime
import re

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from mandates.models import Resolution
from mandates.overdue import lateness, overdue_paragraphs
from mandates.views import mandate_rows

from .factories import SLUG_2289

pytestmark = pytest.mark.usefixtures("default_data")
TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def glance(response) -> str:
    html = response.content.decode()
    return re.search(r'<section class="overdue-glance".*?</section>', html, re.S).group(0)


@pytest.mark.parametrize(
    ("since", "as_of", "words"),
    [
        (D(2008, 6, 1), D(2026, 11, 22), "18 years"),
        (D(2008, 6, 1), D(2009, 5, 31), "11 months"),
        (D(2008, 6, 1), D(2008, 6, 13), "12 days"),
        (D(2008, 6, 1), D(2008, 6, 2), "1 day"),
        (D(2008, 1, 31), D(2008, 2, 29), "29 days"),
    ],
)
def test_lateness_in_words(since, as_of, words):
    assert lateness(since, as_of) == words


def test_resolution_page_opens_with_what_is_overdue(client):
    response = client.get(f"/resolutions/{SLUG_2289}/")
    top = glance(response)
    assert "6 operative paragraphs are overdue, longest overdue first:" in top
    assert "overdue since June 1, 2008 — 18 years" in top
    assert "¶20 is overdue because ¶20.c missed June 1, 2008." in top
    assert "Inter-American Commission on Human Rights (IACHR)" in top
    # The glance comes before the paragraphs themselves.
    html = response.content.decode()
    assert html.index("overdue-glance") < html.index('id="ops-h"')


def test_recipient_is_shown_and_not_charged(client):
    response = client.get(f"/resolutions/{SLUG_2289}/23/")
    assertContains(response, "reports to:")
    assertContains(response, "General Assembly (GA)</a>")
    ga = client.get("/organs/GA/")
    assertContains(ga, "No operative paragraph is overdue.")
    page_15 = client.get(f"/resolutions/{SLUG_2289}/15/")
    # A collective addressee is named in words, never by an invented acronym.
    assertContains(page_15, "Relevant organs, agencies and entities of the OAS</a>")
    assertNotContains(page_15, ">OAE<")


def said(glance) -> list[tuple]:
    return [
        (o.paragraph.pk, o.missed_on, o.wording, o.lateness, o.missed_by.pk, o.missed_by.label)
        + tuple(r.pk for r in o.acting)
        for o in glance
    ]


@pytest.mark.parametrize("as_of", [D(2007, 7, 1), D(2008, 6, 2), D(2010, 1, 1), D(2026, 11, 22)])
@pytest.mark.parametrize("size", [2, 10])
def test_the_box_read_from_a_pages_rows_says_what_the_queries_say(as_of, size):
    # A resolution on one page builds its box from the rows it shows: the same paragraphs,
    # order, missed deadlines and organs as the queries give.
    resolution = Resolution.objects.get(slug=SLUG_2289)
    rows = list(mandate_rows(resolution.mandates.all(), as_of).order_by("order", "pk"))
    queried = overdue_paragraphs(resolution.mandates.top_level(), as_of, size=size)
    read = overdue_paragraphs(resolution.mandates.top_level(), as_of, size=size, shown=rows)
    assert (read.total, said(read)) == (queried.total, said(queried))
    if as_of.year == 2026:
        assert queried.total == 6 and any(o.missed_by.pk != o.paragraph.pk for o in queried)


def test_organ_page_opens_with_its_overdue_paragraphs(client):
    response = client.get("/organs/IACHR/")
    top = glance(response)
    assert "AG/RES. 2289 (XXXVII-O/07) ¶&nbsp;20</a>" in top
    assert "overdue since June 1, 2008" in top


def test_past_date_shows_a_banner_with_back_to_today(client):
    response = client.get(f"/resolutions/{SLUG_2289}/?as_of=2008-07-01")
    assertContains(response, "statuses as they stood on <strong>July 1, 2008</strong>")
    assertContains(response, f'<a href="/resolutions/{SLUG_2289}/">Back to today</a>')
    assertNotContains(client.get(f"/resolutions/{SLUG_2289}/"), "Back to today")


def test_home_honours_as_of(client):
    html = client.get("/?as_of=2007-07-01").content.decode()
    assert "Back to today" in html
    assert "status=overdue&amp;level=paragraph&amp;as_of=2007-07-01" in html


def labels(response) -> list[str]:
    return re.findall(r"¶&nbsp;([0-9.a-z]+)</a></th>", response.content.decode())


def test_mandate_list_sorts_by_lateness_and_next_due(client):
    late = client.get(f"/mandates/?resolution={SLUG_2289}&level=paragraph&sort=lateness")
    assert late.status_code == 200
    order = labels(late)
    assert len(order) == 23
    overdue_first = order[:6]
    assert "20" in overdue_first and "23" in overdue_first
    response = client.get("/mandates/?sort=soonest")
    assertContains(
        response,
        "“soonest” is not a sort order: use sort=lateness or sort=next_due.",
        status_code=400,
    )
    soon = client.get(f"/mandates/?resolution={SLUG_2289}&level=paragraph&sort=next_due")
    assert len(labels(soon)) == 23


def test_home_falls_back_to_the_next_deadlines(client):
    # On 1 January 2008 nothing falls due within 90 days; the next deadline is 1 June 2008.
    html = client.get("/?as_of=2008-01-01").content.decode()
    assert "No deadline falls due in the next 90 days. The next deadlines:" in html
    assert "June 1, 2008</time>" in html
    # Links from a page about the past open the next page on the same date.
    assert f'href="/resolutions/{SLUG_2289}/?as_of=2008-01-01"' in html
    assert 'href="/organs/?as_of=2008-01-01"' in html
    today_html = client.get("/").content.decode()
    assert "No deadline lies ahead: every recorded deadline has passed." in today_html
    assert 'href="/organs/"' in today_html
