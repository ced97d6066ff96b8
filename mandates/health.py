"""Load-balancer checks: ``/healthz`` (the process answers) and ``/readyz`` (it can serve).

Both answer JSON with ``Cache-Control: no-store`` and never touch the session or the user, so
they work on a fresh host, over plain http (``SECURE_REDIRECT_EXEMPT``) and while the database
is down. A failing readiness check is named in the answer; its details go to the log only
(the endpoints are public, error texts may carry host names).
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("mandates.health")


def _no_store(response):
    # never_cache already says no-store; say it first and alone, for simple proxies.
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0"
    return response


@require_safe
@never_cache
def healthz(request):
    """The process is up and answers requests. No database, no cache: restart only if this fails."""
    return _no_store(JsonResponse({"status": "ok"}))


def check_database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    cache = caches["default"]
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just stored")
    finally:
        cache.delete(key)


def check_migrations() -> None:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        raise RuntimeError(f"{len(plan)} unapplied migration(s): {names}")


def readiness_checks() -> dict:
    """Name -> callable; a replica, when configured, is checked like the primary."""
    checks = {"database": lambda: check_database(DEFAULT_DB_ALIAS)}
    if "replica" in connections.settings:
        checks["replica"] = lambda: check_database("replica")
    checks["cache"] = check_cache
    checks["migrations"] = check_migrations
    return checks


@require_safe
@never_cache
def readyz(request):
    """Ready for traffic: database and cache reachable, no unapplied migration. Else 503."""
    results, failing = {}, []
    for name, check in readiness_checks().items():
        if name == "migrations" and "database" in failing:
            results[name] = "skipped"  # needs the database
            continue
        try:
            check()
        except Exception as exc:  # any failure means "not ready", whatever raised it
            logger.warning("readyz: %s check failed: %s: %s", name, type(exc).__name__, exc)
            results[name] = "failing"
            failing.append(name)
        else:
            results[name] = "ok"
    body = {"status": "ok" if not failing else "unavailable", "checks": results}
    if failing:
        body["failing"] = failing
    response = JsonResponse(body, status=503 if failing else 200)
    if failing:
        response["Retry-After"] = "10"
    return _no_store(response)
