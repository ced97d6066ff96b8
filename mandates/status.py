"""The status rule, written once, and the stored timeline that makes it an index lookup.

The rule (README, "How status is decided"), for a paragraph M as of a day D, over M and its
sub-paragraphs (its subtree):

- **met**: every deadline in the subtree was fulfilled by a progress record dated on or before
  D, and every childless member of the subtree that has no deadline of its own was completed by
  a record dated on or before D. *Met late* when some deadline's first fulfilment came after
  its due date.
- **overdue**: not met, and some deadline of the subtree fell due strictly before D and had no
  fulfilling record dated on or before D.
- **pending**: otherwise. A deadline with no due date (a session whose opening date is not
  known yet) can keep a paragraph pending, never make it overdue.

`state_on()` is that rule. Everything it looks at only changes on a few days (a due date has
passed, a first fulfilment, a completion), so `timeline()` evaluates the rule once per such day
and stores the result as periods [starts_on, ends_on) in `StatusPeriod`. "Status as of D" is
then the one period containing D: `MandateQuerySet.with_status()` joins it, for any D, past or
future, with no nightly job.

The stored periods and the deadlines' derived dates (`Deadline.due`, `first_fulfilled_on`) are
recomputed by `recompute()` in the same transaction as every write that changes the facts
(`mandates/signals.py` connects the model signals; querysets' `update()` and `bulk_create()`
report what they touched). Bulk paths (importer, loader, generator) wrap their writes in
`deferred()` so that each paragraph is recomputed once. `check()` recomputes everything and
compares (`manage.py check_status [--repair]`).
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, Min

FIRST_DAY = datetime.date.min
LAST_DAY = datetime.date.max

PENDING, MET, OVERDUE = "pending", "met", "overdue"


# --------------------------------------------------------------------------------------------
# The rule
# --------------------------------------------------------------------------------------------


class DeadlineFact(NamedTuple):
    """What the rule needs of one deadline."""

    pk: int
    due: datetime.date | None
    fulfilled_on: datetime.date | None  # date of the first fulfilling record, whenever it is
    wording: str = ""


class State(NamedTuple):
    """A paragraph's status on one day, with the deadlines that explain it."""

    status: str | None  # None: not tracked
    met_late: bool = False
    next_due_on: datetime.date | None = None
    next_due_wording: str = ""
    missed_due_on: datetime.date | None = None
    missed_due_wording: str = ""


class Facts(NamedTuple):
    """Everything in a paragraph's subtree that its status depends on."""

    deadlines: tuple[DeadlineFact, ...] = ()
    # For each childless member without a deadline: the date of its first completing record.
    completions: tuple[datetime.date | None, ...] = ()


def state_on(facts: Facts, day: datetime.date) -> State:
    """The rule: the status on `day` of the paragraph these facts describe.

    (One pass over the deadlines: this runs for every paragraph on every day its status can
    change, some 400,000 times for a 100,000-paragraph rebuild.)"""
    unfulfilled = 0
    missed = upcoming = None  # the earliest by (due, pk) of each kind
    for deadline in facts.deadlines:
        if deadline.fulfilled_on is not None and deadline.fulfilled_on <= day:
            continue
        unfulfilled += 1
        if deadline.due is None:
            continue  # a session with no known date: open, but never missed
        if deadline.due < day:
            if missed is None or (deadline.due, deadline.pk) < (missed.due, missed.pk):
                missed = deadline
        elif upcoming is None or (deadline.due, deadline.pk) < (upcoming.due, upcoming.pk):
            upcoming = deadline
    completed = all(c is not None and c <= day for c in facts.completions)
    if not unfulfilled and completed:
        late = any(d.due is not None and d.fulfilled_on > d.due for d in facts.deadlines)
        return State(MET, met_late=late)
    return State(
        OVERDUE if missed else PENDING,
        next_due_on=upcoming.due if upcoming else None,
        next_due_wording=upcoming.wording if upcoming else "",
        missed_due_on=missed.due if missed else None,
        missed_due_wording=missed.wording if missed else "",
    )


