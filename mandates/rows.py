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
RESPONSIBILITIES = Compiled(
    lambda ids: (
        Responsibility.objects.select_related("organ")
        .defer(*UNSHOWN, *(f"organ__{name}" for name in UNSHOWN_ORGAN))
        .filter(mandate_id__any=ids)
    ),
    ids=list,
)
DEADLINES = Compiled(
    lambda as_of, ids: (
        Deadline.objects.with_state(as_of)
        .select_related("session")
        .defer(*UNSHOWN)
        .filter(mandate_id__any=ids)
    ),
    as_of=datetime.date,
    ids=list,
)
RECORDS = Compiled(
    lambda as_of, ids: (
        ProgressRecord.objects.as_of(as_of)
        .defer(*UNSHOWN, *(f"proposal__citing_resolution__{n}" for n in UNSHOWN_RESOLUTION))
        .latest_first()
        .select_related("proposal__citing_resolution")
        .filter(mandate_id__any=ids)
    ),
    as_of=datetime.date,
    ids=list,
)
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
    if not owners:
        return
    found = RESPONSIBILITIES(ids=list(owners))
    groups = _grouped(found, "mandate_id", Responsibility.mandate.field, owners)
    for pk, mandate in owners.items():
        mandate.prefetched_responsibilities = groups.get(pk, [])


def load_related(mandates, as_of: datetime.date) -> None:
    """Organs, deadlines with their state as of `as_of` and the trail as of `as_of`."""
    owners = {mandate.pk: mandate for mandate in mandates}
    if not owners:
        return
    ids = list(owners)
    with read_ahead(
        [
            RESPONSIBILITIES.statement(ids=ids),
            DEADLINES.statement(as_of=as_of, ids=ids),
            RECORDS.statement(as_of=as_of, ids=ids),
        ]
    ):
        load_organs(mandates)
        deadlines = _grouped(
            DEADLINES(as_of=as_of, ids=ids), "mandate_id", Deadline.mandate.field, owners
        )
        found = RECORDS(as_of=as_of, ids=ids)
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


def statement_of_resolution(resolution, as_of: datetime.date):
    """What `of_resolution` reads first for a resolution on one page (for `read_ahead`)."""
    return PARAGRAPHS.statement(resolution=resolution.pk, as_of=as_of)


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
    load_related(found, as_of)
    return found
