"""Reading: a .txt, .pdf or .docx file -> text -> numbered lines."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from . import lexicon
from .results import ImportFailed

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


# A .docx is a zip: bounded before anything is decompressed, so that a "zip bomb" (a small
# file that inflates to gigabytes) is refused at once instead of filling a worker's memory.
# zipfile never inflates an entry beyond its declared size, so the declared sizes bound it.
DOCX_MAX_ENTRIES = 1000
DOCX_MAX_PART = 20 * 1024 * 1024  # one XML part (a resolution's document.xml: ~1 MB)
DOCX_MAX_TOTAL = 60 * 1024 * 1024  # everything, images included


def _check_zip_bounds(content: bytes, name: str) -> None:
    label = name or _("The file")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFailed(
            _("%(name)s is not a readable .docx file: %(error)s") % {"name": label, "error": exc}
        ) from exc
    if len(entries) > DOCX_MAX_ENTRIES:
        raise ImportFailed(
            _(
                "%(name)s holds %(n)d files; a .docx resolution holds a few dozen. It was not "
                "opened."
            )
            % {"name": label, "n": len(entries)}
        )
    total = sum(entry.file_size for entry in entries)
    largest = max(
        (entry.file_size for entry in entries if entry.filename.endswith(".xml")), default=0
    )
    if largest > DOCX_MAX_PART or total > DOCX_MAX_TOTAL:
        raise ImportFailed(
            _(
                "%(name)s would unpack to %(size)d MB, far more than any resolution (a zip "
                "bomb?). It was not opened."
            )
            % {"name": label, "size": total // (1024 * 1024)}
        )


def _read_docx(content: bytes, name: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_zip_bounds(content, name)
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
        from ..models import to_roman

        roman = to_roman(n)
        return f"{roman if fmt == 'upperRoman' else roman.lower()}."


@dataclass
class _Line:
    number: int
    text: str
    # The line follows an empty line: a new block, unless the text continues mid-sentence.
    after_blank: bool = False
    # A page header, footer or number was dropped just before it.
    after_page_break: bool = False


def _clean(text: str) -> str:
    """Whitespace runs to one space; invisible characters out."""
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def _lines(text: str) -> list[_Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [_Line(i, line) for i, line in enumerate(text.split("\n"), start=1)]


# --------------------------------------------------------------------------------------------
# Clean lines: what text extraction does to a resolution, undone
# --------------------------------------------------------------------------------------------

# pdftotext repeats a label: "1.  1. To instruct…", "a.  a. To…".
_DOUBLED_LABEL = re.compile(
    r"^(?P<indent>\s*)(?P<label>\(?(?:\d{1,3}|[a-z]{1,4})[.)]|\((?:\d{1,3}|[a-z]{1,4})\))"
    r"\s+(?P=label)(?=\s)"
)
_CAPS_OPENING = re.compile(r"^\s*(?:THE|LA|EL|L['’]|A|O)\s+[A-ZÁÉÍÓÚÑÇÃÕÊÔ]")
# The closing line of a UN resolution ("52nd plenary meeting"), in the four languages.
_PLENARY = (
    r"\d{1,3}(?:st|nd|rd|th)\s+plenary\s+meeting\b|\d{1,3}\.?[ªa]?\.?\s+sesi[oó]n\s+plenaria\b"
    r"|\d{1,3}(?:e|re)\s+séance\s+plénière\b|\d{1,3}[ªa]\s+sessão\s+plenária\b"
)
# The enacting formula as printed in running text: "The General Assembly,", "La Asamblea General,".
_ENACTING_MIXED = (
    rf"(?:{'|'.join(lexicon.merged('HEADER_ARTICLES'))})\s+"
    rf"(?:{'|'.join(lexicon.merged('HEADER_BODIES'))}),"
)
# Where a flattened text (one long line from a PDF viewer) had its line breaks.
_FLAT_BREAKS = re.compile(
    r"(?=\((?:Adopted|Approved|Aprobad[ao]|Adoptad[ao]|Adopt[ée]e|Aprovad[ao])\b)"
    r"|(?<=\))\s+(?=[A-ZÁÉÍÓÚ]{3,}[A-ZÁÉÍÓÚ ,]*\b)"
    r"|\s(?=(?:THE\s+(?:GENERAL\s+ASSEMBLY|PERMANENT\s+COUNCIL)|The\s+General\s+Assembly|"
    r"LA\s+ASAMBLEA\s+GENERAL|EL\s+CONSEJO\s+PERMANENTE)\b[^,]{0,90},)"
    r"|\s(?=(?:RESOLVES|RESUELVE|DECIDES|DECIDE|RESOLVE|DÉCIDE|RÉSOUT)\s*:)"
    r"|(?<=:)\s+(?=1\.\s)"
    # "… Migrante La Asamblea General, Tomando nota …": the enacting formula in running text.
    rf"|\s(?={_ENACTING_MIXED})"
    # "… Asamblea General 55/93. Proclamación …": a UN title line.
    r"|\s(?=\d{1,3}/\d{1,4}\.\s+[A-ZÁÉÍÓÚ])"
    # A UN heading run together: "A/RES/55/93 Naciones Unidas Distr. general … Resolución
    # aprobada por la Asamblea General […]".
    r"|(?<=\d)\s+(?=(?:United\s+Nations|Naciones\s+Unidas|Nations\s+Unies|Nações\s+Unidas)\b)"
    r"|\s(?=Distr\.\s)"
    r"|\s(?=(?:Resolution\s+adopted\s+by|Resolución\s+aprobada\s+por|Résolution\s+adoptée\s+par"
    r"|Resolução\s+adotada\s+pela)\b)"
    # "… apropiadas. 81a. sesión plenaria 4 de diciembre de 2000": the end of the operative part.
    rf"|(?<=[.;])\s+(?=(?:{_PLENARY}))"
)
_FLAT_NUMBER = re.compile(r"(?:^|[.;:,]\S{0,3})\s+(?P<n>\d{1,3})\.\s+(?=[A-Z“\"«¿¡(])")
_FLAT_LETTER = re.compile(r"(?<=[:;])\s+(?P<l>\(?(?P<c>[a-z])[.)])\s+(?=[A-Za-z“\"])")
FLAT_LINE = 400  # a "line" this long with paragraphs 1. and 2. in it is a flattened text
# The enacting formula inside a long line: a flattened heading and preamble, even when no
# numbered paragraph follows (a text known only in its opening).
_FLAT_ENACTING = re.compile(
    r"\s(?:THE\s+(?:GENERAL\s+ASSEMBLY|PERMANENT\s+COUNCIL)|LA\s+ASAMBLEA\s+GENERAL"
    r"|EL\s+CONSEJO\s+PERMANENTE)\b[^,]{0,90},"
)
# In the preamble, a clause opens with its verb in capitals after the previous one's ";".
_FLAT_CLAUSE = re.compile(r"(?<=[;:])\s+(?=[A-ZÁÉÍÓÚÑ]{4,}(?:\s+[A-ZÁÉÍÓÚÑ]{2,})*\b(?![a-z]))")
_FLAT_TRIGGER = re.compile(r"\s(?:RESOLVES|RESUELVE|DECIDES|DECIDE|RESOLVE|DÉCIDE|RÉSOUT)\s*:")


# A web page's layout table copied with the text: cell borders "|" around or beside lines.
_TABLE_BORDER = re.compile(r"^\s*\|+\s?|\s?\|+\s*$")
# A whole cell on one line after the operative part began, short, with no digit or sentence
# punctuation: a page's navigation ("| Resolutions Index |"), never part of a paragraph.
_NAVIGATION_CELL = re.compile(r"^\s*\|\s*(?P<cell>[^|\d.,;:]{1,60}?)\s*\|\s*$")
_OPERATIVE_TRIGGER = re.compile(
    r"\b(?:RESOLVES|RESUELVE|DECIDES|DECIDE|RESOLVE|DÉCIDE|RÉSOUT)\s*:", re.IGNORECASE
)


def _strip_table_borders(lines: list[_Line], notes: list[str]) -> None:
    operative = False
    for line in lines:
        if "|" not in line.text:
            operative = operative or bool(_OPERATIVE_TRIGGER.search(line.text))
            continue
        cell = _NAVIGATION_CELL.match(line.text)
        if operative and cell and len(cell.group("cell").split()) <= 6:
            line.text = ""
            notes.append("navigation")
            continue
        line.text = _TABLE_BORDER.sub("", line.text)
        operative = operative or bool(_OPERATIVE_TRIGGER.search(line.text))


def clean_lines(text: str) -> tuple[list[_Line], list[str]]:
    """The text's lines, with what extraction broke mended, and notes on what was mended:
    a web page's table borders and navigation taken out, doubled labels made single, a header
    wrapped over two lines joined, and a text flattened into one long line split again where
    its numbered paragraphs begin."""
    lines = _lines(text)
    notes: list[str] = []
    _strip_table_borders(lines, notes)
    out: list[_Line] = []
    for line in lines:
        if len(line.text) > FLAT_LINE and (
            _FLAT_NUMBER.search(line.text) or _FLAT_ENACTING.search(line.text)
        ):
            pieces = _unflatten(line.text)
            if len(pieces) > 1:
                notes.append("flattened")
                out.extend(_Line(line.number, piece) for piece in pieces)
                continue
        out.append(line)
    for line in out:
        line.text = _DOUBLED_LABEL.sub(r"\g<indent>\g<label>", line.text, count=1)
    for index, line in enumerate(out[:-1]):
        stripped = line.text.strip()
        following = out[index + 1].text.strip()
        if (
            _CAPS_OPENING.match(stripped)
            and stripped.isupper()
            and stripped[-1:] not in ",:"
            and following.isupper()
            and following.endswith(",")
            and len(following) < 80
            and not _CAPS_OPENING.match(following)  # a title, then "THE GENERAL ASSEMBLY,"
        ):
            # "THE PERMANENT COUNCIL OF THE ORGANIZATION OF AMERICAN" / "STATES,"
            line.text = f"{stripped} {following}"
            out[index + 1].text = ""
    return out, notes


def _unflatten(text: str) -> list[str]:
    cuts = {m.start() for m in _FLAT_BREAKS.finditer(text)}
    expected = 1
    letter = "a"
    for match in re.finditer(rf"{_FLAT_NUMBER.pattern}|{_FLAT_LETTER.pattern}", text):
        if match.group("n") and int(match.group("n")) == expected:
            cuts.add(match.start("n"))
            expected += 1
            letter = "a"
        elif match.group("c") and match.group("c") == letter and expected > 1:
            cuts.add(match.start("l"))
            letter = chr(ord(letter) + 1)
    enacting = _FLAT_ENACTING.search(text) or re.search(rf"\s{_ENACTING_MIXED}", text)
    if expected <= 2 and not enacting:
        return [text]  # no "1. … 2. …" sequence: one long paragraph, not a flattened text
    if enacting:
        # The preamble's clauses, between the enacting formula and the operative part.
        trigger = _FLAT_TRIGGER.search(text, enacting.end())
        end = trigger.start() if trigger else len(text)
        cuts |= {m.end() for m in _FLAT_CLAUSE.finditer(text, enacting.end(), end)}
        cuts.add(enacting.end())
    pieces, start = [], 0
    for cut in sorted(c for c in cuts if 0 < c < len(text)):
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]