class Period(NamedTuple):
    starts_on: datetime.date  # first day of the period
    ends_on: datetime.date  # first day after it (LAST_DAY: open-ended)
    state: State


def _day_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=1) if day < LAST_DAY else LAST_DAY


def change_days(facts: Facts) -> list[datetime.date]:
    """The days on which `state_on(facts, day)` can differ from the day before."""
    days = set()
    for deadline in facts.deadlines:
        if deadline.due is not None:
            days.add(_day_after(deadline.due))  # missed from the day after; no longer "next"
        if deadline.fulfilled_on is not None:
            days.add(deadline.fulfilled_on)
    days.update(c for c in facts.completions if c is not None)
    days.discard(FIRST_DAY)
    return sorted(days)


def timeline(facts: Facts) -> list[Period]:
    """The rule evaluated on every day it can change: consecutive periods covering all time."""
    periods: list[Period] = []
    starts = [FIRST_DAY, *change_days(facts)]
    for start, end in zip(starts, [*starts[1:], LAST_DAY], strict=True):
        state = state_on(facts, start)
        if periods and periods[-1].state == state:
            periods[-1] = Period(periods[-1].starts_on, end, state)
        else:
            periods.append(Period(start, end, state))
    return periods


# --------------------------------------------------------------------------------------------
# Facts from the database, and the stored timeline
# --------------------------------------------------------------------------------------------


class Node(NamedTuple):
    """What the engine needs of one paragraph besides its facts."""

    parent: int | None
    resolution: int
    kind: str
    tracked: bool  # `tracked_condition`, evaluated by the database


NODE_FIELDS = ("pk", "parent_id", "resolution_id", "kind", "is_tracked")


def _nodes(queryset) -> Iterator[tuple[int, Node]]:
    for pk, parent, resolution, kind, tracked in (
        queryset.with_tracked().values_list(*NODE_FIELDS).iterator(10000)
    ):
        yield pk, Node(parent, resolution, kind, tracked)


def _trees(mandate_ids: Iterable[int]) -> dict[int, Node]:
    """{id: Node} of every paragraph in the trees that contain these."""
    from .models import Mandate

    wanted = set(mandate_ids)
    # Up to the roots...
    roots, frontier = set(), wanted
    while frontier:
        rows = list(Mandate.objects.filter(pk__in=frontier).values_list("pk", "parent_id"))
        roots.update(pk for pk, parent in rows if parent is None)
        frontier = {parent for _pk, parent in rows if parent is not None}
    # ...and down to the leaves.
    tree = {
        pk: node._replace(parent=None)
        for pk, node in _nodes(Mandate.objects.filter(pk__in=roots).order_by())
    }
    frontier = set(tree)
    while frontier:
        rows = _nodes(Mandate.objects.filter(parent_id__in=frontier).order_by())
        rows = [row for row in rows if row[0] not in tree]  # a cycle cannot loop
        tree.update(rows)
        frontier = {row[0] for row in rows}
    return tree


def _whole_table() -> dict[int, Node]:
    from .models import Mandate

    return dict(_nodes(Mandate.objects.order_by()))


