"""The paragraphs' queryset: the status engine (`with_status`, the one entry point every
page, PDF, feed and test uses), the rule of what is tracked, organs' paragraphs, reading
order and search. `Mandate` (models/resolutions.py) is its model."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import models
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.query import ModelIterable

from .base import MAX_DEPTH, READING_ORDER, ParagraphKind, today
from .counts import ParagraphCounts
from .derived import ParagraphOrgan
from .organs import Organ


def tracked_condition(prefix: str = "") -> Q:
    """THE rule "is this paragraph tracked" (has a status: pending / met / overdue), written
    once: a paragraph that instructs an organ always is; one that calls on states only when
    staff chose to track it (`track_status`); a declaratory one never. The status engine reads
    it through `MandateQuerySet.tracked()` / this condition; an untracked paragraph has no status
    period status (None) anywhere. `prefix`: the path to the paragraph ("mandate__")."""
    return Q(**{f"{prefix}kind": ParagraphKind.INSTRUCTS}) | Q(
        **{f"{prefix}kind": ParagraphKind.CALLS_ON_STATES, f"{prefix}track_status": True}
    )


class MandateQuerySet(ParagraphCounts, models.QuerySet):
    """Mandates, with the status engine."""

    # Run on the paragraphs once fetched (`loading`): what `prefetch_related` does, by other
    # means (mandates/rows.py loads a page's organs, deadlines and trails from kept SQL).
    _loader = None

    def loading(self, loader):
        """Call `loader(paragraphs)` on the list of paragraphs this queryset fetches."""
        clone = self._chain()
        clone._loader = loader
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._loader = self._loader
        return clone

    def _fetch_all(self):
        fetched = self._result_cache is None
        super()._fetch_all()
        if fetched and self._loader is not None and self._iterable_class is ModelIterable:
            self._loader(self._result_cache)

    def get_by_natural_key(self, symbol, label):
        return self.get(resolution__symbol=symbol, label=label)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def tracked(self):
        """The paragraphs that have a status (`tracked_condition`, the one rule)."""
        return self.filter(tracked_condition())

    def untracked(self):
        return self.exclude(tracked_condition())

    def with_tracked(self):
        """Annotate ``is_tracked`` (the same rule, computed by the database)."""
        return self.annotate(
            is_tracked=models.ExpressionWrapper(tracked_condition(), models.BooleanField())
        )

    def subtree_ids(self, ids: Iterable[int]) -> list[int]:
        """These paragraphs' ids and those of their sub-paragraphs at any depth, in one query:
        a UNION of one indexed lookup per level (an OR over the parent joins would scan the
        whole table)."""
        ids = list(ids)
        if not ids:
            return []
        levels = [
            self.model.objects.filter(**{"__".join(["parent"] * depth + ["in"]): ids})
            .order_by()
            .values_list("pk", flat=True)
            for depth in range(1, MAX_DEPTH)
        ]
        return ids + list(levels[0].union(*levels[1:], all=True))

    def in_reading_order(self):
        return self.order_by(*READING_ORDER)

    def refresh_reading_keys(self) -> int:
        """Copy each resolution's adoption date and symbol onto its paragraphs where they
        differ (derived data: no version bump, no history). Returns how many changed."""
        from .resolutions import Resolution  # its model's module, which imports this

        resolution = Resolution.objects.filter(pk=OuterRef("resolution_id"))
        stale = self.exclude(
            resolution_adopted_on=F("resolution__adopted_on"),
            resolution_symbol=F("resolution__symbol"),
        )
        return models.QuerySet.update(
            self.model.objects.filter(pk__in=stale.values("pk")),
            resolution_adopted_on=Subquery(resolution.values("adopted_on")[:1]),
            resolution_symbol=Subquery(resolution.values("symbol")[:1]),
        )

    def with_status(self, as_of: datetime.date | None = None):
        """Annotate each mandate with its status as it stood on `as_of` (default: today).

        Annotations:
        - ``status``: ``met`` / ``overdue`` / ``pending`` (the rule: `mandates.status.state_on`,
          README "How status is decided");
        - ``met_late``: met, but some deadline was fulfilled only after its due date;
        - ``status_since``: the first day of the period of unchanged status containing as_of;
        - ``next_due_on`` / ``next_due_wording``: earliest unfulfilled deadline of the subtree
          due on or after ``as_of`` (what a pending mandate waits for);
        - ``missed_due_on`` / ``missed_due_wording``: earliest deadline due before ``as_of`` still
          unfulfilled on ``as_of`` (why an overdue mandate is overdue).

        Each paragraph's status timeline is stored (`StatusPeriod`, recomputed from the facts
        on every write): this joins the one period that contains ``as_of``, an index lookup.
        """
        as_of = as_of or today()
        alias = "status_period"
        if alias in self.query._filtered_relations:
            # Asked again (another date): start from a queryset without the first join.
            raise ValueError("with_status() can be applied once per queryset.")
        period = FilteredRelation(
            "status_periods",
            condition=Q(status_periods__starts_on__lte=as_of, status_periods__ends_on__gt=as_of),
        )
        # Every paragraph has a period for every day (`check_status` proves it), so no
        # fallback: a plain column keeps `status=` filters on the index.
        return self.alias(**{alias: period}).annotate(
            status=F(f"{alias}__status"),
            met_late=F(f"{alias}__met_late"),
            status_since=F(f"{alias}__starts_on"),
            next_due_on=F(f"{alias}__next_due_on"),
            next_due_wording=F(f"{alias}__next_due_wording"),
            missed_due_on=F(f"{alias}__missed_due_on"),
            missed_due_wording=F(f"{alias}__missed_due_wording"),
        )

    def addressed_to(self, organ: Organ):
        """The operative paragraphs for which this organ, or one under it, is responsible (lead
        or supporting, not as report recipient) for the paragraph itself or one of its
        sub-paragraphs: the rule behind every organ count. Read from `ParagraphOrgan`, kept
        with the status timeline; a sub-paragraph is never among them."""
        return self.filter(pk__in=ParagraphOrgan.objects.of(organ))

    def with_deadline_between(self, after=None, before=None):
        """Mandates with a deadline (their own or a sub-paragraph's) due within [after, before]."""
        from .progress import Deadline

        if after is None and before is None:
            return self
        deadlines = Deadline.objects.all()
        if after is not None:
            deadlines = deadlines.filter(due__gte=after)
        if before is not None:
            deadlines = deadlines.filter(due__lte=before)
        return self.filter(_in_subtree_exists(deadlines))

    def responsible(self, organ: Organ):
        """Mandates addressed to this organ or to one of the organs under it (CAJP under PC),
        as lead or supporting: an organ that only receives the report is not responsible."""
        # The organs' ids as a list (a handful): the planner then reads the acting
        # responsibilities of each from its index rather than scanning them all.
        from .resolutions import Responsibility  # its model's module, which imports this

        organs = list(Organ.objects.under(organ).values_list("pk", flat=True))
        acting = Responsibility.objects.filter(organ_id__in=organs).exclude(
            role=Responsibility.Role.RECIPIENT
        )
        return self.filter(pk__in=acting.values("mandate_id"))

    def update(self, **kwargs):
        from .. import status

        if {"resolution", "resolution_id"} & set(kwargs):
            with status.deferred():
                pks = list(self.values_list("pk", flat=True))
                before = set(self.values_list("pk", "parent_id"))
                count = super().update(**kwargs)
                self.model.objects.filter(pk__in=pks).refresh_reading_keys()
                status.mark_changed({pk for row in before for pk in row})
            return count
        if {"kind", "track_status"} & set(kwargs):
            with status.deferred():
                pks = list(self.values_list("pk", flat=True))
                count = super().update(**kwargs)
                status.mark_changed(pks)
            return count
        if not {"parent", "parent_id"} & set(kwargs):
            count = super().update(**kwargs)
            status.mark_touched()
            return count
        with status.deferred():
            before = list(self.values_list("pk", "parent_id"))
            count = super().update(**kwargs)
            status.mark_changed({pk for row in before for pk in row})
        return count

    def bulk_create(self, objs, *args, **kwargs):
        from .. import status
        from .resolutions import Resolution  # its model's module, which imports this

        objs = list(objs)
        # The resolutions' dates and symbols, copied onto the new paragraphs (reading order).
        keys = {
            pk: (adopted_on, symbol)
            for pk, adopted_on, symbol in Resolution.objects.filter(
                pk__in={obj.resolution_id for obj in objs}
            ).values_list("pk", "adopted_on", "symbol")
        }
        for obj in objs:
            obj.resolution_adopted_on, obj.resolution_symbol = keys.get(
                obj.resolution_id, (None, "")
            )
        with status.deferred():
            created = super().bulk_create(objs, *args, **kwargs)
            status.mark_changed(obj.pk for obj in created)
        return created

    def delete(self):
        from .. import status

        with status.deferred():  # recompute once the whole cascade is gone
            return super().delete()

    def search(self, text: str):
        """Full-text search, best match first (see mandates/search.py)."""
        from ..search import search_mandates

        return search_mandates(self, text)

    def with_search_headline(self, text: str):
        """Annotate ``search_headline``, the highlighted snippet a search result shows."""
        from ..search import with_headline

        return with_headline(self, text)


def _in_subtree_exists(deadlines) -> Q:
    """An `Exists` condition: one of these deadlines belongs to the outer mandate or to one
    of its (sub-)sub-paragraphs. One EXISTS per level, each served by an index."""
    condition = Q()
    chain = "mandate"
    for _level in range(MAX_DEPTH):
        condition |= Exists(deadlines.filter(**{chain: OuterRef("pk")}))
        chain = f"{chain}__parent"
    return condition
