"""What an outside test broke, each fixed: hostile text, labels, stale inline rows, uploads,
long symbols, hand-made admin URLs, lock-outs behind a proxy, CSS in PDF headers, iCalendar."""

import datetime
import re
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.core.management import call_command
from django.test import Client, RequestFactory
from pytest_django.asserts import assertContains

from mandates.client_ip import client_ip
from mandates.models import Deadline, Mandate, Meeting, Organ, ProgressRecord, Resolution
from mandates.pdf_render import css_string
from mandates.text import clean_control_characters
from tests.trust_helpers import (
    EDITORS,
    FOCAL_POINTS,
    PASSWORD,
    SLUG_2289,
    admin_url,
    error_text,
    form_post_data,
    logged_in,
    make_user,
    mandate,
)


@pytest.fixture
def editor(default_data):
    return make_user("secretary", EDITORS)


# --- Control characters ------------------------------------------------------------------


def test_control_characters_are_cleaned_and_line_breaks_kept():
    assert clean_control_characters("one\x0btwo\r\nthree\x07\x00four") == "one\ntwo\nthreefour"


@pytest.mark.django_db
def test_a_vertical_tab_in_a_summary_no_longer_breaks_the_atom_feed(default_data, client):
    # Saved before input cleaning existed (or by another path): output must still be valid.
    ProgressRecord.objects.create(
        mandate=mandate("14"),
        date=datetime.date(2008, 5, 2),
        title="Report\x0bpasted",
        summary="First line\x0bsecond line\x1ddone",
    )
    for path in ("/feeds/progress.atom", f"/feeds/resolutions/{SLUG_2289}/progress.atom"):
        response = client.get(path)
        assert response.status_code == 200
        feed = ET.fromstring(response.content)  # well-formed XML
        text = ET.tostring(feed, encoding="unicode")
        assert "First line" in text and "second line" in text and "Report" in text
        assert "\x0b" not in response.content.decode()


@pytest.mark.django_db
def test_the_admin_cleans_control_characters_on_input(editor):
    client = logged_in(Client(), editor)
    url = admin_url(ProgressRecord, "add")
    page = client.get(url)
    data = form_post_data(page)
    data.update(
        mandate=str(mandate("14").pk),
        date="2008-05-02",
        kind="report",
        title="Annual\x0breport",
        summary="Line one\x0bLine two",
        document_symbol="CP/doc.\x0c4088/06",
    )
    response = client.post(url, data)
    assert response.status_code == 302, error_text(response)
    record = ProgressRecord.objects.get(mandate=mandate("14"), date="2008-05-02")
    assert record.title == "Annual report"
    assert record.summary == "Line one\nLine two"
    assert record.document_symbol == "CP/doc. 4088/06"


# --- Labels with "/" -----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_url_survives_a_stored_label_with_a_slash(default_data, client):
    Mandate.objects.filter(pk=mandate("14").pk).update(label="14/bis")
    paragraph = Mandate.objects.get(label="14/bis")
    link = f"/resolutions/{SLUG_2289}/14/bis/"
    assert paragraph.get_absolute_url() == link
    assertContains(client.get("/mandates/"), f'href="{link}?as_of=')
    assertContains(client.get(f"/resolutions/{SLUG_2289}/"), f'href="{link}')
    assertContains(client.get(link), "14/bis")
    assert client.get(f"/resolutions/{SLUG_2289}/summary.pdf").status_code == 200
    make_user("cajp", FOCAL_POINTS, organs=["CAJP"])
    call_command(
        "send_deadline_reminders", "--as-of", "2008-06-20", stdout=StringIO(), stderr=StringIO()
    )
    assert any(link in message.body for message in mail.outbox)


@pytest.mark.django_db
def test_a_label_with_a_slash_is_refused_with_a_message(editor):
    client = logged_in(Client(), editor)
    paragraph = mandate("14")
    url = admin_url(paragraph, "change")
    data = form_post_data(client.get(url))
    data["label"] = "14/bis"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "no “/”, spaces or other signs" in error_text(response)
    assert Mandate.objects.get(pk=paragraph.pk).label == "14"


# --- Responsible-organ rows in the conflict check --------------------------------------------


@pytest.mark.django_db
def test_a_stale_page_does_not_put_back_a_replaced_organ(editor):
    paragraph = mandate("14")
    responsibility = paragraph.responsibilities.first()
    original = responsibility.organ
    client = logged_in(Client(), editor)
    url = admin_url(paragraph, "change")
    stale = form_post_data(client.get(url))  # the page as the first editor opened it

    # Meanwhile another editor replaces the organ.
    replacement = Organ.objects.exclude(pk__in=paragraph.organs.values("pk")).first()
    responsibility.organ = replacement
    responsibility.save()

    stale["text"] = stale["text"] + " (corrected)"
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "Not saved" in error_text(response)
    responsibility.refresh_from_db()
    assert responsibility.organ == replacement != original
    assert "(corrected)" not in Mandate.objects.get(pk=paragraph.pk).text


# --- Uploads limited while the body is read --------------------------------------------------


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_without_being_buffered(editor, settings, monkeypatch):
    settings.DOCUMENT_MAX_BYTES = 1000
    settings.MEDIA_ROOT = settings.BASE_DIR / "media-test-unused"
    buffered = []
    original = MemoryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        buffered.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", spy)
    record = ProgressRecord.objects.create(
        mandate=mandate("14"), date=datetime.date(2008, 5, 2), title="Report"
    )
    client = logged_in(Client(), editor)
    url = admin_url(record, "change")
    data = form_post_data(client.get(url))
    data["documents-TOTAL_FORMS"] = "1"
    big = b"%PDF-1.4\n" + b"0" * 300_000
    data["documents-0-file"] = SimpleUploadedFile("big.pdf", big, "application/pdf")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "files may be at most 1000" in error_text(response)
    assert "big.pdf" in error_text(response)
    assert sum(buffered) <= 1000  # nothing past the limit was kept in memory or on disk
    assert not record.documents.exists()