def _load_facts(
    tree: dict[int, Node], everything: bool = False
) -> tuple[dict[int, Facts | None], list[tuple]]:
    """Facts of every paragraph of `tree` (None: not tracked, no status), and
    (pk, due, first_fulfilled_on) of its deadlines. `everything`: the tree is the whole table
    (read it whole rather than by lists of ids).

    Kinds: a tracked paragraph's subtree is itself and its tracked sub-paragraphs (through
    tracked ones only): a declaratory or untracked sub-paragraph, and what is under it, is
    left out of its parent's roll-up; a tracked paragraph with no tracked sub-paragraph is a
    leaf (met when a record completed it, if it has no deadline)."""
    from .models import Deadline, ProgressRecord

    ids = list(tree)
    own: dict[int, list[DeadlineFact]] = defaultdict(list)
    deadline_rows = []
    deadlines = Deadline.objects.order_by()
    records = ProgressRecord.objects.order_by().filter(completes_mandate=True)
    if everything:
        deadline_sets, record_sets = [deadlines], [records]
    else:
        deadline_sets = [deadlines.filter(mandate_id__in=chunk) for chunk in _chunks(ids)]
        record_sets = [records.filter(mandate_id__in=chunk) for chunk in _chunks(ids)]
    for queryset in deadline_sets:
        rows = queryset.annotate(first=Min("fulfilled_by__date")).values_list(
            "pk", "mandate_id", "wording", "due_on", "session__start_date", "first"
        )
        for pk, mandate_id, wording, due_on, session_start, first in rows.iterator(5000):
            due = session_start if due_on is None else due_on
            own[mandate_id].append(DeadlineFact(pk, due, first, wording))
            deadline_rows.append((pk, due, first))
    completed: dict[int, datetime.date] = {}
    for queryset in record_sets:
        completed.update(
            queryset.values("mandate_id")
            .annotate(first=Min("date"))
            .values_list("mandate_id", "first")
        )

    children: dict[int, list[int]] = defaultdict(list)
    for pk, node in tree.items():
        if node.parent is not None and node.parent in tree and node.tracked:
            children[node.parent].append(pk)  # tracked sub-paragraphs only

    facts: dict[int, Facts | None] = {}

    def gather(pk: int, seen: frozenset = frozenset()) -> Facts | None:
        if pk in facts:
            return facts[pk]
        if not tree[pk].tracked:
            facts[pk] = None
            return None
        deadlines = list(own.get(pk, ()))
        completions: list[datetime.date | None] = []
        kids = [k for k in children.get(pk, ()) if k not in seen]
        if not kids and not deadlines:
            completions.append(completed.get(pk))
        for kid in kids:
            sub = gather(kid, seen | {pk})
            deadlines.extend(sub.deadlines)
            completions.extend(sub.completions)
        facts[pk] = Facts(tuple(deadlines), tuple(completions))
        return facts[pk]

    for pk in ids:
        gather(pk)
    return facts, deadline_rows


def _chunks(items: Sequence, size: int = 20000) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


UNTRACKED = Period(FIRST_DAY, LAST_DAY, State(None))  # one period, no status, all time


def _period_rows(facts: dict[int, Facts | None], tree: dict[int, Node]) -> list[tuple]:
    rows = []
    # In paragraph order, whatever order the trees were read in: the rows' ids (and a dump of
    # the table) are then the same for the same facts.
    for pk, node_facts in sorted(facts.items()):
        node = tree[pk]
        periods = [UNTRACKED] if node_facts is None else timeline(node_facts)
        for p in periods:
            s = p.state
            rows.append(
                (
                    pk,
                    node.resolution,
                    node.parent is None,
                    p.starts_on,
                    p.ends_on,
                    s.status,
                    node.kind,
                    s.met_late,
                    s.next_due_on,
                    s.next_due_wording,
                    s.missed_due_on,
                    s.missed_due_wording,
                )
            )
    return rows


PERIOD_COLUMNS = (
    "mandate_id",
    "resolution_id",
    "top_level",
    "starts_on",
    "ends_on",
    "status",
    "kind",
    "met_late",
    "next_due_on",
    "next_due_wording",
    "missed_due_on",
    "missed_due_wording",
)


def _paragraph_organs(tree: dict[int, Node], everything: bool = False) -> set[tuple[int, int]]:
    """(operative paragraph, organ) for every organ responsible (not as report recipient) for
    a paragraph of `tree` or one of its sub-paragraphs, and every organ above such an organ
    (CAJP's paragraphs are the Permanent Council's too): the rows of `ParagraphOrgan`."""
    from .models import Organ, Responsibility

    above = {
        pk: [int(part) for part in path.strip("/").split("/") if part] or [pk]
        for pk, path in Organ.objects.values_list("pk", "path")
    }

    roots: dict[int, int | None] = {}

    def root_of(pk: int) -> int | None:
        path = []
        while pk not in roots:
            if pk in path or pk not in tree:  # a cycle, or outside the tree: no paragraph
                for seen in path:
                    roots[seen] = None
                return None
            path.append(pk)
            parent = tree[pk].parent
            if parent is None:
                roots[pk] = pk
                break
            pk = parent
        for seen in path:
            roots[seen] = roots[pk]
        return roots[pk]

    responsibilities = Responsibility.objects.order_by().exclude(role=Responsibility.Role.RECIPIENT)
    if everything:
        sets = [responsibilities]
    else:
        sets = [responsibilities.filter(mandate_id__in=chunk) for chunk in _chunks(list(tree))]
    rows = set()
    for queryset in sets:
        for mandate_id, organ_id in queryset.values_list("mandate_id", "organ_id").iterator(5000):
            paragraph = root_of(mandate_id)
            if paragraph is not None:
                rows.update((paragraph, organ) for organ in above.get(organ_id, [organ_id]))
    return rows


