"""End to end in Debian's Chromium (Playwright drives it; no browser download)."""

import os
import shutil

import pytest

from tests import snapshot

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SLUG_2289 = "ag-res-2289-xxxvii-o-07"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    snapshot.default_data()
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def test_browse_filter_overdue_open_a_mandate(page):
    page.goto("/")
    page.get_by_role("link", name="Mandates", exact=True).click()
    page.get_by_label("Status", exact=True).select_option("overdue")
    page.get_by_role("button", name="Apply filters").click()
    assert "status=overdue" in page.url
    rows = page.locator("table.mandates tbody tr")
    assert rows.count() == 7
    assert page.get_by_text("Status: Overdue").count() == 1
    rows.filter(has_text="¶ 23").get_by_role("link").first.click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("paragraph 23")
    assert "Overdue" in page.locator(".status").first.inner_text()
    assert "at its thirty-ninth regular session" in page.content()


@pytest.mark.parametrize("url", ["/mandates/?status=overdue", "/es/mandates/?status=overdue"])
def test_phone_sized_screen_shows_rows_as_cards(browser, live_server, transactional_db, url):
    snapshot.default_data()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, bypass_csp=True
    )
    page = context.new_page()
    page.goto(url)
    # No horizontal scrolling of the page on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("table.mandates thead").is_hidden()
    context.close()


def test_phone_sized_screen_compares_two_years_without_scrolling_sideways(
    browser, live_server, transactional_db
):
    snapshot.default_data()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, bypass_csp=True
    )
    page = context.new_page()
    page.goto("/resolutions/ag-res-1548-xxviii-o-98/compare/ag-res-1611-xxix-o-99/")
    assert page.locator("ins").count() > 0 and page.locator("del").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


@pytest.mark.parametrize("url", [f"/resolutions/{SLUG_2289}/", f"/es/resolutions/{SLUG_2289}/"])
def test_phone_sized_resolution_page_needs_no_sideways_scrolling(
    browser, live_server, transactional_db, url
):
    """The longer Spanish words and the language switcher fit a phone too."""
    snapshot.default_data()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, bypass_csp=True
    )
    page = context.new_page()
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_role("button", name="Português").is_visible()
    context.close()


def test_switching_language_keeps_the_filters(page):
    page.goto("/mandates/?status=overdue&as_of=2009-01-01")
    page.get_by_role("button", name="Español").click()
    assert page.url.endswith("/es/mandates/?status=overdue&as_of=2009-01-01")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Mandatos"
    assert "Vencido" in page.locator(".status").first.inner_text()
    # Remembered: the English address now leads to the Spanish page.
    page.goto("/organs/")
    assert page.url.endswith("/es/organs/")
    page.get_by_role("button", name="English").click()
    assert page.url.endswith("/organs/") and "/es/" not in page.url
    assert page.locator("html").get_attribute("lang") == "en"


def test_staff_records_progress_from_the_mandate_page(page, django_user_model):
    from tests.factories import mandate_2289

    django_user_model.objects.create_superuser("clerk", "clerk@example.org", "a-long-password-1")
    m23 = mandate_2289("23")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("clerk")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/mandates/mandate/{m23.pk}/change/")
    # The blank "Progress record" form under the mandate (the first and only extra one).
    inline = page.locator("#progress_records-0")
    inline.locator("#id_progress_records-0-date").fill("2008-05-28")
    inline.locator("#id_progress_records-0-title").fill("Report to the thirty-eighth session")
    inline.get_by_label("at its thirty-eighth regular session").check()
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator("ul.messagelist").inner_text()
    page.goto(f"/resolutions/{SLUG_2289}/23/?as_of=2008-06-10")
    assert "Pending" in page.locator(".status").first.inner_text()
    assert "Report to the thirty-eighth session" in page.content()


MAIN_PAGES = [
    "/",
    "/resolutions/",
    f"/resolutions/{SLUG_2289}/",
    f"/resolutions/{SLUG_2289}/20/",
    "/mandates/?status=overdue",
    "/mandates/?status=foo",
    "/organs/",
    "/organs/CAJP/",
    # Words a delegate can read (issue 14): the definitions every status label links to.
    "/about/status/",
    # The series (issue 16): a partial text and a comparison of two years.
    "/resolutions/ag-res-1611-xxix-o-99/",
    "/resolutions/ag-res-2224-xxxvi-o-06/compare/ag-res-2289-xxxvii-o-07/",
]


# The same checks in Spanish (the other languages share the templates).
SPANISH_PAGES = [
    "/es/",
    f"/es/resolutions/{SLUG_2289}/",
    "/es/mandates/?status=overdue",
    "/es/about/status/",
    "/es/organs/IACHR/",
]


@pytest.mark.parametrize("url", MAIN_PAGES + SPANISH_PAGES)
def test_no_serious_accessibility_violations(page, url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url)
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
