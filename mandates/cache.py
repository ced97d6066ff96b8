"""Whole-response cache for the public pages, keyed by the data version.

Every write to public data bumps `DataVersion` in its own transaction (`mandates.status`), so
a key made of (data version, language, today's date, full URL) can never name a stale page: a
write is visible on the next request, and old entries simply stop being asked for. The same
key gives the `ETag`, and the version's time the `Last-Modified`, so a client that already has
the page gets a 304 without any rendering.

Today's date is in the key because a page without `as_of` shows the status as of today, which
changes at midnight with no write. Staff (logged-in users) get fresh pages: theirs carry
editing links. `PAGE_CACHE=0` turns the cache (not the validators) off, for measuring cold
rendering.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from .models import DataVersion, today
from .outage import DATABASE_UNAVAILABLE, unavailable_response
from .replica import replica_configured

# Paths that are never cached: private, per-user or already cached elsewhere.
UNCACHED_PREFIXES = ("/admin/", "/documents/", "/static/", "/media/", "/healthz", "/readyz")
# Larger responses (a big PDF) are rendered each time rather than crowding out pages.
MAX_CACHED_BYTES = 5 * 1024 * 1024


def cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(UNCACHED_PREFIXES):
        return False
    # A session cookie means a (possibly) logged-in staff member: never share their pages.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def page_key(request: HttpRequest, version: tuple[int, datetime.datetime]) -> str:
    number, changed_at = version
    raw = "|".join(
        [
            str(number),
            changed_at.isoformat(),
            get_language() or "",
            today().isoformat(),
            request.get_full_path(),
        ]
    )
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def last_key(request: HttpRequest) -> str:
    """The latest page served for this address and language, whatever the data version."""
    raw = f"{get_language() or ''}|{request.get_full_path()}"
    return "last:" + hashlib.sha256(raw.encode()).hexdigest()


def last_modified(version: tuple[int, datetime.datetime]) -> datetime.datetime:
    """When what the page shows last changed: the last write, or midnight for "today"."""
    midnight = timezone.make_aware(datetime.datetime.combine(today(), datetime.time.min))
    return max(version[1], midnight)


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable_request(request):
            return self.get_response(request)
        cache = caches[settings.PAGE_CACHE_ALIAS] if settings.PAGE_CACHE else None
        try:
            # The version of the data the page will be rendered from: a lagging replica's
            # pages are keyed by the replica's version, so they are not kept once it catches up.
            version = DataVersion.current(using="replica" if replica_configured() else "default")
        except DATABASE_UNAVAILABLE as exc:
            # The database is down: the last page served for this address, if there is one,
            # beats the 503 page.
            stale = cache.get(last_key(request)) if cache is not None else None
            if stale is None:
                return unavailable_response(request, exc)
            stale["X-Page-Cache"] = "stale (database unavailable)"
            return stale
        key = page_key(request, version)
        etag = f'"{key[5:37]}"'
        modified = last_modified(version)
        # A client that has this very page: 304 without rendering anything.
        conditional = get_conditional_response(
            request, etag=etag, last_modified=int(modified.timestamp())
        )
        if conditional is not None:
            self._validators(conditional, etag, modified)
            return conditional
        if cache is not None:
            response = cache.get(key)
            if response is not None:
                response["X-Page-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        if response.has_header("ETag") or "no-store" in response.get("Cache-Control", ""):
            return response
        self._validators(response, etag, modified)
        if cache is not None and len(response.content) <= MAX_CACHED_BYTES:
            cache.set_many(
                {key: response, last_key(request): response}, settings.PAGE_CACHE_SECONDS
            )
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _validators(response: HttpResponse, etag: str, modified: datetime.datetime) -> None:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified.timestamp())
        # Browsers and proxies may keep it, but must ask again each time (a cheap 304), so a
        # write is visible on the very next request everywhere.
        patch_cache_control(response, public=True, no_cache=True)
