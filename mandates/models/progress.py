"""The facts status is derived from: deadlines and progress records, with the documents
and meetings behind them, and evidence proposed from later resolutions.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Case,
    CharField,
    F,
    Q,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import pinned
from .base import FactsOfMandateQuerySet, TracksLoaded, VersionedModel, _prefetched, today
from .organs import Organ, Session
from .paragraphs import tracked_condition
from .resolutions import Mandate, Resolution


class DeadlineQuerySet(FactsOfMandateQuerySet):
    fact_fields = frozenset({"due_on", "session", "session_id", "mandate", "mandate_id"})
    derived_fields = frozenset({"due", "first_fulfilled_on"})

    def unfulfilled_on(self, as_of: datetime.date):
        return self.filter(Q(first_fulfilled_on__isnull=True) | Q(first_fulfilled_on__gt=as_of))

    def of_tracked_paragraphs(self):
        """Deadlines of paragraphs that have a status (`tracked_condition`): what reminders,
        the home page's next deadlines and the "deadline missed" feed entries are about."""
        return self.filter(tracked_condition("mandate__"))

    def with_state(self, as_of: datetime.date | None = None):
        """Annotate ``fulfilled_on`` (first fulfilling record, if dated on or before as_of) and
        ``state``: fulfilled / fulfilled_late / overdue / upcoming / undated, or not_tracked
        (not fulfilled, of a paragraph that is not tracked: never "missed"). ``due`` is
        stored: the session's opening date for an anchored deadline, else its own date."""
        as_of = as_of or today()
        return self.annotate(
            fulfilled_on=Case(
                When(first_fulfilled_on__lte=as_of, then=F("first_fulfilled_on")),
                default=None,
                output_field=models.DateField(),
            )
        ).annotate(
            state=Case(
                When(
                    fulfilled_on__isnull=False,
                    due__isnull=False,
                    fulfilled_on__gt=F("due"),
                    then=Value("fulfilled_late"),
                ),
                When(fulfilled_on__isnull=False, then=Value("fulfilled")),
                When(~tracked_condition("mandate__"), then=Value("not_tracked")),
                When(due__lt=as_of, then=Value("overdue")),
                When(due__isnull=True, then=Value("undated")),
                default=Value("upcoming"),
                output_field=CharField(),
            )
        )


