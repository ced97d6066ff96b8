"""Every page fits a phone (390 px wide, issue 11 point 7), in Debian's Chromium, with the
site's Content-Security-Policy in force: no sideways scrolling, the mandate filters folded so
the first results show, meetings as cards, the admin's progress form usable."""

import datetime

import pytest

from mandates.models import Meeting, Organ, Resolution
from tests import snapshot
from tests.test_browser import CHROMIUM, SLUG_2289, browser  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not __import__("os").path.exists(CHROMIUM) and not __import__("os").environ.get("CI"),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
]

WIDTH, HEIGHT = 390, 844

PAGES = [
    "/",
    "/resolutions/",
    f"/resolutions/{SLUG_2289}/",
    f"/resolutions/{SLUG_2289}/20/",
    "/mandates/",
    "/mandates/?status=overdue&organ=IACHR",
    "/organs/",
    "/organs/PC/",
    "/organs/IACHR/",
    "/about/status/",
    "/meetings/",
    "/meetings/cajp-2008-03-06/",
    "/follow/",
    f"/follow/resolutions/{SLUG_2289}/",
    "/no-such-page/",
]

# What sticks out on the right, to say which element is too wide when a page is.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth, wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) wide.push(`${el.tagName}.${el.className}`);
  }
  return [document.documentElement.scrollWidth, wide.slice(0, 5)];
}"""


@pytest.fixture
def phone(browser, live_server, transactional_db):  # noqa: F811
    snapshot.default_data()
    meeting = Meeting.objects.create(
        committee=Organ.objects.get(acronym="CAJP"),
        date=datetime.date(2008, 3, 6),
        title="Regular meeting on the follow-up of the General Assembly's resolutions",
        document_symbol="CP/CAJP-2456/07",
    )
    meeting.resolutions.set(Resolution.objects.filter(slug=SLUG_2289))
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTH, "height": HEIGHT}
    )
    page = context.new_page()
    yield page
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(phone):
    too_wide = {}
    for url in PAGES:
        phone.goto(url)
        scroll_width, wide = phone.evaluate(OVERFLOW)
        if scroll_width > WIDTH:
            too_wide[url] = (scroll_width, wide)
    assert too_wide == {}


def test_the_filters_fold_so_the_first_results_show(phone):
    phone.goto("/mandates/?status=overdue")
    summary = phone.locator("details.filters-box > summary")
    assert summary.inner_text() == "Filters (1 active)"
    assert phone.get_by_label("Responsible organ").is_hidden()
    first_row = phone.locator("table.mandates tbody tr").first
    assert first_row.bounding_box()["y"] < HEIGHT  # on the first screen
    summary.click()
    organ = phone.get_by_label("Responsible organ")
    assert organ.is_visible()
    # The organ choice uses the form's full width: its long names are not cut to a sliver.
    assert organ.bounding_box()["width"] > WIDTH * 0.7


def test_meetings_read_as_cards_on_a_phone(phone):
    phone.goto("/meetings/")
    assert phone.locator("table.meetings thead").is_hidden()
    row = phone.locator("table.meetings tbody tr").first
    assert "March 6, 2008" in row.inner_text()
    # One field under another, each labelled from its column (data-label, shown by CSS).
    cell = row.locator("td").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert cell.get_attribute("data-label") == "Date"


def test_the_admin_progress_form_fits_a_phone(phone, django_user_model):
    from tests.factories import mandate_2289

    django_user_model.objects.create_superuser("clerk", "clerk@example.org", "a-long-password-1")
    phone.goto("/admin/login/")
    phone.get_by_label("Username").fill("clerk")
    phone.get_by_label("Password").fill("a-long-password-1")
    phone.get_by_role("button", name="Log in").click()
    phone.goto(f"/admin/mandates/mandate/{mandate_2289('14').pk}/record-progress/")
    scroll_width, wide = phone.evaluate(OVERFLOW)
    assert scroll_width <= WIDTH, wide
    # Month only: the day input gives way to a month input (the page's script).
    assert phone.locator("#id_day").is_visible() and phone.locator("#id_month").is_hidden()
    phone.get_by_label("Month only").check()
    assert phone.locator("#id_month").is_visible() and phone.locator("#id_day").is_hidden()
    phone.locator("#id_month").fill("2008-04")
    phone.locator("#id_title").fill("Report of the CAJP")
    phone.get_by_label("in the first half of 2008", exact=False).check()
    phone.get_by_role("button", name="Save the record").click()
    assert "¶14 is still overdue" in phone.locator("ul.messagelist").inner_text()


def test_the_as_of_date_is_typed_or_picked(phone):
    phone.goto("/organs/CAJP/")
    box, picker = phone.locator("#id_as_of"), phone.locator("input.date-picker[data-for=id_as_of]")
    assert picker.is_visible()  # shown by the page's script
    picker.fill("2008-07-01")  # as the calendar sets it
    assert box.input_value() == "2008-07-01"
    box.fill("2009-01-15")  # typed
    assert picker.input_value() == "2009-01-15"
    phone.get_by_role("button", name="Show").click()
    assert "as_of=2009-01-15" in phone.url
    assert "January 15, 2009" in phone.locator("main").inner_text()


def test_a_touch_screen_shows_what_an_acronym_stands_for(browser, live_server, transactional_db):  # noqa: F811
    """No hover on a phone: after its first, spelled-out mention, an organ's acronym is
    followed by its name in brackets (site.css prints the <abbr>'s title)."""
    snapshot.default_data()
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTH, "height": HEIGHT},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    page.goto(f"/resolutions/{SLUG_2289}/")
    shown = page.evaluate(
        """() => [...document.querySelectorAll("main abbr[title]")].map((abbr) => [
            abbr.title,
            getComputedStyle(abbr, "::after").content,
            Boolean(abbr.closest(".paragraph-text")),
        ])"""
    )
    context.close()
    assert any(not quoted for _title, _after, quoted in shown), "organs named before"
    for title, after, quoted in shown:
        # A quoted resolution text reads as published; elsewhere the name follows.
        assert after == ("none" if quoted else f'" ({title})"')
