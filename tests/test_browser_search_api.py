"""In Debian's Chromium: the header search box, and the API documentation page under the
site's real Content-Security-Policy (no CDN, no inline script)."""

import os
import shutil

import pytest

from tests import snapshot

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

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
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server, transactional_db):
    snapshot.default_data()
    # The Content-Security-Policy is enforced here (bypass_csp left off).
    context = browser.new_context(base_url=live_server.url)
    yield context
    context.close()


def test_search_from_the_header_of_any_page(context):
    page = context.new_page()
    page.goto("/organs/CAJP/")
    box = page.get_by_role("search").get_by_label("Search mandates")
    box.fill("voluntary fund")
    box.press("Enter")
    assert "/mandates/?q=voluntary+fund" in page.url
    first_row = page.locator("table.mandates tbody tr").first
    assert "¶\xa021" in first_row.inner_text()
    assert "… states; permanent observers" in first_row.inner_text()
    marks = first_row.locator("mark").all_inner_texts()
    assert {m.lower() for m in marks} >= {"voluntary", "fund"}
    # The box keeps the words, so that they can be refined.
    assert page.get_by_role("search").get_by_label("Search mandates").input_value() == (
        "voluntary fund"
    )


def test_header_search_fits_a_phone(browser, live_server, transactional_db):
    snapshot.default_data()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto("/mandates/?q=migrant")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_role("search").get_by_label("Search mandates").is_visible()
    context.close()


def test_api_documentation_runs_under_the_content_security_policy(context, live_server):
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text and "script" in message.text
            else None
        ),
    )
    external = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )
    page.goto("/api/v1/docs/")
    page.locator(".swagger-ui .info .title").wait_for(timeout=20000)
    assert "Mandate Tracker API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-summary-path", has_text="/api/v1/mandates/").first.wait_for()
    assert violations == []
    assert external == []


def test_browsable_api_page(context):
    page = context.new_page()
    page.goto("/api/v1/mandates/?status=overdue")
    assert page.get_by_role("heading", name="Mandate List").is_visible()
    assert '"status": "overdue"' in page.locator(".response-info").inner_text()
