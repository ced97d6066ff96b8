"""The read-only JSON API under /api/v1/: what a client reads, filters, errors, query budgets."""

import datetime

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains

from mandates.models import Mandate, Meeting, Organ, Resolution

from .factories import SLUG_2289, make_record, make_resolution, mandate_2289

pytestmark = pytest.mark.usefixtures("default_data")

TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def get(client, url, status=200):
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_root_lists_every_collection(client):
    data = get(client, "/api/v1/")
    assert set(data) == {
        "organs",
        "resolutions",
        "mandates",
        "deadlines",
        "progress-records",
        "meetings",
    }
    assert data["mandates"] == "http://testserver/api/v1/mandates/"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "organ=PC&status=overdue",
        f"resolution={SLUG_2289}&as_of=2008-06-02&status=overdue",
        "due_after=2008-06-15&due_before=2008-07-15",
        "q=voluntary+fund",
    ],
)
def test_mandates_are_filtered_like_the_page(client, query):
    page = client.get(f"/mandates/?{query}")
    expected = [(m.resolution.symbol, m.label) for m in page.context["page"].object_list]
    data = get(client, f"/api/v1/mandates/?{query}")
    assert data["count"] == page.context["page"].paginator.count
    assert [(m["resolution"], m["label"]) for m in data["results"]] == expected


def test_mandate_status_as_of_any_date(client):
    before = get(client, f"/api/v1/mandates/{SLUG_2289}/20.c/?as_of=2008-01-01")
    after = get(client, f"/api/v1/mandates/{SLUG_2289}/20.c/?as_of=2009-01-01")
    assert before["status"] == "pending"
    assert before["next_due_on"] == "2008-06-01"
    assert after["status"] == "overdue"
    assert after["missed_due_on"] == "2008-06-01"
    assert after["missed_due_wording"] == "prior to the thirty-eighth regular session"
    assert after == {
        **after,
        "resolution": "AG/RES. 2289 (XXXVII-O/07)",
        "resolution_slug": SLUG_2289,
        "label": "20.c",
        "parent": "20",
        "organs": [
            {"key": "IACHR", "acronym": "IACHR", "role": "lead"},
            # ¶20.c asks the IACHR to report to the Permanent Council: a recipient.
            {"key": "PC", "acronym": "PC", "role": "recipient"},
        ],
        "as_of": "2009-01-01",
        "url": f"http://testserver/resolutions/{SLUG_2289}/20.c/?as_of=2009-01-01",
    }
    states = [(d["due_on"], d["state"]) for d in after["deadlines"]]
    assert states == [("2008-06-01", "overdue"), ("2009-06-02", "upcoming")]


def test_latest_progress_respects_as_of(client):
    mandate = mandate_2289("14")
    make_record(mandate, datetime.date(2008, 5, 1), title="First meeting held")
    make_record(mandate, datetime.date(2009, 5, 1), title="Second meeting held")
    data = get(client, f"/api/v1/mandates/{SLUG_2289}/14/?as_of=2008-12-31")
    assert data["latest_progress"]["title"] == "First meeting held"
    data = get(client, f"/api/v1/mandates/{SLUG_2289}/14/?as_of=2008-04-30")
    assert data["latest_progress"] is None


DATE_MESSAGE = "“{}” must be a real date written YYYY-MM-DD."


@pytest.mark.parametrize(
    "url, errors",
    [
        (
            "/api/v1/mandates/?status=foo",
            {"status": ["“foo” is not a status: use pending, met or overdue."]},
        ),
        ("/api/v1/mandates/?as_of=2008-13-45", {"as_of": [DATE_MESSAGE.format("as_of")]}),
        ("/api/v1/mandates/?organ=XYZ", {"organ": ["There is no organ with the acronym “XYZ”."]}),
        ("/api/v1/deadlines/?resolution=nope", {"resolution": ["There is no resolution “nope”."]}),
        (
            "/api/v1/progress-records/?date_after=2008-02-30",
            {"date_after": [DATE_MESSAGE.format("date_after")]},
        ),
    ],
)
def test_bad_parameters_say_what_is_wrong(client, url, errors):
    assert get(client, url, status=400) == errors