def rebuild_paragraph_organs() -> None:
    """Recompute `ParagraphOrgan` whole: after an organ moved in the hierarchy (rare)."""
    from .models import ParagraphOrgan

    with transaction.atomic():
        ParagraphOrgan.objects.all()._raw_delete(ParagraphOrgan.objects.db)
        rows = sorted(_paragraph_organs(_whole_table(), everything=True))
        _copy_or_bulk_create(ParagraphOrgan, ("paragraph_id", "organ_id"), rows)


def _copy_or_bulk_create(model, columns: Sequence[str], rows: list[tuple]) -> None:
    if connection.vendor == "postgresql" and len(rows) > 1000:
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        model.objects.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=2000
        )


def _write(facts, tree, deadline_rows: list[tuple], replace_all: bool) -> None:
    from .models import Deadline, ParagraphOrgan, StatusPeriod

    ids = list(facts)
    for model, column in ((StatusPeriod, "mandate_id"), (ParagraphOrgan, "paragraph_id")):
        if replace_all:
            model.objects.all()._raw_delete(model.objects.db)
        else:
            for chunk in _chunks(ids):
                model.objects.filter(**{f"{column}__in": chunk})._raw_delete(model.objects.db)
    _copy_or_bulk_create(StatusPeriod, PERIOD_COLUMNS, _period_rows(facts, tree))
    _copy_or_bulk_create(
        ParagraphOrgan,
        ("paragraph_id", "organ_id"),
        sorted(_paragraph_organs(tree, everything=replace_all)),
    )
    # The deadlines' derived dates, written only where they changed.
    stale = []
    stored = {}
    for chunk in _chunks([pk for pk, _due, _first in deadline_rows]):
        stored.update(
            (pk, (due, first))
            for pk, due, first in Deadline.objects.filter(pk__in=chunk).values_list(
                "pk", "due", "first_fulfilled_on"
            )
        )
    for pk, due, first in deadline_rows:
        if stored.get(pk) != (due, first):
            stale.append(Deadline(pk=pk, due=due, first_fulfilled_on=first))
    if not stale:
        return
    # A plain UPDATE: this is derived data, not an edit (no version bump, no history).
    if connection.vendor == "postgresql" and len(stale) > 1000:
        table = Deadline._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE derived_deadline (id bigint, due date, first date) "
                "ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY derived_deadline FROM STDIN") as copy:
                for d in stale:
                    copy.write_row((d.pk, d.due, d.first_fulfilled_on))
            cursor.execute(
                f"UPDATE {table} SET due = t.due, first_fulfilled_on = t.first "
                "FROM derived_deadline t WHERE t.id = {table}.id".replace("{table}", table)
            )
            cursor.execute("DROP TABLE derived_deadline")
    else:
        Deadline.objects.bulk_update(stale, ["due", "first_fulfilled_on"], batch_size=500)


def recompute(mandate_ids: Iterable[int]) -> int:
    """Recompute the stored status of the trees holding these paragraphs. Returns how many
    paragraphs were recomputed. Ids of paragraphs that no longer exist are ignored."""
    ids = set(mandate_ids)
    if not ids:
        return 0
    with transaction.atomic():
        tree = _trees(ids)
        facts, deadline_rows = _load_facts(tree)
        _write(facts, tree, deadline_rows, replace_all=False)
    return len(facts)


