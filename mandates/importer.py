"""Read a resolution as the OAS publishes it and propose its structure for review.

Pure parsing: nothing here writes to the database. ``parse_text()`` turns the published text
into the JSON shape that ``mandates.loading.save_instrument`` accepts (plus warnings that name
source lines); ``read_file()`` gets that text out of a .txt, .pdf or .docx file.

The parser reads in four passes:

1. lines: page numbers, running headers and footnote blocks are dropped, line numbers kept;
2. layout: header (symbol, title, adoption note), preamble, ``RESOLVES:``, operative part;
3. paragraphs: numbered paragraphs and their sub-paragraphs (``a.``, ``a)``, ``(a)``, ``i.``),
   wrapped lines joined;
4. meaning: organs named as responsible and deadlines, in each paragraph's own text.

Everything it cannot decide is left out and reported as a warning, never guessed.
"""

from __future__ import annotations

import calendar
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .models import from_roman

# --------------------------------------------------------------------------------------------
# Errors and results
# --------------------------------------------------------------------------------------------


class ImportFailed(Exception):
    """The text cannot be imported; ``line`` (1-based, in the source text) says where."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self):
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class ParseWarning:
    line: int | None
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class ParseResult(dict):
    """The parse in its stable JSON shape (``symbol``, ``title``, ``adopted_on``,
    ``paragraphs``), so that ``json.dumps(result)`` is the published format, plus what is
    needed to save it and to review it as attributes."""

    def __init__(self, *, symbol, title, adopted_on, paragraphs, **extra):
        super().__init__(symbol=symbol, title=title, adopted_on=adopted_on, paragraphs=paragraphs)
        self.warnings: list[ParseWarning] = extra.get("warnings", [])
        self.kind: str = extra.get("kind", "other")
        self.session: int | None = extra.get("session")
        self.adoption_note: str = extra.get("adoption_note", "")
        self.preamble: str = extra.get("preamble", "")
        # Label -> first source line, for the review page.
        self.lines: dict[str, int] = extra.get("lines", {})

    def to_instrument(self, source: str = "") -> dict:
        """The data for ``mandates.loading.save_instrument``."""
        return {
            "kind": self.kind,
            "symbol": self["symbol"],
            "title": self["title"],
            "session": self.session,
            "adopted_on": self["adopted_on"],
            "adoption_note": self.adoption_note,
            "preamble": self.preamble,
            "source": source,
            "paragraphs": self["paragraphs"],
        }


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


def read_file(path) -> str:
    """The text of a .txt (UTF-8), .pdf (text layer) or .docx file."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(_("There is no file %(path)s.") % {"path": path}) from exc
    except OSError as exc:
        raise ImportFailed(
            _("The file %(path)s cannot be read: %(error)s") % {"path": path, "error": exc}
        ) from exc
    return read_bytes(content, path.name)


def read_bytes(content: bytes, name: str = "") -> str:
    """Like ``read_file`` for content already in memory (an upload); ``name`` gives the kind,
    the content's own signature wins over it."""
    suffix = Path(name).suffix.lower()
    if content.startswith(b"%PDF-") or (suffix == ".pdf" and not content.strip()):
        return _read_pdf(content, name)
    if content.startswith(b"PK\x03\x04"):
        return _read_docx(content, name)
    if suffix in {".pdf", ".docx"}:
        raise ImportFailed(
            _("%(name)s is not a readable %(kind)s file.")
            % {"name": name or _("The file"), "kind": suffix[1:].upper()}
        )
    if suffix in {".doc", ".rtf", ".odt"}:
        raise ImportFailed(
            _("%(name)s: only plain text, PDF and .docx files can be imported; save it as .docx.")
            % {"name": name}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            _(
                "%(name)s is not UTF-8 text (byte %(byte)d cannot be decoded); save it as UTF-8 "
                "or import the PDF or .docx."
            )
            % {"name": name or _("The file"), "byte": exc.start + 1},
            line=line,
        ) from exc
    if "\x00" in text:
        raise ImportFailed(
            _("%(name)s looks like a binary file, not text.") % {"name": name or _("The file")}
        )
    return text