def test_unknown_objects_and_pages_are_404(client):
    get(client, f"/api/v1/mandates/{SLUG_2289}/99/", status=404)
    get(client, "/api/v1/resolutions/nope/", status=404)
    get(client, "/api/v1/organs/NOPE/", status=404)
    assert get(client, "/api/v1/mandates/?page=99", status=404) == {"detail": "Invalid page."}


def test_identifiers_are_readable_and_link_to_the_pages(client):
    organ = get(client, "/api/v1/organs/I/A%20Court%20H.R./")
    # What the organ is, in each language (fixtures/organs.json).
    assert organ.pop("description").startswith(
        "The Inter-American Court of Human Rights is an autonomous judicial institution"
    )
    assert organ.pop("description_es").startswith("La Corte Interamericana de Derechos Humanos")
    assert organ.pop("description_fr").startswith("La Cour interaméricaine des droits de l'homme")
    assert organ.pop("description_pt").startswith("A Corte Interamericana de Direitos Humanos")
    assert organ == {
        "key": "I/A Court H.R.",
        "acronym": "I/A Court H.R.",
        "name": "Inter-American Court of Human Rights",
        "kind": "agency",
        "parent": None,
        "url": "http://testserver/organs/I/A%20Court%20H.R./",
    }
    assert get(client, "/api/v1/organs/CAJP/")["parent"] == "PC"
    resolution = get(client, f"/api/v1/resolutions/{SLUG_2289}/")
    assert resolution["symbol"] == "AG/RES. 2289 (XXXVII-O/07)"
    assert resolution["adopted_on"] == "2007-06-05"
    assert resolution["url"] == f"http://testserver/resolutions/{SLUG_2289}/"
    assert client.get(f"/resolutions/{SLUG_2289}/").status_code == 200


def test_deadlines_progress_records_and_meetings(client):
    deadlines = get(client, f"/api/v1/deadlines/?resolution={SLUG_2289}&as_of=2009-01-01")
    by_label = {(d["label"], d["due_on"]): d for d in deadlines["results"]}
    assert by_label[("20.c", "2008-06-01")]["state"] == "overdue"
    assert by_label[("20.c", "2009-06-02")]["state"] == "upcoming"
    assert by_label[("20.c", "2008-06-01")]["session"].startswith("Thirty-eighth regular session")
    later = get(client, "/api/v1/deadlines/?organ=CAJP&due_after=2009-01-01")
    assert [(d["label"], d["due_on"]) for d in later["results"]] == [("14", "2009-06-30")]

    deadline = mandate_2289("14").deadlines.get(due_on=datetime.date(2008, 6, 30))
    record = make_record(
        mandate_2289("14"), datetime.date(2008, 3, 6), fulfils=[deadline], title="CAJP meeting"
    )
    records = get(client, "/api/v1/progress-records/?organ=CAJP&date_after=2008-01-01")
    assert [(r["id"], r["label"], r["title"], r["fulfils"]) for r in records["results"]] == [
        (record.pk, "14", "CAJP meeting", [deadline.pk])
    ]
    assert get(client, "/api/v1/progress-records/?kind=decision")["count"] == (
        record.__class__.objects.filter(kind="decision").count()
    )

    meeting = Meeting.objects.create(
        committee=Organ.objects.get(acronym="CAJP"),
        date=datetime.date(2008, 3, 6),
        title="Special meeting on migrant workers",
        document_symbol="CP/CAJP-2456/07",
    )
    meeting.resolutions.set([Resolution.objects.get(slug=SLUG_2289)])
    meetings = get(client, f"/api/v1/meetings/?committee=CAJP&resolution={SLUG_2289}")
    assert meetings["results"] == [
        {
            "slug": meeting.slug,
            "committee": "CAJP",
            "date": "2008-03-06",
            "title": "Special meeting on migrant workers",
            "document_symbol": "CP/CAJP-2456/07",
            "resolutions": ["AG/RES. 2289 (XXXVII-O/07)"],
            "url": f"http://testserver/meetings/{meeting.slug}/",
            "summary_pdf": f"http://testserver/meetings/{meeting.slug}/summary.pdf",
        }
    ]


