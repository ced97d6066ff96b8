"""Reviewing the import of a long resolution: a draft on the server, reviewed in pages of 50,
never losing a correction, never more than Django's 1,000 fields in one request."""

import re

import pytest
from django.conf import settings
from pytest_django.asserts import assertContains

from mandates.models import Mandate, Resolution

IMPORT_URL = "/admin/mandates/resolution/import/"
COUNT = 230  # about 5 fields a paragraph: far above 1,000 fields in one form


def long_resolution(count=COUNT) -> str:
    paragraphs = "\n".join(
        f"{n}. To request the Permanent Council to consider matter number {n}."
        for n in range(1, count + 1)
    )
    return (
        "AG/RES. 2700 (XLI-O/11)\nTHE LONG RESOLUTION\n"
        "(Adopted at the fourth plenary session, held on June 7, 2011)\n"
        "THE GENERAL ASSEMBLY,\nRECALLING its previous resolutions;\nRESOLVES:\n" + paragraphs
    )


def page_data(response, **changes) -> dict:
    """What the browser posts back from a review page, with some entries changed."""
    html = response.content.decode()
    data = {"step": "save"}
    for name in ("draft", "page"):
        data[name] = re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
    for field in response.context["resolution_form"]:
        value = field.value()
        if value not in (None, False, ""):
            data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    formset = response.context["formset"]
    management = formset.management_form
    for name in management.fields:
        data[management.add_prefix(name)] = management[name].value()
    for form in formset.forms:
        for sub in [form, *form.deadline_forms]:
            for field in sub:
                value = field.value()
                if value not in (None, False, ""):
                    data[field.html_name] = value
    data.update(changes)
    assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return data


@pytest.fixture
def review(client, staff_user, default_data):
    client.force_login(staff_user)
    response = client.post(IMPORT_URL, {"step": "parse", "text": long_resolution()})
    assert response.status_code == 200
    return response


def test_a_long_resolution_is_reviewed_in_pages_and_every_correction_kept(client, review):
    assertContains(review, f"Paragraphs 1–50 of {COUNT} (page 1 of 5)")
    assert len(review.context["formset"].initial_forms) == 50

    # Page 1: correct ¶4, go to page 2.
    page2 = client.post(
        IMPORT_URL, page_data(review, **{"form-3-text": "CORRECTED paragraph 4.", "goto": "1"})
    )
    assertContains(page2, f"Paragraphs 51–100 of {COUNT} (page 2 of 5)")
    assert page2.context["formset"].forms[0]["label"].value() == "51"

    # Page 2: a mistake keeps the reviewer on the page, with the message and his entry.
    refused = client.post(
        IMPORT_URL, page_data(page2, **{"form-0-organs": "PC, WIDGETS", "goto": "2"})
    )
    assertContains(refused, "Not in the organ directory: WIDGETS.")
    assertContains(refused, "Paragraphs 51–100")
    fixed = client.post(IMPORT_URL, page_data(refused, **{"form-0-organs": "GS", "goto": "0"}))

    # Back on page 1, the correction made there is still in the form.
    assertContains(fixed, "Paragraphs 1–50")
    assert fixed.context["formset"].forms[3]["text"].value() == "CORRECTED paragraph 4."

    saved = client.post(IMPORT_URL, page_data(fixed))
    assert saved.status_code == 302
    resolution = Resolution.objects.get(symbol="AG/RES. 2700 (XLI-O/11)")
    assert resolution.mandates.count() == COUNT  # not 1,000, not the first page only
    assert Mandate.objects.get(resolution=resolution, label="4").text == "CORRECTED paragraph 4."
    assert list(
        Mandate.objects.get(resolution=resolution, label="51").organs.values_list(
            "acronym", flat=True
        )
    ) == ["GS"]


def test_saving_with_a_mistake_on_another_page_opens_that_page(client, review):
    page3 = client.post(IMPORT_URL, page_data(review, goto="2"))
    with_mistake = page_data(
        page3,
        **{
            "form-4-deadline_count": "1",
            "form-4-dl-0-precision": "day",
            "form-4-dl-0-date": "next year",
            "form-4-dl-0-wording": "soon",
        },
    )
    # The page is stored as it is, mistake included, when the reviewer moves on.
    with_mistake.pop("goto", None)
    back = client.post(IMPORT_URL, {**with_mistake, "goto": "0"})
    assertContains(back, "Paragraphs 101–150")  # refused to leave a page with a mistake
    response = client.post(IMPORT_URL, page_data(back))  # "Save" from there
    assertContains(response, "Paragraphs 101–150")
    assertContains(response, "“next year” is not a date of this form")
    assert not Resolution.objects.filter(symbol="AG/RES. 2700 (XLI-O/11)").exists()


def test_a_deleted_paragraph_on_a_later_page_is_left_out(client, review):
    page5 = client.post(IMPORT_URL, page_data(review, goto="4"))
    assertContains(page5, f"Paragraphs 201–{COUNT}")
    last = len(page5.context["formset"].initial_forms) - 1
    saved = client.post(IMPORT_URL, page_data(page5, **{f"form-{last}-DELETE": "on"}))
    assert saved.status_code == 302
    resolution = Resolution.objects.get(symbol="AG/RES. 2700 (XLI-O/11)")
    assert resolution.mandates.count() == COUNT - 1
    assert not resolution.mandates.filter(label=str(COUNT)).exists()


def test_a_review_whose_draft_is_gone_says_so(client, review):
    data = page_data(review, draft="0" * 32)
    response = client.post(IMPORT_URL, data, follow=True)
    assertContains(response, "This review is no longer available")
