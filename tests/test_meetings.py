"""CAJP meetings: public pages, the meeting pack PDF and its "changes since the previous
meeting" section."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from mandates.meetings import admin_pdf_links
from mandates.models import Mandate, Meeting, Organ, ProgressRecord, Resolution
from mandates.pdf import meeting_changes

SLUG = "ag-res-2289-xxxvii-o-07"
SANTIAGO = "santiago-plan-of-action-migrant-workers"
# Between January 15 and July 10, 2008 these pass with nothing fulfilling them: "in the first
# half of 2008" (¶14, June 30) and the 38th regular session (¶15, ¶20.c, ¶23, June 1).
BECOME_OVERDUE = {"14", "15", "20", "20.c", "23"}


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def make_meeting(date, title, symbol="", resolutions=(SLUG,), committee="CAJP"):
    meeting = Meeting.objects.create(
        committee=Organ.objects.get(acronym=committee),
        date=date,
        title=title,
        document_symbol=symbol,
    )
    meeting.resolutions.set(Resolution.objects.filter(slug__in=resolutions))
    return meeting


def record(label, date, title, symbol="", completes=False, slug=SLUG):
    mandate = Mandate.objects.get(resolution__slug=slug, label=label)
    return ProgressRecord.objects.create(
        mandate=mandate,
        date=date,
        title=title,
        document_symbol=symbol,
        completes_mandate=completes,
    )


@pytest.fixture
def two_meetings(default_data):
    first = make_meeting(
        datetime.date(2008, 1, 15), "Regular meeting, January 2008", "CP/CAJP-2550/08"
    )
    second = make_meeting(
        datetime.date(2008, 7, 10), "Regular meeting, July 2008", "CP/CAJP-2456/07"
    )
    # ¶16 has no deadline: a record completing it between the meetings makes it met.
    record(
        "16", datetime.date(2008, 3, 4), "Dialogue with member states held", "CP/CAJP-2580/08", True
    )
    record("18", datetime.date(2008, 1, 10), "Dissemination before the first meeting")
    record("19", datetime.date(2008, 7, 11), "Report after the second meeting")
    # On the meeting date itself: counted ("up to and including this meeting's date").
    record("21", datetime.date(2008, 7, 10), "Contributions announced on the day", "CP/doc.4321/08")
    return first, second


@pytest.mark.django_db
def test_changes_between_two_meetings(two_meetings):
    first, second = two_meetings
    changes = meeting_changes(second)
    assert changes.previous == first
    moved = {c.mandate.label: (c.before, c.after) for c in changes.status_changes}
    assert moved == {label: ("Pending", "Overdue") for label in BECOME_OVERDUE} | {
        "16": ("Pending", "Met")
    }
    assert [p.title for p in changes.progress] == [
        "Dialogue with member states held",
        "Contributions announced on the day",
    ]
    assert meeting_changes(first).previous is None


@pytest.mark.django_db
def test_meeting_pack_pdf(client, two_meetings):
    _first, second = two_meetings
    response = client.get(f"/meetings/{second.slug}/summary.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # The meeting's date is in its name (and is the as-of date).
    assert "2008-07-10" in second.slug
    assert response["Content-Disposition"] == (
        f'inline; filename="{second.slug}-meeting-summary.pdf"'
    )
    text = pdf_text(response.content)
    assert "CP/CAJP-2456/07" in text
    # The OAS document header: the council and the committee, the series and the symbol.
    assert "PERMANENT COUNCIL" in text and "COMMITTEE ON JURIDICAL AND POLITICAL AFFAIRS" in text
    assert "OEA/Ser.G" in text
    assert "Committee on Juridical and Political Affairs" in text
    assert "Regular meeting, July 2008" in text
    assert "July 10, 2008" in text
    assert "AG/RES. 2289 (XXXVII-O/07)" in text
    assert "Page 1 of" in text
    changes = section(text, "Changes since the previous meeting", "Progress recorded in between")
    assert "Regular meeting, January 2008" in changes
    assert "January 15, 2008" in changes
    labels = set(re.findall(r"¶(\d+(?:\.\w+)?)", changes))
    assert labels == BECOME_OVERDUE | {"16"}
    assert "Pending" in changes and "Overdue" in changes and "Met" in changes
    progress = section(text, "Progress recorded in between", "Adopted June 5, 2007")
    assert "Dialogue with member states held" in progress
    assert "CP/CAJP-2580/08" in progress
    assert "March 4, 2008" in progress
    assert "Contributions announced on the day" in progress
    assert "before the first meeting" not in progress
    assert "after the second meeting" not in text  # dated after the meeting: not yet
    # The pack itself is as of the meeting date: all 26 rows, counted by paragraph; the
    # 11 paragraphs that are not tracked (2 declaratory, 9 calling on states) counted apart.
    assert re.search(
        r"Overdue\s+Pending\s+Met\s+Declaratory —\s+no follow-up\s+Calls on\s+states — not"
        r"\s+tracked\s+Total\s+4\s+7\s+1\s+2\s+9\s+23",
        text,
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert "CAJP" in reader.metadata.title
    assert reader.trailer["/Root"]["/Lang"] == "en"


@pytest.mark.django_db
def test_first_meeting_says_there_is_no_previous_meeting(client, two_meetings):
    first, _second = two_meetings
    text = pdf_text(client.get(f"/meetings/{first.slug}/summary.pdf").content)
    changes = text[text.index("Changes since the previous meeting") :]
    assert "There is no previous meeting" in changes
    assert "January 15, 2008" in text


@pytest.mark.django_db
def test_other_committees_meetings_are_not_previous(two_meetings):
    _first, second = two_meetings
    make_meeting(datetime.date(2008, 6, 1), "CAAP budget meeting", committee="CAAP")
    assert meeting_changes(second).previous.title == "Regular meeting, January 2008"


@pytest.mark.django_db
def test_meeting_pdf_is_as_of_the_meeting_date_and_takes_paper(client, two_meetings):
    _first, second = two_meetings
    url = f"/meetings/{second.slug}/summary.pdf"
    response = client.get(f"{url}?as_of=2030-01-01&paper=letter")
    assert response.status_code == 200
    assert "2008-07-10" in response["Content-Disposition"]
    box = PdfReader(io.BytesIO(response.content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    bad = client.get(f"{url}?paper=A3")
    assert bad.status_code == 400
    assert "“paper” must be “a4” or “letter”" in bad.content.decode()
    assert client.get("/meetings/no-such-meeting/summary.pdf").status_code == 404


@pytest.mark.django_db
def test_meeting_with_nothing_on_its_agenda(client, default_data):
    meeting = make_meeting(datetime.date(2009, 2, 1), "Organizational meeting", resolutions=())
    text = pdf_text(client.get(f"/meetings/{meeting.slug}/summary.pdf").content)
    assert "No mandate matches this selection" in text
    assert "Total" not in text  # one line, not a page of zeros


@pytest.mark.django_db
def test_resolution_not_yet_adopted_at_the_previous_meeting(two_meetings):
    _first, second = two_meetings
    third = make_meeting(datetime.date(2008, 9, 1), "September 2008", resolutions=(SLUG, SANTIAGO))
    assert meeting_changes(third).previous == second
    Resolution.objects.filter(slug=SANTIAGO).update(adopted_on=datetime.date(2008, 8, 1))
    changes = meeting_changes(third)
    santiago = [c for c in changes.status_changes if c.mandate.resolution.slug == SANTIAGO]
    assert santiago and all(c.before == "" for c in santiago)


@pytest.mark.django_db
def test_meeting_pages(client, two_meetings):
    first, second = two_meetings
    body = client.get("/meetings/").content.decode()
    assert "Regular meeting, July 2008" in body
    assert "CP/CAJP-2456/07" in body
    assert f"/meetings/{second.slug}/" in body
    assert f"/meetings/{second.slug}/summary.pdf" in body
    response = client.get(second.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Changes since the previous meeting" in body
    assert f"/meetings/{second.slug}/summary.pdf" in body
    assert f"/meetings/{second.slug}/summary.pdf?paper=letter" in body
    assert first.get_absolute_url() in body
    assert "Dialogue with member states held" in body
    counts = response.context["counts"]
    assert {k: counts[k] for k in ("pending", "met", "overdue", "untracked", "total")} == {
        "pending": 7,
        "met": 1,
        "overdue": 4,
        "untracked": 11,
        "total": 23,
    }
    body = client.get(first.get_absolute_url()).content.decode()
    assert "There is no previous meeting" in body
    assert client.get("/meetings/nope/").status_code == 404


@pytest.mark.django_db
def test_admin_pdf_links(two_meetings):
    _first, second = two_meetings
    html = admin_pdf_links(second)
    assert f'href="/meetings/{second.slug}/summary.pdf"' in html
    assert f'href="/meetings/{second.slug}/summary.pdf?paper=letter"' in html
    assert "Save the meeting first" in admin_pdf_links(Meeting())
