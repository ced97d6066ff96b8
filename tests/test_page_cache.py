"""Whole-page cache keyed by the data version: never stale, validators, conditional requests."""

import datetime

import pytest
from django.db import transaction
from django.test import Client, override_settings

from mandates.models import DataVersion, ProgressRecord
from tests.trust_helpers import SLUG_2289, mandate

PAGE = f"/resolutions/{SLUG_2289}/"


@pytest.fixture
def client(default_data):
    return Client()


def test_second_request_is_served_from_the_cache_with_the_same_validators(client):
    first = client.get(PAGE)
    second = client.get(PAGE)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == second["Last-Modified"]
    assert "no-cache" in second["Cache-Control"]


def test_a_write_is_visible_on_the_very_next_request(client):
    before = client.get(PAGE)
    assert "Report on the special meeting held" not in before.content.decode()
    version = DataVersion.current()
    ProgressRecord.objects.create(
        mandate=mandate("14"),
        date=datetime.date(2008, 4, 29),
        title="Report on the special meeting held",
    )
    assert DataVersion.current()[0] > version[0]
    after = client.get(PAGE)
    assert after["X-Page-Cache"] == "miss"
    assert "Report on the special meeting held" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_a_rolled_back_write_does_not_move_the_version(client):
    version = DataVersion.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        ProgressRecord.objects.create(
            mandate=mandate("14"), date=datetime.date(2008, 4, 29), title="x"
        )
        raise RuntimeError
    assert DataVersion.current() == version


def test_conditional_requests_get_304_without_a_body(client):
    first = client.get(PAGE)
    again = client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(PAGE, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    mandate("14").deadlines.first().save()  # any write: the page may have changed
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_as_of_and_url_make_different_entries(client):
    today = client.get(PAGE)
    past = client.get(PAGE + "?as_of=2008-07-01")
    assert past["X-Page-Cache"] == "miss"
    assert today["ETag"] != past["ETag"]
    assert "July 1, 2008" in past.content.decode() or "1 July 2008" in past.content.decode()


def test_staff_pages_are_never_shared(client, staff_user):
    client.force_login(staff_user)
    for _ in range(2):
        response = client.get(PAGE)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


@override_settings(PAGE_CACHE=False)
def test_page_cache_off_renders_every_time_but_keeps_validators(client):
    first, second = client.get(PAGE), client.get(PAGE)
    assert "X-Page-Cache" not in second
    assert first["ETag"] == second["ETag"]
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_pdf_summaries_are_cached_the_same_way(client):
    url = f"/resolutions/{SLUG_2289}/summary.pdf?as_of=2008-07-01"
    first, second = client.get(url), client.get(url)
    assert first["Content-Type"] == "application/pdf"
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    assert second["Content-Disposition"] == first["Content-Disposition"]


def test_errors_and_admin_are_not_cached(client):
    assert "X-Page-Cache" not in client.get("/resolutions/no-such-resolution/")
    assert "X-Page-Cache" not in client.get("/admin/login/")
