"""Meaning: a parsed paragraph as JSON; footnote markers; title case."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import lexicon
from .directory import OrganDirectory

if TYPE_CHECKING:
    from .paragraphs import _Node


class ParagraphMeaning:
    """A paragraph node as the JSON shape, with its organs and deadlines."""

    def paragraph_json(self, node: _Node, inherited: list[str]) -> dict:
        self.check_time()
        text = repair_hyphens(strip_footnote_markers(node.text()))
        addressees, others = self.organs(text, node)
        lead = addressees or inherited
        if inherited and _INFINITIVE_TASK.match(text):
            # "7. Requests the Secretary-General: (a) To continue …; (b) To encourage Member
            # States …": the tasks are the addressee's, whoever they name.
            lead = list(dict.fromkeys([*inherited, *addressees]))
        organs = list(dict.fromkeys([*lead, *others]))
        data = {
            "label": node.label,
            "text": text,
            "organs": organs,
            "deadlines": self.deadlines(text, node),
        }
        if node.children:
            data["children"] = [self.paragraph_json(child, lead) for child in node.children]
        return data


_INFINITIVE_TASK = re.compile(r"^(?:To|To\s+also|Also\s+to)\s+[a-z]")


def repair_hyphens(text: str) -> str:
    """ "eighty- third", "confidence- building": a hyphen at a PDF line end, kept, its space
    dropped; "pre- and post-conflict" (a hyphen that waits for its noun) is left alone."""
    return re.sub(r"(?<=[a-z])- (?!(?:and|or|nor|to|y|e|et|ou|o)\b)(?=[a-z])", "-", text)


def strip_footnote_markers(text: str) -> str:
    """Remove footnote markers where they cannot be anything else: digits glued to the end of
    a lowercase word or to its closing punctuation ("families;1 and", "families.2"), "1/" after
    a word, and "[1]"."""
    text = re.sub(r"\s?\[\^?\d{1,3}\]", "", text)
    # A year, its comma, then the marker: "in 2024,6 and" (UN texts as PyMuPDF gives them).
    text = re.sub(r"(?<=\b\d{4}[,;])\d{1,2}(?=\s)", "", text)
    text = re.sub(
        r"(?<=[a-z]{2}[.,;:”\"’)])\s?\d{1,2}/(?=\s|$)|(?<=[a-z]{3})\s?\d{1,2}/(?=\s|$)", "", text
    )

    def glued(match):
        word = match.group("word")
        if word.lower() in _ABBREVIATIONS:
            return match.group()
        return match.group("keep")

    return re.sub(
        r"(?P<keep>(?<![\w/])(?P<word>[A-Za-z]*[a-z]{2})[.,;:”\"’)]?)\d{1,2}(?=[\s,;:.]|$)",
        glued,
        text,
    )


_ABBREVIATIONS = {"doc", "para", "paras", "art", "arts", "vol", "res", "add", "rev", "corr"}

# --------------------------------------------------------------------------------------------
# Title case
# --------------------------------------------------------------------------------------------

_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "nor",
    "but",
    "of",
    "for",
    "in",
    "on",
    "to",
    "at",
    "by",
    "with",
    "from",
    "as",
    "via",
    "into",
    "upon",
    "against",
}
_ALL_SMALL_WORDS = _SMALL_WORDS | set(lexicon.merged("SMALL_WORDS"))
_KEEP_UPPER = {
    "OAS",
    "UN",
    "II",
    "III",
    "IV",
    "VI",
    "VII",
    "VIII",
    "IX",
    "XI",
    "XII",
    "HIV",
    "AIDS",
}


def title_case(text: str, directory: OrganDirectory | None = None) -> str:
    """ "THE HUMAN RIGHTS OF ALL MIGRANT WORKERS" -> "The Human Rights of All Migrant Workers":
    small words lowercase except the first; acronyms of the organ directory stay upper."""
    keep = set(_KEEP_UPPER)
    if directory is not None:
        keep.update(a for a in directory.names if a.isupper())
    words = text.split()
    out = []
    for index, word in enumerate(words):
        core = word.strip("()[],;:.“”\"'’")
        if core in keep or re.fullmatch(r"[A-Z]+/[A-Z]+.*|\d.*", core):
            out.append(word)
            continue
        lower = word.lower()
        if index > 0 and core.lower() in _ALL_SMALL_WORDS and not out[-1].endswith(":"):
            out.append(lower)
            continue
        out.append(
            "-".join(
                re.sub(r"^([^a-z]*)([a-z])", lambda m: m.group(1) + m.group(2).upper(), part)
                for part in lower.split("-")
            )
        )
    return " ".join(out)
