"""/healthz and /readyz: what a load balancer sees, in good times and bad."""

import pytest
from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration

from mandates import health


def test_healthz_answers_without_the_database(client):
    # No `db` fixture: pytest-django makes any database access here an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("no-store")
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_readyz_reports_every_check_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_names_a_database_outage_and_skips_what_needs_it(client, monkeypatch):
    def unreachable(alias):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["database"]
    assert body["checks"]["migrations"] == "skipped"
    # The error text stays in the log: the endpoint is public.
    assert "refused" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_names_a_cache_outage(client, monkeypatch):
    class BrokenCache:
        def set(self, *args, **kwargs):
            raise ConnectionError("redis down")

    monkeypatch.setattr(health, "caches", {"default": BrokenCache()})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_refuses_traffic_while_a_migration_is_unapplied(client, monkeypatch):
    pending = Migration("0999_not_yet", "mandates")
    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [(pending, False)]
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]


@pytest.mark.django_db
def test_health_endpoints_are_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/resolutions/").status_code == 301


def test_health_endpoints_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
