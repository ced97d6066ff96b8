"""Layout: numbered lines -> header (symbol, title, adoption), preamble, operative part."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from ..models import from_roman
from .dates import _FULL_DATE, _date_from_match
from .meaning import title_case
from .reading import _clean, _Line
from .results import ImportFailed

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
    r"^\s*\(?\s*(?:\(\s*)?(?:resolution\s+|declaration\s+)?(?:adopted|approved)\b", re.IGNORECASE
)
# "THE GENERAL ASSEMBLY," opens the preamble; an all-caps title ("THE RIGHTS OF THE CHILD")
# has no comma.
_PREAMBLE_START = re.compile(
    r"^\s*THE\s+(?:(?:GENERAL\s+ASSEMBLY|PERMANENT\s+COUNCIL)\s*[,:]?|[A-Z][A-Z\s\-]{3,80},)\s*$"
)
_TRIGGER_WORDS = r"RESOLVES|DECIDES|DECLARES|RESOLVE|RESUELVE|DECIDE|AGREES|RESOLVES\s+TO"
_TRIGGER = re.compile(
    rf"^(?P<before>.*?)(?:^|\s)(?P<word>{_TRIGGER_WORDS})\s*:\s*(?:\d{{1,2}}/|\d{{1,2}}\s*$)?"
    r"(?P<after>.*)$"
)
_TRIGGER_ANYCASE = re.compile(rf"^\s*(?P<word>{_TRIGGER_WORDS})\s*:\s*$", re.IGNORECASE)
_END_MARKER = re.compile(
    r"^\s*(?:foot\s*notes?|notes|annex(?:es)?(?:\s+[IVX\d]+)?|anexo|appendix|\*\s*\*\s*\*"
    r"|-\s+-\s+-)\s*:?\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*(?:_{3,}|-{5,}|—{3,})\s*$")


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

    def find_symbol(self, head: list[_Line]):
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
        self.warn(
            None,
            _(
                "No resolution symbol (such as AG/RES. 2289 (XXXVII-O/07)) was found before the "
                "operative part; enter it before saving."
            ),
        )
        return None, "", "other", None

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
                self.warn(
                    line.number,
                    _("The adoption note gives no date; enter the adoption date before saving."),
                )
            return index, note, adopted
        return None, "", None

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
        match = _SYMBOL.fullmatch(stripped)
        return bool(match and symbol and _SYMBOL.fullmatch(symbol))

    def find_title(self, head, symbol_line, adoption_index, preamble_index) -> str:
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
            self.warn(None, _("No title was found; enter it before saving."))
            return ""
        # A footnote marker glued to the end of the title: "FAMILIES1" or "FAMILIES 1/".
        title = re.sub(r"(?<=[A-Za-z.”\"’)])\s?\d{1,2}/?$|\s\d{1,2}/$", "", title).strip()
        if title.isupper() or not any(c.islower() for c in title):
            title = title_case(title, self.directory)
        return title

    def build_preamble(self, lines: list[_Line]) -> str:
        blocks: list[str] = []
        previous = ""
        for line in lines:
            text = _clean(line.text)
            if not text:
                continue
            ended = re.search(r"[;:.,]$|;\s*(?:and|or)$", previous) or previous.isupper()
            # "HAVING SEEN", "NOTING", "CONSIDERING:" open a paragraph; "OAS" after a
            # wrapped line does not.
            caps = re.match(r"^[A-Z][A-Z\-]{3,}(?![\w./])", text)
            starts_block = (
                not blocks
                or (caps and (ended or re.match(r"^[A-Z]+(?:ING|ED)\b", text)))
                or (ended and not previous.endswith(",") and re.match(r"^[\"“‘'(\[A-Z]", text))
            )
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
