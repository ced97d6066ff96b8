"""Meaning, citations: which resolutions a text cites.

"RECALLING its resolutions AG/RES. 1717 (XXX-O/00), AG/RES. 1775 (XXXI-O/01) … and 2224
(XXXVI-O/06)", "TENIENDO EN CUENTA la resolución AG/RES. 2141 (XXXV-O/05)", "Recalling its
resolutions 78/150 and 79/161", "its resolution 60/169 of 16 December 2005", "Security Council
resolution 1325 (2000)": every resolution named, as the symbol the tracker stores it under
(``normalize_symbol``), so that a citation meets the cited resolution by its symbol.

The symbols are the header's own patterns (``layout._SYMBOL``, ``_OTHER_SYMBOL`` and
``_UN_SYMBOL``); the evidence reader (mandates/evidence.py) uses the same ones. A bare number
is a resolution only after the word "resolution(s)" (in English, Spanish, French or
Portuguese) or inside an enumeration that a symbol opened: "2130 (XXXV-O/05) and 2224
(XXXVI-O/06)" after "AG/RES. 1775 (XXXI-O/01)" are General Assembly resolutions too. Documents
("CP/CAJP-1487/99", "AG/doc.4548/06", "A/79/123") are not resolutions and are never taken.

Pure text: nothing here reads the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import normalize_symbol
from .dates import _FULL_DATE
from .layout import _OTHER_SYMBOL, _SYMBOL, _UN_SYMBOL

# A snippet longer than this is cut (at a word) and ends with "…".
SNIPPET_CHARS = 300

_KEYWORD = r"(?:resolutions?|resoluci[oó]n(?:es)?|r[ée]solutions?|resolu[çc](?:[ãa]o|[õo]es))"
# "AG/RES. 1717 (XXX-O/00)": an OAS symbol with its session (General Assembly, and the other
# bodies that number resolutions by session). Declarations (AG/DEC.) are not resolutions.
_OAS_FULL = re.compile(_SYMBOL.pattern.replace("(?P<type>RES|DEC)", "(?P<type>RES)"), re.I)
# "CP/RES. 797 (1293/01)": the Permanent Council's (numbered by meeting).
_OAS_OTHER = _OTHER_SYMBOL
# Bare forms, each with the body it implies.
_BARE_SESSION = re.compile(
    r"(?P<num>\d{1,5})\s*\(\s*(?P<roman>[IVXLCDM]+)\s*[-–—]?\s*(?P<kind>[OE])\s*/\s*"
    r"(?P<yy>\d{2})\s*\)",
    re.IGNORECASE,
)
_BARE_MEETING = re.compile(r"(?P<num>\d{1,5})\s*\(\s*(?P<meeting>\d{3,4}/\d{2})\s*\)")
_BARE_SECURITY_COUNCIL = re.compile(r"(?P<num>\d{1,5})\s*\(\s*(?P<year>(?:19|20)\d{2})\s*\)")
_BARE_UN = re.compile(r"(?P<session>(?:ES-)?\d{1,2})\s*/\s*(?P<num>\d{1,4})(?![\d/])")
_BARE_ECOSOC = re.compile(r"(?P<year>(?:19|20)\d{2})\s*/\s*(?P<num>\d{1,4})(?![\d/])")
# What may stand between two items of one enumeration.
_SEPARATOR = re.compile(
    r"(?:\s*[,;]\s*(?:(?:and|y|e|et|or|o|ou)\s+)?|\s+(?:and|y|e|et|or|o|ou)\s+)"
    rf"(?:(?:its|the|sus?|las?|los|ses|les|suas?|as|os)\s+)?(?:{_KEYWORD}\s+)?",
    re.IGNORECASE,
)
# "… of 16 December 2005", "de 16 de diciembre de 2005", "du 16 décembre 2005".
_DATE_AFTER = re.compile(
    rf"\s*,?\s*(?:of|de|del|du|adopted\s+on)\s+(?:{_FULL_DATE.pattern})", re.IGNORECASE
)
_KEYWORD_AT = re.compile(rf"(?<![\w/]){_KEYWORD}\s+", re.IGNORECASE)
# Whose resolution a bare "N/M" is, from the words just before "resolution".
_HRC_BEFORE = re.compile(
    r"(?:Human\s+Rights\s+Council|Consejo\s+de\s+Derechos\s+Humanos"
    r"|Conseil\s+des\s+droits\s+de\s+l['’]homme|Conselho\s+de\s+Direitos\s+Humanos)\W*$",
    re.IGNORECASE,
)
_ECOSOC_BEFORE = re.compile(
    r"(?:Economic\s+and\s+Social\s+Council|Consejo\s+Econ[oó]mico\s+y\s+Social"
    r"|Conseil\s+[ée]conomique\s+et\s+social|Conselho\s+Econ[ôo]mico\s+e\s+Social|ECOSOC)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CitedSymbol:
    symbol: str  # as the tracker stores it: "AG/RES. 2224 (XXXVI-O/06)", "S/RES/1325 (2000)"
    start: int  # where the mention stands in the text
    end: int


@dataclass(frozen=True)
class CitedResolution:
    """One resolution cited by a text, with the enumeration it stands in, verbatim."""

    symbol: str
    snippet: str


def _un(symbol: str) -> str:
    """ "A/RES/ 79/123" -> "A/RES/79/123", "S/RES/1325(2000)" -> "S/RES/1325 (2000)": the
    form the importer gives the symbol of a UN text it reads."""
    return normalize_symbol(re.sub(r"\s+", "", symbol).replace("(", " ("))


def _full_at(text: str, position: int):
    """A full resolution symbol starting at ``position``: (symbol, end, family) or None."""
    for pattern, family in ((_UN_SYMBOL, "un"), (_OAS_FULL, "session"), (_OAS_OTHER, "other")):
        match = pattern.match(text, position)
        if match is None:
            continue
        if family == "un":
            if position > 0 and re.match(r"[\w/]", text[position - 1]):
                continue
            symbol = _un(match.group("symbol"))
            body = symbol.split("/RES/")[0]
            if symbol.startswith("S/"):
                return symbol, match.end(), ("security_council", "S")
            return symbol, match.end(), ("un", body)
        g = match.groupdict()
        if family == "session":
            symbol = normalize_symbol(
                f"{g['body'].upper()}/RES. {g['num']} ({g['roman']}-{g['kind']}/{g['yy']})"
            )
            return symbol, match.end(), ("session", g["body"].upper())
        rest = " ".join(g["rest"].split())
        if not re.fullmatch(r"\d{3,4}/\d{2}", rest):
            return None  # "CP/RES. 1 (something else)": not a form this reader knows
        return f"{g['body'].upper()}/RES. {g['num']} ({rest})", match.end(), ("meeting", "CP")
    return None


def _bare_at(text: str, position: int, family: tuple[str, str] | None, un_body: str):
    """A bare number starting at ``position``, of the enumeration's ``family`` (None after
    the word "resolution": any family, told by its form)."""
    kinds = [family[0]] if family else ["session", "meeting", "security_council", "un", "ecosoc"]
    for kind in kinds:
        if kind == "session":
            match = _BARE_SESSION.match(text, position)
            if match:
                g = match.groupdict()
                body = family[1] if family else "AG"
                symbol = normalize_symbol(
                    f"{body}/RES. {g['num']} ({g['roman']}-{g['kind']}/{g['yy']})"
                )
                return symbol, match.end(), ("session", body)
        elif kind == "meeting":
            match = _BARE_MEETING.match(text, position)
            if match:
                body = family[1] if family else "CP"
                return (
                    f"{body}/RES. {match['num']} ({match['meeting']})",
                    match.end(),
                    (
                        "meeting",
                        body,
                    ),
                )
        elif kind == "security_council":
            match = _BARE_SECURITY_COUNCIL.match(text, position)
            if match:
                return (
                    f"S/RES/{match['num']} ({match['year']})",
                    match.end(),
                    (
                        "security_council",
                        "S",
                    ),
                )
        elif kind == "un":
            match = _BARE_UN.match(text, position)
            if match:
                body = family[1] if family else un_body
                if body == "E":
                    continue  # ECOSOC numbers by year: "2010/12", below
                symbol = f"{body}/RES/{match['session'].upper()}/{match['num']}"
                return symbol, match.end(), ("un", body)
        if kind in ("ecosoc", "un") and (family[1] if family else un_body) == "E":
            # ECOSOC numbers by year ("2010/12"); only where the text says it is the
            # Council's (a "resolution 2005/69" of a commission is not).
            match = _BARE_ECOSOC.match(text, position)
            if match:
                return f"E/RES/{match['year']}/{match['num']}", match.end(), ("un", "E")
    return None


def _un_body_before(text: str, position: int, default: str) -> str:
    before = text[max(0, position - 60) : position]
    if _HRC_BEFORE.search(before):
        return "A/HRC"
    if _ECOSOC_BEFORE.search(before):
        return "E"
    return default


def cited_symbols(text: str, own_symbol: str = "") -> list[CitedSymbol]:
    """Every resolution ``text`` names, in order (repeats kept), as normalised symbols.

    ``own_symbol``: the citing text's symbol, which tells whose "its resolution 15/3" is (a
    Human Rights Council text's own are A/HRC/RES/…); it is never a citation of itself."""
    text = text or ""
    own = normalize_symbol(own_symbol) if own_symbol else ""
    default_un = "A/HRC" if own.startswith("A/HRC/") else "A"
    found: list[CitedSymbol] = []
    position = 0
    while position < len(text):
        start = _next_start(text, position)
        if start is None:
            break
        begin, item_at, keyword = start
        if keyword:
            body = _un_body_before(text, begin, default_un)
            item = _full_at(text, item_at) or _bare_at(text, item_at, None, body)
        else:
            item = _full_at(text, item_at)
        if item is None:
            position = item_at + 1
            continue
        symbol, end, family = item
        found.append(CitedSymbol(symbol, item_at, end))
        # The enumeration goes on while a separator is followed by another item.
        while True:
            dated = _DATE_AFTER.match(text, end)
            if dated:
                end = dated.end()
            separator = _SEPARATOR.match(text, end)
            if separator is None:
                break
            next_at = separator.end()
            after_keyword = bool(re.search(rf"{_KEYWORD}\s+$", separator.group(), re.I))
            body = _un_body_before(text, next_at, default_un) if after_keyword else family[1]
            item = _full_at(text, next_at) or _bare_at(
                text, next_at, None if after_keyword else family, body
            )
            if item is None:
                break
            symbol, end, family = item
            found.append(CitedSymbol(symbol, next_at, end))
        position = end
    return [item for item in found if item.symbol != own]


