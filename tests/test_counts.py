"""One counting unit everywhere: the operative paragraph, sub-paragraphs rolled up. Every count
that links to a list opens a list of exactly that many rows."""

import datetime
import html as html_lib
import re

import pytest
import time_machine
from pytest_django.asserts import assertContains

from mandates.models import Mandate, Organ, Responsibility

from .factories import SLUG_2289, mandate_2289

pytestmark = pytest.mark.usefixtures("default_data")

TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)
COUNT_LINK = re.compile(r'<a class="count-link" data-count="(\d+)" href="([^"]+)">(\d+)</a>')
PAGE_LINK = re.compile(r'<a href="(/(?:resolutions|organs|meetings)/[^"?]+/)(?:\?[^"]*)?"')


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def rows_in(html: str) -> int:
    return html.count('<tr class="mandate-row')


def pages_of_default_data(client) -> list[str]:
    """Home, the three lists, and every resolution, organ and meeting page they link to."""
    pages = ["/", "/resolutions/", "/organs/", "/meetings/"]
    for listing in pages[1:]:
        body = client.get(listing).content.decode()
        for url in PAGE_LINK.findall(body):
            if url not in pages and not url.endswith(".pdf"):
                pages.append(url)
    return pages


def test_every_count_link_opens_exactly_that_many_rows(client):
    pages = pages_of_default_data(client)
    assert any(p.startswith("/resolutions/ag-res-2289") for p in pages)
    assert any(p.startswith("/organs/") for p in pages)
    checked = 0
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        for count, url, shown in COUNT_LINK.findall(response.content.decode()):
            assert count == shown
            target = client.get(html_lib.unescape(url))
            assert target.status_code == 200, url
            body = target.content.decode()
            assert rows_in(body) == int(count), (page, url)
            assertContains(target, f"{count} operative paragraph")
            checked += 1
    assert checked > 30  # the walk really followed the links of many pages


def test_home_overdue_count_and_its_list_agree(client):
    html = client.get("/").content.decode()
    overdue = re.search(
        r'<dt><a [^>]*>Overdue</a></dt><dd><a class="count-link" data-count="(\d+)"', html
    )
    assert overdue.group(1) == "6"
    assertContains(client.get("/"), "Counted in operative paragraphs")
    listing = client.get("/mandates/?status=overdue&level=paragraph")
    assert rows_in(listing.content.decode()) == 6
    assertContains(listing, "6 operative paragraphs, status as of November 22, 2026")
    # ¶20 is listed, not ¶20.c apart from it.
    assert "¶&nbsp;20.c</a>" not in listing.content.decode()


def organ_line(client, acronym: str) -> dict[str, int]:
    html = client.get("/organs/").content.decode()
    row = re.search(
        r'<th scope="row" data-label="Organ"><a href="/organs/'
        + re.escape(acronym)
        + r'/[^"]*">.*?</tr>',
        html,
        re.S,
    ).group(0)
    cells = re.findall(r'data-label="(Overdue|Pending|Met)">(?:<a [^>]*>)?(\d+)', row)
    return {k: int(v) for k, v in cells}


def organ_page(client, acronym: str) -> dict[str, int]:
    html = client.get(f"/organs/{acronym}/").content.decode()
    cells = re.findall(r"<dt><a [^>]*>(Overdue|Pending|Met)</a></dt><dd>(?:<a [^>]*>)?(\d+)", html)
    return {k: int(v) for k, v in cells}


def test_organ_counts_agree_between_the_list_and_the_organ_page(client):
    for organ in Organ.objects.all():
        line = organ_page(client, organ.acronym)
        if sum(line.values()):
            assert organ_line(client, organ.acronym) == line, organ.acronym


def test_an_organ_has_a_paragraph_through_a_sub_paragraph_or_an_organ_under_it(client):
    paragraph = mandate_2289("20")
    child = Organ.objects.filter(parent__isnull=False).select_related("parent").first()
    assert not paragraph.responsibilities.filter(organ__path__startswith=child.parent.path)
    before = organ_page(client, child.parent.acronym)
    Responsibility.objects.create(
        mandate=mandate_2289("20.c"), organ=child, role=Responsibility.Role.SUPPORTING
    )
    after = organ_page(client, child.parent.acronym)
    assert sum(after.values()) == sum(before.values()) + 1  # ¶20 once, not ¶20 and ¶20.c
    assert organ_line(client, child.parent.acronym) == after
    assert organ_line(client, child.acronym) == organ_page(client, child.acronym)


def test_a_report_recipient_is_not_counted(client):
    paragraph = mandate_2289("14")
    responsibility = paragraph.responsibilities.select_related("organ").first()
    organ = responsibility.organ
    before = organ_page(client, organ.acronym)
    responsibility.role = Responsibility.Role.RECIPIENT
    responsibility.save()
    after = organ_page(client, organ.acronym)
    assert sum(after.values()) == sum(before.values()) - 1
    assert organ_line(client, organ.acronym) == after
    assert not Mandate.objects.top_level().addressed_to(organ).filter(pk=paragraph.pk).exists()


def test_resolution_page_counts_link_to_its_paragraphs(client):
    response = client.get(f"/resolutions/{SLUG_2289}/")
    assertContains(response, f"resolution={SLUG_2289}&amp;status=overdue&amp;level=paragraph")
    assertContains(response, "Counted in operative paragraphs: 23 in all")


def test_level_must_be_paragraph(client):
    response = client.get("/mandates/?level=everything")
    assert response.status_code == 400
    message = "“everything” is not a level: use level=paragraph or leave it out."
    assertContains(response, message, status_code=400)
