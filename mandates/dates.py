"""Dates written as each language writes them, in one place: the `date` template filter
(mandates/templatetags/dates.py, a builtin of every template) and Python code call
`format_date`. It is Django's `date_format` plus what a format string cannot say: French
writes the first day of a month as an ordinal ("1er juin 2008", then "2 juin 2008"), set by
`FIRST_DAY_OF_MONTH` in the language's format module (tracker/formats/fr/formats.py)."""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from django.core.signals import setting_changed
from django.utils import dateformat
from django.utils.formats import get_format

from . import pinned

# A "j" (day of the month) in a format string, unless escaped ("\j" is a literal j).
_DAY = re.compile(r"(?<!\\)j")


def first_day_of_month(lang: str | None = None) -> str | None:
    """How the language writes day 1 in a format string (r"j\\e\\r" in French), else None."""
    written = get_format("FIRST_DAY_OF_MONTH", lang)
    return None if written == "FIRST_DAY_OF_MONTH" else written  # get_format: the name itself


def format_date(
    value: datetime.date | datetime.datetime,
    format_name: str | None = "DATE_FORMAT",
    lang: str | None = None,
) -> str:
    """`value` in the active language's `format_name` ("DATE_FORMAT", "SHORT_DATE_FORMAT",
    "YEAR_MONTH_FORMAT"…, or a literal pattern such as "Y-m-d")."""
    if type(value) is datetime.date:
        # A page writes the same few days (as-of date, deadlines) over and over: remembered
        # per language. Datetimes depend on the time zone too: written afresh.
        # (Month names are the active language's, whatever `lang`: both are in the key.)
        return _format_day(value, format_name, lang, pinned.language())
    return _format(value, format_name, lang)


@lru_cache(maxsize=4096)
def _format_day(value: datetime.date, format_name: str | None, lang, active) -> str:
    return _format(value, format_name, lang)


def _format(value, format_name: str | None, lang: str | None) -> str:
    pattern = get_format(format_name or "DATE_FORMAT", lang)
    if getattr(value, "day", None) == 1:
        first = first_day_of_month(lang)
        if first:
            pattern = _DAY.sub(lambda _match: first, pattern)
    return dateformat.format(value, pattern)


def _forget(**_kwargs) -> None:
    _format_day.cache_clear()  # formats are settings (FORMAT_MODULE_PATH, LANGUAGE_CODE…)


setting_changed.connect(_forget, dispatch_uid="mandates.dates.forget")
