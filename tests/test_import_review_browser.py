"""The import review in a real browser (issue 11 point 5): it fits a 390 px phone, passes axe,
and "Add a deadline" adds a row in place when script runs."""

import pytest

from mandates.models import Session
from tests import snapshot
from tests.shared_paths import SEEDS
from tests.test_browser import CHROMIUM, browser  # noqa: F401 (fixture)
from tests.test_browser_phone import HEIGHT, OVERFLOW, WIDTH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not __import__("os").path.exists(CHROMIUM) and not __import__("os").environ.get("CI"),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
]


def review_page(browser, live_server, django_user_model, width):  # noqa: F811
    snapshot.default_data(["organs.json", "sessions.json"])
    # A session the text names and the directory lacks: its form shows beside ¶20.c.
    Session.objects.filter(ordinal=39, kind="regular").delete()
    django_user_model.objects.create_superuser("clerk", "clerk@example.org", "a-long-password-1")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": HEIGHT}
    )
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("clerk")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/mandates/resolution/import/")
    page.locator("#id_text").fill(SEEDS.joinpath("ag-res-2289-xxxvii-o-07.txt").read_text("utf-8"))
    page.locator("form input[type=submit]").last.click()
    page.wait_for_selector("fieldset.import-deadline")
    return context, page


def test_the_review_fits_a_phone_and_passes_axe(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    django_user_model,
):
    from axe_playwright_python.sync_playwright import Axe

    context, page = review_page(browser, live_server, django_user_model, WIDTH)
    try:
        assert page.locator("#new-session-regular-39").is_visible()
        scroll_width, wide = page.evaluate(OVERFLOW)
        assert scroll_width <= WIDTH, wide
        results = Axe().run(page, context="#content-main")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == []
    finally:
        context.close()


def test_add_a_deadline_adds_a_row_in_place(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    django_user_model,
):
    context, page = review_page(browser, live_server, django_user_model, 1280)
    try:
        paragraph = page.locator(".import-deadlines").filter(
            has=page.locator("input[name='form-25-dl-0-wording']")
        )
        before = paragraph.locator("fieldset.import-deadline").count()
        paragraph.get_by_role("button", name="Add a deadline to ¶23").click()
        assert paragraph.locator("fieldset.import-deadline").count() == before + 1
        assert page.locator(f"input[name='form-25-dl-{before}-wording']").input_value() == ""
        assert page.locator("input[name='form-25-deadline_count']").input_value() == str(before + 1)
    finally:
        context.close()
