"""When the database is unreachable: a short 503 page with Retry-After, never a traceback.

``DatabaseUnavailableMiddleware`` turns a database connection error raised by a view (or while
rendering its template) into the 503 page. ``server_error`` is the project's ``handler500``: it
does the same for such an error raised anywhere else (a middleware saving the session), and
otherwise shows the plain 500 page. Writes are never half done: the admin saves in a
transaction, which the server rolls back when the connection dies, so the page says plainly
that nothing was saved.

With CONN_HEALTH_CHECKS, the next request after the database comes back opens a fresh
connection: no gunicorn restart.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger("mandates.outage")

# OperationalError: refused, reset, server shutting down, timeouts. InterfaceError: the
# connection object itself is gone (closed by a previous failure).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def unavailable_response(request, exception) -> HttpResponse:
    logger.warning(
        "database unavailable: %s %s: %s: %s",
        request.method,
        request.path,
        type(exception).__name__,
        str(exception).strip().splitlines()[0] if str(exception).strip() else "",
    )
    # Rendered without the request: context processors would read the session and the user,
    # i.e. the database that is down.
    body = loader.render_to_string(
        "503.html",
        {
            "write_refused": request.method in UNSAFE_METHODS,
            "retry_after": RETRY_AFTER_SECONDS,
        },
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 instead of 500 when a view cannot reach the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return unavailable_response(request, exception)
        return None


def server_error(request, template_name="500.html"):
    """handler500: the 503 page for a database outage met outside a view, else the 500 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return unavailable_response(request, exception)
    return HttpResponseServerError(loader.get_template(template_name).render())
