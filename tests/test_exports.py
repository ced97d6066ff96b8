"""Open data: /mandates/export.csv|json and the same for one resolution and one organ."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from pytest_django.asserts import assertContains

from mandates import exports
from mandates.exports import CSV_COLUMNS
from mandates.models import Mandate

from .factories import SLUG_2289, make_resolution

pytestmark = pytest.mark.usefixtures("default_data")

TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def body(response) -> str:
    assert response.streaming, "exports are streamed"
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body(response))))


def page_labels(client, query: str) -> list[tuple[str, str]]:
    page = client.get(f"/mandates/?{query}")
    assert not page.context["page"].has_other_pages()  # the default data fits one page
    return [(m.resolution.symbol, m.label) for m in page.context["page"].object_list]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=overdue",
        "organ=PC&status=overdue",
        f"resolution={SLUG_2289}&as_of=2008-06-02&status=overdue",
        "due_after=2008-06-15&due_before=2008-07-15",
        "q=voluntary+fund",
        "q=2289&as_of=2009-01-01",
    ],
)
def test_list_exports_have_the_rows_of_the_page_in_its_order(client, query):
    expected = page_labels(client, query)
    rows = csv_rows(client.get(f"/mandates/export.csv?{query}"))
    assert [(r["resolution"], r["label"]) for r in rows] == expected
    data = json.loads(body(client.get(f"/mandates/export.json?{query}")))
    assert [(m["resolution"], m["label"]) for m in data["mandates"]] == expected


def test_csv_row_says_what_the_page_says(client):
    response = client.get(f"/mandates/export.csv?resolution={SLUG_2289}&as_of=2009-01-01")
    assert response["Content-Disposition"] == (
        'attachment; filename="mandates-as-of-2009-01-01.csv"'
    )
    rows = {r["label"]: r for r in csv_rows(response)}
    assert list(rows["20.c"]) == CSV_COLUMNS
    row = rows["20.c"]
    assert row["resolution"] == "AG/RES. 2289 (XXXVII-O/07)"
    assert row["parent"] == "20"
    assert row["text"].startswith("Presenting to the Permanent Council a report")
    # ¶20.c: the IACHR presents a report to the Permanent Council, which only receives it.
    assert (row["lead_organs"], row["supporting_organs"], row["reports_to"]) == ("IACHR", "", "PC")
    assert row["as_of"] == "2009-01-01"
    assert row["status"] == "overdue"
    assert row["met_late"] == "no"
    assert (row["missed_due_on"], row["next_due_on"]) == ("2008-06-01", "2009-06-02")
    assert row["missed_due_wording"] == "prior to the thirty-eighth regular session"
    assert "2008-06-01: prior to the thirty-eighth regular session (overdue)" in row["deadlines"]
    assert row["url"] == (f"http://testserver/resolutions/{SLUG_2289}/20.c/?as_of=2009-01-01")


def test_json_export_is_the_api_shape_with_its_parameters(client):
    response = client.get(f"/resolutions/{SLUG_2289}/export.json?as_of=2008-07-01")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{SLUG_2289}-as-of-2008-07-01.json"'
    )
    data = json.loads(body(response))
    assert data["as_of"] == "2008-07-01"
    assert data["parameters"] == {"as_of": "2008-07-01", "resolution": SLUG_2289}
    assert len(data["mandates"]) == Mandate.objects.filter(resolution__slug=SLUG_2289).count()
    by_label = {m["label"]: m for m in data["mandates"]}
    api = client.get(f"/api/v1/mandates/{SLUG_2289}/14/?as_of=2008-07-01").json()
    assert by_label["14"] == api
    assert by_label["14"]["status"] == "overdue"
    assert by_label["14"]["organs"] == [{"key": "CAJP", "acronym": "CAJP", "role": "lead"}]


def test_resolution_and_organ_exports_match_their_pages(client):
    page = client.get(f"/resolutions/{SLUG_2289}/?as_of=2008-06-02")
    expected = [m.label for m in page.context["mandates"]]
    rows = csv_rows(client.get(f"/resolutions/{SLUG_2289}/export.csv?as_of=2008-06-02"))
    assert [r["label"] for r in rows] == expected
    assert {r["status"] for r in rows} >= {"overdue", "pending"}

    page = client.get("/organs/PC/?as_of=2009-01-01")
    expected = [(m.resolution.symbol, m.label) for m in page.context["mandates"]]
    rows = csv_rows(client.get("/organs/PC/export.csv?as_of=2009-01-01"))
    assert [(r["resolution"], r["label"]) for r in rows] == expected
    assert expected  # the PC has mandates (its own and the CAJP's)
    # An acronym with a slash and spaces still routes to the export, not to the organ page.
    response = client.get("/organs/I/A%20Court%20H.R./export.json")
    assert response["Content-Disposition"].endswith('filename="ia-court-hr-as-of-2026-11-22.json"')
    assert json.loads(body(response))["parameters"] == {"organ": "I/A Court H.R."}


def test_pages_link_to_their_exports_with_filters_and_date(client):
    response = client.get("/mandates/?status=overdue&organ=CAJP&page=1")
    assertContains(response, 'href="/mandates/export.csv?status=overdue&amp;organ=CAJP"')
    assertContains(response, 'href="/mandates/export.json?status=overdue&amp;organ=CAJP"')
    response = client.get(f"/resolutions/{SLUG_2289}/?as_of=2008-01-01")
    assertContains(response, f'href="/resolutions/{SLUG_2289}/export.csv?as_of=2008-01-01"')
    assertContains(response, f'href="/resolutions/{SLUG_2289}/export.json?as_of=2008-01-01"')
    response = client.get("/organs/I/A%20Court%20H.R./?as_of=2008-01-01")
    assertContains(response, 'href="/organs/I/A%20Court%20H.R./export.csv?as_of=2008-01-01"')


@pytest.mark.parametrize(
    "query, message",
    [
        ("status=foo", "“foo” is not a status: use pending, met or overdue."),
        ("as_of=2008-13-45", "“as_of” must be a real date written YYYY-MM-DD."),
        ("organ=XYZ", "There is no organ with the acronym “XYZ”."),
        ("resolution=nope", "There is no resolution “nope”."),
        ("due_before=2008-02-30", "“due_before” must be a real date written YYYY-MM-DD."),
    ],
)
def test_bad_parameters_are_refused_with_the_pages_message(client, query, message):
    response = client.get(f"/mandates/export.csv?{query}")
    assert response.status_code == 400
    assert response.content.decode() == message + "\n"
    response = client.get(f"/mandates/export.json?{query}")
    assert response.status_code == 400
    assert response.json() == {"errors": [message]}
    page = client.get(f"/mandates/?{query}")
    assertContains(page, message, status_code=400)


def test_unknown_resolution_or_organ_is_404(client):
    assert client.get("/resolutions/nope/export.csv").status_code == 404
    response = client.get("/organs/NOPE/export.json")
    assertContains(response, "There is no organ with the acronym “NOPE”.", status_code=404)


def test_exports_stream_in_chunks_with_a_fixed_number_of_queries(
    client, monkeypatch, django_assert_num_queries
):
    """Each chunk: the rows (one server-side cursor fetch), then their organs, deadlines and
    progress records: 3 queries a chunk after the first statement, whatever the row count."""
    make_resolution(25, symbol="AG/RES. 9100 (XL-O/10)", deadline=datetime.date(2011, 1, 1))
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)
    url = "/mandates/export.csv?resolution=ag-res-9100-xl-o-10"
    # Data version (page cache), resolution lookup (filter validation), then the cursor, then
    # 3 chunks × 3 prefetches.
    with django_assert_num_queries(1 + 1 + 1 + 3 * 3):
        rows = csv_rows(client.get(url))
    assert len(rows) == 25
    assert {r["status"] for r in rows} == {"overdue"}
    make_resolution(5, symbol="AG/RES. 9101 (XL-O/10)")
    url = "/mandates/export.json?resolution=ag-res-9101-xl-o-10"
    with django_assert_num_queries(1 + 1 + 1 + 1 * 3):
        assert len(json.loads(body(client.get(url)))["mandates"]) == 5
