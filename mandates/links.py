"""`reverse()` remembered: a long page links every paragraph, organ and status word, and
resolving the same address again and again was a good part of its rendering time.

An address depends on the view and its arguments, and on the URLconf, the script prefix and
the active language (i18n_patterns): all are in the key, so a hit is what `reverse` would give.
Forgotten when settings change (tests that swap the URLconf)."""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import reverse

from . import pinned


@lru_cache(maxsize=8192)
def _reverse(viewname: str, kwargs: tuple, urlconf, prefix: str, language: str | None) -> str:
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


def cached_reverse(viewname: str, **kwargs) -> str:
    """`reverse(viewname, kwargs=kwargs)`, remembered (see the module's docstring)."""
    return _reverse(viewname, tuple(kwargs.items()), *pinned.link_key())


def _forget(**_kwargs) -> None:
    _reverse.cache_clear()


setting_changed.connect(_forget, dispatch_uid="mandates.links.forget")
