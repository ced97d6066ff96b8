"""Resolutions (instruments), their mandates (operative paragraphs) and who must act on
each; the paragraphs' queryset, with the status engine, is in models/paragraphs.py.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..links import cached_reverse
from .base import (
    MAX_DEPTH,
    FactsOfMandateQuerySet,
    ParagraphKind,
    TextIn,
    TracksLoaded,
    VersionedModel,
    _prefetched,
    text_in,
)
from .organs import Organ, Organization, Session
from .paragraphs import MandateQuerySet
from .symbols import normalize_symbol, symbol_slug

if TYPE_CHECKING:
    from .progress import Deadline, ProgressRecord


class ResolutionQuerySet(models.QuerySet):
    def get_by_natural_key(self, symbol):
        return self.get(symbol=symbol)

    def with_last_change(self):
        """Annotate ``data_changed_at``: the last change to the resolution's own data — the
        resolution, its paragraphs, their organs, deadlines, progress records and documents,
        deletions included (read from their history) — not the time it was loaded or viewed.
        One query with the resolution: a latest-row subquery per table."""
        return self.annotate(data_changed_at=_last_change_sql(self.db))

    def with_operative_count(self):
        """Annotate ``operative_count``: its operative paragraphs (not sub-paragraphs), all
        of them whatever the date, from the index on the resolution."""
        paragraphs = (
            Mandate.objects.filter(resolution=OuterRef("pk"), parent__isnull=True)
            .order_by()
            .values("resolution")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(operative_count=Coalesce(Subquery(paragraphs), 0))

    def update(self, **kwargs):
        count = super().update(**kwargs)
        if {"adopted_on", "symbol"} & set(kwargs):
            Mandate.objects.filter(resolution__in=self.values("pk")).refresh_reading_keys()
        return count

    def delete(self):
        from .. import status

        with status.deferred():  # recompute once the whole cascade is gone
            return super().delete()


@functools.cache
def _last_change_sql(alias: str) -> RawSQL:
    """`_last_change()` compiled once per database: its ten subqueries took three times longer
    to compile, on every page, than the rest of the resolution's query. They only refer to the
    outer resolution's table, which keeps its own name in any query of resolutions."""
    query = Resolution.objects.using(alias).annotate(last=_last_change()).query
    sql, params = query.get_compiler(using=alias).compile(query.annotations["last"])
    return RawSQL(sql, tuple(params), output_field=models.DateTimeField())


def _last_change():
    """The expression of `with_last_change`, as the ORM builds it."""
    from django.db.models.functions import Greatest

    from .progress import Deadline, Document, ProgressRecord

    def latest(queryset, group, field):
        # MAX over the resolution's rows (an index range by paragraph), grouped by the
        # outer resolution: one row.
        return Subquery(queryset.order_by().values(group).annotate(m=models.Max(field)).values("m"))

    here = OuterRef("pk")
    via_mandate = "mandate__resolution"
    sources = [
        latest(Mandate.objects.filter(resolution=here), "resolution", "updated_at"),
        latest(Mandate.history.filter(resolution_id=here), "resolution_id", "history_date"),
    ]
    for model in (Responsibility, Deadline, ProgressRecord):
        sources.append(
            latest(model.objects.filter(**{via_mandate: here}), via_mandate, "updated_at")
        )
        sources.append(
            latest(model.history.filter(**{via_mandate: here}), via_mandate, "history_date")
        )
    via_record = "progress_record__mandate__resolution"
    sources.append(
        latest(Document.history.filter(**{via_record: here}), via_record, "history_date")
    )
    # GREATEST skips NULLs on PostgreSQL but not on SQLite: each falls back to the
    # resolution's own time.
    own = F("updated_at")
    return Greatest(own, *(Coalesce(source, own) for source in sources))


