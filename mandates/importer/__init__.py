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

import datetime
import time
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from ..models import normalize_symbol
from . import lexicon
from .deadlines import DeadlineMeaning
from .directory import OrganDirectory, sessions_map
from .layout import _PREAMBLE_START, HeaderLayout, _clean
from .meaning import ParagraphMeaning, strip_footnote_markers, title_case
from .organizations import HEADER_LINES, detect, from_database, known
from .organs import OrganMeaning
from .paragraphs import ParagraphLayout
from .reading import _Line, clean_lines, read_bytes, read_file
from .results import ImportFailed, ParseResult, ParseWarning

# Resolutions run to a few hundred kilobytes; far beyond that is not one resolution.
MAX_TEXT_CHARS = 2_000_000
# A real resolution parses in well under a second; this bounds what a hostile text can cost.
PARSE_SECONDS = 20


def flattened_warning() -> str:
    return _(
        "The text arrived as one long line, or with line breaks that do not follow its "
        "paragraphs (copied from a PDF viewer?): its paragraphs were found by their numbers in "
        "sequence; check them."
    )


class _Parser(HeaderLayout, ParagraphLayout, ParagraphMeaning, OrganMeaning, DeadlineMeaning):
    def __init__(
        self,
        text: str,
        organs,
        sessions,
        organization=None,
        organizations=None,
        symbol=None,
        partial=False,
        title=None,
        adopted_on=None,
    ):
        self.source = text
        self.given_title = _clean(title or "")
        self.given_adopted_on = adopted_on
        self.partial = partial
        self.organ_source = organs
        self.sessions_source = sessions
        self.given_organization = organization
        self.given_symbol = normalize_symbol(symbol) if symbol else ""
        if organizations is None and organs is None:
            organizations = from_database()
        self.organizations = known(organizations)
        self.started = time.monotonic()
        self.warnings: list[ParseWarning] = []
        self._seen_warnings: set[ParseWarning] = set()
        # Preamble text on the line of "RESOLVES:" ("…countries, RESOLVES:").
        self.trigger_before = ""

    def check_time(self) -> None:
        """Refuse, rather than hold a worker, a text that takes unreasonably long to read."""
        if time.monotonic() - self.started > PARSE_SECONDS:
            raise ImportFailed(
                _(
                    "Reading this text took more than %(n)d seconds, far longer than any "
                    "resolution needs; nothing was imported. Is it one resolution?"
                )
                % {"n": PARSE_SECONDS}
            )

    def operative_start(self, lines, notes):
        """(lines, index of the line opening the operative part, its text after the trigger).
        When the line breaks do not follow the paragraphs ("…migrantes, 1." / "Decide …",
        "…protegerlos; 3. Pide …"), the text is read again as one flattened line, by its
        paragraph numbers in sequence; else the first failure stands."""
        try:
            return (lines, *self.find_trigger(lines))
        except ImportFailed as failure:
            reflowed, reflow_notes = clean_lines(" ".join(self.source.split()))
            if "flattened" not in reflow_notes:
                raise
            try:
                found = self.find_trigger(reflowed)
            except ImportFailed:
                raise failure from None
            if "flattened" not in notes:
                self.warn(None, flattened_warning())
            return (reflowed, *found)

    def use_given(self, what: str, found, given):
        """A value given by the person importing (--title, --adopted-on) wins over the text's,
        with a warning when the two differ."""
        if found and found != given:
            shown = given.isoformat() if hasattr(given, "isoformat") else given
            self.warn(
                None,
                _("The text's %(what)s is “%(found)s”; “%(given)s” was given and is used.")
                % {"what": what, "found": found, "given": shown},
            )
        return given

    def warn(self, line: int | None, message: str) -> None:
        warning = ParseWarning(line, message)
        if warning not in self._seen_warnings:  # a set: a long text may warn thousands of times
            self._seen_warnings.add(warning)
            self.warnings.append(warning)

    # -- layout -------------------------------------------------------------------------------

    def parse(self) -> ParseResult:
        if not self.source or not self.source.strip():
            raise ImportFailed(_("The text is empty."))
        if len(self.source) > MAX_TEXT_CHARS:
            raise ImportFailed(
                _(
                    "The text has %(n)s characters, more than any resolution (at most %(max)s); "
                    "import the resolution alone."
                )
                % {"n": f"{len(self.source):,}", "max": f"{MAX_TEXT_CHARS:,}"}
            )
        lines, notes = clean_lines(self.source)
        if "flattened" in notes:
            self.warn(None, flattened_warning())
        if "navigation" in notes:
            self.warn(
                None,
                _(
                    "Web page navigation after the operative part (a line such as “| Resolutions "
                    "Index |”) was left out."
                ),
            )
        self.language = lexicon.language_of(self.source)
        self.organization = self.detect_organization(lines)
        self.directory = OrganDirectory.build(self.organ_source, self.organization, self.language)
        self.sessions = sessions_map(self.sessions_source, self.organization)
        try:
            lines, trigger_index, first_body = self.operative_start(lines, notes)
        except ImportFailed:
            if not self.partial:
                raise
            # Only the opening of the text is known (a page cut short, an excerpt): the
            # heading and preamble that are there are read; no paragraph is made up.
            self.trigger_before = ""
            trigger_index, first_body = len(lines), ""
            self.warn(
                None,
                _(
                    "Partial text: it ends before the operative part, so no operative "
                    "paragraph was read; the resolution is marked as a partial text."
                ),
            )
        head = lines[:trigger_index]
        symbol_line, symbol, kind, session = self.find_symbol(head)
        if self.given_symbol:
            if symbol and symbol != self.given_symbol:
                self.warn(
                    None,
                    _("The text's symbol is %(found)s; %(given)s was given and is used.")
                    % {"found": symbol, "given": self.given_symbol},
                )
            symbol = self.given_symbol
        adoption_index, adoption_note, adopted_on = self.find_adoption(head)
        preamble_index = next(
            (
                i
                for i, line in enumerate(head)
                if _PREAMBLE_START.match(line.text) and i > (adoption_index or -1)
            ),
            None,
        )
        title = self.find_title(
            head, symbol_line, adoption_index, preamble_index, quiet=bool(self.given_title)
        )
        if self.given_title:
            title = self.use_given(_("title"), title, self.given_title)
        if adopted_on is None and self.given_adopted_on is None:
            adopted_on = self.closing_date(lines[trigger_index:])
            if adopted_on is None:
                self.dateless_note_warning()
                adopted_on = self.fallback_date(head, adoption_index or preamble_index)
        elif self.given_adopted_on is not None:
            adopted_on = self.use_given(_("adoption date"), adopted_on, self.given_adopted_on)
        self.adopted_on = adopted_on
        self.session = session
        self.symbol = symbol
        self.title_text = title

        start = preamble_index
        if start is None:
            start = (adoption_index if adoption_index is not None else symbol_line or -1) + 1
            while start < len(head) and self.is_header(head[start].text):
                start += 1
        preamble_lines = [line for line in head[start:] if not self.is_noise(line.text, symbol)]
        if self.trigger_before:
            preamble_lines.append(_Line(lines[trigger_index].number, self.trigger_before))
        preamble = self.build_preamble(preamble_lines)

        if trigger_index < len(lines):
            body = self.body_lines(lines[trigger_index + 1 :], first_body, symbol)
            nodes = self.build_paragraphs(body, lines[trigger_index].number)
        else:
            nodes = []
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
            organization=self.organization,
            language=self.language,
            partial=self.partial,
        )

    def detect_organization(self, lines) -> str:
        header_end = next(
            (i for i, line in enumerate(lines[:HEADER_LINES]) if _PREAMBLE_START.match(line.text)),
            HEADER_LINES,
        )
        header = "\n".join(line.text for line in lines[:header_end])
        detected = detect(header, self.organizations, self.given_organization)
        codes = {o["code"] for o in self.organizations}
        if detected.code not in codes:
            raise ImportFailed(
                _("There is no organization with the code “%(code)s”; known: %(codes)s.")
                % {"code": detected.code, "codes": ", ".join(sorted(codes))}
            )
        if detected.how == "default":
            self.warn(
                None,
                _(
                    "The header names no organization and has no symbol of one: read as an OAS "
                    "text; give the organization (--organization) if it is not."
                ),
            )
        return detected.code


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def parse_text(
    text: str,
    organs: Iterable | OrganDirectory | None = None,
    sessions: Iterable | Mapping | None = None,
    *,
    organization: str | None = None,
    organizations: Iterable | None = None,
    symbol: str | None = None,
    partial: bool = False,
    title: str | None = None,
    adopted_on: datetime.date | None = None,
) -> ParseResult:
    """Parse a resolution's published text.

    ``organs``: Organ rows, organs.json-style dicts or an ``OrganDirectory`` (default: the
    database); ``sessions``: Session rows, sessions.json-style dicts or {ordinal: opening date}
    (default: the database's regular sessions); ``organization``: a code ("oas", "un") when the
    header does not say it, ``organizations`` the known ones (default: the database, or the
    built-in OAS and UN when organs are given in memory); ``symbol``: the symbol to use when
    the header has none (never guessed from the preamble). Raises ``ImportFailed`` (with the
    line) when the text has no operative part, a label appears twice or a paragraph is empty;
    ``partial``: the text is known only in part (its opening): a missing operative part is
    then read as "not known", and the result is marked ``partial``. ``title`` and ``adopted_on``:
    given by the person importing a text that lacks them (a copy without its heading); a
    different value in the text is reported and the given one used.
    """
    return _Parser(
        text, organs, sessions, organization, organizations, symbol, partial, title, adopted_on
    ).parse()


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
