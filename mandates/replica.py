"""Reads from a PostgreSQL streaming replica when ``DATABASE_REPLICA_URL`` is set.

``ReplicaReadsMiddleware`` decides per request; ``ReplicaRouter`` follows the decision.
A request may read the replica only when it is a GET or HEAD outside the admin, from someone
who is not a logged-in staff member: the public pages, feeds, PDFs and the API. Everything else
reads and writes the primary: the admin, every POST (and everything it reads while saving), a
staff member's own browsing (so he sees his own write at once, whatever the replica's lag),
management commands and jobs (no request at all). A replica lags by a fraction of a second in
normal times; a visitor may see a page that old, never an error because of it.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.urls import reverse

REPLICA = "replica"
SAFE_METHODS = {"GET", "HEAD"}

_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and replica_configured():
            return REPLICA
        return None  # the primary ("default")

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a replica is read-only: it follows the primary's schema


def may_read_replica(request) -> bool:
    if not replica_configured() or request.method not in SAFE_METHODS:
        return False
    if request.path.startswith(reverse("admin:index")):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        # Loads the user from the primary (the flag is not set yet): a staff member's session
        # must see what he just saved.
        user = request.user
        if user.is_authenticated and user.is_staff:
            return False
    return True


class ReplicaReadsMiddleware:
    """After AuthenticationMiddleware: route this request's reads (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reads_from_replica.set(may_read_replica(request))
        try:
            return self.get_response(request)
        finally:
            _reads_from_replica.reset(token)
