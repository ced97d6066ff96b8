"""What a page's rows ask again and again, read once per render: the active language, and
with it the URLconf and script prefix a link depends on.

Django keeps them in context-local storage (asgiref's `Local`): each read costs a few
microseconds, and a resolution page's body read them some 500 times (every date, link, organ
name and status label). Nothing a template does changes them, so `rendering()` reads them on
entry and `language()` / `link_key()` return what it read; outside a render they read Django's
state as usual."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

_pinned: ContextVar[tuple | None] = ContextVar("mandates_pinned", default=None)


@contextmanager
def rendering():
    """Within: `language()` and `link_key()` are read once, on entry."""
    token = _pinned.set((get_urlconf(), get_script_prefix(), get_language()))
    try:
        yield
    finally:
        _pinned.reset(token)


def language() -> str | None:
    """`get_language()`, pinned while rendering."""
    pinned = _pinned.get()
    return get_language() if pinned is None else pinned[2]


def link_key() -> tuple:
    """What an address depends on besides the view and its arguments: (URLconf, script
    prefix, language)."""
    return _pinned.get() or (get_urlconf(), get_script_prefix(), get_language())
