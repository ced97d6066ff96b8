"""WSGI entry point: `gunicorn tracker.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# A web request's query is cancelled after 30 s, before gunicorn's 60 s --timeout kills the
# worker (and leaves PostgreSQL running the query). Commands and tests have no such limit.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "30000")

application = get_wsgi_application()
