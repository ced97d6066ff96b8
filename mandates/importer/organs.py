"""Meaning, organs: which organs a paragraph makes responsible."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from . import lexicon
from .directory import _ORGAN_NOUNS

if TYPE_CHECKING:
    from .paragraphs import _Node


class OrganMeaning:
    """Organs a paragraph addresses, and names that look like organs but are unknown."""

    def organs(self, text: str, node: _Node) -> tuple[list[str], list[str]]:
        """(addressees, others): organs the operative verbs address, then those named as
        cooperating, supporting, convened or receiving a report, each in reading order."""
        mentions = self.directory.find(text)
        addressees: list[tuple[int, str]] = []
        others: list[tuple[int, str]] = []
        # Where a name not in the directory would have been responsible: ("np", start, end)
        # for a whole addressee phrase, ("list", start, end) for names right at ``start``.
        slots: list[tuple[str, int, int]] = []

        def within(start, end):
            return [m for m in mentions if m[0] >= start and m[1] <= end]

        for match in _addressee_matches(text):
            if match.start() > 0:
                before = text[: match.start()].rstrip()
                # Only the resolution's own verbs: "To request", "; and to urge", "and in this
                # regard requests", not "to consider inviting" or "member states to invite"
                # inside a clause, nor "the requests of" (a noun).
                if not _OWN_VERB_BEFORE.search(before):
                    continue
            start = match.end()
            if match.group("that"):
                # "To request that, …, the Secretary General follow up": the subject.
                end = _clause_end(text, start)
                subject = None
                for m in within(start, end):
                    # The subject is not the object of a preposition ("in cooperation with
                    # the OAE") and is followed by its verb, maybe after a parenthesis.
                    tokens = re.findall(r"\w+|[^\w\s]", text[start : m[0]])
                    while tokens and tokens[-1].lower() in {"the", "its", "all", "relevant"}:
                        tokens.pop()
                    if tokens and tokens[-1].lower() in _FUNCTION_WORDS - {"that"}:
                        continue
                    word = re.match(
                        r"(?:\s*\([^)]{1,20}\))?(?:\s*,[^,;]{1,120},)?\s*([a-z]+)", text[m[1] :]
                    )
                    if word and word.group(1) not in _FUNCTION_WORDS:
                        subject = m
                        break
                if subject:
                    addressees.append((subject[0], subject[2]))
                else:
                    slots.append(("subject", start, end))
                continue
            end = _addressee_end(text, start)
            addressees.extend((m[0], m[2]) for m in within(start, end))
            slots.append(("np", start, end))
        for pattern, target in ((_ATTENTION, addressees), (_CONVENE, others)):
            for match in pattern.finditer(text):
                start = match.end()
                found = within(start, _phrase_end(text, start))
                if found:
                    target.append((found[0][0], found[0][2]))
                else:
                    slots.append(("list", start, _phrase_end(text, start)))
        for match in _SUPPORT.finditer(text):
            start = match.end()
            others.extend((m[0], m[2]) for m in _leading_list(text, start, mentions))
            slots.append(("list", start, _phrase_end(text, start)))
        for match in _REPORT.finditer(text):
            limit = _clause_end(text, match.end())
            for m in mentions:
                if m[0] < match.end() or m[0] > min(limit, match.end() + 160):
                    continue
                between = text[match.end() : m[0]]
                if _RECIPIENT_BEFORE.search(between) and not _NOT_RECIPIENT.search(between):
                    # "to the Permanent Council and the General Assembly": all of them.
                    others.extend((r[0], r[2]) for r in _leading_list(text, m[0], mentions))
                    break
            else:
                to = re.match(r"\s*(?:[\w-]+\s+){0,6}?to\s+", text[match.end() : limit])
                if to and not _NOT_RECIPIENT.search(to.group()):
                    start = match.end() + to.end()
                    slots.append(("list", start, limit))
        self.report_unknown(text, node, mentions, slots)
        addressees.sort()
        return (
            list(dict.fromkeys(a for _pos, a in addressees)),
            [a for _pos, a in sorted(others)],
        )

    def report_unknown(self, text, node, mentions, slots):
        """Warn about organ-looking names in responsible positions that the directory lacks."""
        names: list[tuple[int, str]] = []
        for mode, start, end in slots:
            if mode == "list":
                position = start
                while position < end:
                    gap = re.match(
                        r"(?:\s|,|\band\b|\bor\b|\bthe\b|\bits\b|\brelevant\b)*", text[position:end]
                    )
                    position += gap.end()
                    known = next((m for m in mentions if m[0] == position), None)
                    if known:
                        position = known[1]
                        continue
                    match = _ORGAN_LIKE.match(text, position, end)
                    if not match:
                        break
                    names.append((match.start(), match.group()))
                    position = match.end()
                continue
            for match in _ORGAN_LIKE.finditer(text, start, end):
                if mode == "subject":
                    word = re.match(r"\s*([a-z]+)", text[match.end() :])
                    if not word or word.group(1) in _FUNCTION_WORDS:
                        continue
                names.append((match.start(), match.group()))
        for position, name in names:
            name = name.strip()
            if any(m[0] < position + len(name) and position < m[1] for m in mentions):
                continue
            self.warn(
                node.line_at(position),
                _(
                    "¶%(label)s names “%(name)s”, which is not in the organ directory, so it was "
                    "left out; if it is responsible, add it (or an alias) to the directory and "
                    "import again."
                )
                % {"label": node.label, "name": name},
            )


# --------------------------------------------------------------------------------------------
# Organs: where a name makes an organ responsible
# --------------------------------------------------------------------------------------------

_ADDRESSEE_VERBS = (
    r"request|instruct|urge|encourage|invite|call\s+upon|call\s+on|entrust|ask|direct|"
    r"mandate|charge|task|exhort|commission|recommend\s+to|appeal\s+to|reiterate\s+its\s+"
    r"(?:request|call|appeal|invitation|instruction)\s+to|renew\s+its\s+(?:request|call|"
    r"mandate|invitation)\s+to|call\s+upon\s+again|once\s+again\s+(?:urge|request|invite)"
)
_ADDRESSEE = re.compile(
    rf"\b[Tt]o\s+(?:(?:also|further|again|strongly|respectfully|once\s+again)\s+)?"
    rf"(?:{_ADDRESSEE_VERBS})\b(?P<that>\s+that\b)?(?:\s+(?:also|further|again|once\s+again)\b)?"
)
# The same verbs in the third person ("Requests the Secretary-General", the UN's form) and in
# the other languages' tables ("Encomendar a la Secretaría General"), from the lexicon.
_ADDRESSEE_OTHER = re.compile(
    r"(?<![\w-])(?:(?i:also|further|again|strongly|once\s+again|asimismo|también)\s+)?(?i:"
    + "|".join(
        sorted(
            {
                v.replace(" ", r"\s+")
                for v in lexicon.merged("ADDRESSEE_VERBS_3RD")
                + [v for v in lexicon.merged("ADDRESSEE_VERBS") if not v.isascii() or " a" in v]
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b(?P<that>\s+(?:that|que)\b)?"
)
_OWN_VERB_BEFORE = re.compile(
    r"(?:[;,:]|\band|\balso|\bfurther|\bregard|\bend|\by|\basimismo)$", re.IGNORECASE
)


def _addressee_matches(text: str) -> list[re.Match]:
    """Every operative verb whose object is responsible, in reading order."""
    found = list(_ADDRESSEE.finditer(text))
    taken = [(m.start(), m.end()) for m in found]
    for match in _ADDRESSEE_OTHER.finditer(text):
        if not any(s < match.end() and match.start() < e for s, e in taken):
            found.append(match)
    return sorted(found, key=lambda m: m.start())


_FUNCTION_WORDS = {
    "of",
    "and",
    "or",
    "the",
    "in",
    "on",
    "to",
    "for",
    "with",
    "at",
    "by",
    "from",
    "as",
    "which",
    "that",
    "who",
    "its",
    "their",
    "including",
    "such",
    "through",
    "within",
    "under",
    "among",
    "between",
    "into",
}
_ATTENTION = re.compile(r"\b(?:call|draw)(?:s|ing)?\s+(?:the\s+)?attention\s+of\b")
_CONVENE = re.compile(r"\b(?:conven(?:e|es|ing)|convok(?:e|es|ing)|convo(?:car|que|ca))\b")
_SUPPORT = re.compile(
    r"\b(?:in\s+(?:close\s+)?(?:cooperation|coordination|consultation|collaboration|conjunction|"
    r"partnership)\s+with|coordination\s+with|cooperation\s+with|collaboration\s+with|"
    r"dialogue\s+with|working\s+(?:through|with)|acting\s+through|through|with\s+the\s+"
    r"(?:support|assistance|cooperation|collaboration|participation)\s+of|jointly\s+with|"
    r"together\s+with|"
    r"support(?:s|ing)?(?:\s+the\s+(?:work|efforts|activities)\s+of)?|"
    r"(?:conducted|carried\s+out|executed|implemented|organized|undertaken|coordinated|led|"
    r"prepared|administered|managed)\s+by|assisted\s+by|supported\s+by)\b"
)
_REPORT = re.compile(
    r"\b(?:report(?:s|ed|ing)?|present(?:s|ed|ing)?|submit(?:s|ted|ting)?|"
    r"transmit(?:s|ted|ting)?|forward(?:s|ed|ing)?|inform(?:s|ed|ing)?|"
    # Spanish: "que presente a la Asamblea General un informe", "informar al Consejo".
    r"present(?:e|en|ar)|inform(?:e|en|ar)|remit(?:a|an|ir)|transmit(?:a|an|ir))\b",
    re.IGNORECASE,
)
# Between a reporting word and the organ: "... to (the)" or "... sessions of (the)".
_RECIPIENT_BEFORE = re.compile(
    r"(?:^\s*(?:the\s+)?$|(?:^|\s)to\s+(?:the\s+)?$|(?:^|\s)to\s+(?:the\s+|its\s+)?[^;]*"
    r"\bsessions?\s+of\s+(?:the\s+)?$|(?:^|\s)(?:a\s+la|al|a\s+los|a\s+las)\s+$)"
)
_NOT_RECIPIENT = re.compile(
    r"\b(?:prior|pursuant|according|due|relating|related|with\s+regard|contribute|"
    r"contributions?)\s+to\b"
)
_ORGAN_LIKE = re.compile(
    r"(?:\b[A-Z][\w’'\-]*(?:\s+(?:of|on|for|and|the|against|in|to)?\s*[A-Z][\w’'\-]*)*\s+"
    rf"(?:{_ORGAN_NOUNS})\b(?:\s+(?:of|on|for|against|in)\s+(?:the\s+)?"
    r"[A-Z][\w’'\-]*(?:\s+(?:and\s+)?[A-Z][\w’'\-]*)*)?(?:\s+\([A-Z][\w/.\- ]{1,15}\))?"
    r"|(?<![\w/\-])[A-Z]{3,8}(?![\w/\-]))"
)


def _clause_end(text: str, start: int) -> int:
    match = re.compile(r";").search(text, start)
    return match.start() if match else len(text)


def _addressee_end(text: str, start: int) -> int:
    """Where the addressee after "to request" ends: at "to <verb>", "with", "that"."""
    match = re.compile(
        r"\s(?:to\s+(?!the\b|a\b|an\b|its\b|their\b|this\b|these\b|all\b|each\b|any\b|"
        r"member\b|other\b|[A-Z])[a-z]|with\b|that\b|so\s+as\b|in\s+order\b|que\b|para\b|con\b)"
    ).search(text, start)
    end = match.start() if match else len(text)
    return min(end, start + 400)


def _phrase_end(text: str, start: int) -> int:
    match = re.compile(r"[;]|\swith\s+a\s+view\b|\sin\s+order\b|\.\s").search(text, start)
    return min(match.start() if match else len(text), start + 200)


def _leading_list(text: str, start: int, mentions) -> list[tuple[int, int, str]]:
    """The organs listed right after a marker: "with the IACHR, the IOM, and X"."""
    result = []
    position = start
    for mention in mentions:
        if mention[0] < position:
            continue
        gap = text[position : mention[0]]
        if re.fullmatch(r"\s*(?:,?\s*(?:and|or)\s+)?(?:,\s*)?(?:the\s+|its\s+|relevant\s+)*", gap):
            result.append(mention)
            position = mention[1]
            # "(IACHR)" after the name is the same organ.
            paren = re.match(r"\s*\([^)]{1,20}\)", text[position:])
            if paren:
                position += paren.end()
            continue
        # Skip unknown list members ("the IOM,") to reach the known ones after them.
        if re.fullmatch(
            r"(?:\s*,?\s*(?:and\s+)?(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:of|for|on|and|the)?\s*"
            r"[A-Z][\w’'\-()]*)*\s*(?:\([A-Z]{2,8}\))?\s*,)+\s*(?:and\s+)?(?:the\s+)?",
            gap,
        ):
            result.append(mention)
            position = mention[1]
            continue
        break
    return result
