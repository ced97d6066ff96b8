"""Meaning, deadlines: dates, periods, sessions and terms a paragraph sets."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from ..models import from_roman
from .dates import (
    _DATE_DMY,
    _DATE_ISO,
    _DATE_MDY,
    _DATE_MY,
    _MONTHS,
    _add_months,
    _date_from_match,
    _month_end,
)
from .paragraphs import _Node
from .reading import _clean


class DeadlineMeaning:
    """Deadlines in a paragraph's own text."""

    def deadlines(self, text: str, node: _Node) -> list[dict]:
        found: list[tuple[int, int, list[dict]]] = []
        for finder in (
            self.session_deadlines,
            self.within_deadlines,
            self.period_deadlines,
            self.date_deadlines,
        ):
            for start, end, items in finder(text, node):
                if any(start < e and s < end for s, e, _items in found):
                    continue
                found.append((start, end, items))
        found.sort(key=lambda item: item[0])
        result = []
        for start, _end, items in found:
            for item in items:
                due = item["due_on"]
                if due and self.adopted_on and due < self.adopted_on.isoformat():
                    self.warn(
                        node.line_at(start),
                        _("¶%(label)s: “%(wording)s” falls before the adoption date.")
                        % {"label": node.label, "wording": item["wording"]},
                    )
                result.append(item)
        return result

    def session_deadlines(self, text: str, node: _Node):
        for match in _SESSION_LIST.finditer(text):
            tail = text[match.end() : match.end() + 60]
            other_body = re.match(r"\s+of\s+(?:the\s+)?(?!General Assembly)([A-Z][\w-]*)", tail)
            if other_body and not tail.lstrip().startswith("of the OAS"):
                continue
            lead = _session_lead(text, match.start())
            items = []
            for ordinal_match in _ORDINAL_IN_LIST.finditer(match.group("list")):
                written = ordinal_match.group("ord")
                number = self.ordinal_value(written)
                if number is None or self.is_past_session(number):
                    continue
                own = ordinal_match.group("lead")
                item_lead = _clean(own) + " " if own else lead
                wording = f"{item_lead}{written} {_clean(match.group('noun'))}".strip()
                if number not in self.sessions:
                    self.warn(
                        node.line_at(match.start()),
                        _(
                            "¶%(label)s: regular session %(n)d is not in the directory of "
                            "sessions; add it before saving."
                        )
                        % {"label": node.label, "n": number},
                    )
                start_date = self.sessions.get(number)
                items.append(
                    {
                        "due_on": start_date.isoformat() if start_date else None,
                        "session": number,
                        "wording": wording,
                    }
                )
            if items:
                yield match.start() - len(lead), match.end(), items

    def is_past_session(self, number: int) -> bool:
        """A session held before the adoption ("adopted at its thirty-fifth regular
        session") is a reference, not a deadline."""
        if self.session and number <= self.session:
            return True
        start = self.sessions.get(number)
        return bool(start and self.adopted_on and start < self.adopted_on)

    def ordinal_value(self, written: str) -> int | None:
        word = written.lower().replace("–", "-").replace(" ", "-")
        if word == "next":
            return self.session + 1 if self.session else None
        if word in _ORDINALS:
            return _ORDINALS[word]
        digits = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", word)
        if digits:
            return int(digits.group(1))
        return from_roman(written) if written.isupper() else None

    def within_deadlines(self, text: str, node: _Node):
        for match in _WITHIN.finditer(text):
            amount = _number(match.group("n"))
            if amount is None:
                continue
            unit = match.group("unit").lower().rstrip("s")
            wording = _clean(match.group())
            if self.adopted_on is None:
                due = None
                self.warn(
                    node.line_at(match.start()),
                    _("¶%(label)s: “%(wording)s” needs the adoption date.")
                    % {"label": node.label, "wording": wording},
                )
            elif unit == "day":
                due = self.adopted_on + datetime.timedelta(days=amount)
            elif unit == "week":
                due = self.adopted_on + datetime.timedelta(weeks=amount)
            elif unit == "month":
                due = _add_months(self.adopted_on, amount)
            else:
                due = _add_months(self.adopted_on, 12 * amount)
            yield (
                match.start(),
                match.end(),
                [{"due_on": due.isoformat() if due else None, "session": None, "wording": wording}],
            )

    def period_deadlines(self, text: str, node: _Node):
        for match in _PERIOD.finditer(text):
            g = match.groupdict()
            if g["half"]:
                year = int(g["hy"])
                month = 6 if g["half"].lower() == "first" else 12
                due = _month_end(year, month)
            elif g["quarter"]:
                year = int(g["qy"])
                month = 3 * _QUARTERS[g["quarter"].lower()]
                due = _month_end(year, month)
            elif g["b1"] or g["b3"]:
                first = int(g["b1"] or g["b3"])
                second = g["b2"] or g["b4"]
                year = int(second) if len(second) == 4 else first - first % 100 + int(second)
                if year < first:
                    year += 100
                due = datetime.date(year, 12, 31)
            else:
                due = datetime.date(int(g["y"] or g["y2"]), 12, 31)
            yield (
                match.start(),
                match.end(),
                [{"due_on": due.isoformat(), "session": None, "wording": _clean(match.group())}],
            )

    def date_deadlines(self, text: str, node: _Node):
        for match in _BY_DATE.finditer(text):
            g = match.groupdict()
            if any(g[k] for k in ("d1", "d2", "y3")):
                due = _date_from_match(match)
            elif g["m4"]:
                due = _month_end(int(g["y4"]), _MONTHS[g["m4"].lower()])
            else:
                year = int(g["yy"])
                before = g["prep"].lower().startswith("before") and not g["end"]
                due = datetime.date(year - 1 if before else year, 12, 31)
            if due is None:
                continue
            yield (
                match.start(),
                match.end(),
                [{"due_on": due.isoformat(), "session": None, "wording": _clean(match.group())}],
            )