def _read_pdf(content: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ImportFailed(
            _("%(name)s is not a readable PDF: %(error)s")
            % {"name": name or _("The file"), "error": exc}
        ) from exc
    if not any(page.strip() for page in pages):
        raise ImportFailed(
            _(
                "%(name)s has no text layer (a scanned PDF?): run it through OCR, or import the "
                "text or .docx version."
            )
            % {"name": name or _("The PDF")}
        )
    # A form feed between pages lets the parser end a page-bottom footnote block.
    return "\n\f\n".join(pages)


def _read_docx(content: bytes, name: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFailed(
            _("%(name)s is not a readable .docx file: %(error)s")
            % {"name": name or _("The file"), "error": exc}
        ) from exc
    numbering = _DocxNumbering(document)
    lines = []
    for paragraph in document.paragraphs:
        label = numbering.label(paragraph)
        text = paragraph.text
        lines.append(f"{label}\t{text}" if label else text)
    return "\n".join(lines)


class _DocxNumbering:
    """Word's automatic numbering is not part of a paragraph's text: rebuild the labels
    ("1.", "a.", "i.") from numbering.xml so that numbered paragraphs keep their numbers."""

    FORMATS = {"decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman"}

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles_num: dict[str, tuple[str, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        ns = numbering.nsmap.get("w") or (
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        )
        w = f"{{{ns}}}"
        abstract = {}
        for node in numbering.iter(f"{w}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{w}lvl"):
                fmt = lvl.find(f"{w}numFmt")
                start = lvl.find(f"{w}start")
                levels[int(lvl.get(f"{w}ilvl", "0"))] = (
                    fmt.get(f"{w}val") if fmt is not None else "decimal",
                    int(start.get(f"{w}val")) if start is not None else 1,
                )
            abstract[node.get(f"{w}abstractNumId")] = levels
        for node in numbering.iter(f"{w}num"):
            ref = node.find(f"{w}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{w}val"), {}).items():
                self.levels[(node.get(f"{w}numId"), ilvl)] = spec
        self.w = w

    def label(self, paragraph) -> str:
        if not self.levels:
            return ""
        num_pr = paragraph._p.find(f"{self.w}pPr/{self.w}numPr")
        if num_pr is None:
            style = paragraph.style
            num_pr = style.element.find(f"{self.w}pPr/{self.w}numPr") if style is not None else None
        if num_pr is None:
            return ""
        num_id_node = num_pr.find(f"{self.w}numId")
        ilvl_node = num_pr.find(f"{self.w}ilvl")
        if num_id_node is None:
            return ""
        num_id = num_id_node.get(f"{self.w}val")
        ilvl = int(ilvl_node.get(f"{self.w}val")) if ilvl_node is not None else 0
        spec = self.levels.get((num_id, ilvl))
        if spec is None or spec[0] not in self.FORMATS:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, spec[1] - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        n = counters[ilvl]
        fmt = spec[0]
        if fmt == "decimal":
            return f"{n}."
        if fmt in {"lowerLetter", "upperLetter"}:
            letter = chr(ord("a") + (n - 1) % 26)
            return f"{letter.upper() if fmt == 'upperLetter' else letter}."
        from .models import to_roman

        roman = to_roman(n)
        return f"{roman if fmt == 'upperRoman' else roman.lower()}."


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
    """Names by which each organ (by acronym) is known, matched longest first."""

    names: dict[str, list[str]] = field(default_factory=dict)
    _pattern: re.Pattern | None = None
    _by_group: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, organs=None) -> OrganDirectory:
        if isinstance(organs, OrganDirectory):
            return organs
        if organs is None:
            from .models import Organ

            organs = Organ.objects.all()
        names: dict[str, list[str]] = {}
        for organ in organs:
            if isinstance(organ, Mapping):
                acronym, name = organ["acronym"], organ.get("name", "")
                aliases = organ.get("aliases", [])
                if isinstance(aliases, str):
                    aliases = aliases.splitlines()
            else:
                acronym, name, aliases = organ.acronym, organ.name, organ.alias_list()
            names[acronym] = [n for n in [acronym, name, *aliases] if n and n.strip()]
        for acronym, extra in _EXTRA_ALIASES.items():
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
            alternatives = []
            self._by_group = []
            for name in sorted(variants, key=len, reverse=True):
                alternatives.append(f"(?P<o{len(self._by_group)}>{_name_regex(name)})")
                self._by_group.append(variants[name])
            body = "|".join(alternatives) or "(?!x)x"
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
                before = text[: match.start()].rstrip().rsplit(" ", 1)[-1]
                if before[:1].isupper():
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


def sessions_map(sessions=None) -> dict[int, datetime.date | None]:
    """Regular session ordinal -> opening date, from Session rows, dicts or a mapping."""
    if sessions is None:
        from .models import Session

        sessions = Session.objects.filter(kind=Session.Kind.REGULAR)
    if isinstance(sessions, Mapping):
        return {int(k): _as_date(v) for k, v in sessions.items()}
    result = {}
    for session in sessions:
        if isinstance(session, Mapping):
            if session.get("kind", "regular") != "regular":
                continue
            result[int(session["ordinal"])] = _as_date(session.get("start_date"))
        elif getattr(session, "kind", "regular") == "regular":
            result[int(session.ordinal)] = session.start_date
    return result


def _as_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


# --------------------------------------------------------------------------------------------
# Lines and layout
# --------------------------------------------------------------------------------------------

_MONTHS = {
    name.lower(): number for number, name in enumerate(calendar.month_name) if number and name
}
_MONTHS.update({"sept": 9})
_MONTH_RE = "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True))
_DATE_MDY = rf"(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
_DATE_DMY = (
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_RE})\.?,?\s+(?P<y2>\d{{4}})"
)
_DATE_ISO = r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
_DATE_MY = rf"(?P<m4>{_MONTH_RE})\s+(?:of\s+)?(?P<y4>\d{{4}})"
_FULL_DATE = re.compile(rf"(?:{_DATE_MDY}|{_DATE_DMY}|{_DATE_ISO})", re.IGNORECASE)

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


