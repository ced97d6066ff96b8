"""Errors raised before a view runs (no route matches, a NUL byte in the address) are JSON under
/api/, like the API's own errors, and the site's HTML pages everywhere else."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def bad_request(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
