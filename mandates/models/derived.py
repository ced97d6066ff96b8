"""Tables derived from the facts and never edited by hand: the status timeline, the
organ-paragraph index and the data version the page cache keys on.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import Status
from .compiled import Compiled

if TYPE_CHECKING:
    from .organs import Organ


class StatusPeriodQuerySet(models.QuerySet):
    def changes(self, since: datetime.date, until: datetime.date):
        """Operative paragraphs' changes of status after `since`, up to `until`: the periods
        that start then with another status than the one before (a period also starts when
        only the deadline that explains the status changes), latest first."""
        same_before = StatusPeriod.objects.filter(
            mandate=OuterRef("mandate"), ends_on=OuterRef("starts_on"), status=OuterRef("status")
        )
        return (
            self.filter(top_level=True, starts_on__gt=since, starts_on__lte=until)
            .exclude(Exists(same_before))
            .order_by("-starts_on", "mandate__resolution_symbol", "mandate__order", "mandate_id")
        )

    def previous_statuses(self, periods) -> dict[tuple[int, datetime.date], str]:
        """{(paragraph, day): the status it had until that day} for these periods."""
        wanted = {(p.mandate_id, p.starts_on) for p in periods}
        rows = self.filter(
            mandate_id__in={m for m, _d in wanted}, ends_on__in={d for _m, d in wanted}
        ).values_list("mandate_id", "ends_on", "status")
        return {(m, d): status for m, d, status in rows if (m, d) in wanted}


class StatusPeriod(models.Model):
    """Derived data: a stretch of days [starts_on, ends_on) over which a paragraph's status,
    and the deadlines that explain it, stay the same. Written only by `mandates.status` from
    the facts (deadlines, progress records, sessions, sub-paragraphs); never edited."""

    mandate = models.ForeignKey("Mandate", on_delete=models.CASCADE, related_name="status_periods")
    # Copied from the paragraph, so that counts by resolution and of operative paragraphs
    # read this table alone.
    resolution = models.ForeignKey("Resolution", on_delete=models.CASCADE, related_name="+")
    top_level = models.BooleanField()
    starts_on = models.DateField()
    ends_on = models.DateField()  # the first day after the period; 9999-12-31: open-ended
    # NULL: the paragraph is not tracked (declaratory, or calls on states untracked): it has
    # one period covering all time, with no status.
    status = models.CharField(max_length=10, choices=Status.choices, null=True)  # noqa: DJ001
    # Copied from the paragraph, so that counts of untracked paragraphs by kind read this
    # table alone.
    kind = models.CharField(max_length=20, default="instructs")
    met_late = models.BooleanField(default=False)
    next_due_on = models.DateField(null=True)
    next_due_wording = models.CharField(max_length=300, blank=True)
    missed_due_on = models.DateField(null=True)
    missed_due_wording = models.CharField(max_length=300, blank=True)

    objects = StatusPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("status period")
        verbose_name_plural = _("status periods")
        indexes = [
            # with_status(D): the period of one paragraph containing D.
            models.Index(fields=["mandate", "starts_on"], name="status_period_lookup"),
            # `status=` filters as of D: the periods of that status containing D.
            models.Index(
                fields=["status", "ends_on", "starts_on"],
                include=["mandate"],
                name="status_period_status",
            ),
            # Counts of operative paragraphs as of D, whole or by resolution.
            models.Index(
                fields=["top_level", "ends_on", "starts_on"],
                include=["status", "kind", "resolution", "mandate"],
                name="status_period_counts",
            ),
            # The longest overdue first (overdue boxes, sort=lateness) and the nearest
            # deadline first (sort=next_due): read in order, stopping after a page.
            models.Index(
                fields=["status", "missed_due_on"],
                include=["mandate", "starts_on", "ends_on"],
                name="status_period_lateness",
            ),
            models.Index(
                fields=["status", "next_due_on"],
                include=["mandate", "starts_on", "ends_on"],
                name="status_period_next_due",
            ),
            # /changes/: paragraphs whose status changed within some days.
            models.Index(
                fields=["starts_on"],
                condition=Q(top_level=True),
                name="status_period_changes",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="status_period_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.mandate_id}: {self.status} {self.starts_on} – {self.ends_on}"


class ParagraphOrganQuerySet(models.QuerySet):
    def of(self, organ: Organ):
        """The ids of the operative paragraphs of this organ and the organs under it."""
        return self.filter(organ=organ).values("paragraph_id")


class ParagraphOrgan(models.Model):
    """Derived data: this organ, or an organ under it, is responsible (lead or supporting,
    never as report recipient) for this operative paragraph or one of its sub-paragraphs.
    One row per organ and paragraph, the organs above included. Written only by
    `mandates.status` with the status timeline, from the responsibilities and the paragraph
    tree; never edited. "Paragraphs of this organ and the organs under it" is then one
    index-only semi-join (`MandateQuerySet.addressed_to`) instead of a walk up the tree from
    every responsibility."""

    paragraph = models.ForeignKey("Mandate", on_delete=models.CASCADE, related_name="+")
    organ = models.ForeignKey("Organ", on_delete=models.CASCADE, related_name="+", db_index=False)

    objects = ParagraphOrganQuerySet.as_manager()

    class Meta:
        verbose_name = _("paragraph of an organ")
        verbose_name_plural = _("paragraphs of organs")
        constraints = [
            models.UniqueConstraint(fields=["organ", "paragraph"], name="paragraph_organ_unique"),
        ]

    def __str__(self):
        return f"{self.organ_id}: {self.paragraph_id}"


class DataVersion(models.Model):
    """One row, bumped in the same transaction as every write to public data: the key of the
    page cache and the source of ETag / Last-Modified, so nothing stale is ever served."""

    number = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("data version")

    def __str__(self):
        return f"v{self.number} ({self.changed_at:%Y-%m-%d %H:%M})"

    @classmethod
    def bump(cls) -> None:
        now = timezone.now()
        if not cls.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now):
            cls.objects.get_or_create(pk=1, defaults={"number": 2, "changed_at": now})

    @classmethod
    def current(cls, using: str = "default") -> tuple[int, datetime.datetime]:
        for row in _CURRENT_VERSION(using=using):  # every page asks: kept compiled
            return row["number"], row["changed_at"]
        return 1, datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


_CURRENT_VERSION = Compiled(
    lambda: DataVersion.objects.filter(pk=1).order_by().values("number", "changed_at")
)
