"""Dates as resolutions write them."""

from __future__ import annotations

import calendar
import datetime
import re

from . import lexicon

# Every language's month names (lexicon tables), English first.
_MONTHS = lexicon.merged_map("MONTHS")
_MONTH_RE = "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True))
_DATE_MDY = rf"(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
# "5 June 2007", "5th of June, 2007", "1 de junio de 2011", "1er juin 2011", "1º de junho de 2011".
_DATE_DMY = (
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th|er|º|°)?\s+(?:of\s+|de\s+)?(?P<m2>{_MONTH_RE})\.?,?"
    rf"\s+(?:de\s+|del\s+)?(?P<y2>\d{{4}})"
)
_DATE_ISO = r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
_DATE_MY = rf"(?P<m4>{_MONTH_RE})\s+(?:of\s+)?(?P<y4>\d{{4}})"
_FULL_DATE = re.compile(rf"(?:{_DATE_MDY}|{_DATE_DMY}|{_DATE_ISO})", re.IGNORECASE)


def _date_from_match(match: re.Match) -> datetime.date | None:
    g = match.groupdict()
    try:
        if g.get("y1"):
            return datetime.date(int(g["y1"]), _MONTHS[g["m1"].lower()], int(g["d1"]))
        if g.get("y2") and g.get("m2"):
            return datetime.date(int(g["y2"]), _MONTHS[g["m2"].lower()], int(g["d2"]))
        if g.get("y3"):
            return datetime.date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
    except (ValueError, KeyError):
        return None
    return None


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