def _next_start(text: str, position: int):
    """The next place an enumeration can open: the word "resolution(s)" (then the item after
    it) or a full symbol. Returns (start of the snippet, start of the item, after a keyword)."""
    keyword = _KEYWORD_AT.search(text, position)
    symbol_at = None
    for pattern in (_UN_SYMBOL, _OAS_FULL, _OAS_OTHER):
        match = pattern.search(text, position)
        if match and (symbol_at is None or match.start() < symbol_at):
            symbol_at = match.start() if pattern is not _UN_SYMBOL else match.start("symbol")
    if keyword and (symbol_at is None or keyword.start() <= symbol_at):
        return keyword.start(), keyword.end(), True
    if symbol_at is not None:
        return symbol_at, symbol_at, False
    return None


def citations(text: str, own_symbol: str = "") -> list[CitedResolution]:
    """The resolutions ``text`` (one preamble clause or one paragraph) cites, each once, in
    order, with the clause as snippet (cut to ``SNIPPET_CHARS`` around the first mention)."""
    seen: dict[str, CitedResolution] = {}
    for item in cited_symbols(text, own_symbol):
        if item.symbol not in seen:
            seen[item.symbol] = CitedResolution(item.symbol, snippet(text, item.start, item.end))
    return list(seen.values())


def snippet(text: str, start: int, end: int) -> str:
    """The text around a mention, verbatim; cut at words (with "…") when it is long."""
    text = " ".join(text.split()) if len(text) <= SNIPPET_CHARS else text
    if len(text) <= SNIPPET_CHARS:
        return text
    room = max(0, (SNIPPET_CHARS - (end - start)) // 2)
    left, right = max(0, start - room), min(len(text), end + room)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    out = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + out + ("…" if right < len(text) else "")
