"""Save structured data (the fixtures in fixtures/, or an importer's parse) as rows.

The instrument format is a superset of the importer's JSON shape::

    {"kind": "ga_resolution", "symbol": "AG/RES. 2289 (XXXVII-O/07)", "title": "...",
     "organization": "oas", "slug": "...", "session": 37, "adopted_on": "2007-06-05",
     "adoption_note": "...",
     "preamble": "...", "source": "...",
     "paragraphs": [
        {"label": "20", "text": "...", "organs": ["IACHR"], "deadlines": [],
         "children": [{"label": "20.c", "text": "...", "organs": ["IACHR", "PC"],
                       "deadlines": [{"due_on": null, "session": 38, "wording": "..."}],
                       "progress": [{"date": "2008-05-01", "kind": "report", "title": "...",
                                     "summary": "", "document_symbol": "", "url": "",
                                     "fulfils": ["<wording of a deadline of this paragraph>"],
                                     "completes_mandate": false}]}]}]}

The first organ of a paragraph is its lead, the others support it; the organs a paragraph
reports to ("report to the General Assembly") are listed apart, in ``"reports_to"``: they are
shown but never charged with the mandate. A deadline with a ``session`` (a regular session's
ordinal, of the instrument's organization: its code, "oas" when absent) is anchored to it and
takes its opening date; a ``recurrence`` (iCalendar RRULE text) marks a recurring deadline
whose ``due_on`` is the first occurrence. The instrument's own ``session`` is a regular
session unless ``"session_kind": "special"`` says otherwise ("AG/RES. 1 (XLI-E/11)").
"""

from __future__ import annotations