class Deadline(TracksLoaded, VersionedModel):
    """A date by which (part of) a mandate must be done."""

    tracked_fields = ("mandate_id",)

    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandate"), on_delete=models.CASCADE, related_name="deadlines"
    )
    wording = models.CharField(
        _("wording"),
        max_length=300,
        help_text=_("As the resolution says it, e.g. “in the first half of 2008”."),
    )
    # The wording in the resolution's official translations, language → wording (see
    # mandates/translations.py); empty: the wording above is shown.
    wording_translations = models.JSONField(
        _("wording in other languages"), default=dict, blank=True, editable=False
    )
    due_on = models.DateField(
        _("due on"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the deadline is anchored to a session."),
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("anchored to session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
        help_text=_("The deadline falls due on this session's opening date."),
    )
    recurrence = models.CharField(
        _("recurrence"),
        max_length=100,
        blank=True,
        help_text=_(
            "For a deadline that recurs (“by 31 May annually”): its rule in iCalendar form, "
            "e.g. FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=31. The due date is the first occurrence."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Derived, kept by `mandates.status` in the same transaction as every change of the facts:
    # the effective due date (the session's opening date for an anchored deadline) and the
    # date of the first record that fulfils it.
    due = models.DateField(_("falls due on"), null=True, blank=True, editable=False, db_index=True)
    first_fulfilled_on = models.DateField(null=True, blank=True, editable=False, db_index=True)

    objects = DeadlineQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["due", "first_fulfilled_on"])

    class Meta:
        ordering = ["order", "due_on", "pk"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(session__isnull=True),
                name="deadline_date_or_session",
            ),
        ]

    @property
    def local_wording(self) -> str:
        """The wording in the reader's language when the translation gave it, else as written."""
        language = (pinned.language() or "en").split("-")[0]
        return (self.wording_translations or {}).get(language) or self.wording

    def __str__(self):
        return self.wording

    def save(self, *args, **kwargs):
        # Right at once for this row; `mandates.status` keeps it right when the session moves.
        self.due = self.session.start_date if self.session_id else self.due_on
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.due_on and self.session_id:
            errors["due_on"] = _(
                "A deadline anchored to a session takes the session's opening date: "
                "leave the date empty or remove the session."
            )
        if not self.due_on and not self.session_id:
            errors["due_on"] = _("Give a due date, or anchor the deadline to a session.")
        due = self.due_on or (self.session.start_date if self.session_id else None)
        if due and self.mandate_id and due < self.mandate.resolution.adopted_on:
            errors["due_on" if self.due_on else "session"] = _(
                "This deadline (%(due)s) falls before the resolution was adopted (%(adopted)s)."
            ) % {
                "due": due.isoformat(),
                "adopted": self.mandate.resolution.adopted_on.isoformat(),
            }
        if errors:
            raise ValidationError(errors)


class ProgressRecordQuerySet(FactsOfMandateQuerySet):
    fact_fields = frozenset({"date", "mandate", "mandate_id", "completes_mandate"})

    def as_of(self, as_of: datetime.date | None = None):
        return self.filter(date__lte=as_of or today())

    def latest_first(self):
        return self.order_by("-date", "-pk")


class ProgressRecord(TracksLoaded, VersionedModel):
    """Something done about a mandate: a report presented, a meeting held, a decision taken."""

    tracked_fields = ("mandate_id",)

    class Kind(models.TextChoices):
        REPORT = "report", _("Report presented")
        MEETING = "meeting", _("Meeting held")
        DECISION = "decision", _("Decision adopted")
        DOCUMENT = "document", _("Document published")
        OTHER = "other", _("Other")

    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("mandate"),
        on_delete=models.CASCADE,
        related_name="progress_records",
    )

    class Precision(models.TextChoices):
        DAY = "day", _("Exact day")
        MONTH = "month", _("Month only")
        YEAR = "year", _("Year only")
        # Known only to have happened by then: a report "HAVING SEEN" by a resolution adopted
        # that day, which gives no date of its own.
        BY = "by", _("On or before this date")

    date = models.DateField(
        _("date"),
        help_text=_(
            "When only the month or year is known, enter its last day and set the precision: "
            "the record then counts from the end of that period."
        ),
    )
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REPORT)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    document_symbol = models.CharField(
        _("document symbol"), max_length=100, blank=True, help_text=_("E.g. CP/doc.4088/06.")
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_(
            "Where this record's facts come from: a page, a document, a report (a record "
            "confirmed from a later resolution cites that resolution's clause instead)."
        ),
    )
    fulfils = models.ManyToManyField(
        Deadline,
        verbose_name=_("fulfils deadlines"),
        related_name="fulfilled_by",
        blank=True,
        help_text=_("The deadlines of this mandate that this record meets."),
    )
    completes_mandate = models.BooleanField(
        _("completes the mandate"),
        default=False,
        help_text=_("For a mandate with no deadline: this record shows it was carried out."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ProgressRecordQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[fulfils])

    class Meta:
        ordering = ["-date", "-pk"]
        # "Latest progress" (home, feeds) walks this index and stops after a page.
        indexes = [models.Index(fields=["-date", "-id"], name="progress_latest")]
        verbose_name = _("progress record")
        verbose_name_plural = _("progress records")

    def __str__(self):
        return f"{self.date.isoformat()} — {self.title}"

    @property
    def fulfils_list(self) -> list[Deadline]:
        return _prefetched(self, "prefetched_fulfils", "fulfils")

    @property
    def document_list(self) -> list[Document]:
        return _prefetched(self, "prefetched_documents", "documents")

    @property
    def date_label(self) -> str:
        """The date as precisely as it is known: "July 9, 1999", "May 1998" or "1998"."""
        from ..dates import format_date

        if self.date_precision == self.Precision.YEAR:
            return str(self.date.year)
        if self.date_precision == self.Precision.BY:
            return _("by %(date)s") % {"date": format_date(self.date, "DATE_FORMAT")}
        if self.date_precision == self.Precision.MONTH:
            return format_date(self.date, "YEAR_MONTH_FORMAT")
        return format_date(self.date, "DATE_FORMAT")

    def clean(self):
        errors = {}
        if self.date and self.mandate_id and self.date < self.mandate.resolution.adopted_on:
            errors["date"] = _(
                "This record is dated %(date)s, before %(symbol)s was adopted on %(adopted)s."
            ) % {
                "date": self.date.isoformat(),
                "symbol": self.mandate.resolution.symbol,
                "adopted": self.mandate.resolution.adopted_on.isoformat(),
            }
        if errors:
            raise ValidationError(errors)

    def clean_fulfils(self, deadlines) -> None:
        """Called by forms with the chosen deadlines (M2M is not set yet in clean())."""
        foreign = [d for d in deadlines if d.mandate_id != self.mandate_id]
        if foreign:
            raise ValidationError(
                {
                    "fulfils": _("“%(wording)s” is a deadline of another paragraph.")
                    % {"wording": foreign[0].wording}
                }
            )


def document_upload_to(instance, filename):
    # Stored under a random name: the original name is kept in the row, never on disk.
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file attached to a progress record (the report itself, minutes, a decision)."""

    progress_record = models.ForeignKey(
        ProgressRecord,
        verbose_name=_("progress record"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    file = models.FileField(_("file"), upload_to=document_upload_to)
    original_name = models.CharField(_("original file name"), max_length=255, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.original_name or self.file.name


class Meeting(VersionedModel):
    """A meeting of a committee (CAJP) for which a compliance summary is prepared."""

    committee = models.ForeignKey(
        Organ,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    # The title in the other official languages; empty: the title above is shown.
    title_es = models.CharField(_("title in Spanish"), max_length=300, blank=True)
    title_fr = models.CharField(_("title in French"), max_length=300, blank=True)
    title_pt = models.CharField(_("title in Portuguese"), max_length=300, blank=True)
    document_symbol = models.CharField(
        _("document symbol"), max_length=100, blank=True, help_text=_("E.g. CP/CAJP-2456/07.")
    )
    resolutions = models.ManyToManyField(
        Resolution, verbose_name=_("resolutions on the agenda"), related_name="meetings"
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)

    history = HistoricalRecords(m2m_fields=[resolutions])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    @property
    def local_title(self) -> str:
        """The title in the reader's language when it was given, else the title."""
        language = (get_language() or "en").split("-")[0]
        if language in ("es", "fr", "pt"):
            return getattr(self, f"title_{language}") or self.title
        return self.title

    def __str__(self):
        return f"{self.committee.acronym} {self.date.isoformat()} — {self.title}"

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(f"{self.committee.acronym}-{self.date.isoformat()}")[:100]
            slug, n = base, 2
            while Meeting.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meeting_detail", kwargs={"slug": self.slug})

    def previous(self) -> Meeting | None:
        """The same committee's meeting before this one."""
        return (
            Meeting.objects.filter(committee_id=self.committee_id)
            .filter(Q(date__lt=self.date) | Q(date=self.date, pk__lt=self.pk))
            .order_by("-date", "-pk")
            .first()
        )


class EvidenceProposal(models.Model):
    """Evidence read from a later resolution's preamble, waiting for a person's review.

    "HAVING EXAMINED the annual report of the Permanent Council … (CP/CAJP-1487/99),
    presented pursuant to resolution AG/RES. 1548 (XXVIII-O/98)" says that something an earlier
    resolution asked for was done. The importer proposes it here; it never counts for status.
    Confirming it (``mandates.evidence.confirm``) creates an ordinary ProgressRecord on the
    mandate, in one transaction, so the status rule needs nothing new.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    class DateSource(models.TextChoices):
        TEXT = "text", _("Date given by the citing text")
        ADOPTION = "adoption", _("Adoption date of the citing resolution (no date in the text)")

    citing_resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("citing resolution"),
        on_delete=models.CASCADE,
        related_name="evidence_given",
    )
    clause = models.PositiveSmallIntegerField(
        _("preamble clause"), help_text=_("Its number in the citing resolution's preamble.")
    )
    quote = models.TextField(_("clause, verbatim"))
    target_resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("earlier resolution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_proposals",
    )
    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("mandate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_proposals",
        help_text=_("The paragraph that asked for it; empty when none matches with confidence."),
    )
    reason = models.TextField(
        _("why this paragraph (or none)"),
        blank=True,
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=ProgressRecord.Kind.choices,
        default=ProgressRecord.Kind.REPORT,
    )
    title = models.CharField(_("title"), max_length=300)
    document_symbol = models.CharField(_("document symbol"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=ProgressRecord.Precision.choices,
        default=ProgressRecord.Precision.DAY,
    )
    date_source = models.CharField(
        _("date from"), max_length=10, choices=DateSource.choices, default=DateSource.TEXT
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    progress_record = models.OneToOneField(
        ProgressRecord,
        verbose_name=_("progress record"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["citing_resolution__adopted_on", "clause", "pk"]
        verbose_name = _("evidence proposal")
        verbose_name_plural = _("evidence proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["citing_resolution", "clause", "document_symbol", "kind"],
                name="evidence_proposal_once",
            ),
        ]

    def __str__(self):
        return f"{self.citing_resolution.symbol}, {self.clause}: {self.title}"

    @property
    def citation(self) -> str:
        """ "AG/RES. 1611 (XXIX-O/99), preamble clause 1"."""
        return _("%(symbol)s, preamble clause %(clause)d") % {
            "symbol": self.citing_resolution.symbol,
            "clause": self.clause,
        }
