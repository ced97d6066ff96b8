"""What a parse gives: the result in its JSON shape, its warnings, and the refusal."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

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
        self.organization: str = extra.get("organization", "oas")
        self.language: str = extra.get("language", "en")
        # Only part of the published text was given (``parse_text(partial=True)``).
        self.partial: bool = extra.get("partial", False)

    def to_instrument(self, source: str = "") -> dict:
        """The data for ``mandates.loading.save_instrument``."""
        return {
            "organization": self.organization,
            "kind": self.kind,
            "symbol": self["symbol"],
            "title": self["title"],
            "session": self.session,
            "adopted_on": self["adopted_on"],
            "adoption_note": self.adoption_note,
            "preamble": self.preamble,
            "source": source,
            "partial_text": self.partial,
            "language": self.language,  # the text's language: the resolution's original one
            "paragraphs": self["paragraphs"],
        }
