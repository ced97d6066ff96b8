"""Save structured data (the fixtures in fixtures/, or an importer's parse) as rows.

The instrument format is a superset of the importer's JSON shape::

    {"kind": "ga_resolution", "symbol": "AG/RES. 2289 (XXXVII-O/07)", "title": "...",
     "slug": "...", "session": 37, "adopted_on": "2007-06-05", "adoption_note": "...",
     "preamble": "...", "source": "...",
     "paragraphs": [
        {"label": "20", "text": "...", "organs": ["IACHR"], "deadlines": [],
         "children": [{"label": "20.c", "text": "...", "organs": ["IACHR", "PC"],
                       "deadlines": [{"due_on": null, "session": 38, "wording": "..."}],
                       "progress": [{"date": "2008-05-01", "kind": "report", "title": "...",
                                     "summary": "", "document_symbol": "", "url": "",
                                     "fulfils": ["<wording of a deadline of this paragraph>"],
                                     "completes_mandate": false}]}]}]}

The first organ of a paragraph is its lead, the others support it. A deadline with a
``session`` (a regular session's ordinal) is anchored to it and takes its opening date.
"""

from __future__ import annotations

import datetime
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import (
    Deadline,
    Mandate,
    Organ,
    ProgressRecord,
    Resolution,
    Responsibility,
    Session,
)

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
# Loaded in this order by `manage.py load_default_data` (and by the tests).
DEFAULT_FIXTURES = [
    "organs.json",
    "sessions.json",
    "ag-res-2289-xxxvii-o-07.json",
    "santiago-plan-of-action-migrant-workers.json",
]