import datetime
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from . import status
from .models import (
    Deadline,
    Mandate,
    Organ,
    Organization,
    ProgressRecord,
    Resolution,
    Responsibility,
    Session,
    normalize_symbol,
)

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
# Loaded in this order by `manage.py load_default_data` (and by the tests).
DEFAULT_FIXTURES = [
    "organs.json",
    "un-organs.json",  # the UN directory's names in each language and descriptions
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


def organization_by_code(code: str | None, where: str = "") -> Organization:
    """The organization by its code; none given means the OAS (data from before organizations)."""
    code = (code or "oas").strip().lower()
    try:
        return Organization.objects.get(code=code)
    except Organization.DoesNotExist as exc:
        raise LoadError(
            f"{where}: there is no organization with the code “{code}”; add it in the admin first."
        ) from exc


def regular_session(
    ordinal: int,
    where: str,
    organization: Organization | None = None,
    kind: str = Session.Kind.REGULAR,
) -> Session:
    """The session by number (a regular one unless ``kind`` says "special")."""
    sessions = Session.objects.filter(kind=kind or Session.Kind.REGULAR)
    if organization is not None:
        sessions = sessions.filter(organization=organization)
    try:
        return sessions.get(ordinal=int(ordinal))
    except (Session.DoesNotExist, Session.MultipleObjectsReturned, TypeError, ValueError) as exc:
        owner = f"{organization.acronym} " if organization is not None else ""
        label = "special" if kind == Session.Kind.SPECIAL else "regular"
        raise LoadError(
            f"{where}: there is no {label} session number {ordinal} in the directory of "
            f"{owner}General Assembly sessions; add it in the admin first."
        ) from exc


# An organ's name and acronym in the other official languages, and what it is in each of the
# four (fixtures/organs.json): filled in on organs that lack them, never overwritten.
ORGAN_TRANSLATIONS = [
    f"{field}_{language}" for field in ("name", "acronym") for language in ("es", "fr", "pt")
] + ["description", "description_es", "description_fr", "description_pt"]


def load_organs(rows: list[dict], report: LoadReport) -> None:
    """Create the organs that do not exist yet; never overwrite an edited one. An existing
    organ only gets the translations of its name and acronym, and the descriptions, that it
    lacks (an organ loaded before they were kept)."""
    existing = {organ.key: organ for organ in Organ.objects.all()}
    for row in rows:
        translations = {key: row[key] for key in ORGAN_TRANSLATIONS if row.get(key)}
        organ = existing.get(_key(row))
        if organ is not None:
            missing = {k: v for k, v in translations.items() if not getattr(organ, k)}
            if missing:
                for key, value in missing.items():
                    setattr(organ, key, value)
                organ.save(update_fields=list(missing))
                report.created.append(f"organ {row['acronym']}: {', '.join(sorted(missing))}")
            else:
                report.skipped.append(f"organ {row['acronym']}")
            continue
        Organ.objects.create(
            organization=organization_by_code(row.get("organization"), f"organ {row['acronym']}"),
            acronym=row["acronym"],
            key=_key(row),
            name=row["name"],
            kind=row.get("kind", Organ.Kind.ORGAN),
            aliases="\n".join(row.get("aliases", [])),
            **translations,
        )
        report.created.append(f"organ {row['acronym']}")
    # Parents second, so that the order of rows does not matter.
    for row in rows:
        if row.get("parent") and f"organ {row['acronym']}" in report.created:
            Organ.objects.filter(key=_key(row)).update(parent=Organ.objects.get(key=row["parent"]))


def load_sessions(rows: list[dict], report: LoadReport) -> None:
    """Create the sessions that do not exist yet (fixtures/sessions.json: each row cites its
    ``source``). An existing session is never overwritten: it only gets the place and dates
    it lacks (a session created from the import review before its date was known)."""
    for row in rows:
        kind = row.get("kind", Session.Kind.REGULAR)
        where = f"session {row['ordinal']} ({kind})"
        facts = {
            "place": row.get("place", ""),
            "start_date": _date(row.get("start_date"), where),
            "end_date": _date(row.get("end_date"), where),
        }
        session, created = Session.objects.get_or_create(
            organization=organization_by_code(row.get("organization"), where),
            ordinal=row["ordinal"],
            kind=kind,
            defaults=facts,
        )
        if created:
            report.created.append(where)
            continue
        blanks = {k: v for k, v in facts.items() if v and not getattr(session, k)}
        if blanks:
            # Through the queryset: a new opening date moves the deadlines anchored to it.
            Session.objects.filter(pk=session.pk).update(**blanks)
            report.created.append(f"{where}: {', '.join(sorted(blanks))}")
        else:
            report.skipped.append(where)


def _key(row: dict) -> str:
    """An organs.json row's key: its own, else its acronym (every OAS organ's)."""
    return row.get("key") or row["acronym"]


def _organ(key: str, where: str) -> Organ:
    try:
        return Organ.objects.get(key=key)
    except Organ.DoesNotExist as exc:
        raise LoadError(f"{where}: no organ with acronym “{key}” in the directory.") from exc


def save_paragraph(
    resolution: Resolution, data: dict, parent: Mandate | None, counter: Iterator[int]
) -> Mandate:
    """Create one paragraph with its organs, deadlines, progress and sub-paragraphs."""
    mandate = _create_mandate(resolution, data, parent, next(counter))
    for child in data.get("children", []):
        save_paragraph(resolution, child, mandate, counter)
    return mandate


def _where(resolution: Resolution, data: dict) -> str:
    return f"{resolution.symbol} ¶{data.get('label', '?')}"


def _create_mandate(
    resolution: Resolution, data: dict, parent: Mandate | None, order: int
) -> Mandate:
    """One paragraph with its organs, deadlines and progress; not its sub-paragraphs."""
    where = _where(resolution, data)
    if not str(data.get("label", "")).strip():
        raise LoadError(f"{resolution.symbol}: a paragraph has no label.")
    if not str(data.get("text", "")).strip():
        raise LoadError(f"{where}: the paragraph has no text.")
    mandate = Mandate(
        resolution=resolution,
        parent=parent,
        label=data["label"],
        order=order,
        text=data["text"],
        kind=data.get("kind") or Mandate.Kind.INSTRUCTS,
        track_status=bool(data.get("track_status", False)),
    )
    try:
        mandate.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise LoadError(f"{where}: {'; '.join(exc.messages)}") from exc
    mandate.save()
    _set_organs(mandate, _roles(data), where)
    deadlines_by_wording: dict[str, Deadline] = {}
    for position, item in enumerate(data.get("deadlines", [])):
        deadline = Deadline(mandate=mandate, wording=item["wording"], order=position)
        _fill_deadline(deadline, item, where)
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
            source=item.get("source", ""),
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
    return mandate


def _roles(item: dict) -> list[tuple[str, str]]:
    """[(acronym, role)] of a paragraph: lead first, then supporting, then report recipients."""
    acting = list(dict.fromkeys(item.get("organs", [])))
    roles = [
        (a, Responsibility.Role.LEAD if i == 0 else Responsibility.Role.SUPPORTING)
        for i, a in enumerate(acting)
    ]
    recipients = [a for a in dict.fromkeys(item.get("reports_to", [])) if a not in acting]
    return roles + [(a, Responsibility.Role.RECIPIENT) for a in recipients]


def _set_organs(mandate: Mandate, roles: list[tuple[str, str]], where: str) -> None:
    for position, (acronym, role) in enumerate(roles):
        Responsibility.objects.create(
            mandate=mandate, organ=_organ(acronym, where), role=role, order=position
        )


def _fill_deadline(deadline: Deadline, item: dict, where: str) -> None:
    """Set a deadline's date or session from the data and validate it."""
    owner = deadline.mandate.resolution.organization
    session = regular_session(item["session"], where, owner) if item.get("session") else None
    deadline.wording = item["wording"]
    deadline.recurrence = item.get("recurrence") or ""
    deadline.session = session
    deadline.due_on = None if session else _date(item.get("due_on"), where)
    try:
        deadline.full_clean()
    except ValidationError as exc:
        raise LoadError(
            f"{where}, deadline “{item['wording']}”: {'; '.join(exc.messages)}"
        ) from exc


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


def _resolution_fields(data: dict, symbol: str) -> dict:
    session = data.get("session")
    owner = organization_by_code(data.get("organization"), symbol)
    fields = {
        "organization": owner,
        "kind": data.get("kind", Resolution.Kind.GA_RESOLUTION),
        "title": data.get("title", ""),
        "session": (
            regular_session(session, symbol, owner, data.get("session_kind")) if session else None
        ),
        "adopted_on": _date(data.get("adopted_on"), symbol),
        "adoption_note": data.get("adoption_note", ""),
        "preamble": data.get("preamble", ""),
        "source": data.get("source", ""),
        "partial_text": bool(data.get("partial_text", False)),
    }
    if data.get("series"):  # a replace without a series keeps the one stored
        fields["series"] = data["series"]
    # The language of the texts as given (the importer recognises it); English if not said.
    if data.get("language") in dict(settings.LANGUAGES):
        fields["language"] = data["language"]
    if fields["adopted_on"] is None:
        raise LoadError(f"{symbol}: the adoption date is missing.")
    if not fields["title"]:
        raise LoadError(f"{symbol}: the title is missing.")
    return fields


def _check_instrument(data: dict) -> str:
    symbol = normalize_symbol(data.get("symbol", "") or "")
    if not symbol:
        raise LoadError("The instrument has no symbol.")
    limit = Resolution._meta.get_field("symbol").max_length
    if len(symbol) > limit:
        # Normalizing can lengthen a symbol: refuse it here rather than fail in the database.
        raise LoadError(
            f"{symbol[:60]}…: written in the standard form, the symbol has {len(symbol)} "
            f"characters; at most {limit} are allowed."
        )
    if not data.get("paragraphs") and not data.get("partial_text"):
        # A partial text (only its opening is known) may hold no operative paragraph.
        raise LoadError(f"{symbol}: no operative paragraph to save.")
    check_unique_labels(data["paragraphs"], symbol)
    return symbol


@status.deferred()  # each paragraph's status computed once, at the end, same transaction
def save_instrument(data: dict, replace: bool = False) -> Resolution:
    """Create a resolution and all its paragraphs. Call inside a transaction.

    With ``replace``, an existing resolution of the same symbol is updated in place by
    ``replace_instrument`` (use that directly to get the report of what changed)."""
    if replace:
        return replace_instrument(data).resolution
    symbol = _check_instrument(data)
    resolution = Resolution(
        symbol=symbol, slug=data.get("slug", ""), **_resolution_fields(data, symbol)
    )
    resolution.save()
    # `order` numbers paragraphs in reading order (sub-paragraphs right after their parent).
    counter = itertools.count(10, 10)
    for paragraph in data["paragraphs"]:
        save_paragraph(resolution, paragraph, None, counter)
    _store_citations(resolution)
    return resolution


def _store_citations(resolution: Resolution) -> None:
    """The resolutions its text cites, read from the text just saved (mandates/citations.py),
    in the same transaction: a re-import replaces them."""
    from .citations import store

    store(resolution)


@dataclass
class ReplaceReport:
    """What ``replace_instrument`` did, paragraph by paragraph (labels)."""

    resolution: Resolution | None = None
    created_resolution: bool = False
    kept: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Progress records deleted with a changed or removed paragraph, by label.
    lost_records: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _flatten(paragraphs: list[dict], parent: str | None = None):
    for item in paragraphs:
        yield item, parent
        yield from _flatten(item.get("children", []), item["label"])


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


@status.deferred()
def replace_instrument(data: dict) -> ReplaceReport:
    """Update an existing resolution from new data. Call inside a transaction.

    A paragraph whose label, parent and text are unchanged is kept with its progress records;
    its organs and deadlines are updated only where they differ, and a deadline whose wording
    is unchanged is updated in place, so that the records fulfilling it still do. Paragraphs
    that changed are rewritten (their records go with them, which the report counts),
    paragraphs no longer present are removed, new ones are added. Without an existing
    resolution this is ``save_instrument``."""
    symbol = _check_instrument(data)
    report = ReplaceReport()
    resolution = Resolution.objects.filter(symbol=symbol).first()
    if resolution is None:
        report.resolution = save_instrument(data)
        report.created_resolution = True
        report.added = [item["label"] for item, _parent in _flatten(data["paragraphs"])]
        return report
    report.resolution = resolution
    for name, value in _resolution_fields(data, symbol).items():
        setattr(resolution, name, value)
    if data.get("slug"):
        resolution.slug = data["slug"]
    resolution.save()

    existing = {m.label: m for m in resolution.mandates.select_related("parent")}
    wanted = list(_flatten(data["paragraphs"]))
    keep: set[str] = set()
    for item, parent_label in wanted:
        old = existing.get(item["label"])
        old_parent = old.parent.label if old is not None and old.parent_id else None
        if old is not None and old_parent == parent_label and _same_text(old.text, item["text"]):
            keep.add(item["label"])
    # A kept sub-paragraph of a rewritten paragraph must not go with it in the cascade.
    for label in keep:
        mandate = existing[label]
        if mandate.parent_id and mandate.parent.label not in keep:
            mandate.parent = None
            mandate.save(update_fields=["parent", "version", "updated_at"])
    wanted_labels = {item["label"] for item, _parent in wanted}
    report.removed = [label for label in existing if label not in wanted_labels]
    doomed = [mandate for label, mandate in existing.items() if label not in keep]
    for mandate in doomed:
        records = mandate.progress_records.count()
        if records:
            report.lost_records[mandate.label] = records
    Mandate.objects.filter(pk__in=[m.pk for m in doomed]).delete()

    by_label: dict[str, Mandate] = {label: existing[label] for label in keep}
    for order, (item, parent_label) in enumerate(wanted, start=1):
        parent = by_label.get(parent_label) if parent_label else None
        if item["label"] in keep:
            mandate = by_label[item["label"]]
            item = _keep_recipients(mandate, item)
            changed = _sync_kept(mandate, item, parent, order * 10, report)
            (report.updated if changed else report.kept).append(item["label"])
        else:
            by_label[item["label"]] = _create_mandate(
                resolution, {**item, "children": []}, parent, order * 10
            )
            report.added.append(item["label"])
    _store_citations(resolution)
    return report


def _keep_recipients(mandate: Mandate, item: dict) -> dict:
    """An organ that staff marked as receiving a kept paragraph's report stays a recipient
    when a re-import names it among the paragraph's other organs: the parser cannot always
    tell "report to the General Assembly" from a supporting role, and curation is not undone."""
    recipients = {
        r.organ.key
        for r in mandate.responsibilities.select_related("organ")
        if r.role == Responsibility.Role.RECIPIENT
    }
    organs = list(item.get("organs", []))
    moved = [acronym for acronym in organs[1:] if acronym in recipients]
    if not moved:
        return item
    return {
        **item,
        "organs": [acronym for acronym in organs if acronym not in moved],
        "reports_to": list(dict.fromkeys([*item.get("reports_to", []), *moved])),
    }


def _sync_kept(
    mandate: Mandate, item: dict, parent: Mandate | None, order: int, report: ReplaceReport
) -> bool:
    """Bring a kept paragraph's place, organs and deadlines up to date; True if organs or
    deadlines changed."""
    where = _where(mandate.resolution, item)
    if mandate.order != order or mandate.parent_id != (parent.pk if parent else None):
        mandate.order, mandate.parent = order, parent
        mandate.save(update_fields=["order", "parent", "version", "updated_at"])
    changed = False
    roles = _roles(item)
    current = list(
        mandate.responsibilities.order_by("order", "pk").values_list("organ__key", "role")
    )
    if current != roles:
        mandate.responsibilities.all().delete()
        _set_organs(mandate, roles, where)
        changed = True
    old = {d.wording: d for d in mandate.deadlines.all()}
    wanted = item.get("deadlines", [])
    wanted_wordings = {d["wording"] for d in wanted}
    for wording, deadline in old.items():
        if wording not in wanted_wordings:
            if deadline.fulfilled_by.exists():
                report.warnings.append(
                    gettext(
                        "%(where)s: deadline “%(wording)s” was met by progress records and is no"
                        " longer in the text; it was removed, the records stay."
                    )
                    % {"where": where, "wording": wording}
                )
            deadline.delete()
            changed = True
    for position, entry in enumerate(wanted):
        deadline = old.get(entry["wording"])
        if deadline is None:
            deadline = Deadline(mandate=mandate, wording=entry["wording"], order=position)
            _fill_deadline(deadline, entry, where)
            deadline.save()
            changed = True
            continue
        before = (deadline.due_on, deadline.session_id, deadline.recurrence, deadline.order)
        deadline.order = position
        _fill_deadline(deadline, entry, where)
        if (deadline.due_on, deadline.session_id, deadline.recurrence, deadline.order) != before:
            deadline.save()
            changed = True
    return changed


def ensure_organizations() -> None:
    """The OAS and the UN (with the UN directory) are made by migration 0007; a database
    emptied since (`flush`, a test's truncation) gets them again, so the default data loads."""
    from importlib import import_module

    from django.apps import apps

    from .models import Organization

    if set(Organization.objects.values_list("code", flat=True)) >= {"oas", "un"}:
        return
    import_module("mandates.migrations.0007_organizations_data").forwards(apps, None)


def read_fixture(name: str):
    path = FIXTURES_DIR / name
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
@status.deferred()
def load_default_data(names: list[str] | None = None) -> LoadReport:
    """Load the default fixtures; what exists already (by acronym, session number or symbol)
    is left as it is, so running it twice changes nothing."""
    report = LoadReport()
    ensure_organizations()
    for name in names or DEFAULT_FIXTURES:
        data = read_fixture(name)
        if name.endswith("organs.json"):
            load_organs(data, report)
        elif name == "sessions.json":
            load_sessions(data, report)
        elif Resolution.objects.filter(symbol=data["symbol"]).exists():
            report.skipped.append(data["symbol"])
        else:
            save_instrument(data)
            report.created.append(data["symbol"])
    if names is None:
        # The annual series of AG/RES. 2289, imported with the importer from the texts found
        # (fixtures/series/), and the evidence their preambles give (mandates/series.py).
        from .series import load_series

        load_series(report)
    return report
