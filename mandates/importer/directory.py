"""The organ directory and the sessions the parser matches names and ordinals against."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import lexicon

# --------------------------------------------------------------------------------------------
# The organ directory and the sessions
# --------------------------------------------------------------------------------------------

# Added to the directory's own names when the acronym is there: how resolutions name them.
_EXTRA_ALIASES = {
    "GS": ["Secretary General", "General Secretariat", "Secretariat General"],
    "OAE": [
        "relevant organs, agencies, and entities of the Organization",
        "organs, agencies, and entities of the Organization",
    ],
    "MS": ["member states", "states", "member countries", "states parties"],
}

# Head nouns that make a capitalized name look like an organ.
_ORGAN_NOUNS = (
    "Agency|Assembly|Board|Bureau|Center|Centre|Commission|Committee|Council|Court|Department|"
    "Directorate|Foundation|Group|Institute|Office|Organization|Organisation|"
    "Rapporteur|Rapporteurship|Secretariat|Section|Tribunal|Unit|Network|Bank|Mechanism|"
    "Conference|Observatory|Meeting"
)


@dataclass
class OrganDirectory:
    """Names by which each organ (by key: its acronym, unless two organizations share that
    acronym) is known, matched longest first."""

    names: dict[str, list[str]] = field(default_factory=dict)
    _pattern: re.Pattern | None = None
    _by_group: list[str] = field(default_factory=list)

    @classmethod
    def build(
        cls, organs=None, organization: str | None = None, language: str = "en"
    ) -> OrganDirectory:
        """From Organ rows or organs.json-style dicts (default: the database), with the names
        the lexicon of ``language`` gives them, keeping only
        the organs of ``organization`` (a code) when it is given: "General Assembly" in a UN
        text is the UN's, never the OAS's. Rows and dicts without one belong to the OAS."""
        if isinstance(organs, OrganDirectory):
            return organs
        if organs is None:
            from ..models import Organ

            organs = Organ.objects.select_related("organization")
            if organization:
                organs = organs.filter(organization__code=organization)
            organization = None  # filtered already
        names: dict[str, list[str]] = {}
        for organ in organs:
            if isinstance(organ, Mapping):
                acronym, name = organ.get("key") or organ["acronym"], organ.get("name", "")
                own = organ["acronym"]
                aliases = organ.get("aliases", [])
                if isinstance(aliases, str):
                    aliases = aliases.splitlines()
                owner = organ.get("organization") or "oas"
            else:
                acronym, name, aliases = organ.key, organ.name, organ.alias_list()
                own = organ.acronym
                owner = organ.organization.code if organ.organization_id else "oas"
            if organization and owner != organization:
                continue
            # The key ("UNGA") is a name texts use too; the acronym ("GA") within them.
            names[acronym] = [n for n in [acronym, own, name, *aliases] if n and n.strip()]
        # The names in the text's language only: fewer names to try, a faster match.
        translated = getattr(lexicon.LANGUAGES.get(language), "ORGAN_ALIASES", {})
        for table in (translated, _EXTRA_ALIASES):
            for acronym, extra in table.items():
                if acronym in names:
                    names[acronym].extend(extra)
        return cls(names=names)

    def __contains__(self, acronym) -> bool:
        return acronym in self.names

    @property
    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            variants: dict[str, str] = {}
            for acronym, names in self.names.items():
                for name in names:
                    name = " ".join(name.split())
                    # "the X" and "X" are the same name: the article is matched by context.
                    if name.lower().startswith("the ") and len(name) > 4:
                        name = name[4:]
                    variants.setdefault(name, acronym)
            # Grouped by first letter behind a lookahead, so that at each word only the names
            # that can start there are tried (longest first within the group, as before).
            groups: dict[str, list[str]] = {}
            self._by_group = []
            for name in sorted(variants, key=len, reverse=True):
                alternative = f"(?P<o{len(self._by_group)}>{_name_regex(name)})"
                groups.setdefault(name[:1].lower(), []).append(alternative)
                self._by_group.append(variants[name])
            body = "|".join(
                f"(?={re.escape(first)}|{re.escape(first.upper())})(?:{'|'.join(names)})"
                for first, names in groups.items()
            )
            body = body or "(?!x)x"
            self._pattern = re.compile(rf"(?<![\w/\-.])(?:{body})(?![\w/\-])")
        return self._pattern

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, acronym) of each organ named in the text, left to right."""
        found = []
        for match in self.pattern.finditer(text):
            acronym = self._by_group[int(match.lastgroup[1:])]
            matched = match.group()
            # "States" in "Organization of American States" or "United States" is a name.
            if _is_common_noun_alias(matched) and matched[0].isupper():
                preceding = text[: match.start()].rstrip()
                before = preceding.rsplit(" ", 1)[-1]
                # "Encourages Member States" opens the paragraph: its verb, not a name.
                if before[:1].isupper() and " " in preceding:
                    continue
            found.append((match.start(), match.end(), acronym))
        return found


def _is_common_noun_alias(matched: str) -> bool:
    words = matched.split()
    return all(w.lower() in {"member", "states", "all", "countries", "parties"} for w in words)


def _name_regex(name: str) -> str:
    """A name as a regex: flexible spaces and optional serial comma; acronyms (no lowercase
    letter) match case-sensitively, names case-insensitively."""
    parts = []
    for token in re.split(r"(\s+|,\s+and\s+|['’])", name):
        if not token:
            continue
        if token in {"'", "’"}:
            parts.append("['’]")
        elif re.fullmatch(r",\s+and\s+", token):
            parts.append(r",?\s+and\s+")
        elif token.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(token))
    body = "".join(parts)
    if any(c.islower() for c in name):
        return f"(?i:{body})"
    return body


def sessions_map(sessions=None, organization: str | None = None) -> dict[int, datetime.date | None]:
    """Regular session ordinal -> opening date, from Session rows, dicts or a mapping; only
    the sessions of ``organization`` (a code; rows and dicts without one are the OAS's)."""
    if sessions is None:
        from ..models import Session

        sessions = Session.objects.filter(kind=Session.Kind.REGULAR)
        if organization:
            sessions = sessions.filter(organization__code=organization)
        organization = None
    if isinstance(sessions, Mapping):
        return {int(k): _as_date(v) for k, v in sessions.items()}
    result = {}
    for session in sessions:
        if isinstance(session, Mapping):
            if session.get("kind", "regular") != "regular":
                continue
            if organization and (session.get("organization") or "oas") != organization:
                continue
            result[int(session["ordinal"])] = _as_date(session.get("start_date"))
        elif getattr(session, "kind", "regular") == "regular" and (
            not organization
            or (session.organization.code if session.organization_id else "oas") == organization
        ):
            result[int(session.ordinal)] = session.start_date
    return result


def _as_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))
