"""Recording progress for one mandate (issue 11, point 4): the paragraph shown read-only, only
its own deadlines offered, a month entered as a month, a document attached, nothing saved on
bad input, and the new status with its reason once saved."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains

from mandates.models import Deadline, Document, ProgressRecord
from tests.factories import SLUG_2289, deadline_of, mandate_2289
from tests.trust_helpers import FOCAL_POINTS, logged_in, make_user

pytestmark = pytest.mark.usefixtures("default_data")

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def written(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def page_url(label: str) -> str:
    return f"/admin/mandates/mandate/{mandate_2289(label).pk}/record-progress/"


def offered_deadlines(response) -> list[int]:
    html = response.content.decode()
    return sorted(int(pk) for pk in re.findall(r'name="fulfils" value="(\d+)"', html))


def text_of(response) -> str:
    """What the user reads: tags dropped, spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def post_data(**fields):
    data = {"date_precision": "day", "kind": "report", "title": "Report presented"}
    data.update(fields)
    return data


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def nothing_saved():
    return ProgressRecord.objects.count(), Document.objects.count()


# --- What the page shows and offers -------------------------------------------------------


def test_page_shows_the_mandate_read_only_with_its_deadlines_dates_and_state(staff_client):
    response = staff_client.get(page_url("14"))
    text = text_of(response)
    assert mandate_2289("14").text[:60] in text
    assert "Committee on Juridical and Political Affairs" in text  # who must act, spelt out
    first = deadline_of("14", "first half of 2008")
    assert f"in the first half of 2008 {written(first.due)} overdue" in text
    # Read-only: the paragraph's text is no input.
    assertNotContains(response, 'name="text"')


def test_form_offers_only_this_mandates_deadlines(staff_client):
    response = staff_client.get(page_url("14"))
    expected = sorted(mandate_2289("14").deadlines.values_list("pk", flat=True))
    assert offered_deadlines(response) == expected and len(expected) == 2
    assertNotContains(response, "thirty-eighth regular session")  # ¶15's, ¶20.c's, ¶23's
    # The label says which paragraph, when it is due and its state today.
    due = written(deadline_of("14", "first half of 2008").due)
    assertContains(response, f"¶14 — “in the first half of 2008” — due {due} — overdue")


def test_a_paragraph_offers_its_sub_paragraphs_deadlines(staff_client):
    response = staff_client.get(page_url("20"))
    expected = sorted(
        Deadline.objects.filter(mandate__parent=mandate_2289("20")).values_list("pk", flat=True)
    )
    assert offered_deadlines(response) == expected and len(expected) == 2
    assertContains(response, "¶20.c — “prior to the thirty-eighth regular session”")


def test_another_mandates_deadline_is_refused_and_nothing_is_saved(staff_client):
    before = nothing_saved()
    foreign = deadline_of("15", "thirty-eighth")
    response = staff_client.post(page_url("14"), post_data(day="2008-04-29", fulfils=[foreign.pk]))
    assert response.status_code == 200
    assertContains(response, "Nothing was saved")
    assertContains(response, f"Select a valid choice. {foreign.pk} is not one of the available")
    assert nothing_saved() == before


# --- Bad input: says why, changes nothing ------------------------------------------------


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"day": ""}, "Give the day (YYYY-MM-DD), or choose “Month only”."),
        ({"date_precision": "month", "month": "2008-13"}, "“2008-13” is not a month"),
        ({"date_precision": "month", "month": ""}, "Give the month (YYYY-MM)."),
        ({"day": "29/04/2008"}, "Enter a valid date."),
        ({"day": "2007-01-10"}, "before AG/RES. 2289 (XXXVII-O/07) was adopted on 2007-06-05"),
        ({"date_precision": "month", "month": "2007-03"}, "before AG/RES. 2289"),
        ({"day": "2999-01-01"}, "is after today: record progress once it has happened."),
        ({"day": "2008-04-29", "title": ""}, "This field is required."),
    ],
)
def test_bad_input_says_why_and_changes_nothing(staff_client, fields, message):
    before = nothing_saved()
    first = deadline_of("14", "first half of 2008")
    response = staff_client.post(page_url("14"), post_data(fulfils=[first.pk], **fields))
    assert response.status_code == 200
    assertContains(response, "Nothing was saved")
    assertContains(response, message)
    assert nothing_saved() == before
    assert Deadline.objects.get(pk=first.pk).first_fulfilled_on is None


def test_a_file_that_is_not_an_accepted_document_changes_nothing(staff_client, media):
    before = nothing_saved()
    first = deadline_of("14", "first half of 2008")
    upload = SimpleUploadedFile("report.pdf", b"just some text, not a PDF")
    response = staff_client.post(
        page_url("14"), post_data(day="2008-04-29", fulfils=[first.pk], document=upload)
    )
    assertContains(response, "“report.pdf” is a plain text file, whatever its name says.")
    assert nothing_saved() == before
    assert not any(path.is_file() for path in media.rglob("*"))


