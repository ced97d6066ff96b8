"""One log line per request: request id, method, path, status, duration, staff user, queries.

The request id comes from the proxy's ``X-Request-ID`` when it looks like one (so nginx's and
the application's lines can be joined), else a fresh one; it is sent back in the response's
``X-Request-ID``. Requests slower than ``SLOW_REQUEST_MS`` (500 ms) are logged at WARNING with
``slow: true``, so their query count is easy to find. The user is named only when the request
already loaded it (the admin, a staff member's session): logging never costs a query.
Under ``LOG_FORMAT=json`` each line is one JSON object (``mandates.log_format``).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextlib import ExitStack

from django.conf import settings
from django.db import connections

logger = logging.getLogger("mandates.request")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
# Probes from load balancers every few seconds would drown the log: successes are not logged.
QUIET_PATHS = {"/healthz", "/readyz"}


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def staff_username(request) -> str | None:
    # Set by django.contrib.auth once something asked for request.user; never load it here.
    user = getattr(request, "_cached_user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return user.get_username()
    return None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        counter = QueryCounter()
        started = time.perf_counter()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response["X-Request-ID"] = request.request_id
        if request.path in QUIET_PATHS and response.status_code < 400:
            return response
        slow = duration_ms > getattr(settings, "SLOW_REQUEST_MS", 500)
        fields = {
            "request_id": request.request_id,
            "method": request.method,
            "path": request.get_full_path()[:1000],
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user": staff_username(request),
            "queries": counter.count,
            "slow": slow,
        }
        logger.log(
            logging.WARNING if slow else logging.INFO,
            "%s %s %s %.0fms queries=%d user=%s id=%s%s",
            fields["method"],
            fields["path"],
            fields["status"],
            duration_ms,
            counter.count,
            fields["user"] or "-",
            request.request_id,
            " SLOW" if slow else "",
            extra=fields,
        )
        return response
