"""A database outage: 503 pages with Retry-After, nothing half-saved, recovery without a restart."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from mandates.models import Mandate, ProgressRecord
from tests import ops_support
from tests.ops_support import AppServer, Browser, acknowledged


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/resolutions/", "/mandates/?status=overdue&as_of=2010-01-01", "/organs/"]
)
def test_public_pages_answer_503_with_a_friendly_page(client, path):
    with connection.execute_wrapper(refuse_every_query):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assertContains(response, "The tracker is briefly unavailable", status_code=503)
    assertContains(response, "try again in a minute", status_code=503)
    assertNotContains(response, "OperationalError", status_code=503)
    assertNotContains(response, "127.0.0.1", status_code=503)


@pytest.mark.django_db
def test_an_admin_write_cut_off_midway_changes_nothing_and_says_so(
    client, staff_user, default_data
):
    mandate = Mandate.objects.order_by("pk").first()
    client.force_login(staff_user)
    before = ProgressRecord.objects.count()

    def cut_at_history(execute, sql, params, many, context):
        # The record's row is written; the connection dies before its history row.
        if sql.startswith("INSERT") and "historicalprogressrecord" in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    data = {
        "mandate": mandate.pk,
        "date": "2009-05-01",
        "date_precision": "day",
        "kind": "report",
        "title": "Report cut off by the outage",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    with connection.execute_wrapper(cut_at_history):
        response = client.post("/admin/mandates/progressrecord/add/", data)
    assert response.status_code == 503
    assertContains(response, "Nothing was saved.", status_code=503)
    assertContains(response, "submit it again in a minute", status_code=503)
    assert ProgressRecord.objects.count() == before
    assert not ProgressRecord.objects.filter(title="Report cut off by the outage").exists()


class FailingSessionSave:
    """A middleware whose own work (after the view) meets the outage, like a session save."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise OperationalError("terminating connection due to administrator command")


@pytest.mark.django_db
def test_an_outage_met_outside_the_view_is_a_503_too(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_outage.FailingSessionSave"]
    response = Client(raise_request_exception=False).get("/organs/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assertContains(response, "briefly unavailable", status_code=503)


class FailingBug:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise ZeroDivisionError


@pytest.mark.django_db
def test_other_errors_keep_the_plain_500_page(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_outage.FailingBug"]
    response = Client(raise_request_exception=False).get("/organs/")
    assert response.status_code == 500
    assertContains(response, "Something went wrong on our side", status_code=500)
    assert "Retry-After" not in response


# --- A real PostgreSQL stopped and started under a real gunicorn ---------------------------


PUBLIC_PAGES = [
    "/",
    "/resolutions/",
    "/resolutions/ag-res-2289-xxxvii-o-07/",
    "/mandates/?status=overdue&as_of=2005-06-30",
    "/organs/",
    "/feeds/progress.atom",
]


def count_records(pg, title_like="%"):
    return int(
        pg.psql(
            "SELECT count(*) FROM mandates_progressrecord WHERE title LIKE "
            + "'" + title_like.replace("'", "''") + "'",
            "mandates",
        )
    )  # fmt: skip


@pytest.mark.postgres_server
def test_a_real_outage_under_gunicorn_and_recovery_without_restart(private_stack):
    pg = private_stack.pg
    app = AppServer(private_stack.env).start()
    try:
        visitor, staff = Browser(app.base), Browser(app.base)
        staff.login(*private_stack.staff)
        for path in PUBLIC_PAGES:
            assert visitor.get(path).status == 200, path
        mandate_id = int(pg.psql("SELECT min(id) FROM mandates_mandate", "mandates"))
        form = staff.progress_record_form(mandate_id, "Report sent during the outage", "2009-05-01")
        records_before = count_records(pg)

        # A restart while the worker sits on an idle pooled connection: the first request after
        # it must not be the one that finds the connection dead (CONN_HEALTH_CHECKS).
        pg.stop("fast")
        pg.start()
        assert visitor.get("/resolutions/").status == 200

        pg.stop("fast")
        try:
            for path in PUBLIC_PAGES:
                # A page served before the outage is served again by a worker whose page cache
                # holds it (each worker has its own without REDIS_URL), else the 503 page...
                cached = visitor.get(path)
                assert cached.status in (200, 503), path
                if cached.status == 200:
                    assert cached.header("x-page-cache") == "stale (database unavailable)"
                # ...any other address gets the 503 page.
                path += ("&" if "?" in path else "?") + "as_of=2011-03-04"
                response = visitor.get(path)
                assert response.status == 503, path
                assert response.header("retry-after") == "30"
                assert "The tracker is briefly unavailable" in response.text
                assert "Traceback" not in response.text and "Operational" not in response.text
            refused = staff.post(ops_support.PROGRESS_ADD, form)
            assert refused.status == 503
            assert "Nothing was saved." in refused.text
            assert staff.get("/admin/mandates/mandate/").status == 503
            assert visitor.get("/healthz").status == 200
            ready = visitor.get("/readyz")
            assert ready.status == 503
            assert '"failing": ["database"]' in ready.text
        finally:
            pg.start()

        # Back: the very next requests succeed, same gunicorn process.
        pid_before = app.process.pid
        assert visitor.get("/mandates/?status=overdue&as_of=2005-06-30").status == 200
        assert visitor.get("/readyz").status == 200
        assert count_records(pg) == records_before  # the refused write left nothing
        saved = staff.post(ops_support.PROGRESS_ADD, form)
        assert acknowledged(saved), saved.status
        assert count_records(pg, "Report sent during the outage") == 1
        assert app.process.pid == pid_before and app.process.poll() is None
        assert "Traceback" not in app.log()
    finally:
        app.stop()