def test_deadlines_of_two_sub_paragraphs_are_recorded_one_paragraph_at_a_time(staff_client):
    extra = Deadline.objects.create(
        mandate=mandate_2289("20.a"),
        wording="by the end of 2008",
        due_on=datetime.date(2008, 12, 31),
    )
    before = nothing_saved()
    own = deadline_of("20.c", "thirty-eighth")
    response = staff_client.post(
        page_url("20"), post_data(day="2008-04-29", fulfils=[extra.pk, own.pk])
    )
    assertContains(
        response,
        "These deadlines belong to different paragraphs (¶20.a, ¶20.c): record progress for "
        "one paragraph at a time.",
    )
    assert nothing_saved() == before


def test_a_failure_while_saving_leaves_no_half_record(staff_client, media, monkeypatch):
    before = nothing_saved()
    first = deadline_of("14", "first half of 2008")

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Document, "save", broken_save)
    upload = SimpleUploadedFile("report.pdf", PDF_BYTES)
    with pytest.raises(RuntimeError):
        staff_client.post(
            page_url("14"), post_data(day="2008-04-29", fulfils=[first.pk], document=upload)
        )
    assert nothing_saved() == before
    assert Deadline.objects.get(pk=first.pk).first_fulfilled_on is None


# --- Saved: the new status and why -------------------------------------------------------


def test_saving_says_the_new_status_and_why(staff_client, staff_user, media):
    paragraph = mandate_2289("14")
    deadlines = list(paragraph.deadlines.all())
    upload = SimpleUploadedFile("CP-doc-4300.pdf", PDF_BYTES)
    response = staff_client.post(
        page_url("14"),
        post_data(
            day="2008-04-29",
            fulfils=[d.pk for d in deadlines],
            document_symbol="CP/doc.4300/08",
            document=upload,
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page_url("14")
    assertContains(response, f"¶14 is now met: fulfilled {written(datetime.date(2008, 4, 29))}.")
    record = ProgressRecord.objects.get(mandate=paragraph, document_symbol="CP/doc.4300/08")
    assert record.date == datetime.date(2008, 4, 29) and record.date_precision == "day"
    assert record.created_by == staff_user
    assert sorted(d.pk for d in record.fulfils.all()) == sorted(d.pk for d in deadlines)
    (document,) = record.documents.all()
    assert document.original_name == "CP-doc-4300.pdf" and document.uploaded_by == staff_user
    # The public page agrees.
    public = Client().get(f"/resolutions/{SLUG_2289}/14/")
    assertContains(public, "Met")


def test_a_month_is_entered_as_a_month_and_the_sub_paragraph_gets_the_record(staff_client):
    first = deadline_of("20.c", "thirty-eighth")
    response = staff_client.post(
        page_url("20"),
        post_data(date_precision="month", month="2008-04", fulfils=[first.pk]),
        follow=True,
    )
    record = ProgressRecord.objects.get(fulfils=first)
    assert record.mandate == mandate_2289("20.c")
    assert (record.date, record.date_precision) == (datetime.date(2008, 4, 30), "month")
    second = deadline_of("20.c", "thirty-ninth")
    due = written(second.due)
    text = text_of(response)
    assert (
        f"¶20.c is still overdue: “prior to the thirty-ninth regular session” was due {due}" in text
    )
    assert f"¶20 is still overdue because ¶20.c missed {due}" in text


def test_a_record_that_does_not_change_the_status_says_so(staff_client):
    first = deadline_of("14", "first half of 2008")
    response = staff_client.post(
        page_url("14"), post_data(day="2008-04-29", fulfils=[first.pk]), follow=True
    )
    due = written(deadline_of("14", "first half of 2009").due)
    assertContains(response, f"¶14 is still overdue: “in the first half of 2009” was due {due} (")
    # The deadline now reads as fulfilled in the page's table.
    assertContains(response, f"fulfilled on {written(datetime.date(2008, 4, 29))}")


# --- Who may use it, and where it is linked from --------------------------------------------


def test_staff_without_the_permission_are_refused(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="a-long-password-1")
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.set(Permission.objects.filter(codename="view_mandate"))
    client.force_login(viewer)
    assert client.get(page_url("14")).status_code == 403
    before = nothing_saved()
    client.post(page_url("14"), post_data(day="2008-04-29"))
    assert nothing_saved() == before
    assertNotContains(client.get(f"/resolutions/{SLUG_2289}/14/"), "Record progress")


def test_a_focal_point_records_only_for_his_organs_paragraphs():
    iachr = logged_in(Client(), make_user("iachr", FOCAL_POINTS, organs=["IACHR"]))
    assert iachr.get(page_url("14")).status_code == 403  # the CAJP's
    response = iachr.get(page_url("20"))
    assert offered_deadlines(response) == sorted(
        mandate_2289("20.c").deadlines.values_list("pk", flat=True)
    )


def test_record_progress_is_linked_from_the_public_page_and_the_admin(client, staff_user):
    url = f"/resolutions/{SLUG_2289}/14/"
    assertNotContains(client.get(url), "Record progress")
    client.force_login(staff_user)
    link = page_url("14")
    assertContains(client.get(url), f'href="{link}">Record progress</a>')
    change = client.get(f"/admin/mandates/mandate/{mandate_2289('14').pk}/change/")
    assertContains(change, f'href="{link}" class="addlink">Record progress</a>')
    listing = client.get("/admin/mandates/mandate/", {"q": "2289 14"})
    assertContains(listing, f'<a href="{link}">Record progress</a>')