@dataclass
class _Line:
    number: int
    text: str


def _clean(text: str) -> str:
    """Whitespace runs to one space; invisible characters out."""
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def _lines(text: str) -> list[_Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [_Line(i, line) for i, line in enumerate(text.split("\n"), start=1)]


@dataclass
class _Node:
    label: str
    line: int
    parts: list[tuple[int, str]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    kind: str = "number"  # number / letter / roman
    style: str = ""  # the marker's shape, so that "a." siblings are not "(a)" ones

    def text(self) -> str:
        out = ""
        for _line, part in self.parts:
            part = _clean(part)
            if not part:
                continue
            if (
                out.endswith("-") and len(out) > 1 and out[-2].isalpha() and part[:1].isalpha()
            ) or (out.endswith("/") and not out.endswith(" /")):
                out += part  # "inter-" + "American", "AG/" + "RES.": broken at the line end
            else:
                out = f"{out} {part}" if out else part
        return out

    def line_at(self, offset: int) -> int:
        """The source line of a character offset in ``text()`` (approximate, for warnings)."""
        position = 0
        for line, part in self.parts:
            position += len(_clean(part)) + 1
            if offset < position:
                return line
        return self.parts[-1][0] if self.parts else self.line


class _Parser:
    def __init__(self, text: str, organs, sessions):
        self.source = text
        self.directory = OrganDirectory.build(organs)
        self.sessions = sessions_map(sessions)
        self.warnings: list[ParseWarning] = []
        # Preamble text on the line of "RESOLVES:" ("…countries, RESOLVES:").
        self.trigger_before = ""

    def warn(self, line: int | None, message: str) -> None:
        warning = ParseWarning(line, message)
        if warning not in self.warnings:
            self.warnings.append(warning)

    # -- layout -------------------------------------------------------------------------------

    def parse(self) -> ParseResult:
        if not self.source or not self.source.strip():
            raise ImportFailed(_("The text is empty."))
        lines = _lines(self.source)
        trigger_index, first_body = self.find_trigger(lines)
        head = lines[:trigger_index]
        symbol_line, symbol, kind, session = self.find_symbol(head)
        adoption_index, adoption_note, adopted_on = self.find_adoption(head)
        preamble_index = next(
            (
                i
                for i, line in enumerate(head)
                if _PREAMBLE_START.match(line.text) and i > (adoption_index or -1)
            ),
            None,
        )
        title = self.find_title(head, symbol_line, adoption_index, preamble_index)
        if adopted_on is None:
            adopted_on = self.fallback_date(head, adoption_index or preamble_index)
        self.adopted_on = adopted_on
        self.session = session

        start = preamble_index
        if start is None:
            start = (adoption_index if adoption_index is not None else symbol_line or -1) + 1
            while start < len(head) and self.is_header(head[start].text):
                start += 1
        preamble_lines = [line for line in head[start:] if not self.is_noise(line.text, symbol)]
        if self.trigger_before:
            preamble_lines.append(_Line(lines[trigger_index].number, self.trigger_before))
        preamble = self.build_preamble(preamble_lines)

        body = self.body_lines(lines[trigger_index + 1 :], first_body, symbol)
        nodes = self.build_paragraphs(body, lines[trigger_index].number)
        paragraphs = [self.paragraph_json(node, inherited=[]) for node in nodes]
        label_lines = {}

        def walk(items):
            for node in items:
                label_lines[node.label] = node.line
                walk(node.children)

        walk(nodes)
        return ParseResult(
            symbol=symbol,
            title=title,
            adopted_on=adopted_on.isoformat() if adopted_on else None,
            paragraphs=paragraphs,
            warnings=self.warnings,
            kind=kind,
            session=session if kind == "ga_resolution" else None,
            adoption_note=adoption_note,
            preamble=preamble,
            lines=label_lines,
        )

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

    def body_lines(self, lines: list[_Line], first_body: str, symbol: str) -> list[_Line]:
        """The operative lines, without page numbers, running headers and footnotes."""
        body: list[_Line] = []
        if first_body:
            body.append(_Line(lines[0].number - 1 if lines else 1, first_body))
        in_footnotes = False
        footnote_start = None
        for line in lines:
            stripped = line.text.strip()
            if stripped == "\f":
                in_footnotes = False
                continue
            if in_footnotes:
                if _PAGE_NUMBER.match(stripped):
                    in_footnotes = False
                continue
            if not stripped or _PAGE_NUMBER.match(stripped) or self.is_noise(stripped, symbol):
                continue
            if _TRIGGER_ANYCASE.match(stripped) or (
                (m := _TRIGGER.match(stripped)) and not m.group("before")
            ):
                raise ImportFailed(
                    _(
                        "A second operative part begins here; a text with several sections, each "
                        "with its own “RESOLVES:”, must be imported one section at a time."
                    ),
                    line=line.number,
                )
            if _SEPARATOR.match(stripped):
                in_footnotes = True
                footnote_start = footnote_start or line.number
                continue
            if _END_MARKER.match(stripped):
                self.warn(
                    line.number,
                    _(
                        "The operative part ends here; what follows (notes, annexes) is not "
                        "imported."
                    ),
                )
                break
            body.append(line)
        if footnote_start:
            self.warn(
                footnote_start,
                _("Footnotes below this line were left out of the paragraphs."),
            )
        return body

    def build_paragraphs(self, body: list[_Line], trigger_line: int) -> list[_Node]:
        nodes: list[_Node] = []
        seen: dict[str, int] = {}
        current_top: _Node | None = None
        current: _Node | None = None
        preface: list[_Line] = []

        for line in body:
            text = line.text.strip()
            top = _TOP_LABEL.match(text)
            if top:
                number = int(top.group("n1") or top.group("n2"))
                rest = top.group("rest") or ""
                expected = int(current_top.label) + 1 if current_top else None
                looks_like_start = not rest or rest[:1].isupper() or rest[:1] in "“\"‘'(«"
                if (
                    current_top is not None
                    and str(number) in seen
                    and looks_like_start
                    and number <= int(current_top.label)
                ):
                    raise ImportFailed(
                        _(
                            "Paragraph %(label)s appears twice (first at line %(first)d); "
                            "check the numbering."
                        )
                        % {"label": number, "first": seen[str(number)]},
                        line=line.number,
                    )
                accepted = looks_like_start and (
                    expected is None or number == expected or number > expected
                )
                if accepted:
                    if expected is not None and number != expected:
                        self.warn(
                            line.number,
                            _("Numbering jumps from %(a)d to %(b)d.")
                            % {"a": expected - 1, "b": number},
                        )
                    elif expected is None and number != 1:
                        self.warn(
                            line.number,
                            _("The first operative paragraph is numbered %(n)d.") % {"n": number},
                        )
                    current_top = _Node(str(number), line.number)
                    if rest:
                        current_top.parts.append((line.number, rest))
                    nodes.append(current_top)
                    seen[current_top.label] = line.number
                    current = current_top
                    continue
            if current_top is not None:
                sub = self.match_sub_label(text, current_top)
                if sub is not None:
                    node, rest = sub
                    if node.label in seen:
                        raise ImportFailed(
                            _(
                                "Sub-paragraph %(label)s appears twice (first at line %(first)d);"
                                " check the lettering."
                            )
                            % {"label": node.label, "first": seen[node.label]},
                            line=line.number,
                        )
                    node.line = line.number
                    if rest:
                        node.parts.append((line.number, rest))
                    seen[node.label] = line.number
                    current = node
                    continue
                current.parts.append((line.number, text))
            else:
                preface.append(line)
        if not nodes:
            if not preface:
                raise ImportFailed(
                    _("The operative part has no paragraph after this line."), line=trigger_line
                )
            # One unnumbered operative paragraph ("RESOLVES: To adopt …").
            node = _Node("1", preface[0].number, [(ln.number, ln.text) for ln in preface])
            self.warn(
                preface[0].number,
                _("The operative part is not numbered; it was read as one paragraph labelled 1."),
            )
            return [node]
        if preface:
            self.warn(
                preface[0].number,
                _("Text before the first numbered paragraph was left out: “%(text)s”.")
                % {"text": _clean(" ".join(ln.text for ln in preface))[:80]},
            )
        for node in _walk(nodes):
            if not node.text():
                raise ImportFailed(
                    _("Paragraph %(label)s has no text.") % {"label": node.label}, line=node.line
                )
        return nodes

    def match_sub_label(self, text: str, top: _Node):
        """A sub-paragraph (``a.``, ``(a)``, ``a)``, ``i.``) that continues the lettering in
        progress, or None: a line only starts a sub-paragraph when its letter is the next one
        (or repeats one, which the caller refuses as a duplicate)."""
        match = _SUB_LABEL.match(text)
        if not match:
            return None
        token = match.group("a") or match.group("b") or match.group("c")
        style = "(x)" if match.group("a") else ("x)" if match.group("b") else "x.")
        rest = match.group("rest") or ""
        roman_value = from_roman(token)
        if len(token) > 1 and roman_value is None:
            return None
        letters = [child for child in top.children if child.kind == "letter"]
        last_letter = letters[-1] if letters and top.children[-1] is letters[-1] else None
        # Roman numerals live under the current letter, or directly under the paragraph.
        roman_host = last_letter if last_letter is not None else top
        romans = [child for child in roman_host.children if child.kind == "roman"]
        next_letter = _next_letter(last_letter.label.rsplit(".", 1)[-1]) if last_letter else None
        candidates = []
        if len(token) == 1 and (
            (not top.children and token.lower() == "a")
            or (next_letter is not None and token == _match_case(next_letter, token))
        ):
            if last_letter is None or last_letter.style == style:
                candidates.append("letter")
        if roman_value == len(romans) + 1 and (token.islower() or len(token) > 1):
            if not romans or romans[-1].style == style:
                candidates.append("roman")
        if not candidates:
            label = f"{top.label}.{token}"
            repeated = any(child.label == label for child in letters)
            if repeated and (rest[:1].isupper() or not rest) and letters[-1].style == style:
                return _Node(label, 0, kind="letter", style=style), rest
            return None
        # "i" after "h" is a letter; "i" under "c" is the first roman numeral.
        kind = candidates[0]
        if len(candidates) == 2:
            kind = "letter" if next_letter == token.lower() else "roman"
        host = top if kind == "letter" else roman_host
        node = _Node(f"{host.label}.{token}", 0, kind=kind, style=style)
        host.children.append(node)
        return node, rest

    # -- meaning ------------------------------------------------------------------------------

    def paragraph_json(self, node: _Node, inherited: list[str]) -> dict:
        text = strip_footnote_markers(node.text())
        addressees, others = self.organs(text, node)
        lead = addressees or inherited
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

        for match in _ADDRESSEE.finditer(text):
            if match.start() > 0:
                before = text[: match.start()].rstrip()
                # Only the resolution's own verbs: "To request", "; and to urge", not "to
                # consider inviting" or "member states to invite" inside a clause.
                if not re.search(r"(?:[;,:]|\band|\balso)$", before):
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

    def deadlines(self, text: str, node: _Node) -> list[dict]:
        found: list[tuple[int, int, list[dict]]] = []
        for finder in (
            self.session_deadlines,
            self.within_deadlines,
            self.period_deadlines,
            self.date_deadlines,
        ):
            for start, end, items in finder(text, node):
                if any(start < e and s < end for s, e, _items in found):
                    continue
                found.append((start, end, items))
        found.sort(key=lambda item: item[0])
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
        return result

    def session_deadlines(self, text: str, node: _Node):
        for match in _SESSION_LIST.finditer(text):
            tail = text[match.end() : match.end() + 60]
            other_body = re.match(r"\s+of\s+(?:the\s+)?(?!General Assembly)([A-Z][\w-]*)", tail)
            if other_body and not tail.lstrip().startswith("of the OAS"):
                continue
            lead = _session_lead(text, match.start())
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
        word = written.lower().replace("–", "-").replace(" ", "-")
        if word == "next":
            return self.session + 1 if self.session else None
        if word in _ORDINALS:
            return _ORDINALS[word]
        digits = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", word)
        if digits:
            return int(digits.group(1))
        return from_roman(written) if written.isupper() else None

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


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


# "1.", "1)" or "(1)" at the start of a line, then the text (maybe on the next lines).
_TOP_LABEL = re.compile(
    r"^(?:\(\s*(?P<n1>\d{1,3})\s*\)|(?P<n2>\d{1,3})\s*[.)])(?:\s+(?P<rest>.*))?$"
)
_SUB_LABEL = re.compile(
    r"^(?:\(\s*(?P<a>[a-zA-Z]|[ivxlc]+|[IVXLC]+)\s*\)|(?P<b>[a-zA-Z]|[ivxlc]+|[IVXLC]+)\)"
    r"|(?P<c>[a-zA-Z]|[ivxlc]+|[IVXLC]+)\.)(?:\s+(?P<rest>.*))?$"
)


def _next_letter(letter: str) -> str | None:
    if len(letter) != 1 or letter.lower() == "z":
        return None
    return chr(ord(letter.lower()) + 1)


def _match_case(letter: str, like: str) -> str:
    return letter.upper() if like.isupper() else letter


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
_CONVENE = re.compile(r"\bconven(?:e|es|ing)\b")
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
    r"transmit(?:s|ted|ting)?|forward(?:s|ed|ing)?|inform(?:s|ed|ing)?)\b",
    re.IGNORECASE,
)
# Between a reporting word and the organ: "... to (the)" or "... sessions of (the)".
_RECIPIENT_BEFORE = re.compile(
    r"(?:^\s*(?:the\s+)?$|(?:^|\s)to\s+(?:the\s+)?$|(?:^|\s)to\s+(?:the\s+|its\s+)?[^;]*"
    r"\bsessions?\s+of\s+(?:the\s+)?$)"
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
        r"member\b|other\b|[A-Z])[a-z]|with\b|that\b|so\s+as\b|in\s+order\b)"
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


def strip_footnote_markers(text: str) -> str:
    """Remove footnote markers where they cannot be anything else: digits glued to the end of
    a lowercase word or to its closing punctuation ("families;1 and", "families.2"), "1/" after
    a word, and "[1]"."""
    text = re.sub(r"\s?\[\d{1,2}\]", "", text)
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
# Deadlines
# --------------------------------------------------------------------------------------------


def _ordinal_table() -> dict[str, int]:
    units = "first second third fourth fifth sixth seventh eighth ninth".split()
    teens = (
        "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
        "eighteenth nineteenth"
    ).split()
    tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()
    tens_ordinal = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
    table = {word: i for i, word in enumerate(units, start=1)}
    table.update({word: i for i, word in enumerate(teens, start=10)})
    for i, (ten, ten_ordinal) in enumerate(zip(tens, tens_ordinal.split(), strict=True)):
        value = 20 + 10 * i
        table[ten_ordinal] = value
        for j, unit in enumerate(units, start=1):
            table[f"{ten}-{unit}"] = value + j
    return table


_ORDINALS = _ordinal_table()
_ORDINAL_WORD = "|".join(
    sorted((w.replace("-", r"[-–\s]") for w in _ORDINALS), key=len, reverse=True)
)
_ORDINAL = rf"(?:(?i:{_ORDINAL_WORD}|next|\d{{1,3}}(?:st|nd|rd|th))|[IVXLC]{{1,8}})"
_LIST_LEAD = (
    r"(?:(?:prior|previous)\s+to\s+|at\s+|to\s+|before\s+|for\s+|by\s+|during\s+)?"
    r"(?:both\s+)?(?:the\s+|its\s+)?"
)
_SESSION_LIST = re.compile(
    rf"(?<![\w-])(?P<list>{_ORDINAL}(?:\s*(?:,\s*(?:and\s+)?|\s(?:and|or)\s+){_LIST_LEAD}{_ORDINAL})*)"
    r"\s+(?P<noun>(?i:regular)\s+(?i:session))(?i:s)?\b"
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


def _date_from_match(match: re.Match) -> datetime.date | None:
    g = match.groupdict()
    try:
        if g.get("y1"):
            return datetime.date(int(g["y1"]), _MONTHS[g["m1"].lower()], int(g["d1"]))
        if g.get("y2") and g.get("m2"):
            return datetime.date(int(g["y2"]), _MONTHS[g["m2"].lower()], int(g["d2"]))
        if g.get("y3"):
            return datetime.date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
    except (ValueError, KeyError):
        return None
    return None


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
        if index > 0 and core.lower() in _SMALL_WORDS and not out[-1].endswith(":"):
            out.append(lower)
            continue
        out.append(
            "-".join(
                re.sub(r"^([^a-z]*)([a-z])", lambda m: m.group(1) + m.group(2).upper(), part)
                for part in lower.split("-")
            )
        )
    return " ".join(out)


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def parse_text(
    text: str,
    organs: Iterable | OrganDirectory | None = None,
    sessions: Iterable | Mapping | None = None,
) -> ParseResult:
    """Parse a resolution's published text.

    ``organs``: Organ rows, organs.json-style dicts or an ``OrganDirectory`` (default: the
    database); ``sessions``: Session rows, sessions.json-style dicts or {ordinal: opening date}
    (default: the database's regular sessions). Raises ``ImportFailed`` (with the line) when
    the text has no operative part, a label appears twice or a paragraph is empty.
    """
    return _Parser(text, organs, sessions).parse()
