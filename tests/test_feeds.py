"""Atom feeds of progress and status changes; iCalendar feeds of deadlines."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.template import TemplateSyntaxError, engines, loader
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from mandates.models import Deadline, ProgressRecord
from tests import snapshot
from tests.trust_helpers import SLUG_2289, mandate

ATOM = "{http://www.w3.org/2005/Atom}"
SANTIAGO = "santiago-plan-of-action-migrant-workers"


@pytest.fixture
def data(db):
    snapshot.default_data()


def atom(url):
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed):
    return [
        {
            "id": e.findtext(f"{ATOM}id"),
            "title": e.findtext(f"{ATOM}title"),
            "link": e.find(f"{ATOM}link").get("href"),
            "updated": e.findtext(f"{ATOM}updated"),
        }
        for e in feed.findall(f"{ATOM}entry")
    ]


def calendar(url):
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(b"".join(response.streaming_content))


@pytest.mark.django_db
def test_overall_feed_has_progress_and_status_changes(data):
    feed = atom(reverse("feed_progress"))
    assert feed.findtext(f"{ATOM}title").endswith("progress and status changes")
    items = entries(feed)
    assert 0 < len(items) <= 50
    ids = [i["id"] for i in items]
    assert len(set(ids)) == len(ids)
    assert any("/progress/" in i for i in ids)
    # AG/RES. 2289 ¶14's June 30, 2008 deadline passed unfulfilled: overdue from July 1.
    missed = [i for i in items if "deadline missed" in i["title"] and "¶14" in i["title"]]
    assert missed and any(i["updated"].startswith("2008-07-01") for i in missed)
    assert all(i["link"].startswith("http://testserver/resolutions/") for i in items)
    # Newest first.
    days = [i["updated"][:10] for i in items if "/deadline/" in i["id"]]
    assert days == sorted(days, reverse=True)


@pytest.mark.django_db
def test_a_fulfilling_record_makes_a_met_event(data):
    target = mandate("14")
    deadline = Deadline.objects.get(mandate=target, due=datetime.date(2009, 6, 30))
    record = ProgressRecord.objects.create(
        mandate=target, date=datetime.date(2009, 5, 15), title="Second CAJP meeting held"
    )
    record.fulfils.add(deadline)
    items = entries(atom(reverse("feed_resolution_progress", args=[SLUG_2289])))
    titles = [i["title"] for i in items]
    assert any("deadline met" in t and "¶14" in t for t in titles)
    assert any("Second CAJP meeting held" in t for t in titles)
    assert not any("deadline missed" in t and "first half of 2009" in t for t in titles)


@pytest.mark.django_db
def test_resolution_and_organ_feeds_are_scoped(data):
    items = entries(atom(reverse("feed_resolution_progress", args=[SANTIAGO])))
    assert items and all(SANTIAGO in i["link"] for i in items)
    items = entries(atom(reverse("feed_organ_progress", args=["CAJP"])))
    assert items and all(i["link"].endswith(("/14/", "/16/")) for i in items)
    # Organs under an organ count: the CAJP's ¶14 is in the Permanent Council's feed.
    items = entries(atom(reverse("feed_organ_progress", args=["PC"])))
    assert any(i["link"].endswith("/14/") for i in items)
    assert Client().get("/feeds/resolutions/no-such-thing/progress.atom").status_code == 404
    assert Client().get("/feeds/organs/NOPE/progress.atom").status_code == 404


@pytest.mark.django_db
def test_feeds_are_announced_and_linked_on_the_pages(data):
    client = Client()
    home = client.get("/").content.decode()
    assert 'type="application/atom+xml"' in home and reverse("feed_progress") in home
    page = client.get(f"/resolutions/{SLUG_2289}/").content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert reverse("feed_resolution_progress", args=[SLUG_2289]) in page
    assert reverse("ical_resolution_deadlines", args=[SLUG_2289]) in page
    page = client.get("/organs/CAJP/").content.decode()
    assert reverse("feed_organ_progress", args=["CAJP"]) in page
    assert reverse("ical_organ_deadlines", args=["CAJP"]) in page


def _head_feeds(html: str) -> list[str]:
    head = html.split("</head>")[0]
    return re.findall(r'<link rel="alternate" type="[^"]+" title="[^"]*" href="([^"]+)">', head)


@pytest.mark.django_db
def test_a_page_announces_its_own_feeds_then_the_sites(data):
    """The layout (templates/jinja2/_layout.html) writes a page's feeds and then the site's,
    whether the page is Jinja2 (the resolution page) or DTL (an organ's page); the outage
    page, which has none, writes none."""
    site = [reverse("feed_progress"), reverse("ical_deadlines")]
    client = Client()
    assert _head_feeds(client.get("/").content.decode()) == site
    resolution = client.get(f"/resolutions/{SLUG_2289}/").content.decode()
    assert _head_feeds(resolution) == [
        reverse("feed_resolution_progress", args=[SLUG_2289]),
        reverse("ical_resolution_deadlines", args=[SLUG_2289]),
        *site,
    ]
    assert "<title>AG/RES. 2289 (XXXVII-O/07) · Mandate Tracker</title>" in resolution
    organ = client.get("/organs/CAJP/").content.decode()
    assert _head_feeds(organ) == [
        reverse("feed_organ_progress", args=["CAJP"]),
        reverse("ical_organ_deadlines", args=["CAJP"]),
        *site,
    ]
    outage = loader.render_to_string("503.html", {"retry_after": 30})
    assert _head_feeds(outage) == []
    assert "<title>Temporarily unavailable · Mandate Tracker</title>" in outage


def test_a_layout_slot_must_be_one_the_layout_has():
    with pytest.raises(TemplateSyntaxError, match="takes one of title, description"):
        engines["django"].from_string(
            '{% load tracker %}{% layout %}{% slot "sidebar" %}x{% endslot %}{% endlayout %}'
        )


@pytest.mark.django_db
@time_machine.travel(datetime.date(2008, 1, 15))
def test_icalendar_feed_is_valid_with_stable_uids(data):
    cal = calendar(reverse("ical_deadlines"))
    assert str(cal["VERSION"]) == "2.0"
    assert "Mandate Tracker" in str(cal["PRODID"])
    events = cal.walk("VEVENT")
    dated = Deadline.objects.filter(due__isnull=False)
    assert len(events) == dated.count() > 0
    for event in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert prop in event
        assert isinstance(event.decoded("DTSTART"), datetime.date)
        assert not isinstance(event.decoded("DTSTART"), datetime.datetime)
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert str(event["URL"]).startswith("http://testserver/resolutions/")
    by_uid = {str(e["UID"]): e for e in events}
    deadline = Deadline.objects.get(mandate=mandate("14"), due=datetime.date(2008, 6, 30))
    event = by_uid[f"deadline-{deadline.pk}@testserver"]
    assert str(event["SUMMARY"]) == "AG/RES. 2289 (XXXVII-O/07) ¶14: in the first half of 2008"
    assert event.decoded("DTSTART") == datetime.date(2008, 6, 30)
    assert "CAJP" in str(event["DESCRIPTION"])
    # The same deadline has the same UID in the resolution's and the organ's calendars.
    for url in (
        reverse("ical_resolution_deadlines", args=[SLUG_2289]),
        reverse("ical_organ_deadlines", args=["CAJP"]),
    ):
        uids = {str(e["UID"]) for e in calendar(url).walk("VEVENT")}
        assert f"deadline-{deadline.pk}@testserver" in uids


@pytest.mark.django_db
@time_machine.travel(datetime.date(2008, 1, 15))
def test_icalendar_raw_text_follows_rfc5545(data):
    raw = b"".join(Client().get(reverse("ical_deadlines")).streaming_content)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line  # folded at 75 octets
    assert b"DTSTART;VALUE=DATE:2008" in raw


@pytest.mark.django_db
def test_calendars_cover_a_year_back_and_onward_except_a_resolutions(data):
    """Today (2026) every AG/RES. 2289 deadline is years old: the all-deadlines and organ
    calendars leave them out, the resolution's own calendar keeps them all."""
    assert calendar(reverse("ical_deadlines")).walk("VEVENT") == []
    assert calendar(reverse("ical_organ_deadlines", args=["CAJP"])).walk("VEVENT") == []
    events = calendar(reverse("ical_resolution_deadlines", args=[SLUG_2289])).walk("VEVENT")
    dated = Deadline.objects.filter(mandate__resolution__slug=SLUG_2289, due__isnull=False)
    assert len(events) == dated.count() > 0
    deadline = dated.first()
    deadline.due_on, deadline.session = datetime.date.today() - datetime.timedelta(days=300), None
    deadline.save()
    events = calendar(reverse("ical_deadlines")).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"deadline-{deadline.pk}@testserver"]


@pytest.mark.django_db
@time_machine.travel(datetime.date(2008, 1, 15))
def test_scoped_calendars(data):
    events = calendar(reverse("ical_organ_deadlines", args=["CAJP"])).walk("VEVENT")
    assert {str(e["SUMMARY"]).split(":")[0] for e in events} == {"AG/RES. 2289 (XXXVII-O/07) ¶14"}
    assert calendar(reverse("ical_resolution_deadlines", args=[SANTIAGO])).walk("VEVENT") == []
    assert Client().get("/feeds/organs/NOPE/deadlines.ics").status_code == 404