# --------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------


def _ordinal_table() -> dict[str, int]:
    units = "first second third fourth fifth sixth seventh eighth ninth".split()
    teens = (
        "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
        "eighteenth nineteenth"
    ).split()
    tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()
    tens_ordinal = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
    table = {word: i for i, word in enumerate(units, start=1)}
    table.update({word: i for i, word in enumerate(teens, start=10)})
    for i, (ten, ten_ordinal) in enumerate(zip(tens, tens_ordinal.split(), strict=True)):
        value = 20 + 10 * i
        table[ten_ordinal] = value
        for j, unit in enumerate(units, start=1):
            table[f"{ten}-{unit}"] = value + j
    return table


_ORDINALS = _ordinal_table()
_ORDINAL_WORD = "|".join(
    sorted((w.replace("-", r"[-–\s]") for w in _ORDINALS), key=len, reverse=True)
)
_ORDINAL = rf"(?:(?i:{_ORDINAL_WORD}|next|\d{{1,3}}(?:st|nd|rd|th))|[IVXLC]{{1,8}})"
_LIST_LEAD = (
    r"(?:(?:prior|previous)\s+to\s+|at\s+|to\s+|before\s+|for\s+|by\s+|during\s+)?"
    r"(?:both\s+)?(?:the\s+|its\s+)?"
)
_SESSION_LIST = re.compile(
    rf"(?<![\w-])(?P<list>{_ORDINAL}(?:\s*(?:,\s*(?:and\s+)?|\s(?:and|or)\s+){_LIST_LEAD}{_ORDINAL})*)"
    r"\s+(?P<noun>(?i:regular)\s+(?i:session))(?i:s)?\b"
)
_ORDINAL_IN_LIST = re.compile(
    rf"(?:^|,\s*(?:and\s+)?|\s(?:and|or)\s+)(?P<lead>(?:(?:prior|previous)\s+to|at|to|before|for|by|"
    rf"during)\s+(?:both\s+)?(?:the|its)\s+)?(?P<ord>{_ORDINAL})"
)
_LEAD_PREPOSITION = re.compile(
    r"(?P<lead>(?:(?:(?:prior|previous|subsequent)\s+to|no\s+later\s+than|not\s+later\s+than|"
    r"in\s+time\s+for|at|to|before|for|by|during|until|after|following|from|in)\s+)?"
    r"(?:both\s+)?(?:the\s+|its\s+)?)$"
)
_DETERMINERS = {
    "the",
    "its",
    "their",
    "his",
    "her",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "in",
    "of",
    "to",
    "and",
    "or",
    "with",
    "for",
    "by",
    "at",
    "on",
}