def rebuild_all() -> int:
    """Recompute every stored status row, every organ's hierarchy path, every paragraph's
    copy of its resolution's date and symbol."""
    from .models import Mandate, Organ

    with transaction.atomic():
        Organ.objects.rebuild_paths()
        Mandate.objects.refresh_reading_keys()
        tree = _whole_table()
        facts, deadline_rows = _load_facts(tree, everything=True)
        _write(facts, tree, deadline_rows, replace_all=True)
        # Check the new rows' foreign keys now rather than at commit, so that the same
        # transaction may go on to TRUNCATE (the corpus generator replacing a corpus).
        connection.check_constraints()
    return len(facts)


@dataclass
class Difference:
    mandate_id: int | None
    what: str


def check() -> list[Difference]:
    """Compare what is stored with what the rule gives from the facts; [] when they agree."""
    from .models import Deadline, Mandate, Organ, ParagraphOrgan, StatusPeriod

    differences = []
    tree = _whole_table()
    facts, deadline_rows = _load_facts(tree, everything=True)
    expected = defaultdict(list)
    for row in _period_rows(facts, tree):
        expected[row[0]].append(row[1:])
    stored = defaultdict(list)
    for row in StatusPeriod.objects.order_by("mandate_id", "starts_on").values_list(
        *PERIOD_COLUMNS
    ):
        stored[row[0]].append(tuple(row[1:]))
    for pk in sorted(set(expected) | set(stored)):
        if expected.get(pk) != stored.get(pk):
            differences.append(Difference(pk, "status timeline"))
    expected_organs = _paragraph_organs(tree, everything=True)
    stored_organs = set(ParagraphOrgan.objects.values_list("paragraph_id", "organ_id"))
    for pk in sorted({p for p, _o in expected_organs ^ stored_organs}):
        differences.append(Difference(pk, "organs of the paragraph"))
    derived = dict(
        (pk, (due, first))
        for pk, due, first in Deadline.objects.values_list("pk", "due", "first_fulfilled_on")
    )
    for pk, due, first in deadline_rows:
        if derived.get(pk) != (due, first):
            differences.append(Difference(None, f"deadline {pk}: due date or first fulfilment"))
    stale = Mandate.objects.exclude(
        resolution_adopted_on=F("resolution__adopted_on"),
        resolution_symbol=F("resolution__symbol"),
    )
    for pk in stale.values_list("pk", flat=True)[:1000]:
        differences.append(Difference(pk, "resolution's date and symbol (reading order)"))
    for organ_pk, path in Organ.objects.expected_paths().items():
        if Organ.objects.filter(pk=organ_pk).values_list("path", flat=True).first() != path:
            differences.append(Difference(None, f"organ {organ_pk}: hierarchy path"))
    return differences


# --------------------------------------------------------------------------------------------
# Keeping it current: every write marks what it touched
# --------------------------------------------------------------------------------------------

_local = threading.local()


def _pending() -> set | None:
    return getattr(_local, "pending", None)


def mark_changed(mandate_ids: Iterable[int]) -> None:
    """The facts of these paragraphs changed: recompute now, or at the end of `deferred()`."""
    ids = {pk for pk in mandate_ids if pk is not None}
    pending = _pending()
    if pending is not None:
        pending.update(ids)
        _local.touched = True
        return
    if ids:
        recompute(ids)
    bump_data_version()


def mark_touched() -> None:
    """Something public changed that does not affect status (a title, an organ's name)."""
    if _pending() is not None:
        _local.touched = True
    else:
        bump_data_version()


@contextmanager
def deferred():
    """Batch the recomputation of a bulk write: each tree once, at the end, inside the same
    transaction. Nested uses join the outer batch."""
    if _pending() is not None:
        yield
        return
    _local.pending, _local.touched = set(), False
    try:
        with transaction.atomic():
            yield
            pending, touched = _local.pending, _local.touched
            _local.pending = None
            if pending:
                recompute(pending)
            if touched or pending:
                bump_data_version()
    finally:
        _local.pending = None


def bump_data_version() -> None:
    from .models import DataVersion

    DataVersion.bump()
