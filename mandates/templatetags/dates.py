"""The `date` filter, as Django's, through `mandates.dates.format_date` ("1er juin 2008").
Installed as a template builtin (settings.TEMPLATES), so it replaces Django's `date` in every
template — pages, PDFs, e-mails, the admin — and `|date:"DATE_FORMAT"` stays the way to write
a date."""

from __future__ import annotations

from django import template
from django.utils.dateformat import format as format_pattern

from ..dates import format_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter (same arguments, same fallbacks), written by `format_date`."""
    if value in (None, ""):
        return ""
    try:
        return format_date(value, arg)
    except AttributeError:
        try:
            return format_pattern(value, arg)
        except AttributeError:
            return ""
