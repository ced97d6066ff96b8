"""Which language a request is answered in, and the switch between the four.

Public pages live at the same paths in every language: English unprefixed (today's addresses),
Spanish, French and Portuguese under /es/, /fr/ and /pt/ (`i18n_patterns` with
`prefix_default_language=False`, tracker/urls.py). What a multilingual public site does:

- the address decides: /es/… is Spanish whoever asks, so a shared link shows what was shared;
- a visit to an unprefixed page by a reader whose remembered choice (the language cookie) or,
  on a first visit, whose browser (`Accept-Language`) prefers another language is sent to that
  language's address (302, `Vary: Accept-Language, Cookie`, so no cache hands the English page
  to a Spanish reader or the reverse); a reader who chose English stays on English addresses;
- the language switcher (a small form on every page) remembers the choice in the cookie and
  goes to the same page, with the same query (filters, as-of date), in the chosen language;
- the admin and the API keep unprefixed addresses and follow the remembered choice or
  `Accept-Language`; data files (PDF, CSV, JSON, feeds) are never redirected: their address
  says their language.

This middleware takes the place of Django's LocaleMiddleware, whose handling of unprefixed
addresses with `prefix_default_language=False` is "always the default language".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from django.conf import settings
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

# Addresses outside the language-prefixed public pages (tracker/urls.py).
UNPREFIXED_PREFIXES = ("/admin/", "/api/", "/healthz", "/readyz", "/static/", "/media/", "/i18n/")
# Files whose address alone says their language: never redirected by the reader's preference
# (nor are uploaded documents, under /documents/, which have no language of their own).
DATA_SUFFIXES = (".pdf", ".csv", ".json", ".ics", ".atom")


# The default SITE_NAME and ORGANIZATION_NAME, for the catalogs to translate.
DEFAULT_NAMES = [gettext_noop("Mandate Tracker"), gettext_noop("Organization of American States")]


def site_name() -> str:
    """SITE_NAME in the active language: the default name has its translations in the
    catalogs; a name set in the environment is shown as set unless a catalog translates it."""
    return _(settings.SITE_NAME)


def organization_name() -> str:
    """ORGANIZATION_NAME in the active language (as `site_name`)."""
    return _(settings.ORGANIZATION_NAME)


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def prefixed_language(path: str) -> str | None:
    """The language named by the first segment of `path` ("/es/organs/" → "es"), or None."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in codes() else None


def neutral_path(path: str) -> str:
    """`path` without its language prefix: "/es/organs/" → "/organs/", "/es" → "/"."""
    language = prefixed_language(path)
    if language is None:
        return path
    rest = path.lstrip("/")[len(language) :]
    return rest if rest.startswith("/") else "/" + rest


def path_in(language: str, address: str) -> str:
    """A public address ("/organs/?as_of=…", with or without a language prefix) in
    `language`'s addresses, query kept."""
    parts = urlsplit(address)
    path = neutral_path(parts.path or "/")
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    return path + (f"?{parts.query}" if parts.query else "")


def is_public_page(path: str) -> bool:
    return not path.startswith(UNPREFIXED_PREFIXES)


def preferred_language(request: HttpRequest) -> str:
    """The remembered choice (cookie), else the browser's Accept-Language, else English."""
    return translation.get_language_from_request(request, check_path=False)


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        from_path = prefixed_language(path)
        default = settings.LANGUAGE_CODE
        if from_path == default:
            # /en/… is the unprefixed English address.
            return HttpResponseRedirect(self._full_path(request, default), status=301)
        if from_path:
            language = from_path
        elif is_public_page(path):
            language = default
            preferred = preferred_language(request)
            if (
                preferred != default
                and request.method in ("GET", "HEAD")
                and not path.endswith(DATA_SUFFIXES)
                and not path.startswith("/documents/")
            ):
                response = HttpResponseRedirect(self._full_path(request, preferred))
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        else:
            language = preferred_language(request)
        # Only for this request: the thread's language is put back afterwards (a management
        # command or test in the same thread keeps its own), and a streamed response (CSV,
        # iCalendar) is written in the request's language as it streams.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = in_language(response.streaming_content, language)
        if not from_path and not path.endswith(DATA_SUFFIXES):
            # The same address answers differently by the reader's preference.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response

    @staticmethod
    def _full_path(request: HttpRequest, language: str) -> str:
        return get_script_prefix().rstrip("/") + path_in(language, request.get_full_path_info())


def in_language(chunks: Iterable, language: str) -> Iterator:
    """`chunks` produced with `language` active (a streamed body is written after the view
    returned, when the request's language is no longer active)."""
    iterator = iter(chunks)
    while True:
        with translation.override(language):
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


@csrf_exempt  # choosing a language changes nothing stored; a token would make pages uncacheable
@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The switcher's form: remember `language` and show `next` (this site's page, an address
    below the script prefix as `request.get_full_path_info` gives it) in that language."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if language not in codes():
        return HttpResponseBadRequest(_("Unknown language."), content_type="text/plain")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not next_url.startswith("/"):
        next_url = "/"
    response = HttpResponseRedirect(get_script_prefix().rstrip("/") + path_in(language, next_url))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
