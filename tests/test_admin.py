"""The secretariat records progress in the admin, and the public status follows."""

import datetime

import pytest
from pytest_django.asserts import assertContains

from .factories import SLUG_2289, deadline_of, mandate_2289

pytestmark = pytest.mark.usefixtures("default_data")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_mandate_admin_lists_status_and_filters_overdue(staff_client):
    response = staff_client.get("/admin/mandates/mandate/?status=overdue")
    assertContains(response, "AG/RES. 2289 (XXXVII-O/07) ¶20.c")
    assertContains(response, '<span class="status status-overdue">Overdue</span>', count=7)
    assertContains(response, "7 mandates")


def test_recording_a_report_changes_the_public_status(staff_client, client):
    m23 = mandate_2289("23")
    url = f"/resolutions/{SLUG_2289}/23/?as_of=2008-06-10"
    assertContains(client.get(url), "⚠ </span>Overdue")
    response = staff_client.post(
        "/admin/mandates/progressrecord/add/",
        {
            "mandate": m23.pk,
            "date": "2008-05-28",
            "date_precision": "day",
            "kind": "report",
            "title": "Report of the Permanent Council to the 38th session",
            "document_symbol": "AG/doc.4850/08",
            "fulfils": [deadline_of("23", "thirty-eighth").pk],
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(url)
    assertContains(page, "○ </span>Pending")
    assertContains(page, "Report of the Permanent Council to the 38th session")
    assertContains(page, "fulfilled on May 28, 2008")
    record = m23.progress_records.get()
    assert record.created_by.username == "editor"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": "2007-01-01"}, "before AG/RES. 2289 (XXXVII-O/07) was adopted on 2007-06-05"),
        ({"fulfils": "OTHER"}, "is a deadline of another paragraph"),
    ],
)
def test_progress_validation_messages(staff_client, data, message):
    post = {
        "mandate": mandate_2289("23").pk,
        "date": "2008-05-28",
        "date_precision": "day",
        "kind": "report",
        "title": "A report",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    } | data
    if post.get("fulfils") == "OTHER":
        post["fulfils"] = [deadline_of("11", "biennium").pk]
    response = staff_client.post("/admin/mandates/progressrecord/add/", post)
    assertContains(response, message)
    assert not mandate_2289("23").progress_records.exists()


def test_deadline_inline_refuses_a_date_before_adoption(staff_client):
    m23 = mandate_2289("23")
    response = staff_client.get(f"/admin/mandates/mandate/{m23.pk}/change/")
    assertContains(response, "Status today")
    assertContains(response, "Progress records")
    assertContains(response, "at its thirty-eighth regular session")
    assert datetime.date(2007, 6, 5) == m23.resolution.adopted_on


def test_resolution_list_offers_import_from_text(staff_client):
    response = staff_client.get("/admin/mandates/resolution/")
    assertContains(response, 'href="/admin/mandates/resolution/import/"')
    assertContains(response, "Import from text")
    assert staff_client.get("/admin/mandates/resolution/import/").status_code == 200


def test_meeting_admin_links_its_pdf(staff_client):
    from mandates.models import Meeting, Organ

    meeting = Meeting.objects.create(
        committee=Organ.objects.get(acronym="CAJP"), date=datetime.date(2008, 4, 10), title="x"
    )
    response = staff_client.get(f"/admin/mandates/meeting/{meeting.pk}/change/")
    assertContains(response, f"/meetings/{meeting.slug}/summary.pdf")
