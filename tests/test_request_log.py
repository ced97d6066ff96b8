"""One structured log line per request, with its id, status, duration, staff user and queries."""

import json
import logging

import pytest

from mandates.log_format import JsonFormatter
from tests.test_settings import manage


def request_lines(caplog):
    return [r for r in caplog.records if r.name == "mandates.request"]


@pytest.mark.django_db
def test_a_public_page_gives_one_line_with_its_id_status_and_queries(client, settings, caplog):
    settings.SLOW_REQUEST_MS = 60_000  # a first request on a busy machine may take a second
    caplog.set_level(logging.INFO, logger="mandates.request")
    response = client.get("/organs/?as_of=2010-01-01")
    (line,) = request_lines(caplog)
    assert line.levelno == logging.INFO
    assert line.method == "GET"
    assert line.path == "/organs/?as_of=2010-01-01"
    assert line.status == 200
    assert line.duration_ms > 0
    assert line.queries >= 1
    assert line.user is None  # anonymous, and the user was never loaded
    assert line.slow is False
    assert len(line.request_id) == 32
    assert response["X-Request-ID"] == line.request_id
    assert "GET /organs/?as_of=2010-01-01 200 " in line.getMessage()


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_a_forged_one_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="mandates.request")
    client.get("/organs/", headers={"X-Request-ID": "nginx-4f2a9c0e11"})
    client.get("/organs/", headers={"X-Request-ID": "bad id\nINFO forged line"})
    kept, replaced = request_lines(caplog)
    assert kept.request_id == "nginx-4f2a9c0e11"
    assert "forged" not in replaced.request_id and len(replaced.request_id) == 32


@pytest.mark.django_db
def test_a_staff_member_is_named(client, staff_user, caplog):
    caplog.set_level(logging.INFO, logger="mandates.request")
    client.force_login(staff_user)
    client.get("/admin/")
    (line,) = request_lines(caplog)
    assert line.user == "editor"
    assert "user=editor" in line.getMessage()


@pytest.mark.django_db
def test_a_slow_request_is_a_warning_with_its_query_count(client, settings, caplog):
    settings.SLOW_REQUEST_MS = 0
    caplog.set_level(logging.INFO, logger="mandates.request")
    client.get("/resolutions/")
    (line,) = request_lines(caplog)
    assert line.levelno == logging.WARNING
    assert line.slow is True
    assert line.queries >= 1
    assert line.getMessage().endswith(" SLOW")


def test_successful_health_probes_are_not_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="mandates.request")
    client.get("/healthz")
    assert request_lines(caplog) == []


def test_the_json_format_carries_the_request_fields():
    record = logging.LogRecord(
        "mandates.request", logging.WARNING, __file__, 1, "GET %s", ("/x",), None
    )
    for name, value in {
        "request_id": "abc12345",
        "method": "GET",
        "path": "/x",
        "status": 503,
        "duration_ms": 612.5,
        "user": "editor",
        "queries": 41,
        "slow": True,
    }.items():
        setattr(record, name, value)
    data = json.loads(JsonFormatter().format(record))
    assert data["message"] == "GET /x"
    assert data["level"] == "WARNING"
    assert data["status"] == 503 and data["queries"] == 41 and data["user"] == "editor"
    assert data["time"].endswith("+00:00")


def test_log_format_json_writes_json_lines_and_an_unknown_format_is_refused():
    result = manage(
        "shell", "-c", "import logging; logging.getLogger('mandates.x').warning('hello')",
        LOG_FORMAT="json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "hello" and line["logger"] == "mandates.x"
    refused = manage("check", LOG_FORMAT="xml")
    assert refused.returncode != 0
    assert "LOG_FORMAT must be text or json, not 'xml'" in refused.stderr
