"""Meaning, deadlines: dates, periods, sessions and terms a paragraph sets."""

from __future__ import annotations

import bisect
import datetime
import heapq
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import from_roman
from . import lexicon
from .dates import (
    _CONVENE_FOR,
    _DATE_DMY,
    _DATE_ISO,
    _DATE_MDY,
    _DATE_MY,
    _LOOKS_LIKE_DEADLINE,
    _MONTHS,
    _PERIODIC,
    _RECURRING,
    _add_months,
    _date_from_match,
    _month_end,
    _next_yearly,
    first_occurrence,
    periodic_rule,
)
from .paragraphs import _Node
from .reading import _clean

# Bodies whose resolutions count their own sessions ("at its fifty-sixth session" of the Human
# Rights Council), which are not the General Assembly's numbered sessions.
_OWN_SESSIONS_BODY = re.compile(r"^(A/HRC|E|S)/")
_OWN_SESSIONS_BODIES = {
    "A/HRC": gettext_lazy("Human Rights Council"),
    "E": gettext_lazy("Economic and Social Council"),
    "S": gettext_lazy("Security Council"),
}
_GENERAL_ASSEMBLY = re.compile(
    r"General\s+Assembly|Asamblea\s+General|Assembl[ée]e\s+g[ée]n[ée]rale|Assembleia\s+Geral",
    re.IGNORECASE,
)


class DeadlineMeaning:
    """Deadlines in a paragraph's own text."""

    def deadlines(self, text: str, node: _Node) -> list[dict]:
        # Each finder's spans are kept unless an earlier finder took an overlapping one. Both
        # lists are sorted, so one sweep per finder does it: linear in the number of phrases,
        # whatever the paragraph's length (a 4 MB paragraph of deadlines was quadratic).
        found: list[tuple[int, int, list[dict]]] = []
        for finder in (
            self.session_deadlines,
            self.within_deadlines,
            self.period_deadlines,
            self.recurring_deadlines,
            self.periodic_deadlines,
            self.convene_deadlines,
            self.date_deadlines,
        ):
            self.check_time()
            kept = []
            j = 0
            for start, end, items in sorted(finder(text, node), key=lambda item: item[0]):
                while j < len(found) and found[j][1] <= start:
                    j += 1
                if j < len(found) and found[j][0] < end:
                    continue
                if kept and kept[-1][1] > start:
                    continue
                kept.append((start, end, items))
            found = list(heapq.merge(found, kept, key=lambda item: item[0]))
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
        self.report_unread_deadlines(text, node, found)
        return result

    def report_unread_deadlines(self, text: str, node: _Node, found) -> None:
        """Wording that looks like a deadline ("by the end of the biennium", "before its next
        meeting in 2027") but that no rule read: said, so that a person decides."""
        starts = [start for start, _end, _items in found]
        for match in _LOOKS_LIKE_DEADLINE.finditer(text):
            index = bisect.bisect_right(starts, match.end()) - 1
            if index >= 0 and found[index][1] > match.start():
                continue  # read already (overlaps a deadline found)
            self.warn(
                node.line_at(match.start()),
                _(
                    "¶%(label)s: “%(wording)s” looks like a deadline but was not read as one; "
                    "add it if it is one."
                )
                % {"label": node.label, "wording": _clean(match.group())},
            )

    def session_deadlines(self, text: str, node: _Node):
        for match in _SESSION_LIST.finditer(text):
            tail = text[match.end() : match.end() + 60]
            other_body = re.match(r"\s+of\s+(?:the\s+)?(?!General Assembly)([A-Z][\w-]*)", tail)
            if other_body and not tail.lstrip().startswith("of the OAS"):
                continue
            lead = _session_lead(text, match.start())
            body = _OWN_SESSIONS_BODY.match(getattr(self, "symbol", "") or "")
            before = text[max(0, match.start() - 80) : match.start()]
            if body and not _GENERAL_ASSEMBLY.search(before):
                # "at its fifty-sixth session" in a Human Rights Council text: the Council's
                # own session, which the directory (General Assembly sessions) does not hold.
                self.warn(
                    node.line_at(match.start()),
                    _(
                        "¶%(label)s: “%(wording)s” is a session of the %(body)s, not of the "
                        "General Assembly; the directory has no date for it: enter the "
                        "deadline's date before saving."
                    )
                    % {
                        "label": node.label,
                        "wording": _clean(f"{lead}{match.group()}"),
                        "body": _OWN_SESSIONS_BODIES[body.group(1)],
                    },
                )
                continue
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
        word = _ordinal_key(written)
        if word == "next":
            return self.session + 1 if self.session else None
        if word in _ORDINALS:
            return _ORDINALS[word]
        digits = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", word)
        if digits:
            return int(digits.group(1))
        return from_roman(written) if written.isupper() else None

    def recurring_deadlines(self, text: str, node: _Node):
        """ "by 31 May annually": recorded as recurring, with its rule (iCalendar RRULE) and
        the first occurrence on or after the adoption as its due date."""
        for match in _RECURRING.finditer(text):
            g = match.groupdict()
            day = int(g["d1"] or g["d2"] or g["d3"])
            month = _MONTHS[(g["m1"] or g["m2"] or g["m3"]).lower()]
            try:
                datetime.date(2000, month, day)  # a leap year: 29 February is a real rule
            except ValueError:
                continue
            wording = _clean(match.group())
            rule = f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"
            due = _next_yearly(self.adopted_on, month, day) if self.adopted_on else None
            yield self.recurring_item(match, node, wording, due, rule)

    def recurring_item(self, match, node: _Node, wording: str, due, rule: str):
        """A recurring deadline's span and item; without an adoption date it has no first
        due date, and the person importing is told."""
        if due is None:
            self.warn(
                node.line_at(match.start()),
                _("¶%(label)s: “%(wording)s” needs the adoption date.")
                % {"label": node.label, "wording": wording},
            )
        item = {
            "due_on": due.isoformat() if due else None,
            "session": None,
            "wording": wording,
            "recurrence": rule,
        }
        return match.start(), match.end(), [item]

    def periodic_deadlines(self, text: str, node: _Node):
        """ "to report every 90 days", "cada seis meses": recurring from the adoption, its rule
        recorded (iCalendar RRULE) and the first period's end as the due date."""
        for match in _PERIODIC.finditer(text):
            rule = periodic_rule(match)
            if rule is None:
                continue
            frequency, count, text_rule = rule
            wording = _clean(match.group())
            due = first_occurrence(self.adopted_on, frequency, count) if self.adopted_on else None
            yield self.recurring_item(match, node, wording, due, text_rule)

    def convene_deadlines(self, text: str, node: _Node):
        """ "to convoke a special session … for September 21, 2001": the date the meeting is
        convoked for is when the mandate falls due. ("To convene a meeting … on February 13"
        only says when a meeting sits, as the OAS writes it: no deadline.)"""
        for match in _CONVENE_FOR.finditer(text):
            due = _date_from_match(match)
            if due is None:
                continue
            yield (
                match.start("when"),
                match.end(),
                [{"due_on": due.isoformat(), "session": None, "wording": _clean(match["when"])}],
            )

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


