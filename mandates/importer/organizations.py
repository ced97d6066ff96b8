"""Meaning, organization: whose resolution is this (OAS, UN, ...)?

Recognised from the header only (symbol patterns first, then the organization's names), never
from the preamble, where other organizations' resolutions are cited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Used when the parser runs without a database (organs and sessions given in memory); the
# database's Organization rows (admin-editable) are used otherwise. Kept in step with the
# data migration that creates them.
DEFAULTS = [
    {
        "code": "oas",
        "acronym": "OAS",
        "names": [
            "Organization of American States",
            "Organización de los Estados Americanos",
            "Organisation des États Américains",
            "Organização dos Estados Americanos",
        ],
        "patterns": [
            r"\b(?:AG|CP|CIDI|CJI)\s*/\s*(?:RES|DEC)\s*\.",
            r"\bOEA\s*/\s*Ser\s*\.",
            r"\bOAS\s*/\s*Ser\s*\.",
        ],
    },
    {
        "code": "un",
        "acronym": "UN",
        "names": ["United Nations", "Naciones Unidas", "Nations Unies", "Nações Unidas"],
        "patterns": [
            r"\b(?:A|S|E)\s*/\s*RES\s*/\s*\d+",
            r"\bA\s*/\s*HRC\s*/\s*RES\s*/",
            r"^\s*\d{1,3}/\d{1,4}\.\s+\S",
        ],
    },
]

# How far into the text the header can reach.
HEADER_LINES = 40


@dataclass(frozen=True)
class Detected:
    code: str
    how: str  # "given", "symbol", "name" or "default"


def known(organizations: Iterable | None = None) -> list[dict]:
    """Organizations as dicts (code, acronym, names, patterns), from rows, dicts or DEFAULTS."""
    if organizations is None:
        return DEFAULTS
    out = []
    for item in organizations:
        if isinstance(item, dict):
            out.append(item)
        else:
            out.append(
                {
                    "code": item.code,
                    "acronym": item.acronym,
                    "names": [item.name, *item.name_list()],
                    "patterns": item.pattern_list(),
                }
            )
    return out


def from_database() -> list[dict]:
    from ..models import Organization

    rows = list(Organization.objects.all())
    return known(rows) if rows else DEFAULTS


def detect(header: str, organizations: list[dict], given: str | None = None) -> Detected:
    """The organization of a text from its header: the earliest symbol pattern that matches,
    else a line that is one of its names ("United Nations"), else the OAS."""
    if given:
        return Detected(given.strip().lower(), "given")
    best: tuple[int, str] | None = None
    for organization in organizations:
        for pattern in organization.get("patterns", []):
            try:
                match = re.search(pattern, header, re.MULTILINE)
            except re.error:
                continue  # a bad pattern typed in the admin must not stop every import
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), organization["code"])
    if best:
        return Detected(best[1], "symbol")
    for line in header.splitlines():
        stripped = " ".join(line.split()).casefold()
        for organization in organizations:
            names = [n.casefold() for n in organization.get("names", [])]
            if any(stripped == n or stripped.startswith(n + " ") for n in names):
                return Detected(organization["code"], "name")
    return Detected("oas", "default")
