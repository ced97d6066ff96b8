"""Errors raised before a view runs (no route matches, a NUL byte in the address) are JSON under
/api/, like the API's own errors, and the site's HTML pages everywhere else."""

from django.http import HttpResponseNotFound, JsonResponse
from django.template import loader
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
    # Django's own handler puts the exception's class name ("Resolver404", "Http404") in the
    # page when it has no message: only a message written for the reader is shown.
    message = exception.args[0] if exception is not None and exception.args else None
    context = {
        "request_path": request.path,
        "exception": message if isinstance(message, str) else None,
    }
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))
