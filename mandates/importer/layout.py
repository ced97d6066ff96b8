"""Layout: numbered lines -> header (symbol, title, adoption), preamble, operative part."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from ..models import from_roman
from . import lexicon
from .dates import _FULL_DATE, _date_from_match
from .meaning import title_case
from .reading import _clean, _Line
from .results import ImportFailed

# The closing line of a UN text: "52nd plenary meeting", "81a. sesión plenaria".
_PLENARY = re.compile(
    r"^\s*\d{1,3}(?:st|nd|rd|th|\.?[ªa]\.?)?\s+(?:plenary\s+meeting|sesi[oó]n\s+plenaria)\b",
    re.IGNORECASE,
)
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,3}\s*[-–—]|\d{1,3}|page\s+\d+(?:\s+(?:of|/)\s+\d+)?|\d+\s*/\s*\d+)\s*$",
    re.IGNORECASE,
)
_SYMBOL = re.compile(
    r"(?P<body>[A-Z]{2,4})\s*/\s*(?P<type>RES|DEC)\s*\.?\s*(?P<num>\d+)\s*\(\s*"
    r"(?P<roman>[IVXLCDM]+)\s*[-–—\s]?\s*(?P<kind>[OE])\s*/\s*(?P<yy>\d{2})\s*\)",
    re.IGNORECASE,
)
_OTHER_SYMBOL = re.compile(
    r"(?P<body>[A-Z]{2,4})\s*/\s*RES\s*\.?\s*(?P<num>\d+)\s*\((?P<rest>[^)]+)\)"
)
_HEADER_LINE = re.compile(
    r"^\s*(?:(?:OEA|OAS)\s*/\s*Ser\b.*|[A-Z]{2,6}/(?:doc|INF|ser|CP|CAJP|RES|DEC)\b.{0,70}"
    r"|original(?:\s+language)?\s*:.*|(?:textual|provisional|final)\s+version\b.*"
    r"|(?:rev|corr|add)\.\s*\d+.*|distribution\s*:.*|(?:agenda\s+)?item\s+\d+.*agenda.*"
    r"|general\s+assembly|permanent\s+council|organi[sz]ation\s+of\s+american\s+states"
    r"|[a-z\-]+\s+(?:regular|special)\s+session|\d{1,2}\s+[a-z]+\s+\d{4}"
    r"|[a-z]+\s+\d{1,2}(?:\s*(?:-|–|to)\s*(?:[a-z]+\s+)?\d{1,2})?,\s*\d{4})\s*$",
    re.IGNORECASE,
)
_ADOPTION = re.compile(
    r"^\s*\(?\s*(?:\(\s*)?(?:resolution\s+|declaration\s+|resoluci[oó]n\s+|r[ée]solution\s+)?"
    rf"(?:{'|'.join(lexicon.merged('ADOPTED'))})\b",
    re.IGNORECASE,
)
# "THE GENERAL ASSEMBLY," opens the preamble; an all-caps title ("THE RIGHTS OF THE CHILD")
# has no comma.
_BODY_HEADER = (
    rf"(?:{'|'.join(lexicon.merged('HEADER_ARTICLES'))})\s*"
    rf"(?:{'|'.join(lexicon.merged('HEADER_BODIES'))})"
)
_PREAMBLE_START = re.compile(
    r"^\s*(?:THE\s+(?:(?:GENERAL\s+ASSEMBLY|PERMANENT\s+COUNCIL)\s*[,:]?|[A-Z][A-Z\s\-]{3,80},)"
    r"|(?:LA|EL|L['’]|A|O)\s+[A-ZÁÉÍÓÚÑÇÊÔ][A-ZÁÉÍÓÚÑÇÊÔ\s\-]{3,80},"
    rf"|(?i:{_BODY_HEADER})\s*[,:]?)\s*$"
)
_TRIGGER_WORDS = "|".join(
    sorted({w.replace(" ", r"\s+") for w in lexicon.merged("TRIGGERS")}, key=len, reverse=True)
)
_TRIGGER = re.compile(
    rf"^(?P<before>.*?)(?:^|\s)(?P<word>{_TRIGGER_WORDS})\s*:\s*(?:\d{{1,2}}/|\d{{1,2}}\s*$)?"
    r"(?P<after>.*)$"
)
_TRIGGER_ANYCASE = re.compile(rf"^\s*(?P<word>{_TRIGGER_WORDS})\s*:\s*$", re.IGNORECASE)
_END_MARKER = re.compile(
    r"^\s*(?:foot\s*notes?|notes|anexo|appendix|\*\s*\*\s*\*|-\s+-\s+-"
    rf"|{'|'.join(lexicon.merged('END_MARKERS'))})\s*:?\s*$",
    re.IGNORECASE,
)
# "Annex" and the title of the annex on one line: "Annex 2025 Political Declaration …".
_ANNEX_LINE = re.compile(r"^\s*(?:annex|anexo|annexe)(?:\s+[IVX\d]+)?(?:\s+[A-Z0-9].*)?$", re.I)
# "1.", "1)" or "(1)" at the start of a line, then the text (maybe on the next lines).
_TOP_LABEL = re.compile(
    r"^(?:\(\s*(?P<n1>\d{1,3})\s*\)|(?P<n2>\d{1,3})\s*[.)])(?:\s+(?P<rest>.*))?$"
)
_SEPARATOR = re.compile(r"^\s*(?:_{3,}|-{3,}|—{3,})\s*$")
# UN layout: "80/28. Transparency in armaments" above the text; the session and number.
# ECOSOC numbers by year: "2024/12. Mainstreaming a gender perspective …".
_UN_TITLE_LINE = re.compile(r"^\s*(?P<session>\d{1,4})/(?P<number>\d{1,4})\.\s+(?P<title>\S.*)$")
_UN_SYMBOL = re.compile(
    r"(?<![\w/])(?P<symbol>(?:A/HRC|A|S|E)\s*/\s*RES\s*/\s*(?:ES-)?\d+(?:\s*/\s*\d+)?"
    r"(?:\s*\(\d{4}\))?)(?![\w/])"
)
# The OAS document code printed at the foot of each page: "CP07950E04", "AG03717S01".
_DOCUMENT_CODE = re.compile(r"[A-Z]{2,4}\d{4,6}[A-Z]\d{2}")
# The body named in a UN header, most specific first: a Human Rights Council document's
# header names the General Assembly too.
_UN_BODIES = {
    "human rights council": "A/HRC",
    "consejo de derechos humanos": "A/HRC",
    "conseil des droits de l'homme": "A/HRC",
    "conselho de direitos humanos": "A/HRC",
    "economic and social council": "E",
    "consejo económico y social": "E",
    "conseil économique et social": "E",
    "conselho econômico e social": "E",
    "general assembly": "A",
    "asamblea general": "A",
    "assemblée générale": "A",
    "assembleia geral": "A",
}
# Running page headers and footers of UN documents: "25-19884 2/4", "2/4 25-19884".
_UN_PAGE_MARK = re.compile(
    r"^\s*(?:\d{2}-\d{5}(?:\s*\(E\))?(?:\s+\d+/\d+)?|\d+/\d+\s+\d{2}-\d{5})\s*$"
)


# The first word of a UN preamble clause: a participle ("Recalling", "Recordando",
# "Rappelant", "Reafirmando", "Convinced", "Preocupada") or one of the adjectives the UN
# opens clauses with.
_UN_CLAUSE_START = re.compile(
    r"^(?:[A-ZÁÉÍÓÚÑÇ][a-záéíóúñçàâêôãõü]+(?:ing|ed|ndo|ant|ad[oa]s?|id[oa]s?|ée?s?)"
    r"|Mindful|Aware|Conscious|Cognizant|Desirous|Deeply|Gravely|Also|Further|Consciente"
    r"|Conscientes?|Profundamente|Gravemente)\b"
)


class HeaderLayout:
    """The parts of the text before the operative paragraphs."""

    def find_trigger(self, lines: list[_Line]) -> tuple[int, str]:
        for index, line in enumerate(lines):
            text = line.text.strip()
            match = _TRIGGER.match(text) or None
            if match is None:
                anycase = _TRIGGER_ANYCASE.match(text)
                if anycase:
                    self.trigger_before = ""
                    return index, ""
                continue
            before = match.group("before").strip()
            # "RESOLVES:" ends a sentence of the preamble or stands alone; never mid-sentence.
            if before and not re.search(r"(?:[,;:]|\bAssembly|\bCouncil)$", before):
                continue
            self.trigger_before = before
            return index, match.group("after").strip()
        found = self.find_un_operative_start(lines)
        if found is not None:
            self.trigger_before = ""
            return found, lines[found].text.strip()
        found = self.find_numbered_start(lines)
        if found is not None:
            self.trigger_before = ""
            self.warn(
                lines[found].number,
                _(
                    "No “RESOLVES:” line and no “The General Assembly,” preamble: the operative "
                    "part was taken to begin at the first numbered paragraph; check it."
                ),
            )
            return found, lines[found].text.strip()
        last = len(lines)
        while last > 1 and not lines[last - 1].text.strip():
            last -= 1
        raise ImportFailed(
            _(
                "No operative part: the text ends without a line “RESOLVES:” or “DECIDES:” that "
                "opens the numbered paragraphs."
            ),
            line=last,
        )

    def find_un_operative_start(self, lines: list[_Line]) -> int | None:
        """The UN layout has no "RESOLVES:": after "The General Assembly," come the preamble
        paragraphs (ending in commas), then "1. Decides …" — or a single unnumbered paragraph
        ("Adopts the declaration annexed …"). The part ends at "52nd plenary meeting"."""
        start = next((i for i, line in enumerate(lines) if _PREAMBLE_START.match(line.text)), None)
        if start is None:
            return None
        end = next(
            (
                i
                for i in range(start + 1, len(lines))
                if _END_MARKER.match(lines[i].text) or _ANNEX_LINE.match(lines[i].text)
            ),
            len(lines),
        )
        for i in range(start + 1, end):
            match = _TOP_LABEL.match(lines[i].text.strip())
            if match and (match.group("n1") or match.group("n2")) == "1":
                rest = match.group("rest") or ""
                if rest[:1].isupper():
                    return i
        # No "1.": the first block that does not continue the preamble.
        previous = lines[start].text.strip()
        for i in range(start + 1, end):
            text = lines[i].text.strip()
            if not text:
                continue
            # "Adopts the declaration …": a verb in the third person, after a sentence end.
            if (
                re.match(r"^(?:[A-Z][a-z]+(?:s|es)|(?:Also|Further)\s+[a-z]+s)\b", text)
                and not previous.endswith(",")
                and previous[-1:] not in "-–"
            ):
                return i
            previous = text
        return None

    def find_numbered_start(self, lines: list[_Line]) -> int | None:
        """Older or unusual layouts ("Therefore" / "1. The Security Council requests …"): the
        first "1." after some text, followed by a "2." before any end marker. Never the
        first line: a text that is all numbered paragraphs has no heading to read."""
        for i, line in enumerate(lines):
            if _END_MARKER.match(line.text) or _ANNEX_LINE.match(line.text):
                return None
            match = _TOP_LABEL.match(line.text.strip())
            if not match or (match.group("n1") or match.group("n2")) != "1":
                continue
            if not (match.group("rest") or "")[:1].isupper():
                continue
            if not any(earlier.text.strip() for earlier in lines[:i]):
                return None
            for later in lines[i + 1 :]:
                if _END_MARKER.match(later.text) or _ANNEX_LINE.match(later.text):
                    break
                second = _TOP_LABEL.match(later.text.strip())
                if second and (second.group("n1") or second.group("n2")) == "2":
                    return i
            return None
        return None

    def find_symbol(self, head: list[_Line], given_only: bool = False):
        # Only the header: the preamble cites other resolutions, whose symbols are not this one's.
        preamble = next(
            (i for i, line in enumerate(head) if _PREAMBLE_START.match(line.text)), None
        )
        if preamble is not None:
            head = head[:preamble]
        found = self.find_un_symbol(head)
        if found is not None:
            return found
        for index, line in enumerate(head):
            match = _SYMBOL.search(line.text)
            if match:
                g = match.groupdict()
                roman = g["roman"].upper()
                symbol = (
                    f"{g['body'].upper()}/{g['type'].upper()}. {g['num']} "
                    f"({roman}-{g['kind'].upper()}/{g['yy']})"
                )
                body = g["body"].upper()
                kind = {"AG": "ga_resolution", "CP": "pc_resolution"}.get(body, "other")
                if g["type"].upper() == "DEC":
                    kind = "other"
                session = from_roman(roman) if g["kind"].upper() == "O" else None
                return index, symbol, kind, session
            match = _OTHER_SYMBOL.search(line.text)
            if match:
                g = match.groupdict()
                symbol = f"{g['body'].upper()}/RES. {g['num']} ({_clean(g['rest'])})"
                kind = "pc_resolution" if g["body"].upper() == "CP" else "other"
                return index, symbol, kind, None
        given = getattr(self, "given_symbol", "")
        if given and not given_only:
            # Given (--symbol): nothing is missing; its kind and session read from it alone.
            _index, _symbol, kind, session = self.find_symbol([_Line(0, given)], given_only=True)
            return None, "", kind, session
        if given_only:
            return None, "", "other", None
        self.warn(
            None,
            _(
                "No resolution symbol (such as AG/RES. 2289 (XXXVII-O/07) or A/RES/80/28) was "
                "found in the header or the title; give it (--symbol) or enter it before saving: "
                "symbols cited in the preamble are other resolutions'."
            ),
        )
        return None, "", "other", None

    def find_un_symbol(self, head: list[_Line]):
        """A/RES/80/28 as printed in the header, or built from the title line "80/28. …"
        under a "General Assembly" header (with a warning: it was not printed as such)."""
        for index, line in enumerate(head):
            match = _UN_SYMBOL.search(line.text)
            if match and len(line.text.strip()) < 80:
                symbol = re.sub(r"\s+", "", match.group("symbol")).replace("(", " (")
                return index, symbol, *self.un_kind(symbol)
        header = " ".join(_clean(line.text).casefold() for line in head[:12])
        for index, line in enumerate(head):
            match = _UN_TITLE_LINE.match(line.text)
            if not match:
                continue
            body = next((code for name, code in _UN_BODIES.items() if name in header), None)
            if body is None:
                self.warn(
                    line.number,
                    _(
                        "The title line “%(line)s” has a resolution number, but the header names "
                        "no body that gives its symbol; enter the symbol (--symbol)."
                    )
                    % {"line": _clean(line.text)[:60]},
                )
                return None
            symbol = f"{body}/RES/{match.group('session')}/{match.group('number')}"
            self.warn(
                line.number,
                _(
                    "The symbol %(symbol)s was built from the title line “%(number)s.” and the "
                    "header; check it."
                )
                % {"symbol": symbol, "number": f"{match.group('session')}/{match.group('number')}"},
            )
            return index, symbol, *self.un_kind(symbol)
        return None

    @staticmethod
    def un_kind(symbol: str) -> tuple[str, int | None]:
        match = re.fullmatch(r"A/RES/(\d+)/\d+", symbol)
        if match:
            return "ga_resolution", int(match.group(1))
        return "other", None

    def find_adoption(self, head: list[_Line]):
        for index, line in enumerate(head):
            if not _ADOPTION.match(line.text) or _PREAMBLE_START.match(line.text):
                continue
            parts = [line.text]
            # The note may wrap; it ends at its closing parenthesis.
            j = index
            while line.text.lstrip().startswith("(") and ")" not in " ".join(parts):
                j += 1
                if j >= len(head) or not head[j].text.strip() or j > index + 3:
                    break
                parts.append(head[j].text)
            note = _clean(" ".join(parts))
            note = re.sub(r"^\(+\s*|\s*\)+\s*(?:\d{1,2}/?)?$", "", note).strip()
            match = _FULL_DATE.search(note)
            adopted = _date_from_match(match) if match else None
            if adopted is None:
                self.dateless_note = line.number  # said only if no other line gives the date
            return index, note, adopted
        return None, "", None

    def dateless_note_warning(self) -> None:
        if getattr(self, "dateless_note", None) is not None:
            self.warn(
                self.dateless_note,
                _("The adoption note gives no date; enter the adoption date before saving."),
            )

    def closing_date(self, body: list[_Line]) -> datetime.date | None:
        """The date under the closing line of a UN text that prints none in its heading:
        "81st plenary meeting" / "4 December 2000" ("81a. sesión plenaria 4 de diciembre de
        2000"), with a warning: it is the meeting's date, which is the adoption date."""
        for index, line in enumerate(body):
            if not _PLENARY.match(line.text):
                continue
            for candidate in body[index : index + 2]:
                match = _FULL_DATE.search(candidate.text)
                if match and (adopted := _date_from_match(match)):
                    self.warn(
                        candidate.number,
                        _("The adoption date was taken from the closing line “%(line)s”; check it.")
                        % {"line": _clean(line.text)[:60]},
                    )
                    return adopted
            return None
        return None

    def fallback_date(self, head: list[_Line], before_index) -> datetime.date | None:
        for line in head[: before_index if before_index is not None else len(head)]:
            match = _FULL_DATE.fullmatch(line.text.strip())
            if match:
                self.warn(
                    line.number,
                    _(
                        "No “(Adopted at … held on …)” note: the adoption date was taken from "
                        "this header line; check it."
                    ),
                )
                return _date_from_match(match)
        self.warn(None, _("No adoption date was found; enter it before saving."))
        return None

    def is_header(self, text: str) -> bool:
        stripped = text.strip()
        return bool(
            not stripped
            or _PAGE_NUMBER.match(stripped)
            or _HEADER_LINE.match(stripped)
            or (_SYMBOL.search(stripped) and len(stripped) < 60)
            or stripped == "\f"
        )

    def is_noise(self, text: str, symbol: str) -> bool:
        stripped = text.strip()
        if stripped == "\f" or _PAGE_NUMBER.match(stripped):
            return True
        if _UN_SYMBOL.fullmatch(stripped) or _DOCUMENT_CODE.fullmatch(stripped):
            return True  # the running header "A/RES/80/28", the OAS footer "CP07950E04"
        match = _SYMBOL.fullmatch(stripped)
        return bool(match and symbol and _SYMBOL.fullmatch(symbol))

    def find_title(self, head, symbol_line, adoption_index, preamble_index, quiet=False) -> str:
        if getattr(self, "organization", "") == "un" and adoption_index is not None:
            # UN layout: the title stands between "Resolution adopted by …" (and the
            # "[on the report of …]" line) and "The General Assembly,".
            block = []
            for line in head[adoption_index + 1 : preamble_index]:
                text = line.text.strip()
                if not text or text.startswith("[") or self.is_header(text):
                    if block:
                        break
                    continue
                block.append(text)
            title = strip_title_marker(_clean(" ".join(block)))
            if _UN_TITLE_LINE.match(title):
                title = _UN_TITLE_LINE.match(title).group("title")
            if title:
                return title
        if symbol_line is not None and _UN_TITLE_LINE.match(head[symbol_line].text):
            # "80/28. Transparency in armaments", maybe wrapped over the next lines.
            block = [_UN_TITLE_LINE.match(head[symbol_line].text).group("title")]
            for line in head[symbol_line + 1 : preamble_index]:
                if not line.text.strip():
                    break
                block.append(line.text.strip())
            return strip_title_marker(_clean(" ".join(block)))
        end = adoption_index if adoption_index is not None else preamble_index
        block: list[str] = []
        if end is not None:
            i = end - 1
            while i >= 0 and not head[i].text.strip():
                i -= 1
            while i >= 0 and head[i].text.strip() and not self.is_header(head[i].text):
                candidate = head[i].text.strip()
                if block and block[0].isupper() and not candidate.isupper():
                    break
                block.insert(0, candidate)
                i -= 1
        elif symbol_line is not None:
            for line in head[symbol_line + 1 :]:
                if line.text.strip() and not self.is_header(line.text):
                    block = [line.text.strip()]
                    break
        title = _clean(" ".join(block))
        if not title:
            if not quiet:  # a title was given (--title): nothing is missing
                self.warn(None, _("No title was found; enter it before saving."))
            return ""
        title = strip_title_marker(title)
        if title.isupper() or not any(c.islower() for c in title):
            title = title_case(title, self.directory)
        return title

    def build_preamble(self, lines: list[_Line]) -> str:
        blocks: list[str] = []
        previous = ""
        blank_before = False
        for line in lines:
            text = _clean(line.text)
            if not text:
                blank_before = True
                continue
            ended = re.search(r"[;:.,]$|;\s*(?:and|or)$", previous) or previous.isupper()
            # "HAVING SEEN", "NOTING", "CONSIDERING:" open a paragraph; "OAS" after a
            # wrapped line does not.
            caps = re.match(r"^[A-Z][A-Z\-]{3,}(?![\w./])", text)
            starts_block = (
                not blocks
                or (caps and (ended or re.match(r"^[A-Z]+(?:ING|ED)\b", text)))
                or (ended and not previous.endswith(",") and re.match(r"^[\"“‘'(\[A-Z]", text))
                # The UN's clauses end in commas: "Recalling …,", a blank line, "Noting …,".
                # (A footnote number may still follow the comma: "peace,1".)
                or (
                    blank_before
                    and re.search(r",\d{0,2}$", previous)
                    and _UN_CLAUSE_START.match(text)
                )
            )
            blank_before = False
            if starts_block:
                blocks.append(text)
            elif blocks[-1].endswith("/") or (
                blocks[-1].endswith("-") and blocks[-1][-2:-1].isalpha() and text[:1].isalpha()
            ):
                blocks[-1] += text
            else:
                blocks[-1] = f"{blocks[-1]} {text}"
            previous = text
        return "\n\n".join(blocks)

    # -- operative part -------------------------------------------------------------------------


def strip_title_marker(title: str) -> str:
    """A footnote marker glued to the end of the title: "FAMILIES1", "FAMILIES 1/", "[^1]"."""
    title = re.sub(r"\s?\[\^?\d{1,2}\]$", "", title)
    return re.sub(r"(?<=[A-Za-z.”\"’)])\s?\d{1,2}/?$|\s\d{1,2}/$", "", title).strip()
