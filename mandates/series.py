"""Annual series: the resolutions adopted year after year on one subject.

Loading (``load_series``): the texts under fixtures/series/ are imported with the importer, as
the manifest lists them, each with its source address; then the evidence their preambles give
is proposed (mandates/evidence.py) and the proposals a person reviewed by hand (the manifest's
``confirmed`` list) are confirmed. Idempotent: what exists is left as it is.

Pages: a resolution's place in its series, the paragraphs that recur in the next year's text
(by wording), and a paragraph-aligned comparison of two texts with word-level differences.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .models import Compiled, EvidenceProposal, Mandate, Resolution

SERIES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "series"
# Two paragraphs are "the same mandate" in two years when this much of their wording agrees.
RECURS_AT = 0.6
# Aligned as one paragraph changed (rather than one removed, one added) from this ratio.
CHANGED_AT = 0.5


def read_manifest(directory: Path = SERIES_DIR) -> dict:
    return json.loads((directory / "manifest.json").read_text(encoding="utf-8"))


def load_series(report, directory: Path = SERIES_DIR) -> None:
    """Import the series' texts with the importer, propose their evidence, confirm the
    reviewed proposals. ``report`` is a loading.LoadReport."""
    from .importer import parse_text
    from .importer.saving import import_text
    from .loading import LoadError, load_sessions

    manifest = read_manifest(directory)
    key = manifest["series"]
    sessions = directory / "sessions.json"
    if sessions.exists():
        load_sessions(json.loads(sessions.read_text(encoding="utf-8")), report)
    for member in manifest["members"]:
        symbol = member["symbol"]
        # Members already in the data (2289, or a text imported by hand) join the series;
        # saved one by one so that history and the page cache's data version follow.
        for existing in Resolution.objects.filter(symbol=symbol, series=""):
            existing.series = key
            existing.save()
        if not member.get("import"):
            continue
        if Resolution.objects.filter(symbol=symbol).exists():
            report.skipped.append(symbol)
            continue
        text = (directory / member["file"]).read_text(encoding="utf-8")
        outcome = import_text(
            text,
            member["file"],
            parse=lambda t, m=member: parse_text(t, partial=m.get("partial", False)),
            source=member["source"],
            series=key,
        )
        if outcome.refused:
            raise LoadError(f"{member['file']}: {outcome.message}")
        report.created.append(symbol)
    from .evidence import propose_from

    members = Resolution.objects.filter(series=key).order_by("adopted_on")
    for resolution in members:
        propose_from(resolution)
    for item in manifest.get("confirmed", []):
        confirm_reviewed(item, report)


@transaction.atomic
def confirm_reviewed(item: dict, report) -> None:
    """Confirm one proposal that a person checked against the texts (manifest ``confirmed``:
    citing symbol, clause, document symbol, the earlier resolution's paragraph label)."""
    from .evidence import confirm
    from .loading import LoadError

    proposal = (
        EvidenceProposal.objects.filter(
            citing_resolution__symbol=item["citing"],
            clause=item["clause"],
            document_symbol=item.get("document_symbol", ""),
        )
        .select_related("target_resolution")
        .first()
    )
    if proposal is None:
        raise LoadError(f"No evidence proposal {item} was made: check the manifest.")
    if proposal.state == EvidenceProposal.State.CONFIRMED:
        report.skipped.append(str(proposal))
        return
    if item.get("label"):
        proposal.mandate = Mandate.objects.get(
            resolution=proposal.target_resolution, label=item["label"]
        )
        proposal.save(update_fields=["mandate"])
    confirm(proposal)
    report.created.append(str(proposal))


# ------------------------------------------------------------------------------------------
# Pages
# ------------------------------------------------------------------------------------------


# Every resolution page of a series asks: kept compiled (models/compiled.py).
MEMBERS = Compiled(
    lambda series: (
        Resolution.objects.filter(series=series)
        .select_related("session")
        .only("symbol", "slug", "title", "adopted_on", "partial_text", "series", "session__ordinal")
        .order_by("adopted_on", "symbol")
    ),
    series=str,
)


def series_statements(resolution: Resolution) -> list:
    """What `members` reads (for `read_ahead`)."""
    return [MEMBERS.statement(series=resolution.series)] if resolution.series else []


def members(resolution: Resolution) -> list[Resolution]:
    """The series in order of adoption (one query); empty when the resolution has none."""
    if not resolution.series:
        return []
    series = MEMBERS(series=resolution.series)
    # A year missing from the tracker is said where it belongs: ``missing_before`` holds the
    # regular sessions between this member and the one before (none found for them).
    for before, member in zip(series, series[1:], strict=False):
        if before.session and member.session:
            member.missing_before = list(range(before.session.ordinal + 1, member.session.ordinal))
    return series


def neighbours(resolution: Resolution, series: list[Resolution]):
    """(previous, next) in the series, or None."""
    ids = [r.pk for r in series]
    if resolution.pk not in ids:
        return None, None
    at = ids.index(resolution.pk)
    return (series[at - 1] if at > 0 else None), (series[at + 1] if at + 1 < len(ids) else None)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]", text.lower())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()


