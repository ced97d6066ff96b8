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

    def paragraph_json(
        self, node: _Node, inherited: list[str], inherited_kind: str | None = None
    ) -> dict:
        self.check_time()
        text = repair_hyphens(strip_footnote_markers(node.text()))
        addressees, others = self.organs(text, node)
        lead = addressees or inherited
        task = bool(inherited and _INFINITIVE_TASK.match(text))
        if task:
            # "7. Requests the Secretary-General: (a) To continue …; (b) To encourage Member
            # States …": the tasks are the addressee's, whoever they name.
            lead = list(dict.fromkeys([*inherited, *addressees]))
        organs = list(dict.fromkeys([*lead, *others]))
        kind = paragraph_kind(text, addressees, inherited_kind)
        data = {
            "label": node.label,
            "text": text,
            "kind": kind,
            "organs": organs,
            "deadlines": self.deadlines(text, node),
        }
        if node.children:
            data["children"] = [self.paragraph_json(child, lead, kind) for child in node.children]
        return data


# --------------------------------------------------------------------------------------------
# Kinds of paragraph: instructs an organ / calls on states / declaratory
# --------------------------------------------------------------------------------------------

INSTRUCTS, CALLS_ON_STATES, DECLARATORY = "instructs", "calls_on_states", "declaratory"
# The directory's "organs" that are the states themselves (OAS and UN).
STATE_ORGANS = frozenset({"MS", "UNMS"})
# "To strongly condemn", "Also reaffirms", "Reafirmar", "Réaffirme": the operative verb after
# the infinitive's "to" and an adverb or two.
_LEAD_IN = (
    r"^[\s\"“(]*(?:(?:to|also|further|strongly|firmly|once\s+again|again|furthermore|"
    r"nuevamente|asimismo|de|également|aussi|tamb[ée]m|igualmente)\s+|d['’]\s*)*"
)
_DECLARATORY = re.compile(
    _LEAD_IN + r"(?:" + "|".join(lexicon.merged("DECLARATORY_VERBS")) + r")\b", re.IGNORECASE
)
_DUTY_OF_STATES = re.compile("|".join(lexicon.merged("DUTY_OF_STATES")), re.IGNORECASE)
_STATES = re.compile(r"\b(?:" + "|".join(lexicon.merged("STATES_WORDS")) + r")\b", re.IGNORECASE)
# The states must be named in the paragraph's opening to be its addressee ("To encourage
# member states to …", "Instar a los Estados Miembros"), not somewhere in a later clause.
_OPENING_LENGTH = 100


def paragraph_kind(text: str, addressees: list[str], inherited: str | None = None) -> str:
    """The kind proposed for a paragraph, from its operative verb and its addressee (staff
    confirm it in the review):

    - declaratory: it opens with a verb that orders nothing ("To condemn", "Reafirmar",
      "Exprime", "Toma nota"), unless it states a duty of the states (calls on states);
    - a sub-paragraph of a paragraph that instructs an organ carries out that instruction;
    - calls on states: the operative verb addresses the states alone ("To urge member states",
      "Exhorter les États"), or, no organ being addressed, the opening names the states;
    - instructs an organ: otherwise (an organ is addressed, or the resolution acts itself:
      "To convene a meeting of the CAJP"). A sub-paragraph that says nothing of its own
      keeps its parent's kind.
    """
    if _DECLARATORY.match(text):
        return CALLS_ON_STATES if _DUTY_OF_STATES.search(text) else DECLARATORY
    if inherited == INSTRUCTS:
        return INSTRUCTS
    if addressees:
        return CALLS_ON_STATES if set(addressees) <= STATE_ORGANS else INSTRUCTS
    states = _STATES.search(text)  # searched whole: "Estados Americanos" is not cut short
    if states is not None and states.start() < _OPENING_LENGTH:
        return CALLS_ON_STATES
    return inherited or INSTRUCTS


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