# --- Long symbols, hand-made admin URLs --------------------------------------------------------


@pytest.mark.django_db
def test_a_symbol_too_long_once_normalised_is_a_form_error(editor):
    client = logged_in(Client(), editor)
    url = admin_url(Resolution, "add")
    data = form_post_data(client.get(url))
    symbol = "AG/RES.2289(XXXVII-O/07)" + "x" * 76  # 100 characters; 102 once normalised
    data.update(kind="ga_resolution", symbol=symbol, title="T", adopted_on="2007-06-05")
    data.update({"mandates-TOTAL_FORMS": "0", "mandates-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "this symbol has 102 characters; at most 100 are allowed" in error_text(response)
    assert not Resolution.objects.filter(title="T").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model, query",
    [
        (Resolution, "adopted_on__year=99999999999999999999"),
        (Resolution, "adopted_on__year=2007&adopted_on__month=13"),
        (ProgressRecord, "date__year=-5"),
        (Meeting, "date__year=2008&date__month=1&date__day=99999999999999"),
    ],
)
def test_impossible_dates_in_the_admin_list_are_dropped_with_a_message(editor, model, query):
    client = logged_in(Client(), editor)
    url = admin_url(model)
    response = client.get(f"{url}?{query}")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assertContains(page, "is not a date in the calendar: showing all dates.")


# --- Lock-out behind the proxy -------------------------------------------------------------


def test_the_client_address_comes_through_the_trusted_proxies_only(settings):
    def ip(forwarded, proxies):
        settings.TRUSTED_PROXY_COUNT = proxies
        request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
        if forwarded is not None:
            request.META["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(request)

    assert ip("203.0.113.9", 0) == "127.0.0.1"  # no proxy trusted: the header is ignored
    assert ip("6.6.6.6, 203.0.113.9", 1) == "203.0.113.9"  # the client cannot choose
    assert ip("6.6.6.6, 203.0.113.9, 10.0.0.2", 2) == "203.0.113.9"
    assert ip("203.0.113.9", 2) == "203.0.113.9"
    assert ip("not-an-address", 1) == "127.0.0.1"
    assert ip(None, 1) == "127.0.0.1"


def login(client, password, address):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "secretary", "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_behind_nginx_a_lock_is_per_username_and_real_address(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = login(attacker, f"wrong-{attempt}", "6.6.6.6, 198.51.100.66")
    assert response.status_code == 429
    # The secretary, at her own address behind the same nginx, logs in.
    response = login(Client(), PASSWORD, "203.0.113.9")
    assert response.status_code == 302


@pytest.mark.django_db
def test_attempts_during_a_lock_do_not_extend_it(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            login(Client(), f"wrong-{attempt}", "203.0.113.9")
        clock.move_to(start + datetime.timedelta(minutes=50))
        assert login(Client(), "wrong-again", "203.0.113.9").status_code == 429
        assert login(Client(), PASSWORD, "203.0.113.9").status_code == 429
        clock.move_to(start + datetime.timedelta(minutes=61))
        assert login(Client(), PASSWORD, "203.0.113.9").status_code == 302


# --- CSS in the PDF running header, iCalendar ------------------------------------------------


def test_every_value_entering_css_is_escaped():
    value = 'CP/CAJP-2550/08\r} @page { @top-left { content: "owned" } } </style><b>'
    escaped = css_string(value)
    inner = escaped[1:-1]
    assert escaped.startswith('"') and escaped.endswith('"')
    assert '"' not in inner and "\r" not in inner and "\n" not in inner
    assert "<" not in inner and ">" not in inner
    assert inner.startswith("CP/CAJP-2550/08\\A ")


@pytest.mark.django_db
def test_a_carriage_return_in_a_meeting_symbol_stays_in_the_header(default_data, client):
    meeting = Meeting.objects.create(
        committee=Organ.objects.get(acronym="CAJP"),
        date=datetime.date(2008, 1, 15),
        title="Regular meeting",
        document_symbol='CP/CAJP-2550/08\r} body { display: none } x { content: "',
    )
    meeting.resolutions.set(Resolution.objects.filter(slug=SLUG_2289))
    response = client.get(f"/meetings/{meeting.slug}/summary.pdf")
    assert response.status_code == 200
    from tests.test_pdf import pdf_text

    text = pdf_text(response.content)
    assert "CP/CAJP-2550/08" in text
    assert "AG/RES. 2289" in text  # the body is still there


@pytest.mark.django_db
def test_a_bare_carriage_return_cannot_break_the_calendar(default_data, client):
    Deadline.objects.filter(pk=mandate("14").deadlines.first().pk).update(
        wording="first half\rBEGIN:VALARM of 2008"
    )
    response = client.get(f"/feeds/resolutions/{SLUG_2289}/deadlines.ics")  # every deadline
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert re.search(rb"\r(?!\n)", content) is None
    assert b"\nBEGIN:VALARM" not in content


@pytest.mark.django_db
def test_the_loader_refuses_a_symbol_too_long_once_normalised(default_data):
    from mandates.loading import LoadError, save_instrument

    data = {
        "kind": "ga_resolution",
        "symbol": "AG/RES.2289(XXXVII-O/07)" + "x" * 76,
        "title": "T",
        "adopted_on": "2007-06-05",
        "paragraphs": [{"label": "1", "text": "To act.", "organs": [], "deadlines": []}],
    }
    with pytest.raises(LoadError, match="the symbol has 102 characters; at most 100"):
        save_instrument(data)
