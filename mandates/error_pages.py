"""The site's own 404 and 500 pages under `make run` too.

With DEBUG on (as `make run` serves), Django answers an unknown address or a crash with its
technical pages (the URL patterns, the traceback), never with ``handler404``/``handler500``.
A newcomer trying the tracker expects the pages its users will see, so with
``SITE_ERROR_PAGES`` on (the default; ``SITE_ERROR_PAGES=0 make run`` for Django's pages)
DEBUG's two technical responses are replaced by the project's handlers. The traceback of a
crash is still written to the console by Django's ``django.request`` logger. With DEBUG off
nothing changes: Django calls the handlers itself.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import get_resolver
from django.views import debug

_technical_404 = debug.technical_404_response
_technical_500 = debug.technical_500_response


def _site_404(request, exception):
    if not getattr(settings, "SITE_ERROR_PAGES", True):
        return _technical_404(request, exception)
    handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(404)
    return handler(request, exception)


def _site_500(request, exc_type, exc_value, tb, status_code=500):
    if not getattr(settings, "SITE_ERROR_PAGES", True) or status_code != 500:
        return _technical_500(request, exc_type, exc_value, tb, status_code)
    handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(500)
    return handler(request)


def install() -> None:
    """Called once from the app's ready(); DEBUG and the setting are read on each error."""
    debug.technical_404_response = _site_404
    debug.technical_500_response = _site_500