def _ordinal_key(word: str) -> str:
    """ "Eighty- third", "cuadragésimo primer", "quarante et unième" -> one spelling."""
    return re.sub(r"[-–\s]+", "-", word.strip().lower())


_ORDINALS = {_ordinal_key(word): value for word, value in lexicon.ordinals().items()}


def _alternation(words) -> str:
    return "|".join(
        sorted({re.sub(r"[-\s]", r"[-–\\s]\\s*", w) for w in words}, key=len, reverse=True)
    )


# Built from the parts, not the ~1,500 compounds: a far smaller pattern to try at every
# position. It also accepts impossible compounds ("first-first"), which the table then rejects.
_UNIT_WORDS = _alternation(lexicon.merged_map("ORDINAL_UNITS"))
_TEN_WORDS = _alternation(lexicon.merged_map("ORDINAL_TENS"))
_TENS_THEN_UNIT = _alternation(
    {**lexicon.merged_map("CARDINAL_TENS"), **lexicon.merged_map("ORDINAL_TENS")}
)
_ORDINAL_WORD = (
    rf"(?:(?:{_TENS_THEN_UNIT})(?:[-–\s]\s*(?:et[-\s]+)?)(?:{_UNIT_WORDS})"
    rf"|{_TEN_WORDS}|{_UNIT_WORDS})"
)
_ORDINAL = rf"(?:(?i:{_ORDINAL_WORD}|next|\d{{1,3}}(?:st|nd|rd|th))|[IVXLC]{{1,8}})"
_LIST_LEAD = (
    r"(?:(?:prior|previous)\s+to\s+|at\s+|to\s+|before\s+|for\s+|by\s+|during\s+)?"
    r"(?:both\s+)?(?:the\s+|its\s+)?"
)
_SESSION_LIST = re.compile(
    rf"(?<![\w-])(?P<list>{_ORDINAL}(?:\s*(?:,\s*(?:and\s+)?|\s(?:and|or)\s+){_LIST_LEAD}{_ORDINAL})*)"
    rf"\s+(?P<noun>(?i:{'|'.join(lexicon.merged('SESSION_NOUNS'))}))(?i:s)?\b"
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