class Resolution(VersionedModel):
    """An instrument that gives mandates: a General Assembly resolution, a Summit plan of action."""

    class Kind(models.TextChoices):
        GA_RESOLUTION = "ga_resolution", _("General Assembly resolution")
        PC_RESOLUTION = "pc_resolution", _("Permanent Council resolution")
        SUMMIT_PLAN = "summit_plan", _("Summit plan of action")
        OTHER = "other", _("Other instrument")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.GA_RESOLUTION
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    symbol = models.CharField(
        _("symbol"),
        max_length=100,
        unique=True,
        help_text=_("As published, e.g. AG/RES. 2289 (XXXVII-O/07)."),
    )
    title = models.CharField(_("title"), max_length=500)
    # The language of `title`, `preamble` and the paragraphs' `text` as entered; official
    # translations of the title and paragraphs are kept beside them (language → text), imported
    # with `import_resolution FILE --translation-of SYMBOL`.
    language = models.CharField(
        _("original language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    title_translations = models.JSONField(
        _("title in other languages"), default=dict, blank=True, editable=False
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    adopted_on = models.DateField(_("adopted on"))
    adoption_note = models.CharField(
        _("adoption note"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “Adopted at the fourth plenary session, held on June 5, 2007”."),
    )
    preamble = models.TextField(_("preamble"), blank=True)
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where the text comes from: a URL or a reference.")
    )
    partial_text = models.BooleanField(
        _("partial text"),
        default=False,
        help_text=_(
            "Only part of the published text was found (e.g. its opening): the paragraphs "
            "stored are all that is known, never completed by hand."
        ),
    )
    series = models.SlugField(
        _("series"),
        max_length=80,
        blank=True,
        db_index=True,
        help_text=_(
            "The resolutions adopted year after year on one subject share this key "
            "(e.g. oas-migrant-workers)."
        ),
    )
    # Symbol and title for `q=` searches; written by a PostgreSQL trigger (mandates/search.py).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ResolutionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["-adopted_on", "symbol"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    @property
    def local_title(self) -> TextIn:
        """The title in the reader's language, else the original (marked as such)."""
        return text_in(self.title, self.language, self.title_translations)

    def __str__(self):
        return self.symbol

    def natural_key(self):
        return (self.symbol,)

    def get_absolute_url(self):
        return cached_reverse("resolution_detail", slug=self.slug)

    @property
    def list_query(self) -> str:
        """The /mandates/ parameter that selects this resolution's mandates."""
        return f"resolution={self.slug}"

    def delete(self, *args, **kwargs):
        from .. import status

        # A cascade deletes records and deadlines before their paragraphs: recompute at the
        # end, when the paragraphs are gone, not half-way through.
        with status.deferred():
            return super().delete(*args, **kwargs)

    def clean(self):
        # Validate the symbol as it will be stored: normalizing can lengthen it past the
        # column (a 500 on save) or make it equal to an existing one.
        if self.symbol:
            self.symbol = normalize_symbol(self.symbol)
            limit = self._meta.get_field("symbol").max_length
            if len(self.symbol) > limit:
                raise ValidationError(
                    {
                        "symbol": _(
                            "Written in the standard form (“%(symbol)s”), this symbol has "
                            "%(length)d characters; at most %(limit)d are allowed."
                        )
                        % {"symbol": self.symbol, "length": len(self.symbol), "limit": limit}
                    }
                )

    def save(self, *args, **kwargs):
        self.symbol = normalize_symbol(self.symbol)
        if not self.slug:
            self.slug = symbol_slug(self.symbol)
        super().save(*args, **kwargs)
        # Its paragraphs' copy of its date and symbol (a no-op unless one of them changed).
        Mandate.objects.filter(resolution=self).refresh_reading_keys()


# A paragraph label as published: "20", "20.c", "4.bis", "(a)". It is part of the paragraph's
# address, so no "/", spaces or URL punctuation (stored labels still resolve: urls.py).
LABEL = re.compile(r"\(?[^\W_][\w.()\-]*")


class Mandate(TracksLoaded, VersionedModel):
    """One operative paragraph or sub-paragraph: something somebody was told to do."""

    tracked_fields = ("parent_id", "resolution_id", "kind", "track_status")
    Kind = ParagraphKind

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.CASCADE,
        related_name="mandates",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent paragraph"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    label = models.CharField(
        _("label"), max_length=20, help_text=_("Paragraph number as published: 20, 20.c.")
    )
    order = models.PositiveIntegerField(_("order"), default=0, db_index=True)
    text = models.TextField(_("text"), help_text=_("The paragraph, verbatim."))
    kind = models.CharField(
        _("kind of paragraph"),
        max_length=20,
        choices=ParagraphKind.choices,
        default=ParagraphKind.INSTRUCTS,
        help_text=_(
            "Instructs an organ: tracked (pending, met, overdue). Calls on states: shown as "
            "such, with no status unless “track status” is ticked. Declaratory: no follow-up."
        ),
    )
    track_status = models.BooleanField(
        _("track status"),
        default=False,
        help_text=_(
            "Only for a paragraph that calls on states: give it a status (pending, met, "
            "overdue) like an instruction. A paragraph that instructs an organ is always "
            "tracked, a declaratory one never."
        ),
    )
    # Official translations of `text`, language → text (see Resolution.language).
    text_translations = models.JSONField(
        _("text in other languages"), default=dict, blank=True, editable=False
    )
    organs = models.ManyToManyField(
        Organ,
        through="Responsibility",
        verbose_name=_("responsible organs"),
        related_name="mandates",
        blank=True,
    )

    # Label and text for `q=` searches; written by a PostgreSQL trigger (mandates/search.py).
    search_vector = SearchVectorField(null=True, editable=False)
    # Derived: the resolution's adoption date and symbol, copied on every save of either
    # (`refresh_reading_keys`), so that reading order is one index on this table alone and
    # the first page of any list is read in order and stops after 50 rows.
    resolution_adopted_on = models.DateField(null=True, editable=False)
    resolution_symbol = models.CharField(max_length=100, default="", editable=False)

    objects = MandateQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["search_vector", "resolution_adopted_on", "resolution_symbol"]
    )

    class Meta:
        ordering = ["resolution", "order", "pk"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [
            models.UniqueConstraint(fields=["resolution", "label"], name="unique_mandate_label"),
        ]
        indexes = [
            models.Index(
                fields=["resolution_adopted_on", "resolution_symbol", "order", "id"],
                name="mandate_reading_order",
            ),
        ]

    def _local_wording(self, wording: str | None, due: datetime.date | None) -> str | None:
        """`wording` (a deadline's, as annotated by with_status) in the reader's language, from
        the deadline itself when the paragraph's deadlines were loaded; never a query."""
        deadlines = self.__dict__.get("prefetched_deadlines")  # rows.load_related
        if deadlines is None:
            deadlines = getattr(self, "_prefetched_objects_cache", {}).get("deadlines")
        if not wording or deadlines is None:
            return wording
        for deadline in deadlines:
            if deadline.wording == wording and deadline.due == due:
                return deadline.local_wording
        return wording

    @property
    def local_missed_due_wording(self) -> str | None:
        return self._local_wording(
            getattr(self, "missed_due_wording", None), getattr(self, "missed_due_on", None)
        )

    @property
    def local_next_due_wording(self) -> str | None:
        return self._local_wording(
            getattr(self, "next_due_wording", None), getattr(self, "next_due_on", None)
        )

    @property
    def local_text(self) -> TextIn:
        """The paragraph in the reader's language, else the original (marked as such). The
        original language is the resolution's: load the resolution with the paragraphs."""
        return text_in(self.text, self.resolution.language, self.text_translations)

    @property
    def search_headline_source(self) -> TextIn:
        """The text a search snippet (`with_search_headline`) was cut from, and its language:
        the original, or the official translation the search found the paragraph through."""
        language = getattr(self, "search_headline_language", "") or ""
        translated = (self.text_translations or {}).get(language) if language else None
        if translated:
            return TextIn(translated, language, language)
        return TextIn(self.text, self.resolution.language, self.resolution.language)

    def __str__(self):
        return f"{self.resolution.symbol} ¶{self.label}"

    def natural_key(self):
        return (self.resolution.symbol, self.label)

    def get_absolute_url(self):
        return cached_reverse("mandate_detail", slug=self.resolution.slug, label=self.label)

    def delete(self, *args, **kwargs):
        from .. import status

        with status.deferred():  # recompute once the whole cascade is gone
            return super().delete(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.label.count(".")

    # The lists the pages load (mandates/rows.py, `to_attr`-style), else the related rows.
    @property
    def responsibility_list(self) -> list[Responsibility]:
        return _prefetched(self, "prefetched_responsibilities", "responsibilities")

    @property
    def deadline_list(self) -> list[Deadline]:
        return _prefetched(self, "prefetched_deadlines", "deadlines")

    @property
    def record_list(self) -> list[ProgressRecord]:
        """The progress trail, latest first (as of the page's date when prefetched)."""
        return _prefetched(self, "prefetched_records", "progress_records")

    @property
    def acting_responsibilities(self) -> list[Responsibility]:
        """Lead and supporting organs, in order: who must act."""
        return [r for r in self.responsibility_list if r.role != Responsibility.Role.RECIPIENT]

    @property
    def report_recipients(self) -> list[Responsibility]:
        """The organs the report goes to: named, never charged with the mandate."""
        return [r for r in self.responsibility_list if r.role == Responsibility.Role.RECIPIENT]

    def clean(self):
        errors = {}
        if self.label and not LABEL.fullmatch(self.label):
            errors["label"] = _(
                "A label is the paragraph number as published, e.g. 20, 20.c or 4.bis: letters, "
                "digits, dots, hyphens and brackets only (no “/”, spaces or other signs, which "
                "cannot go in the paragraph's web address)."
            )
        if self.parent_id is not None:
            parent = self.parent
            if self.resolution_id and parent.resolution_id != self.resolution_id:
                errors["parent"] = _(
                    "The parent paragraph ¶%(label)s belongs to another resolution."
                ) % {"label": parent.label}
            elif self.pk and parent.pk == self.pk:
                errors["parent"] = _("A paragraph cannot be its own parent.")
            else:
                depth, ancestor = 1, parent
                while ancestor.parent_id is not None:
                    if ancestor.parent_id == self.pk:
                        errors["parent"] = _("This would make the paragraph its own ancestor.")
                        break
                    depth += 1
                    ancestor = ancestor.parent
                if depth >= MAX_DEPTH:
                    errors["parent"] = _("Paragraphs can be nested at most %(n)d levels deep.") % {
                        "n": MAX_DEPTH
                    }
                if (
                    "parent" not in errors
                    and self.label
                    and not self.label.startswith(parent.label + ".")
                ):
                    errors["label"] = _(
                        "A sub-paragraph of ¶%(parent)s must be labelled %(parent)s.<letter>, "
                        "e.g. %(parent)s.a; “%(label)s” is not."
                    ) % {"parent": parent.label, "label": self.label}
        elif self.label and "." in self.label and self.resolution_id:
            head = self.label.rsplit(".", 1)[0]
            if Mandate.objects.filter(resolution_id=self.resolution_id, label=head).exists():
                errors["parent"] = _(
                    "¶%(label)s looks like a sub-paragraph of ¶%(head)s: choose it as parent."
                ) % {"label": self.label, "head": head}
        if errors:
            raise ValidationError(errors)


class ResponsibilityQuerySet(FactsOfMandateQuerySet):
    # Which organs have which paragraphs (`ParagraphOrgan`) follows from these.
    fact_fields = frozenset({"mandate", "mandate_id", "organ", "organ_id", "role"})


class Responsibility(TracksLoaded, VersionedModel):
    """An organ named by a mandate: as lead, in support, or as the recipient of its report.

    Versioned like the other rows of a mandate's page, so that a stale page cannot silently
    put back an organ another editor had just replaced."""

    tracked_fields = ("mandate_id",)

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        SUPPORTING = "supporting", _("Supporting")
        # The organ the report goes to ("report to the General Assembly"): shown, but never
        # charged with the mandate (left out of its counts and lists).
        RECIPIENT = "recipient", _("Reports to")

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="responsibilities")
    organ = models.ForeignKey(
        Organ, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.LEAD)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ResponsibilityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("responsible organ")
        verbose_name_plural = _("responsible organs")
        constraints = [
            models.UniqueConstraint(fields=["mandate", "organ"], name="unique_responsibility"),
        ]
        indexes = [
            # "The mandates of these organs" (organ filters, feeds): index-only.
            models.Index(
                fields=["organ", "mandate"],
                condition=~Q(role="recipient"),
                name="responsibility_acting",
            ),
        ]

    def __str__(self):
        return f"{self.organ.acronym} ({self.get_role_display()})"
