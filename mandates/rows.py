"""What a paragraph's row shows besides its status: its organs, its deadlines with their state
as of D, and its progress trail as of D (what each record fulfils, its documents).

Loaded for a whole page of paragraphs at once, one query per relation, from SQL compiled once
per process (models/compiled.py), into the lists the models read (`Mandate.responsibility_list`,
`deadline_list`, `record_list`, `ProgressRecord.fulfils_list`, `document_list`). The querysets
are those `prefetch_related` ran; its machinery (a queryset built, filtered and compiled per
relation and request) cost more than the queries themselves.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q

from .models import Compiled, Deadline, Document, Mandate, ProgressRecord, Responsibility
from .models.compiled import read_ahead

# Columns no row shows, left unread: the edit counter and time (for saves, which load their
# own rows), the search index, an organ's descriptions and search aliases.
UNSHOWN = ("version", "updated_at")
UNSHOWN_TEXT = (*UNSHOWN, "search_vector")  # resolutions and paragraphs
# A resolution named on another's page (citing it, the source of a record): not its text.
UNSHOWN_RESOLUTION = (*UNSHOWN_TEXT, "preamble")
UNSHOWN_ORGAN = (
    *UNSHOWN,
    "aliases",
    "description",
    "description_es",
    "description_fr",
    "description_pt",
)

# A resolution page's rows: all its paragraphs, or for a long one a page of its paragraphs
# with their sub-paragraphs (MAX_DEPTH levels), each with its status as of D.
PARAGRAPHS = Compiled(
    lambda resolution, as_of: (
        Mandate.objects.filter(resolution_id=resolution)
        .defer(*UNSHOWN_TEXT)
        .with_status(as_of)
        .order_by("order", "pk")
    ),
    resolution=int,
    as_of=datetime.date,
)
PAGE_OF_PARAGRAPHS = Compiled(
    lambda resolution, ids, as_of: (
        Mandate.objects.filter(resolution_id=resolution)
        .filter(Q(pk__any=ids) | Q(parent_id__any=ids) | Q(parent__parent_id__any=ids))
        .defer(*UNSHOWN_TEXT)
        .with_status(as_of)
        .order_by("order", "pk")
    ),
    resolution=int,
    ids=list,
    as_of=datetime.date,
)


def _responsibilities():
    return Responsibility.objects.select_related("organ").defer(
        *UNSHOWN, *(f"organ__{name}" for name in UNSHOWN_ORGAN)
    )


def _deadlines(as_of: datetime.date):
    return Deadline.objects.with_state(as_of).select_related("session").defer(*UNSHOWN)


def _records(as_of: datetime.date):
    return (
        ProgressRecord.objects.as_of(as_of)
        .defer(*UNSHOWN, *(f"proposal__citing_resolution__{n}" for n in UNSHOWN_RESOLUTION))
        .latest_first()
        .select_related("proposal__citing_resolution")
    )


def _both_ways(build, **kinds) -> tuple[Compiled, Compiled]:
    """`build(**values)` of the paragraphs `ids`, and of every paragraph of a `resolution`."""
    return (
        Compiled(
            lambda ids, **values: build(**values).filter(mandate_id__any=ids), ids=list, **kinds
        ),
        Compiled(
            lambda resolution, **values: build(**values).filter(mandate__resolution_id=resolution),
            resolution=int,
            **kinds,
        ),
    )


# What each row shows besides itself: its organs, deadlines and trail, of the paragraphs
# `ids`, or of all of a resolution's paragraphs (a resolution on one page: then asked before
# its paragraphs are read, with them).
RESPONSIBILITIES, RESOLUTION_RESPONSIBILITIES = _both_ways(_responsibilities)
DEADLINES, RESOLUTION_DEADLINES = _both_ways(_deadlines, as_of=datetime.date)
RECORDS, RESOLUTION_RECORDS = _both_ways(_records, as_of=datetime.date)
# The deadlines each record fulfils, in the deadlines' own order.
FULFILS = Compiled(
    lambda ids: (
        ProgressRecord.fulfils.through.objects.select_related("deadline")
        .filter(progressrecord_id__any=ids)
        .order_by(*(f"deadline__{name}" for name in Deadline._meta.ordering))
    ),
    ids=list,
)
DOCUMENTS = Compiled(
    lambda ids: Document.objects.filter(progress_record_id__any=ids),
    ids=list,
)


def _grouped(objects, key: str, field, owners: dict) -> dict[int, list]:
    """{owner id: [object, …]} in query order, each object's link to its owner set (as a
    prefetch sets it: no query when a template follows it back)."""
    groups = defaultdict(list)
    for obj in objects:
        owner_id = getattr(obj, key)
        groups[owner_id].append(obj)
        field.set_cached_value(obj, owners[owner_id])
    return groups


def load_organs(mandates) -> None:
    """Each paragraph's responsibilities, with their organs."""
    owners = {mandate.pk: mandate for mandate in mandates}
    if owners:
        _attach_organs(RESPONSIBILITIES(ids=list(owners)), owners)


