"""The stored status can never drift from the rule.

Hypothesis writes random histories through the ordinary write paths (saves, deletes, M2M
changes, queryset updates): paragraphs and sub-paragraphs, deadlines dated or anchored to
sessions whose dates become known later, progress records added, back-dated, moved, deleted,
paragraphs re-parented, their kind changed (tracked or not). After each history, for many
as-of dates, the fast path (`with_status`, an index lookup in the stored timeline) must give
exactly what the README's rule gives when evaluated the plain way, below, from the rows
themselves.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from mandates import status
from mandates.models import (
    Deadline,
    Mandate,
    Organ,
    ProgressRecord,
    Resolution,
    Responsibility,
    Session,
    empty_counts,
)

ADOPTED = datetime.date(2010, 1, 1)
SPAN = 1500  # days after adoption that histories and as-of dates range over


def day(offset: int) -> datetime.date:
    return ADOPTED + datetime.timedelta(days=offset)


# --- The rule, the plain way (README "How status is decided") ------------------------------


def is_tracked(mandate: Mandate) -> bool:
    """README: instructs an organ always; calls on states when staff track it; declaratory
    never."""
    return mandate.kind == "instructs" or (
        mandate.kind == "calls_on_states" and mandate.track_status
    )


def subtree(mandate: Mandate) -> list[Mandate]:
    """The paragraph and its tracked sub-paragraphs, reached through tracked ones only."""
    nodes, frontier = [mandate], [mandate]
    while frontier:
        frontier = [m for m in Mandate.objects.filter(parent__in=frontier) if is_tracked(m)]
        nodes += frontier
    return nodes


def due_of(deadline: Deadline):
    return deadline.session.start_date if deadline.session_id else deadline.due_on


def plain(mandate: Mandate, on: datetime.date) -> tuple:
    if not is_tracked(mandate):
        return (None, False, None, None)  # no status, ever
    nodes = subtree(mandate)
    deadlines = [d for m in nodes for d in Deadline.objects.filter(mandate=m)]

    def fulfilled(deadline, by):
        return any(r.date <= by for r in deadline.fulfilled_by.all())

    members = {m.pk for m in nodes}
    leaves = [
        m
        for m in nodes
        if not any(c.pk in members for c in m.children.all()) and not m.deadlines.exists()
    ]
    met = all(fulfilled(d, on) for d in deadlines) and all(
        m.progress_records.filter(completes_mandate=True, date__lte=on).exists() for m in leaves
    )
    open_ = [d for d in deadlines if not fulfilled(d, on)]
    missed = sorted((due_of(d), d.pk) for d in open_ if due_of(d) and due_of(d) < on)
    upcoming = sorted((due_of(d), d.pk) for d in open_ if due_of(d) and due_of(d) >= on)
    if met:
        late = any(due_of(d) and not fulfilled(d, due_of(d)) for d in deadlines)
        return ("met", late, None, None)
    return (
        "overdue" if missed else "pending",
        False,
        upcoming[0][0] if upcoming else None,
        missed[0][0] if missed else None,
    )


def upwards(organ) -> list[int]:
    """The organ and those above it, read from the table (an organ that loops stops)."""
    found = []
    while organ is not None and organ.pk not in found:
        found.append(organ.pk)
        organ = Organ.objects.filter(pk=organ.parent_id).first()
    return found


def organs_of(paragraph: Mandate) -> set[int]:
    """The organs responsible (not as report recipient) for the paragraph or a sub-paragraph
    of any depth, and every organ above them."""
    nodes, frontier = [paragraph], [paragraph]
    while frontier:
        frontier = list(Mandate.objects.filter(parent__in=frontier))
        nodes += frontier
    organs = set()
    for duty in Responsibility.objects.filter(mandate__in=nodes).exclude(role="recipient"):
        organ = duty.organ
        while organ is not None and organ.pk not in organs:
            organs.add(organ.pk)
            organ = organ.parent
    return organs


def fast(as_of: datetime.date) -> dict[int, tuple]:
    rows = Mandate.objects.with_status(as_of).values_list(
        "pk", "status", "met_late", "next_due_on", "missed_due_on"
    )
    return {pk: tuple(rest) for pk, *rest in rows}


# --- Random histories ---------------------------------------------------------------------

offsets = st.integers(min_value=0, max_value=SPAN)
pick = st.integers(min_value=0, max_value=50)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("paragraph"), pick, st.booleans()),
        st.tuples(st.just("deadline"), pick, offsets, st.booleans()),
        st.tuples(st.just("record"), pick, offsets, st.booleans(), pick),
        st.tuples(st.just("backdate"), pick, offsets),
        st.tuples(st.just("move_record"), pick, pick),
        st.tuples(st.just("delete_record"), pick),
        st.tuples(st.just("delete_deadline"), pick),
        st.tuples(st.just("session_date"), pick, st.one_of(st.none(), offsets)),
        st.tuples(st.just("reparent"), pick, pick),
        st.tuples(st.just("update_due"), pick, offsets),
        # Derived data beside the status: which organs have which paragraphs, reading order.
        st.tuples(st.just("organ"), pick, pick, st.sampled_from(["lead", "recipient"])),
        st.tuples(st.just("drop_organ"), pick),
        st.tuples(st.just("move_organ"), pick, pick),
        st.tuples(st.just("adopted"), offsets),
        # Staff change a paragraph's kind or whether it is tracked (a save, or a queryset
        # update): it loses or regains its status, its parent's roll-up changes.
        st.tuples(
            st.just("kind"),
            pick,
            st.sampled_from(["instructs", "calls_on_states", "declaratory"]),
            st.booleans(),
            st.booleans(),
        ),
    ),
    min_size=1,
    max_size=25,
)


# For the counts by organ: a few paragraphs (or sub-paragraphs) given organs, then any writes
# that change statuses, organs or kinds (tracked or not: counted by status or by kind).
kinds = st.tuples(
    st.just("kind"),
    pick,
    st.sampled_from(["instructs", "calls_on_states", "declaratory"]),
    st.booleans(),
    st.booleans(),
)
given_organs = st.tuples(
    st.lists(st.tuples(st.just("paragraph"), pick, st.booleans()), min_size=1, max_size=4),
    st.lists(
        st.tuples(st.just("organ"), pick, pick, st.sampled_from(["lead", "supporting"])),
        min_size=1,
        max_size=4,
    ),
    st.lists(kinds, max_size=2),
)
organ_histories = st.lists(
    st.one_of(
        st.tuples(st.just("paragraph"), pick, st.booleans()),
        st.tuples(st.just("organ"), pick, pick, st.sampled_from(["lead", "recipient"])),
        st.tuples(st.just("drop_organ"), pick),
        st.tuples(st.just("move_organ"), pick, pick),
        st.tuples(st.just("deadline"), pick, offsets, st.booleans()),
        st.tuples(st.just("record"), pick, offsets, st.booleans(), pick),
        kinds,
    ),
    max_size=20,
)


def days_to_check(as_of: list[int]) -> list[datetime.date]:
    """Every day the statuses can change on, and the days either side, plus random ones."""
    days = {day(o) for o in as_of} | {ADOPTED - datetime.timedelta(days=1)}
    for d in Deadline.objects.all():
        if due_of(d):
            days |= {due_of(d), due_of(d) + datetime.timedelta(days=1)}
    for r in ProgressRecord.objects.all():
        days |= {r.date - datetime.timedelta(days=1), r.date}
    return sorted(days)


def nth(queryset, index):
    items = list(queryset.order_by("pk"))
    return items[index % len(items)] if items else None


class RandomHistories(TestCase):
    """Writes a history through the ordinary write paths (one test per class: `setUp`'s rows
    are rolled back with the class, the examples' with each example)."""

    def setUp(self):
        self.resolution = Resolution.objects.create(
            symbol="TEST/RES. 1 (I-O/10)", title="Test", adopted_on=ADOPTED
        )
        self.sessions = [
            Session.objects.create(ordinal=n, start_date=day(200 * n) if n % 2 else None)
            for n in range(1, 4)
        ]
        self.counter = 0
        self.organs = [Organ.objects.create(acronym=f"O{n}", name=f"Organ {n}") for n in range(3)]

    def apply(self, op):
        kind, *args = op
        mandates = Mandate.objects.filter(resolution=self.resolution)
        if kind == "paragraph":
            index, nested = args
            parent = nth(mandates.filter(parent__parent__isnull=True), index) if nested else None
            self.counter += 1
            label = f"{parent.label}.{self.counter}" if parent else str(self.counter)
            Mandate.objects.create(
                resolution=self.resolution, parent=parent, label=label, text="t", order=self.counter
            )
        elif kind == "deadline":
            index, offset, anchored = args
            mandate = nth(mandates, index)
            if mandate:
                session = self.sessions[offset % 3] if anchored else None
                Deadline.objects.create(
                    mandate=mandate,
                    wording=f"w{offset}",
                    due_on=None if anchored else day(offset),
                    session=session,
                )
        elif kind == "record":
            index, offset, completes, which = args
            mandate = nth(mandates, index)
            if mandate:
                record = ProgressRecord.objects.create(
                    mandate=mandate, date=day(offset), title="r", completes_mandate=completes
                )
                deadline = nth(mandate.deadlines.all(), which)
                if deadline and which % 3:
                    record.fulfils.add(deadline)
        elif kind == "backdate":
            record = nth(ProgressRecord.objects.all(), args[0])
            if record:
                record.date = day(args[1])
                record.save()
        elif kind == "move_record":
            record, target = nth(ProgressRecord.objects.all(), args[0]), nth(mandates, args[1])
            if record and target:
                record.fulfils.clear()
                record.mandate = target
                record.save()
        elif kind == "delete_record":
            record = nth(ProgressRecord.objects.all(), args[0])
            if record:
                record.delete()
        elif kind == "delete_deadline":
            deadline = nth(Deadline.objects.all(), args[0])
            if deadline:
                deadline.delete()
        elif kind == "session_date":
            session = self.sessions[args[0] % 3]
            session.start_date = None if args[1] is None else day(args[1])
            session.save()
        elif kind == "reparent":
            node, parent = (
                nth(mandates, args[0]),
                nth(mandates.filter(parent__isnull=True), args[1]),
            )
            if node and parent and node != parent and not node.children.exists():
                node.parent = parent
                node.save()
        elif kind == "organ":
            mandate, organ = nth(mandates, args[0]), self.organs[args[1] % len(self.organs)]
            if mandate and not mandate.responsibilities.filter(organ=organ).exists():
                Responsibility.objects.create(mandate=mandate, organ=organ, role=args[2])
        elif kind == "drop_organ":
            duty = nth(Responsibility.objects.all(), args[0])
            if duty:
                duty.delete()
        elif kind == "move_organ":
            # An organ put under another (or back on top): its paragraphs are its new
            # parent's too.
            organ = self.organs[args[0] % len(self.organs)]
            parent = self.organs[args[1] % len(self.organs)]
            organ.parent = None if parent == organ else parent
            if organ.pk in upwards(organ.parent):  # a loop (organ above its new parent): refused
                with pytest.raises(ValidationError):
                    organ.save()
                organ.refresh_from_db()
            else:
                organ.save()
        elif kind == "adopted":
            self.resolution.adopted_on = day(args[0])
            self.resolution.save()
        elif kind == "kind":
            index, new_kind, track, by_update = args
            mandate = nth(mandates, index)
            if mandate and by_update:
                Mandate.objects.filter(pk=mandate.pk).update(kind=new_kind, track_status=track)
            elif mandate:
                mandate.kind, mandate.track_status = new_kind, track
                mandate.save()
        elif kind == "update_due":
            # A queryset update: no model signal, the queryset reports it itself.
            Deadline.objects.filter(
                pk__in=Deadline.objects.order_by("pk")[: args[0] % 3 + 1]
            ).update(due_on=day(args[1]), session=None)


class StoredStatusEqualsTheRule(RandomHistories):
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(history=operations, as_of=st.lists(offsets, min_size=3, max_size=6))
    def test_fast_path_equals_plain_rule(self, history, as_of):
        # Each example starts from the rows as set up (earlier examples were rolled back).
        for obj in [self.resolution, *self.sessions, *self.organs]:
            obj.refresh_from_db()
        for op in history:
            self.apply(op)
        mandates = list(Mandate.objects.filter(resolution=self.resolution))
        for on in days_to_check(as_of):
            stored = fast(on)
            for mandate in mandates:
                assert stored[mandate.pk] == plain(mandate, on), (mandate.label, on, history)
        assert status.check() == []


class CountsByOrganEqualAPlainCount(RandomHistories):
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        start=given_organs,
        history=organ_histories,
        as_of=st.lists(offsets, min_size=3, max_size=6),
    )
    def test_counts_by_organ_equal_a_plain_count(self, start, history, as_of):
        """/organs/'s counts (one grouped query over the timeline and `ParagraphOrgan`) equal
        each organ's paragraphs counted one by one in their status by the rule."""
        for obj in [self.resolution, *self.sessions, *self.organs]:
            obj.refresh_from_db()
        history = [*start[0], *start[1], *start[2], *history]
        for op in history:
            self.apply(op)
        paragraphs = list(Mandate.objects.filter(resolution=self.resolution, parent=None))
        organs = {paragraph.pk: organs_of(paragraph) for paragraph in paragraphs}
        for on in days_to_check(as_of):
            expected: dict = {}
            for paragraph in paragraphs:
                status_on = plain(paragraph, on)[0]
                for organ in organs[paragraph.pk]:
                    counts = expected.setdefault(organ, empty_counts())
                    counts[status_on or paragraph.kind] += 1
                    counts["untracked" if status_on is None else "tracked"] += 1
                    counts["total"] += 1
            assert Mandate.objects.paragraph_counts(on, by="organs") == expected, (on, history)
