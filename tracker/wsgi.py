"""WSGI entry point: `gunicorn tracker.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# A web request's query is cancelled after 30 s, before gunicorn's 60 s --timeout kills the
# worker (and leaves PostgreSQL running the query). Commands and tests have no such limit.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "30000")

application = get_wsgi_application()

# The objects loaded with the application (code, settings, URL patterns, templates) live as
# long as the worker: move them out of the collector's way, and collect the young generation
# less often. A page of a large resolution allocates a few hundred thousand objects; with the
# default thresholds a full collection of the whole heap landed every dozen requests and
# doubled their time (p95 twice the p50).
gc.freeze()
gc.set_threshold(50_000, 20, 100)