def test_lists_are_paginated(client):
    make_resolution(60, symbol="AG/RES. 9200 (XL-O/10)")
    first = get(client, "/api/v1/mandates/?resolution=ag-res-9200-xl-o-10")
    assert first["count"] == 60
    assert len(first["results"]) == 50
    assert (
        first["next"] == "http://testserver/api/v1/mandates/?page=2&resolution=ag-res-9200-xl-o-10"
    )
    second = get(client, first["next"])
    assert [m["label"] for m in second["results"]] == [str(n) for n in range(51, 61)]


def test_read_only_for_everybody(client, admin_client):
    url = f"/api/v1/mandates/{SLUG_2289}/1/"
    before = Mandate.objects.get(resolution__slug=SLUG_2289, label="1").text
    for c in (client, admin_client):
        assert c.post("/api/v1/mandates/", {"label": "x"}).status_code == 405
        assert c.put(url, {"text": "changed"}, content_type="application/json").status_code == 405
        assert c.patch(url, {"text": "x"}, content_type="application/json").status_code == 405
        assert c.delete(url).status_code == 405
        assert c.delete("/api/v1/organs/CAJP/").status_code == 405
    assert Mandate.objects.get(resolution__slug=SLUG_2289, label="1").text == before
    assert Organ.objects.filter(acronym="CAJP").exists()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/mandates/?as_of=2009-01-01",
        "/api/v1/deadlines/",
        "/api/v1/progress-records/",
        "/api/v1/resolutions/",
        "/api/v1/organs/",
        "/api/v1/meetings/",
    ],
)
def test_query_count_does_not_grow_with_the_rows(client, url):
    def add_rows(n):
        resolution = make_resolution(
            15, symbol=f"AG/RES. {9300 + n} (XL-O/10)", deadline=datetime.date(2011, 1, 1)
        )
        for mandate in resolution.mandates.all():
            make_record(mandate, datetime.date(2010, 7, 1), fulfils=mandate.deadlines.all())
        meeting = Meeting.objects.create(
            committee=Organ.objects.get(acronym="CAJP"),
            date=datetime.date(2010, 9, n + 1),
            title="Meeting",
        )
        meeting.resolutions.set([resolution])

    add_rows(0)  # at least one row of each kind, so that every prefetch runs
    small = count_queries(client, url)
    for n in range(1, 4):
        add_rows(n)
    assert count_queries(client, url) == small


def test_mandate_list_query_budget(client, django_assert_num_queries):
    # the data version (page cache), count, rows (with status, resolution and parent joined),
    # then the page's organs, deadlines (with state and session) and progress records as of
    # the date.
    with django_assert_num_queries(6):
        get(client, "/api/v1/mandates/?as_of=2009-01-01")


def test_schema_and_documentation_pages(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/mandates/" in schema["paths"]
    assert "/api/v1/mandates/{slug}/{label}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/mandates/"]["get"]["parameters"]}
    assert parameters == {
        "as_of",
        "due_after",
        "due_before",
        "kind",
        "level",
        "organ",
        "organization",
        "page",
        "q",
        "resolution",
        "sort",
        "status",
        "tracked",
    }
    docs = client.get("/api/v1/docs/")
    assertContains(docs, "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert "cdn" not in docs.content.decode().lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    browsable = client.get("/api/v1/mandates/?status=overdue", HTTP_ACCEPT="text/html")
    assertContains(browsable, "Mandates with their status as of a date (`as_of`")
    assertContains(browsable, "&quot;status&quot;: &quot;overdue&quot;")


def test_footer_links_to_the_api(client):
    response = client.get("/")
    assertContains(response, '<a href="/api/v1/">Open data: the API</a>')
    assertContains(response, '<a href="/api/v1/docs/">API documentation</a>')
