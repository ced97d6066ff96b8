"""Small template helpers: the past as-of banner, links that keep the as-of date, and this
page in the other languages."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation

from .. import language
from ..models import today

register = template.Library()


@register.inclusion_tag("mandates/_as_of_banner.html", takes_context=True)
def as_of_banner(context):
    """A banner when the page shows the past (as_of before today), with a way back to today
    that keeps the page's other parameters."""
    as_of, request = context.get("as_of"), context.get("request")
    if as_of is None or request is None or as_of >= today():
        return {"show": False}
    params = request.GET.copy()
    params.pop("as_of", None)
    params.pop("page", None)
    query = params.urlencode()
    return {
        "show": True,
        "as_of": as_of,
        "back_url": f"{request.path}?{query}" if query else request.path,
    }


@register.simple_tag(takes_context=True)
def as_of_query(context, prefix: str = "?") -> str:
    """ "?as_of=2008-06-02" when the page shows a past date, else "": so that a link from a
    page about the past opens the next page on the same date, and today's links stay short."""
    as_of = context.get("as_of")
    if as_of is None or as_of >= today():
        return ""
    return f"{prefix}as_of={as_of.isoformat()}"


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """This page in each language: code, own name ("Español"), address (path and query kept:
    filters, as-of date, page), absolute address for `hreflang`, and whether it is this one."""
    request = context.get("request")
    address = request.get_full_path_info() if request is not None else "/"
    current = translation.get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        path = get_script_prefix().rstrip("/") + language.path_in(code, address)
        versions.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"].capitalize(),
                "path": path,
                "url": request.build_absolute_uri(path) if request is not None else path,
                "current": code == current,
            }
        )
    return versions


@register.simple_tag(takes_context=True)
def current_address(context) -> str:
    """The page's address (path and query, language prefix included), which the language
    switcher sends back to be shown in the chosen language."""
    request = context.get("request")
    return request.get_full_path_info() if request is not None else "/"
