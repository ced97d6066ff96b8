"""Response headers for every page, and a guard against NUL bytes in addresses."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.exception import response_for_exception

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
DEFAULT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class NulInRequest(SuspiciousOperation):
    """A NUL byte in the path or query string: no page has one, and PostgreSQL refuses it."""


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy and Permissions-Policy to every response.

    The policy allows no inline script or style anywhere, the admin included (Django 5.2's
    admin needs none). A view may set its own, stricter policy (document downloads do). Only
    with DEBUG on, error pages go without it: Django's debug pages need inline code.
    Requests with a NUL byte in the path or the query string get a 400 before any view runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)
        self.permissions_policy = getattr(
            settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY
        )

    def __call__(self, request):
        if has_nul(request):
            response = response_for_exception(
                request, NulInRequest("NUL byte in the request path or query string")
            )
        else:
            response = self.get_response(request)
        # Django's DEBUG error pages (yellow 404/500) are styled and scripted inline.
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        if self.csp and not debug_page:
            response.headers.setdefault("Content-Security-Policy", self.csp)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


def has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
    )