def _attach_organs(found, owners: dict) -> None:
    groups = _grouped(found, "mandate_id", Responsibility.mandate.field, owners)
    for pk, mandate in owners.items():
        mandate.prefetched_responsibilities = groups.get(pk, [])


def _related_calls(as_of: datetime.date, ids=None, resolution=None) -> list:
    """The queries of `load_related` with their values: of the paragraphs `ids`, or of every
    paragraph of `resolution` (an id)."""
    if resolution is None:
        return [
            (RESPONSIBILITIES, {"ids": ids}),
            (DEADLINES, {"as_of": as_of, "ids": ids}),
            (RECORDS, {"as_of": as_of, "ids": ids}),
        ]
    return [
        (RESOLUTION_RESPONSIBILITIES, {"resolution": resolution}),
        (RESOLUTION_DEADLINES, {"as_of": as_of, "resolution": resolution}),
        (RESOLUTION_RECORDS, {"as_of": as_of, "resolution": resolution}),
    ]


def load_related(mandates, as_of: datetime.date, resolution=None) -> None:
    """Organs, deadlines with their state as of `as_of` and the trail as of `as_of`.
    `resolution` (an id): `mandates` are all of its paragraphs, read by the resolution."""
    owners = {mandate.pk: mandate for mandate in mandates}
    if not owners:
        return
    calls = _related_calls(as_of, ids=list(owners), resolution=resolution)
    with read_ahead(query.statement(**values) for query, values in calls):
        organs, deadlines, found = (query(**values) for query, values in calls)
    _attach_organs(organs, owners)
    deadlines = _grouped(deadlines, "mandate_id", Deadline.mandate.field, owners)
    records = _grouped(found, "mandate_id", ProgressRecord.mandate.field, owners)
    for pk, mandate in owners.items():
        mandate.prefetched_deadlines = deadlines.get(pk, [])
        mandate.prefetched_records = records.get(pk, [])
    if not found:
        return
    by_record = {record.pk: record for record in found}
    record_ids = list(by_record)
    fulfils = defaultdict(list)
    with read_ahead([FULFILS.statement(ids=record_ids), DOCUMENTS.statement(ids=record_ids)]):
        for link in FULFILS(ids=record_ids):
            fulfils[link.progressrecord_id].append(link.deadline)
        documents = _grouped(
            DOCUMENTS(ids=record_ids),
            "progress_record_id",
            Document.progress_record.field,
            by_record,
        )
    for pk, record in by_record.items():
        record.prefetched_fulfils = fulfils.get(pk, [])
        record.prefetched_documents = documents.get(pk, [])


def statements_of_resolution(resolution, as_of: datetime.date) -> list:
    """What `of_resolution` reads for a resolution on one page (for `read_ahead`): its
    paragraphs, their organs, deadlines and trail."""
    calls = _related_calls(as_of, resolution=resolution.pk)
    return [
        PARAGRAPHS.statement(resolution=resolution.pk, as_of=as_of),
        *(query.statement(**values) for query, values in calls),
    ]


def of_resolution(resolution, as_of: datetime.date, page_ids=None) -> list:
    """The rows of a resolution's page: all its paragraphs, or those of `page_ids` (operative
    paragraphs) and their sub-paragraphs, in order, each with its status as of `as_of` and
    what `load_related` loads."""
    if page_ids is None:
        found = PARAGRAPHS(resolution=resolution.pk, as_of=as_of)
    else:
        found = PAGE_OF_PARAGRAPHS(resolution=resolution.pk, ids=list(page_ids), as_of=as_of)
    link = Mandate.resolution.field
    for mandate in found:
        link.set_cached_value(mandate, resolution)  # its text's language, its address
    load_related(found, as_of, resolution=resolution.pk if page_ids is None else None)
    return found