def _session_lead(text: str, start: int) -> str:
    """The words that introduce a session deadline: "at its", "prior to the", and for a bare
    "to" the noun it belongs to ("annual reports to the"); "both" is dropped."""
    before = text[max(0, start - 80) : start]
    match = _LEAD_PREPOSITION.search(before)
    lead = match.group("lead") if match else ""
    words = lead.split()
    words = [w for w in words if w.lower() != "both"]
    if words and words[0] == "to" or (len(words) >= 1 and words[0] == "to"):
        rest = before[: len(before) - len(lead)].split()
        taken: list[str] = []
        while rest and len(taken) < 3:
            word = rest[-1]
            if not re.fullmatch(r"[A-Za-z\-]+", word) or word.lower() in _DETERMINERS:
                break
            taken.insert(0, word)
            rest.pop()
        words = taken + words
    return " ".join(words) + " " if words else ""


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "eighteen": 18,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
    "one hundred twenty": 120,
    "one hundred and twenty": 120,
    "one hundred eighty": 180,
    "one hundred and eighty": 180,
}
_NUMBER_WORD_RE = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))


def _number(text: str) -> int | None:
    text = text.lower().strip()
    text = re.sub(r"\s*\(\d+\)$", "", text)
    if text.isdigit():
        return int(text)
    return _NUMBER_WORDS.get(text)


_WITHIN = re.compile(
    rf"\b(?:within|no\s+later\s+than|not\s+later\s+than)\s+(?:a\s+(?:period|term)\s+of\s+)?"
    rf"(?P<n>\d{{1,4}}|(?i:{_NUMBER_WORD_RE})(?:\s*\(\d+\))?)\s+(?:calendar\s+)?"
    r"(?P<unit>days?|weeks?|months?|years?)\s+(?:of|from|after|following)\s+(?:the\s+)?"
    r"(?:date\s+of\s+)?(?:the\s+)?adoption\s+of\s+(?:this|the\s+present)\s+resolution",
    re.IGNORECASE,
)
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}
_PERIOD = re.compile(
    r"\b(?:(?:in|during|by|before|within|for|throughout|over|by\s+the\s+end\s+of|before\s+the\s+"
    r"end\s+of|no\s+later\s+than\s+the\s+end\s+of)\s+)?"
    r"(?:the\s+(?P<half>first|second)\s+(?:half|semester)\s+of\s+(?:the\s+year\s+)?(?P<hy>\d{4})"
    r"|the\s+(?P<quarter>first|second|third|fourth|last)\s+quarter\s+of\s+(?:the\s+year\s+)?"
    r"(?P<qy>\d{4})"
    r"|the\s+(?:(?P<b1>\d{4})\s*[-–/]\s*(?P<b2>\d{2,4})\s+biennium|biennium\s+(?P<b3>\d{4})\s*"
    r"[-–/]\s*(?P<b4>\d{2,4})))"
    # "during the year 2010", "in the course of 2010"; a bare "in 2010" is too loose.
    r"|\b(?:during|in|throughout|in\s+the\s+course\s+of)\s+the\s+(?:calendar\s+)?year\s+"
    r"(?P<y>\d{4})(?!\s*[-–]\s*\d)"
    r"|\b(?:during|in\s+the\s+course\s+of)\s+(?P<y2>\d{4})(?![-–/]\d)",
    re.IGNORECASE,
)
_BY_DATE = re.compile(
    r"\b(?P<prep>by\s+no\s+later\s+than|no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|"
    r"by|before|prior\s+to|until)\s+"
    r"(?:(?P<end>the\s+end\s+of\s+(?:the\s+year\s+)?)?(?:"
    rf"{_DATE_MDY}|{_DATE_DMY}|{_DATE_ISO}|{_DATE_MY}|(?P<yy>\d{{4}})(?![-–/]\d)))",
    re.IGNORECASE,
)
