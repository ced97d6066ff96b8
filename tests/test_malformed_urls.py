"""Every public URL, with malformed parameters, answers without a server error.

Routes are enumerated from the URLconf, so that a route added later is walked too. For each
one: the path with valid values, with each parameter replaced by malformed ones (unknown
slugs, injection strings, huge numbers, NUL bytes), and the valid path with malformed query
strings (bad dates, huge or negative pages, unknown choices, very long text).
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from mandates.models import (
    Deadline,
    Document,
    Meeting,
    Organ,
    ProgressRecord,
    Resolution,
    Subscription,
)
from tests import snapshot

SLUG_2289 = "ag-res-2289-xxxvii-o-07"

# Valid values by parameter name (first tried), for routes that need an existing object.
VALID = {
    "slug": SLUG_2289,
    # The comparison's second text: the year before AG/RES. 2289 in its series (issue 16).
    "other_slug": "ag-res-2224-xxxvi-o-06",
    "label": "20.c",
    "acronym": "CAJP",
    "key": "CAJP",
    "pk": "1",
}

MALFORMED_SEGMENTS = [
    "no-such-thing",
    "999",
    "0",
    "-1",
    "99999999999999999999",
    "x" * 300,
    "<script>alert(1)</script>",
    "' OR 1=1--",
    "../../etc/passwd",
    "%00",
    "null",
    "I/A Court H.R.",
    "é漢字",
]

MALFORMED_QUERIES = [
    "as_of=2008-13-45",
    "as_of=99999-01-01",
    "as_of=0000-00-00",
    "as_of=%27%20OR%201%3D1--",
    "as_of=",
    "as_of=2008-02-30&as_of=2009-01-01",
    "since=2008-13-45",
    "since=99999-01-01",
    "since=2030-01-01",
    "page=-1",
    "page=0",
    "page=99999999999999999999",
    "page=abc",
    "page=1e9",
    "status=foo",
    "status=met&status=overdue",
    "organ=%3Cscript%3E",
    "organ=I%2FA%20Court%20H.R.",
    "resolution=..%2F..%2Fetc%2Fpasswd",
    "resolution=%27%3B%20DROP%20TABLE%20mandates_mandate%3B--",
    "due_after=null",
    "due_before=2008-02-30",
    "due_after=2010-01-01&due_before=2000-01-01",
    "q=" + "x" * 5000,
    "q=%25%27%22%5C",
    "q=%00",
    "as_of=%00",
    "format=xml&callback=alert",
    "%ff%fe=%c3%28",
]


def public_routes():
    """(name, route) for every route outside the admin, followed through includes."""
    routes = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith(("admin", "^admin")):
                    continue
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                # The language switcher only takes POSTs (tests/test_languages.py walks its
                # malformed forms).
                if pattern.name != "switch_language":
                    routes.append((pattern.name or route, route))

    walk(get_resolver().url_patterns)
    return routes


ROUTES = public_routes()
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def fill(route: str, values: dict[str, str]) -> str:
    def value(match):
        return quote(
            values.get(match["name"], "x"), safe="/%" if match["converter"] == "path" else "%"
        )

    path = PARAM.sub(value, route.lstrip("^").rstrip("$"))
    return "/" + path


def valid_values(route: str) -> dict[str, str]:
    """Values naming existing objects, for the route's kind of object."""
    values = dict(VALID)
    meeting = Meeting.objects.first()
    if route.startswith("meetings/") and meeting is not None:
        values["slug"] = meeting.slug
    document = Document.objects.first()
    if document is not None:
        values["pk"] = str(document.pk)
    # The API: /api/v1/meetings/<slug>/, /api/v1/deadlines/<pk>/, /api/v1/progress-records/<pk>/.
    if route.startswith("api/v1/meetings/") and meeting is not None:
        values["slug"] = meeting.slug
    # Follow pages (mandates/follow.py): signed links to a subscription of the default data.
    if route.startswith(("follow/confirm/", "follow/stop/")):
        from django.core import signing

        from mandates import follow

        subscription, _created = Subscription.objects.get_or_create(
            email="walker@example.org", resolution=Resolution.objects.first()
        )
        if route.startswith("follow/confirm/"):
            data = {"s": subscription.pk, "e": subscription.email}
            values["token"] = signing.dumps(data, salt=follow.CONFIRM_SALT)
        else:
            values["token"] = signing.dumps(subscription.pk, salt=follow.UNSUBSCRIBE_SALT)
    for prefix, model in (
        ("api/v1/deadlines/", Deadline),
        ("api/v1/progress-records/", ProgressRecord),
    ):
        if route.startswith(prefix) and model.objects.exists():
            values["pk"] = str(model.objects.first().pk)
    return values


def urls_for(route: str) -> list[str]:
    names = [m["name"] for m in PARAM.finditer(route)]
    known = valid_values(route)
    valid = {name: known.get(name, "x") for name in names}
    base = fill(route, valid)
    urls = [base]
    for name in names:
        for segment in MALFORMED_SEGMENTS:
            urls.append(fill(route, {**valid, name: segment}))
    urls += [f"{base}?{query}" for query in MALFORMED_QUERIES]
    return urls


@pytest.fixture
def data(db, monkeypatch, settings, tmp_path):
    snapshot.default_data()
    settings.MEDIA_ROOT = tmp_path
    record = ProgressRecord.objects.first()
    document = Document(
        progress_record=record, original_name="a.pdf", content_type="application/pdf", size=9
    )
    document.file.save("x", ContentFile(b"%PDF-1.4\n"), save=True)
    committee = Organ.objects.get(acronym="CAJP")
    meeting = Meeting.objects.create(
        committee=committee, date=datetime.date(2008, 3, 6), title="Regular meeting"
    )
    meeting.resolutions.set(Resolution.objects.all())
    # Parameters are what is walked here: the PDF views build and render their HTML as usual,
    # but WeasyPrint's layout (seconds per PDF, tested in test_pdf.py) is skipped.
    monkeypatch.setattr("mandates.pdf.render_pdf", lambda html: b"%PDF-1.7\n%stub\n", raising=False)


def test_the_walk_covers_the_public_pages():
    names = {name for name, _route in ROUTES}
    expected = {
        "home",
        "resolution_list",
        "resolution_detail",
        "mandate_detail",
        "mandate_list",
        "organ_list",
        "organ_detail",
        "document_download",
        "feed_progress",
        "feed_resolution_progress",
        "feed_organ_progress",
        "ical_deadlines",
        "ical_resolution_deadlines",
        "ical_organ_deadlines",
    }
    assert expected <= names


@pytest.mark.django_db
@pytest.mark.parametrize("name, route", ROUTES, ids=[name for name, _ in ROUTES])
def test_no_server_error_on_malformed_parameters(data, name, route):
    client = Client(raise_request_exception=False)
    urls = urls_for(route)
    # The well-formed address works, so that the malformed ones are tried on a real page.
    assert client.get(urls[0]).status_code == 200, urls[0]
    failures = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url[:200]}")
    assert failures == []
