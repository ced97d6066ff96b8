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

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from .deadlines import DeadlineMeaning
from .directory import OrganDirectory, sessions_map
from .layout import _PREAMBLE_START, HeaderLayout
from .meaning import ParagraphMeaning, strip_footnote_markers, title_case
from .organs import OrganMeaning
from .paragraphs import ParagraphLayout
from .reading import _Line, _lines, read_bytes, read_file
from .results import ImportFailed, ParseResult, ParseWarning


class _Parser(HeaderLayout, ParagraphLayout, ParagraphMeaning, OrganMeaning, DeadlineMeaning):
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


__all__ = [
    "ImportFailed",
    "OrganDirectory",
    "ParseResult",
    "ParseWarning",
    "parse_text",
    "read_bytes",
    "read_file",
    "sessions_map",
    "strip_footnote_markers",
    "title_case",
]
