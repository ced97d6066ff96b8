"""A page about the past keeps its date: every internal link to a page that shows status
opens it on the same as-of date (issue 11, point 3), and the as-of box takes a typed
YYYY-MM-DD as well as the calendar."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from tests.factories import SLUG_2289

pytestmark = pytest.mark.usefixtures("default_data")

PAST = "2008-07-01"
PAGES = [
    "/",
    "/resolutions/",
    f"/resolutions/{SLUG_2289}/",
    f"/resolutions/{SLUG_2289}/20/",
    "/mandates/",
    "/mandates/?status=overdue",
    "/organs/",
    "/organs/CAJP/",
    "/organs/PC/",
]
# Pages with no as-of date of their own: the admin, files, feeds, the API, following,
# meetings (as of their own date), the comparison of two texts and "How status is decided"
# (definitions, the same on every date).
DATELESS = (
    "/admin",
    "/static",
    "/media",
    "/feeds",
    "/api",
    "/follow",
    "/documents",
    "/meetings",
    "/about",
)


class Links(HTMLParser):
    """Internal links, leaving out those meant to drop the date: "Back to today" in the
    past-date banner, and the active-filter chip that removes the as-of date."""

    def __init__(self):
        super().__init__()
        self.links, self.banner_depth, self.depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.depth += 1
        if "notice-past" in (attrs.get("class") or "") and self.banner_depth is None:
            self.banner_depth = self.depth
        if tag == "a" and attrs.get("href") and self.banner_depth is None:
            if not (attrs.get("aria-label") or "").startswith("Remove filter Status as of"):
                self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.banner_depth == self.depth:
            self.banner_depth = None
        self.depth -= 1


def internal_links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")):
            continue
        if parts.path.startswith(DATELESS) or "/compare/" in parts.path:
            continue
        found.append(href)
    return found


@pytest.mark.parametrize("url", PAGES)
def test_every_link_of_a_page_about_the_past_keeps_its_date(url, settings):
    settings.PAGE_CACHE = False
    page = Client().get(url + ("&" if "?" in url else "?") + f"as_of={PAST}")
    assert page.status_code == 200
    links = internal_links(page.content.decode())
    assert links, "the walk found links"
    losing = sorted(
        {href for href in links if parse_qs(urlsplit(href).query).get("as_of") != [PAST]}
    )
    assert losing == []


def test_the_as_of_box_takes_a_typed_iso_date_beside_the_calendar(settings):
    settings.PAGE_CACHE = False
    page = Client().get(f"/organs/CAJP/?as_of={PAST}")
    # A text box for YYYY-MM-DD (a date input would take only the browser's own order)...
    assertContains(page, f'<input type="text" name="as_of" id="id_as_of" value="{PAST}"')
    assertContains(page, 'placeholder="YYYY-MM-DD"')
    # ... and the calendar beside it, shown by the page's script, not submitted.
    assertContains(
        page, f'<input type="date" class="date-picker" data-for="id_as_of" value="{PAST}"'
    )
    filters = Client().get(f"/mandates/?due_after={PAST}")
    assertContains(filters, f'type="text" name="due_after" value="{PAST}"')
    assertContains(filters, 'data-for="id_due_after"')
    # What is typed is what is read.
    assertContains(Client().get("/organs/CAJP/?as_of=2008-07-01"), "July 1, 2008")
    bad = Client().get("/organs/CAJP/?as_of=01/07/2008")
    assertContains(bad, "“as_of” must be a real date written YYYY-MM-DD.", status_code=400)
