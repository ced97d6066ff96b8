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


# Recurring deadlines ("by 31 May annually"), dates of meetings convoked ("for September 21,
# 2001"), and wording that looks like a deadline but no rule reads.
_ANNUALLY = "|".join(lexicon.merged("ANNUALLY"))
_DAY_MONTH = rf"(?P<d1>\d{{1,2}})\s+(?:de\s+)?(?P<m1>{_MONTH_RE})"
_MONTH_DAY = rf"(?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?"
_RECURRING = re.compile(
    r"\b(?:(?:by|before|no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|antes\s+del|"
    r"a\s+m[aá]s\s+tardar\s+el|avant\s+le|at[eé]\s+(?:o\s+dia\s+)?)\s+"
    rf"(?:the\s+)?(?:{_DAY_MONTH}|{_MONTH_DAY})(?!,?\s+(?:de\s+)?\d{{4}})"
    rf",?\s+(?:{_ANNUALLY}|de\s+cada\s+a[ñn]o)"
    rf"|(?:{_ANNUALLY}),?\s+(?:by|before|no\s+later\s+than)\s+(?:the\s+)?"
    rf"(?P<d3>\d{{1,2}})\s+(?P<m3>{_MONTH_RE}))\b",
    re.IGNORECASE,
)
# A time word after "by"/"before"/"no later than" that no deadline rule took.
_LOOKS_LIKE_DEADLINE = re.compile(
    r"\b(?i:by|before|no\s+later\s+than|not\s+later\s+than|a\s+m[aá]s\s+tardar|antes\s+de)\s+"
    r"(?:the\s+|its\s+|el\s+|la\s+|su\s+)?(?:[a-zé-]+\s+){0,3}?"
    r"(?:\d{4}|sessions?|meetings?|biennium|year|quarter|semester|per[ií]odo|reuni[oó]n)\b"
)
_CONVENE_FOR = re.compile(
    r"\b(?:convoke|convene|hold|convo(?:car|que|ca)|celebr(?:ar|e))\b[^;.]{0,200}?\b"
    rf"(?P<when>(?:for|para\s+el)\s+(?:{_DATE_MDY}|{_DATE_DMY}))",
    re.IGNORECASE,
)


def _next_yearly(after: datetime.date, month: int, day: int) -> datetime.date:
    """The first ``day``/``month`` on or after ``after`` (29 February: the next leap year)."""
    year = after.year
    while True:
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            year += 1
            continue
        if candidate >= after:
            return candidate
        year += 1


# Periodic deadlines: "every 90 days", "cada seis meses", "tous les quatre mois" (lexicon
# tables EVERY, CARDINALS, PERIOD_UNITS). A number is required: "every year" alone has no
# date to fall due on.
_CARDINALS = lexicon.merged_map("CARDINALS")
_PERIOD_UNITS = lexicon.merged_map("PERIOD_UNITS")
_PERIODIC = re.compile(
    rf"\b(?:{'|'.join(lexicon.merged('EVERY'))})\s+"
    rf"(?:(?P<n>\d{{1,3}})|(?P<w>{'|'.join(sorted(_CARDINALS, key=len, reverse=True))}))\s+"
    rf"(?P<unit>{'|'.join(sorted(_PERIOD_UNITS, key=len, reverse=True))})\b",
    re.IGNORECASE,
)


def periodic_rule(match: re.Match) -> tuple[str, int, str] | None:
    """(iCalendar frequency, interval, rule) of a periodic phrase, or None."""
    count = int(match.group("n")) if match.group("n") else _CARDINALS[match.group("w").lower()]
    frequency = _PERIOD_UNITS[match.group("unit").lower()]
    if count < 1:
        return None
    return frequency, count, f"FREQ={frequency};INTERVAL={count}"


def first_occurrence(start: datetime.date, frequency: str, count: int) -> datetime.date:
    if frequency == "DAILY":
        return start + datetime.timedelta(days=count)
    if frequency == "WEEKLY":
        return start + datetime.timedelta(weeks=count)
    if frequency == "MONTHLY":
        return _add_months(start, count)
    return _add_months(start, 12 * count)
