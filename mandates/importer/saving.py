"""Saving: a parse (or a whole session's files) to the database, one transaction per file.

The command and the admin call ``import_text``/``import_path``: each returns an ``Outcome``
saying what happened to one file (imported, replaced, parsed in a dry run, or refused and
why), so that a batch goes on after a refusal and ends with one summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ..loading import LoadError, replace_instrument, save_instrument
from ..models import Resolution
from .results import ImportFailed, ParseResult

# What a directory argument contributes: the formats the reader knows.
SUFFIXES = {".txt", ".md", ".pdf", ".docx"}


@dataclass
class Outcome:
    file: str
    status: str  # "imported", "replaced", "parsed" (dry run) or "refused"
    message: str
    result: ParseResult | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # after a replace: what changed

    @property
    def refused(self) -> bool:
        return self.status == "refused"

    def json(self) -> dict:
        """The parse in its published shape, plus the file and the warnings."""
        data = {"file": self.file, **(self.result or {})}
        data["warnings"] = self.warnings
        return data


def expand(paths) -> list[Path]:
    """Files, and the files of directories (in name order, readable formats only)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(
                sorted(
                    (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES),
                    key=lambda p: _natural(str(p.relative_to(path))),
                )
            )
        else:
            files.append(path)
    return files


def _natural(name: str):
    """ "A_RES_80_2" before "A_RES_80_10"."""
    import re

    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def missing_fields(result: ParseResult) -> list[str]:
    names = {"symbol": _("symbol"), "title": _("title"), "adopted_on": _("adoption date")}
    return [label for key, label in names.items() if not result.get(key)]


def import_text(
    text_or_error: str | ImportFailed,
    name: str,
    *,
    dry_run: bool = False,
    replace: bool = False,
    parse=None,
    source: str = "",
    series: str = "",
) -> Outcome:
    """Parse one text and, unless ``dry_run``, save it in its own transaction.

    ``source``: where the text comes from (its address), stored on the resolution (default:
    the file name); ``series``: the key of the annual series it belongs to. The preamble's
    references to earlier resolutions become evidence proposals (mandates/evidence.py)."""
    from ..evidence import propose_from, rematch
    from . import parse_text

    if isinstance(text_or_error, ImportFailed):
        return Outcome(name, "refused", str(text_or_error))
    try:
        result = (parse or parse_text)(text_or_error)
    except ImportFailed as exc:
        return Outcome(name, "refused", str(exc))
    outcome = Outcome(name, "parsed", "", result, [str(w) for w in result.warnings])
    missing = missing_fields(result)
    if missing:
        outcome.status = "refused"
        outcome.message = _(
            "no %(fields)s was found in the text (see the warnings); correct the text, or "
            "give what it lacks (--symbol, --title, --adopted-on), and import again."
        ) % {"fields": ", ".join(missing)}
        return outcome
    symbol = result["symbol"]
    count = sum(1 for _item in walk(result["paragraphs"]))
    exists = Resolution.objects.filter(symbol=symbol).exists()
    if exists and not replace:
        if dry_run:
            outcome.warnings.append(
                _("%(symbol)s is already in the database: a real import needs --replace.")
                % {"symbol": symbol}
            )
        else:
            outcome.status = "refused"
            outcome.message = _(
                "%(symbol)s is already in the database; nothing was imported. Use --replace "
                "to update it (progress records of unchanged paragraphs are kept)."
            ) % {"symbol": symbol}
            return outcome
    if dry_run:
        outcome.message = _(
            "Dry run: %(symbol)s parsed, %(count)d paragraphs; nothing was written."
        ) % {"symbol": symbol, "count": count}
        return outcome
    data = result.to_instrument(source=source or name)
    if series:
        data["series"] = series
    try:
        with transaction.atomic():
            report = replace_instrument(data) if exists else None
            resolution = report.resolution if report is not None else save_instrument(data)
            proposals = propose_from(resolution)
            # Proposals of later texts waiting for this one's paragraphs (a full text
            # replacing a partial one).
            attached = rematch(resolution)
    except LoadError as exc:
        outcome.status = "refused"
        outcome.message = _("Nothing was imported: %(error)s") % {"error": exc}
        return outcome
    if attached:
        outcome.notes.append(
            _("%(n)d waiting evidence proposals now point at a paragraph of this text.")
            % {"n": attached}
        )
    if proposals:
        outcome.notes.append(
            _("%(n)d evidence proposals for earlier resolutions await review in the admin.")
            % {"n": len(proposals)}
        )
    if report is None:
        outcome.status = "imported"
        outcome.message = _("Imported %(symbol)s: %(count)d paragraphs.") % {
            "symbol": symbol,
            "count": count,
        }
        return outcome
    outcome.status = "replaced"
    outcome.message = _(
        "Replaced %(symbol)s: %(kept)d paragraphs unchanged, %(updated)d with new organs or "
        "deadlines, %(added)d added or rewritten, %(removed)d removed."
    ) % {
        "symbol": symbol,
        "kept": len(report.kept),
        "updated": len(report.updated),
        "added": len(report.added),
        "removed": len(report.removed),
    }
    outcome.notes = (
        [
            _("¶%(label)s changed: its %(n)d progress records were removed with it.")
            % {"label": label, "n": records}
            for label, records in report.lost_records.items()
        ]
        + list(report.warnings)
        + outcome.notes
    )
    return outcome


def walk(paragraphs):
    for item in paragraphs:
        yield item
        yield from walk(item.get("children", []))
