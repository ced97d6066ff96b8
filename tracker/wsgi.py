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
# long as the worker: move them out of the collector's way. Without it a full collection
# scanned them all every dozen requests of a large page and doubled those requests' time
# (p95 twice the p50). The thresholds stay Python's: higher ones let a worker grow past
# 230 MB on the calendar feed.
gc.freeze()