class LoadError(ValueError):
    """The data cannot be saved; the message says why, for a person to act on."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _date(value, where: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise LoadError(f"{where}: “{value}” is not a date in YYYY-MM-DD form.") from exc


def regular_session(ordinal: int, where: str) -> Session:
    try:
        return Session.objects.get(ordinal=int(ordinal), kind=Session.Kind.REGULAR)
    except (Session.DoesNotExist, TypeError, ValueError) as exc:
        raise LoadError(
            f"{where}: there is no regular session number {ordinal} in the directory of "
            "General Assembly sessions; add it in the admin first."
        ) from exc


def load_organs(rows: list[dict], report: LoadReport) -> None:
    """Create the organs that do not exist yet; never overwrite an edited one."""
    existing = set(Organ.objects.values_list("acronym", flat=True))
    for row in rows:
        if row["acronym"] in existing:
            report.skipped.append(f"organ {row['acronym']}")
            continue
        Organ.objects.create(
            acronym=row["acronym"],
            name=row["name"],
            kind=row.get("kind", Organ.Kind.ORGAN),
            aliases="\n".join(row.get("aliases", [])),
        )
        report.created.append(f"organ {row['acronym']}")
    # Parents second, so that the order of rows does not matter.
    for row in rows:
        if row.get("parent") and f"organ {row['acronym']}" in report.created:
            Organ.objects.filter(acronym=row["acronym"]).update(
                parent=Organ.objects.get(acronym=row["parent"])
            )


def load_sessions(rows: list[dict], report: LoadReport) -> None:
    for row in rows:
        _session, created = Session.objects.get_or_create(
            ordinal=row["ordinal"],
            kind=row.get("kind", Session.Kind.REGULAR),
            defaults={
                "place": row.get("place", ""),
                "start_date": _date(row.get("start_date"), f"session {row['ordinal']}"),
                "end_date": _date(row.get("end_date"), f"session {row['ordinal']}"),
            },
        )
        (report.created if created else report.skipped).append(f"session {row['ordinal']}")


def _organ(acronym: str, where: str) -> Organ:
    try:
        return Organ.objects.get(acronym=acronym)
    except Organ.DoesNotExist as exc:
        raise LoadError(f"{where}: no organ with acronym “{acronym}” in the directory.") from exc


def save_paragraph(
    resolution: Resolution, data: dict, parent: Mandate | None, counter: Iterator[int]
) -> Mandate:
    """Create one paragraph with its organs, deadlines, progress and sub-paragraphs."""
    where = f"{resolution.symbol} ¶{data.get('label', '?')}"
    if not str(data.get("label", "")).strip():
        raise LoadError(f"{resolution.symbol}: a paragraph has no label.")
    if not str(data.get("text", "")).strip():
        raise LoadError(f"{where}: the paragraph has no text.")
    mandate = Mandate(
        resolution=resolution,
        parent=parent,
        label=data["label"],
        order=next(counter),
        text=data["text"],
    )
    try:
        mandate.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise LoadError(f"{where}: {'; '.join(exc.messages)}") from exc
    mandate.save()
    for position, acronym in enumerate(dict.fromkeys(data.get("organs", []))):
        Responsibility.objects.create(
            mandate=mandate,
            organ=_organ(acronym, where),
            role=Responsibility.Role.LEAD if position == 0 else Responsibility.Role.SUPPORTING,
            order=position,
        )
    deadlines_by_wording: dict[str, Deadline] = {}
    for position, item in enumerate(data.get("deadlines", [])):
        session = regular_session(item["session"], where) if item.get("session") else None
        deadline = Deadline(
            mandate=mandate,
            wording=item["wording"],
            due_on=None if session else _date(item.get("due_on"), where),
            session=session,
            order=position,
        )
        try:
            deadline.full_clean()
        except ValidationError as exc:
            raise LoadError(
                f"{where}, deadline “{item['wording']}”: {'; '.join(exc.messages)}"
            ) from exc
        deadline.save()
        deadlines_by_wording[item["wording"]] = deadline
    for item in data.get("progress", []):
        record = ProgressRecord(
            mandate=mandate,
            date=_date(item["date"], where),
            date_precision=item.get("date_precision", ProgressRecord.Precision.DAY),
            kind=item.get("kind", ProgressRecord.Kind.OTHER),
            title=item["title"],
            summary=item.get("summary", ""),
            document_symbol=item.get("document_symbol", ""),
            url=item.get("url", ""),
            completes_mandate=bool(item.get("completes_mandate", False)),
        )
        try:
            record.full_clean()
        except ValidationError as exc:
            raise LoadError(
                f"{where}, record “{item['title']}”: {'; '.join(exc.messages)}"
            ) from exc
        record.save()
        for wording in item.get("fulfils", []):
            if wording not in deadlines_by_wording:
                raise LoadError(f"{where}: record “{item['title']}” fulfils an unknown deadline.")
            record.fulfils.add(deadlines_by_wording[wording])
    for child in data.get("children", []):
        save_paragraph(resolution, child, mandate, counter)
    return mandate


def check_unique_labels(paragraphs: list[dict], symbol: str) -> None:
    seen: set[str] = set()

    def walk(items):
        for item in items:
            label = item.get("label")
            if label in seen:
                raise LoadError(f"{symbol}: paragraph label “{label}” appears twice.")
            seen.add(label)
            walk(item.get("children", []))

    walk(paragraphs)


def save_instrument(data: dict) -> Resolution:
    """Create a resolution and all its paragraphs. Call inside a transaction."""
    symbol = data.get("symbol", "").strip()
    if not symbol:
        raise LoadError("The instrument has no symbol.")
    if not data.get("paragraphs"):
        raise LoadError(f"{symbol}: no operative paragraph to save.")
    check_unique_labels(data["paragraphs"], symbol)
    session = data.get("session")
    resolution = Resolution(
        kind=data.get("kind", Resolution.Kind.GA_RESOLUTION),
        symbol=symbol,
        title=data.get("title", ""),
        slug=data.get("slug", ""),
        session=regular_session(session, symbol) if session else None,
        adopted_on=_date(data.get("adopted_on"), symbol),
        adoption_note=data.get("adoption_note", ""),
        preamble=data.get("preamble", ""),
        source=data.get("source", ""),
    )
    if resolution.adopted_on is None:
        raise LoadError(f"{symbol}: the adoption date is missing.")
    if not resolution.title:
        raise LoadError(f"{symbol}: the title is missing.")
    resolution.save()
    # `order` numbers paragraphs in reading order (sub-paragraphs right after their parent).
    counter = itertools.count(10, 10)
    for paragraph in data["paragraphs"]:
        save_paragraph(resolution, paragraph, None, counter)
    return resolution


def read_fixture(name: str):
    path = FIXTURES_DIR / name
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_default_data(names: list[str] | None = None) -> LoadReport:
    """Load the default fixtures; what exists already (by acronym, session number or symbol)
    is left as it is, so running it twice changes nothing."""
    report = LoadReport()
    for name in names or DEFAULT_FIXTURES:
        data = read_fixture(name)
        if name == "organs.json":
            load_organs(data, report)
        elif name == "sessions.json":
            load_sessions(data, report)
        elif Resolution.objects.filter(symbol=data["symbol"]).exists():
            report.skipped.append(data["symbol"])
        else:
            save_instrument(data)
            report.created.append(data["symbol"])
    return report
