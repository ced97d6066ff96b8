"""Per-language vocabulary, as data: one table per language (en, es, fr, pt).

Each module defines the same names; the parser merges them, so that adding a word is a change
to a table, never to the parser. Patterns are regular-expression fragments.

- ``MONTHS``: month name -> number;
- ``ORDINAL_UNITS``/``ORDINAL_TENS`` (and ``ORDINAL_EXTRA``): ordinal words -> value; compounds
  ("forty-first", "cuadragésimo primer", "quarante et unième") are built from them;
- ``HEADER_BODIES``: how the adopting body opens the preamble ("The General Assembly,");
- ``TRIGGERS``: words that open the operative part ("RESOLVES:");
- ``ADOPTED``: "adopted"/"approved" as the adoption note says it;
- ``SESSION_NOUNS``: what follows a session's ordinal ("regular session");
- ``ADDRESSEE_VERBS``: operative verbs whose object is responsible ("requests", "encomendar");
- ``ORGAN_ALIASES``: names of directory organs (by acronym) in this language;
- ``END_MARKERS``: lines that end the operative part ("Annex", "plenary meeting").
"""

from __future__ import annotations

from . import en, es, fr, pt

LANGUAGES = {"en": en, "es": es, "fr": fr, "pt": pt}


def merged(name: str) -> list:
    """A list-valued table of every language, English first."""
    out: list = []
    for module in LANGUAGES.values():
        out.extend(getattr(module, name, []))
    return out


def merged_map(name: str) -> dict:
    out: dict = {}
    for module in LANGUAGES.values():
        for key, value in getattr(module, name, {}).items():
            if isinstance(value, list):
                out.setdefault(key, []).extend(value)
            else:
                out.setdefault(key, value)
    return out


def ordinals() -> dict[str, int]:
    """Every ordinal word of every language, lowercased, with compounds up to 99."""
    table: dict[str, int] = {}
    for module in LANGUAGES.values():
        units: dict[str, int] = module.ORDINAL_UNITS
        tens: dict[str, int] = module.ORDINAL_TENS
        joiners: list[str] = module.ORDINAL_JOINERS
        table.update(units)
        table.update(tens)
        table.update(getattr(module, "ORDINAL_EXTRA", {}))
        for ten_word, ten in tens.items():
            for unit_word, unit in units.items():
                if unit >= 10:
                    continue
                for joiner in joiners:
                    table.setdefault(f"{ten_word}{joiner}{unit_word}", ten + unit)
        for ten_word, ten in getattr(module, "CARDINAL_TENS", {}).items():
            for unit_word, unit in units.items():
                if unit < 10:
                    for joiner in joiners:
                        table.setdefault(f"{ten_word}{joiner}{unit_word}", ten + unit)
    return table


def language_of(text: str) -> str:
    """The language of a text: the one whose common words occur most (English on a tie)."""
    import re

    words = re.findall(r"[a-záéíóúñçãõâêôàèùëïü]+", text[:20000].lower())
    scores = {code: 0 for code in LANGUAGES}
    for code, module in LANGUAGES.items():
        common = set(module.COMMON_WORDS)
        scores[code] = sum(1 for word in words if word in common)
    return max(scores, key=lambda code: (scores[code], code == "en"))
