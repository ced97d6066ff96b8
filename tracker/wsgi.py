"""WSGI entry point: `gunicorn tracker.wsgi`."""

import gc
import itertools
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# A web request's query is cancelled after 30 s, before gunicorn's 60 s --timeout kills the
# worker (and leaves PostgreSQL running the query). Commands and tests have no such limit.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "30000")

application = get_wsgi_application()

# Python's cyclic garbage collector, for a web worker.
# - The objects loaded with the application (code, settings, URL patterns, templates) live as
#   long as the worker: frozen, no collection scans them again. Without it a full collection
#   scanned them all every dozen requests of a large page and doubled its time.
# - A page's objects (its rows, contexts, the request) are collected after its response is
#   sent, when nearly all of them are garbage: during the request, with Python's threshold of
#   700, a resolution page ran two collections that scanned its live rows and a third of a
#   middle-generation one (~0.7 ms in all), where one collection after it costs ~0.3 ms and
#   delays no one. YOUNG_THRESHOLD allocations are enough for a page (the resolution, organ
#   and home pages run no collection while they render), and few enough that a long streamed
#   response (a calendar feed, an export, whose chunks of rows are freed by the collector)
#   stays small: at 100,000 mandates the whole calendar feed peaked at 146 MB with 700, 178 MB
#   with 2,000 and 231 MB with 10,000. A full collection runs every FULL_EVERY requests.
YOUNG_THRESHOLD = 2_000
FULL_EVERY = 1_000
gc.freeze()
gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
_requests = itertools.count(1)


def collect_after_response(**_kwargs) -> None:
    """`request_finished`: sent when the server closes the response, its bytes written."""
    gc.collect(2 if next(_requests) % FULL_EVERY == 0 else 1)


request_finished.connect(collect_after_response, dispatch_uid="tracker.wsgi.collect")
