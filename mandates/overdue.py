"""Overdue at a glance: the operative paragraphs overdue on a date, since when, how late,
which (sub-)paragraph missed which deadline, and who must act. Read at the top of every
resolution and organ page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import ngettext

from .models import Deadline, Mandate, Responsibility, Status


@dataclass
class OverdueParagraph:
    paragraph: Mandate
    missed_on: datetime.date  # the earliest deadline still unmet: overdue since then
    wording: str
    lateness: str  # "18 years"
    missed_by: Mandate  # the paragraph itself, or the sub-paragraph whose deadline it is
    acting: list[Responsibility]  # who must act on what was missed


def lateness(since: datetime.date, as_of: datetime.date) -> str:
    """How long ago, in the largest whole unit: "18 years", "3 months", "12 days"."""
    months = (as_of.year - since.year) * 12 + as_of.month - since.month
    if as_of.day < since.day:
        months -= 1
    if months >= 12:
        years = months // 12
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    if months >= 1:
        return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    days = max((as_of - since).days, 1)
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


# The box shows the longest overdue; the rest is one link away (the list sorted by lateness).
GLANCE_SIZE = 10


class Glance(list):
    """The longest-overdue paragraphs shown, with `total`: how many are overdue in all."""

    total = 0

    @property
    def more(self) -> int:
        return self.total - len(self)


def overdue_paragraphs(
    paragraphs,
    as_of: datetime.date,
    size: int = GLANCE_SIZE,
    total: int | None = None,
    shown: list[Mandate] | None = None,
) -> Glance:
    """The overdue operative paragraphs among `paragraphs` (top-level mandates), longest
    overdue first, at most `size` of them, in a fixed number of queries whatever the number:
    count (unless the page knows the `total` from its counts), paragraphs, their
    sub-paragraphs, missed deadlines, organs. Only the columns the box shows are read.
    `shown`: the page's rows when they are all of `paragraphs` with their sub-paragraphs,
    as `rows.of_resolution` loads them: the box is then read from them, without a query."""
    if shown is not None:
        return _from_rows(shown, as_of, size)
    overdue_qs = paragraphs.with_status(as_of).filter(status=Status.OVERDUE)
    glance = Glance()
    glance.total = overdue_qs.count() if total is None else total
    if not glance.total:
        return glance
    # The longest overdue: a top-N sort on the index's rows, only the shown columns loaded.
    overdue = list(
        overdue_qs.select_related("resolution")
        .only("label", "parent_id", "resolution__slug", "resolution__symbol")
        .order_by("missed_due_on", "resolution__symbol", "order", "pk")[:size]
    )
    if not overdue:
        return glance
    ids = [paragraph.pk for paragraph in overdue]
    missed = (
        Deadline.objects.unfulfilled_on(as_of)
        .filter(due__lt=as_of, mandate__in=Mandate.objects.subtree_ids(ids))
        .order_by("due", "mandate__order", "pk")
        .values_list(
            "mandate_id", "mandate__label", "mandate__parent_id", "mandate__parent__parent_id"
        )
    )
    # Each paragraph's earliest missed deadline, and the (sub-)paragraph it belongs to.
    first_missed: dict[int, tuple[int, str]] = {}
    for owner, label, parent, grandparent in missed:
        root = owner if parent is None else grandparent or parent
        first_missed.setdefault(root, (owner, label))
    by_mandate: dict[int, list[Responsibility]] = {}
    named = {*ids, *(owner for owner, _label in first_missed.values())}
    for responsibility in Responsibility.objects.filter(mandate__in=named).select_related("organ"):
        by_mandate.setdefault(responsibility.mandate_id, []).append(responsibility)
    for paragraph in overdue:
        paragraph.prefetched_responsibilities = by_mandate.get(paragraph.pk, [])
        owner, label = first_missed.get(paragraph.pk, (paragraph.pk, paragraph.label))
        if owner == paragraph.pk:
            missed_by = paragraph
        else:
            missed_by = Mandate(pk=owner, label=label)
            missed_by.prefetched_responsibilities = by_mandate.get(owner, [])
        glance.append(_row(paragraph, missed_by, as_of))
    return glance


def _row(paragraph: Mandate, missed_by: Mandate, as_of: datetime.date) -> OverdueParagraph:
    # Who must act on what was missed; a sub-paragraph naming no organ: the paragraph's.
    acting = missed_by.acting_responsibilities or paragraph.acting_responsibilities
    return OverdueParagraph(
        paragraph=paragraph,
        missed_on=paragraph.missed_due_on,
        # As stored (the box has never read the deadlines' translations).
        wording=paragraph.missed_due_wording,
        lateness=lateness(paragraph.missed_due_on, as_of),
        missed_by=missed_by,
        acting=acting,
    )


def _from_rows(rows: list[Mandate], as_of: datetime.date, size: int) -> Glance:
    """`overdue_paragraphs` read from loaded rows (status annotated, organs and deadlines
    with their state prefetched): the same choice and order as the queries above."""
    by_pk = {row.pk: row for row in rows}

    def root(mandate: Mandate) -> Mandate:
        while mandate.parent_id is not None:
            mandate = by_pk[mandate.parent_id]
        return mandate

    glance = Glance()
    overdue = [row for row in rows if row.parent_id is None and row.status == Status.OVERDUE]
    glance.total = len(overdue)
    overdue.sort(key=lambda p: (p.missed_due_on, p.resolution.symbol, p.order, p.pk))
    # Each paragraph's earliest deadline due before the date and not fulfilled on it.
    first_missed: dict[int, tuple] = {}
    for row in rows:
        for deadline in row.deadline_list:
            if deadline.due is None or deadline.due >= as_of or deadline.fulfilled_on:
                continue
            key = (deadline.due, row.order, deadline.pk)
            top = root(row).pk
            if top not in first_missed or key < first_missed[top][0]:
                first_missed[top] = (key, row)
    for paragraph in overdue[:size]:
        missed_by = first_missed[paragraph.pk][1] if paragraph.pk in first_missed else paragraph
        glance.append(_row(paragraph, missed_by, as_of))
    return glance