def recurrences(paragraphs: list[Mandate], later: list[Mandate]) -> dict[int, Mandate]:
    """For each paragraph (by id), the later text's paragraph of most similar wording, when
    they agree enough to be the same mandate repeated ("continues in ¶N")."""
    found: dict[int, Mandate] = {}
    taken: set[int] = set()
    pairs = sorted(
        (
            (similarity(p.text, q.text), p.pk, q.pk, q)
            for p in paragraphs
            for q in later
            if (p.parent_id is None) == (q.parent_id is None)
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    for ratio, pk, later_pk, match in pairs:
        if ratio < RECURS_AT:
            break
        if pk in found or later_pk in taken:
            continue
        found[pk] = match
        taken.add(later_pk)
    return found


def word_diff(old: str, new: str) -> SafeString:
    """The new text with words removed in <del> and words added in <ins> (escaped)."""
    a, b = old.split(), new.split()
    parts: list[SafeString] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", " ".join(a[i1:i2])))
            continue
        # Screen readers do not announce <del>/<ins>: each says what it is in words.
        if op in ("delete", "replace"):
            parts.append(
                format_html(
                    '<del><span class="visually-hidden">{} </span>{}</del>',
                    _("removed:"),
                    " ".join(a[i1:i2]),
                )
            )
        if op in ("insert", "replace"):
            parts.append(
                format_html(
                    '<ins><span class="visually-hidden">{} </span>{}</ins>',
                    _("added:"),
                    " ".join(b[j1:j2]),
                )
            )
    return format_html_join(" ", "{}", ((p,) for p in parts))


def series_context(resolution: Resolution, mandates: list[Mandate]) -> dict:
    """What a resolution page shows of its series: the members, previous and next, and on
    each shown paragraph ``continues_in``, its recurrence in the next year's text (one query
    for the series, one for the next text's paragraphs when there is a next text)."""
    series = members(resolution)
    previous, following = neighbours(resolution, series)
    for mandate in mandates:
        # Set on every row: a template looking up a missing attribute pays for exceptions.
        mandate.continues_in = None
    if following is not None and mandates:
        later = list(
            Mandate.objects.filter(resolution=following)
            .only("label", "text", "parent_id", "resolution_id")
            .order_by("order")
        )
        found = recurrences(mandates, later)
        for mandate in mandates:
            mandate.continues_in = found.get(mandate.pk)
    return {"series": series, "series_previous": previous, "series_next": following}


@dataclass
class Row:
    """One line of the comparison: a paragraph of either text, or both."""

    change: str  # "same", "changed", "removed", "added"
    old_label: str = ""
    new_label: str = ""
    old_text: str = ""
    new_text: str = ""
    diff: SafeString | None = None


@dataclass
class Comparison:
    old: Resolution
    new: Resolution
    preamble: list[Row] = field(default_factory=list)
    operative: list[Row] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        rows = self.preamble + self.operative
        return {kind: sum(1 for r in rows if r.change == kind) for kind in _CHANGES}


_CHANGES = ("same", "changed", "removed", "added")


def align(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[Row]:
    """Align two lists of (label, text) in order: equal texts, then similar ones as changed,
    the rest removed or added (difflib on the sequence of normalised texts)."""
    key = [" ".join(_words(t)) for _label, t in old]
    other = [" ".join(_words(t)) for _label, t in new]
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, key, other, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [
                Row("same", old[i][0], new[j][0], old[i][1], new[j][1])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        rows += _pair_block(old[i1:i2], new[j1:j2])
    return rows


def _pair_block(old, new) -> list[Row]:
    """Within a block that differs, pair each old paragraph with the most similar new one
    still free, in order; unpaired ones are removed or added."""
    rows: list[Row] = []
    j = 0
    for label, text in old:
        best, best_ratio = None, CHANGED_AT
        for k in range(j, len(new)):
            ratio = similarity(text, new[k][1])
            if ratio >= best_ratio:
                best, best_ratio = k, ratio
        if best is None:
            rows.append(Row("removed", old_label=label, old_text=text))
            continue
        rows += [Row("added", new_label=lab, new_text=t) for lab, t in new[j:best]]
        new_label, new_text = new[best]
        rows.append(Row("changed", label, new_label, text, new_text, word_diff(text, new_text)))
        j = best + 1
    rows += [Row("added", new_label=lab, new_text=t) for lab, t in new[j:]]
    return rows


def compare(old: Resolution, new: Resolution) -> Comparison:
    from .evidence import preamble_clauses

    def paragraphs(resolution):
        return [
            (m.label, m.text)
            for m in Mandate.objects.filter(resolution=resolution)
            .only("label", "text", "order")
            .order_by("order")
        ]

    def clauses(resolution):
        return [(str(n), t) for n, t in enumerate(preamble_clauses(resolution.preamble), 1)]

    return Comparison(
        old,
        new,
        preamble=align(clauses(old), clauses(new)),
        operative=align(paragraphs(old), paragraphs(new)),
    )
