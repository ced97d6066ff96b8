"""What resolutions order, to whom, by when, and what has been done about it.

The one business rule that matters most, the status of a mandate as of a date, lives in
`MandateQuerySet.with_status()` and is computed by the database; everything else (pages,
admin, PDF, feeds, reminders, tests) calls it. No status is ever stored.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The note beside a text shown in its original language to a reader of another language.
ORIGINAL_TEXT_NOTES = {
    "en": _("(original English text)"),
    "es": _("(original Spanish text)"),
    "fr": _("(original French text)"),
    "pt": _("(original Portuguese text)"),
}


class TextIn(NamedTuple):
    """A text as the reader gets it: in their language when an official translation exists,
    else the original, with a note saying so ("(original English text)", in their language)."""

    text: str
    language: str  # the language `text` is written in (for the element's lang attribute)
    reader_language: str  # the language of the page (for the note's lang attribute)

    def __str__(self) -> str:
        return self.text

    @property
    def note(self) -> str:
        """ "" when the text is in the reader's language, else the note to show beside it."""
        if self.language == self.reader_language:
            return ""
        return str(ORIGINAL_TEXT_NOTES.get(self.language, ""))


def collation_key(text: str) -> str:
    """Sort key for names in the four languages: case and accents aside ("Órgano" with "O")."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def text_in(original: str, original_language: str, translations: dict) -> TextIn:
    """`original` or its official translation into the active language (see TextIn)."""
    reader = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    translated = (translations or {}).get(reader) if reader != original_language else None
    if translated:
        return TextIn(translated, reader, reader)
    return TextIn(original, original_language, reader)


# Paragraph > sub-paragraph > sub-sub-paragraph ("20", "20.c", "20.c.ii"). The status roll-up
# walks this many levels in SQL, so deeper nesting is refused by validation.
MAX_DEPTH = 3
# Reading order of mandates across resolutions: oldest resolution first, then the paragraphs
# in the order of the text. The resolution's date and symbol are copied onto the paragraph.
READING_ORDER = ("resolution_adopted_on", "resolution_symbol", "order", "pk")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    MET = "met", _("Met")
    OVERDUE = "overdue", _("Overdue")


def today() -> datetime.date:
    """Today's date where the secretariat sits (settings.TIME_ZONE)."""
    return timezone.localdate()


def _prefetched(instance, attribute: str, manager) -> list:
    """The list a `Prefetch(to_attr=attribute)` stored on the instance, else the manager's
    rows (from its own prefetch cache when there is one)."""
    found = instance.__dict__.get(attribute)
    return found if found is not None else list(manager.all())


class TracksLoaded(models.Model):
    """Remembers some fields as loaded, so that a save can tell what it changed (a record moved
    to another paragraph changes the status of both)."""

    tracked_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = {name: instance.__dict__.get(name) for name in cls.tracked_fields}
        return instance

    def loaded(self, name):
        return getattr(self, "_loaded", {}).get(name)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)  # the post_save receivers compare with _loaded
        self._loaded = {name: self.__dict__.get(name) for name in self.tracked_fields}


class VersionedModel(models.Model):
    """A row with an edit counter, so that a stale form cannot silently overwrite a newer save."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("last updated"))

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)


# --------------------------------------------------------------------------------------------
# Organizations (OAS, UN, ...): each has its own organs, sessions and symbol patterns
# --------------------------------------------------------------------------------------------


class OrganizationQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class NamedInLanguages:
    """A name and acronym kept in English (`name`, `acronym`: the identity used in addresses,
    filters and imports) and in the other official languages (`name_es`, `acronym_es`, …;
    empty: the English one is shown)."""

    TRANSLATED_LANGUAGES = ("es", "fr", "pt")

    def name_in(self, language: str | None) -> str:
        """The name in `language` when it is known, else the English name."""
        if language in self.TRANSLATED_LANGUAGES:
            return getattr(self, f"name_{language}") or self.name
        return self.name

    def acronym_in(self, language: str | None) -> str:
        """The acronym in `language` ("CIDH"), else the English one ("IACHR")."""
        if language in self.TRANSLATED_LANGUAGES:
            return getattr(self, f"acronym_{language}") or self.acronym
        return self.acronym

    @property
    def local_name(self) -> str:
        """The name in the reader's (active) language."""
        return self.name_in(get_language())

    @property
    def local_acronym(self) -> str:
        return self.acronym_in(get_language())


class Organization(NamedInLanguages, models.Model):
    """An organization whose resolutions are tracked: the OAS, the United Nations, …

    Rows made before organizations existed belong to the OAS (data migration)."""

    code = models.SlugField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Short code used in URLs and commands, e.g. oas or un."),
    )
    acronym = models.CharField(_("acronym"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_pt = models.CharField(_("name in Portuguese"), max_length=200, blank=True)
    acronym_es = models.CharField(_("acronym in Spanish"), max_length=20, blank=True)
    acronym_fr = models.CharField(_("acronym in French"), max_length=20, blank=True)
    acronym_pt = models.CharField(_("acronym in Portuguese"), max_length=20, blank=True)
    names = models.TextField(
        _("names in texts"),
        blank=True,
        help_text=_(
            "How the organization's texts name it in their headers, one per line, in any "
            "language (e.g. “Organización de los Estados Americanos”)."
        ),
    )
    symbol_patterns = models.TextField(
        _("symbol patterns"),
        blank=True,
        help_text=_(
            "Regular expressions, one per line, matching this organization's resolution "
            "symbols (e.g. A/RES/\\d+/\\d+); the importer recognises the organization by them."
        ),
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.local_acronym  # "OAS", "OEA" for Spanish readers

    def natural_key(self):
        return (self.code,)

    def name_list(self) -> list[str]:
        return [line.strip() for line in self.names.splitlines() if line.strip()]

    def pattern_list(self) -> list[str]:
        return [line.strip() for line in self.symbol_patterns.splitlines() if line.strip()]

    def clean(self):
        import re

        for pattern in self.pattern_list():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValidationError(
                    {
                        "symbol_patterns": _("“%(pattern)s” is not a valid pattern: %(error)s")
                        % {"pattern": pattern, "error": exc}
                    }
                ) from exc


class FactsOfMandateQuerySet(models.QuerySet):
    """Bulk writes of rows that are facts of a paragraph's status (deadlines, progress records,
    responsibilities) report the paragraphs they touched, like a save does (`mandates.signals`).
    `fact_fields`: the fields whose change changes some paragraph's derived data."""

    fact_fields: frozenset[str] = frozenset()
    derived_fields: frozenset[str] = frozenset()  # written by `mandates.status` itself

    def update(self, **kwargs):
        from . import status

        if not self.fact_fields & set(kwargs):
            count = super().update(**kwargs)
            if not self.derived_fields >= set(kwargs):
                status.mark_touched()
            return count
        with status.deferred():
            pks = list(self.values_list("pk", flat=True))
            before = set(self.values_list("mandate_id", flat=True))
            count = super().update(**kwargs)
            after = self.model.objects.filter(pk__in=pks).values_list("mandate_id", flat=True)
            status.mark_changed(before | set(after))
        return count

    def bulk_create(self, objs, *args, **kwargs):
        from . import status

        with status.deferred():
            created = super().bulk_create(objs, *args, **kwargs)
            status.mark_changed(obj.mandate_id for obj in created)
        return created


# --------------------------------------------------------------------------------------------
# Organs and sessions
# --------------------------------------------------------------------------------------------


class OrganQuerySet(models.QuerySet):
    def get_by_natural_key(self, acronym):
        return self.get(acronym=acronym)

    def under(self, organ: Organ):
        """This organ and every organ under it, at any depth: one indexed prefix condition."""
        return self.filter(path__startswith=organ.path)

    def expected_paths(self) -> dict[int, str]:
        """{pk: path} as the parents say it should be ("/3/" for a top organ, "/3/17/" below)."""
        parents = dict(self.model.objects.values_list("pk", "parent_id"))
        paths: dict[int, str] = {}

        def path_of(pk, seen=()):
            if pk not in paths:
                parent = parents.get(pk)
                if parent is None or parent in seen or parent not in parents:
                    paths[pk] = f"/{pk}/"
                else:
                    paths[pk] = f"{path_of(parent, (*seen, pk))}{pk}/"
            return paths[pk]

        for pk in parents:
            path_of(pk)
        return paths

    def rebuild_paths(self) -> None:
        """Store every organ's path (a tiny table: recomputed whole on any change of parent),
        and, when one changed, which organs have which paragraphs (an organ has those of the
        organs under it)."""
        from . import status

        current = dict(self.model.objects.values_list("pk", "path"))
        changed = False
        for pk, path in self.expected_paths().items():
            if current.get(pk) != path:
                self.model.objects.filter(pk=pk).update(path=path)
                changed = changed or bool(current.get(pk))  # a new organ has no paragraphs
        if changed:
            status.rebuild_paragraph_organs()

    def update(self, **kwargs):
        count = super().update(**kwargs)
        if "parent" in kwargs or "parent_id" in kwargs:
            self.model.objects.rebuild_paths()
        if "path" not in kwargs:
            from . import status

            status.mark_touched()
        return count

    def resolve(self, name: str) -> Organ | None:
        """Find an organ by acronym, English name or one of its aliases (case-insensitive)."""
        wanted = " ".join(name.split()).casefold()
        for organ in self.all():
            if wanted in organ.all_names_folded():
                return organ
        return None


class Organ(NamedInLanguages, VersionedModel):
    """An organ, agency or entity of the organization, or a collective addressee."""

    class Kind(models.TextChoices):
        ORGAN = "organ", _("Organ")
        AGENCY = "agency", _("Agency or entity")
        DEPENDENCY = "dependency", _("Secretariat dependency")
        COLLECTIVE = "collective", _("Collective addressee")

    acronym = models.CharField(
        _("acronym"),
        max_length=30,
        unique=True,
        help_text=_("Standard acronym, e.g. CAJP or I/A Court H.R."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORGAN)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organs",
    )
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_(
            "Other names used in resolutions, one per line (e.g. “the Secretary General”)."
        ),
    )
    # The name and acronym in the Organization's other official languages (the English ones
    # above stay the organ's identity: URLs, filters and imports use `acronym`). Empty: the
    # English one is shown.
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_pt = models.CharField(_("name in Portuguese"), max_length=200, blank=True)
    acronym_es = models.CharField(
        _("acronym in Spanish"), max_length=30, blank=True, help_text=_("E.g. CIDH for IACHR.")
    )
    acronym_fr = models.CharField(_("acronym in French"), max_length=30, blank=True)
    acronym_pt = models.CharField(_("acronym in Portuguese"), max_length=30, blank=True)
    # Derived from `parent` on every save: the ids from the top organ down ("/3/17/"), so that
    # "this organ and those under it" is one indexed prefix condition at any depth.
    path = models.CharField(max_length=255, editable=False, default="", db_index=True)

    objects = OrganQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("organ")
        verbose_name_plural = _("organs")

    def __str__(self):
        """ "CAJP — Committee on Juridical and Political Affairs", in the reader's language
        ("CIDH — Comisión Interamericana de Derechos Humanos"): filters and the admin."""
        return f"{self.local_acronym} — {self.local_name}"

    @classmethod
    def in_reader_order(cls, organs: list[Organ]) -> list[Organ]:
        """Organs (listed by English acronym) in the order of the acronyms the reader sees:
        "CIDH" after "CIDI" in Spanish, accents and case aside ("État" with "E")."""
        language = get_language()
        if language not in cls.TRANSLATED_LANGUAGES:
            return organs
        return sorted(organs, key=lambda organ: collation_key(organ.acronym_in(language)))

    @property
    def display_name(self) -> str:
        """The name as a page writes it, in the reader's language: "Inter-American Commission
        on Human Rights (IACHR)", "Comisión Interamericana de Derechos Humanos (CIDH)"; a
        collective addressee ("Member states") has no acronym of its own to show."""
        if self.kind == self.Kind.COLLECTIVE:
            return self.local_name
        return f"{self.local_name} ({self.local_acronym})"

    def natural_key(self):
        return (self.acronym,)

    def get_absolute_url(self):
        return reverse("organ_detail", kwargs={"acronym": self.acronym})

    @property
    def list_query(self) -> str:
        """The /mandates/ parameter that selects this organ's mandates ("organ=CAJP")."""
        from urllib.parse import urlencode

        return urlencode({"organ": self.acronym})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Own path and, when the parent changed, the paths of every organ below.
        expected = Organ.objects.expected_paths()
        if self.path != expected.get(self.pk):
            Organ.objects.rebuild_paths()
            self.path = expected.get(self.pk, self.path)

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def all_names_folded(self) -> set[str]:
        names = [self.acronym, self.name, *self.alias_list()]
        return {" ".join(n.split()).casefold() for n in names}

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("An organ cannot be part of itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class SessionQuerySet(models.QuerySet):
    def get_by_natural_key(self, ordinal, kind, organization="oas"):
        return self.get(ordinal=ordinal, kind=kind, organization__code=organization)

    def update(self, **kwargs):
        from . import status

        if "start_date" not in kwargs:
            count = super().update(**kwargs)
            status.mark_touched()
            return count
        with status.deferred():
            sessions = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            anchored = Deadline.objects.filter(session_id__in=sessions)
            status.mark_changed(anchored.values_list("mandate_id", flat=True).distinct())
        return count


class Session(TracksLoaded):
    """A session of the General Assembly."""

    tracked_fields = ("start_date",)

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        SPECIAL = "special", _("Special")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    ordinal = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    place = models.CharField(_("place"), max_length=200, blank=True)
    start_date = models.DateField(
        _("opening date"),
        null=True,
        blank=True,
        help_text=_("Deadlines anchored to this session fall due on this date."),
    )
    end_date = models.DateField(_("closing date"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "ordinal"]
        verbose_name = _("General Assembly session")
        verbose_name_plural = _("General Assembly sessions")
        constraints = [
            # Per organization: the OAS and the UN both have a "thirty-seventh" session.
            models.UniqueConstraint(
                fields=["organization", "ordinal", "kind"],
                name="unique_session_per_organization",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self):
        """In the reader's language: "Thirty-seventh regular session, Panama City, 2007",
        "Trigésimo séptimo período ordinario de sesiones, Panama City, 2007"."""
        from .ordinals import session_name

        where = f", {self.place}" if self.place else ""
        year = f", {self.start_date.year}" if self.start_date else ""
        special = self.kind == self.Kind.SPECIAL
        name = session_name(self.ordinal, special, (get_language() or "en").split("-")[0])
        if name is None:
            kind = "special" if special else "regular"
            name = f"{ordinal_words(self.ordinal).capitalize()} {kind} session"
        return f"{name}{where}{year}"

    def natural_key(self):
        return (self.ordinal, self.kind, self.organization.code if self.organization else "oas")

    @property
    def roman_symbol(self) -> str:
        """The session part of a resolution symbol: XXXVII-O or XL-E."""
        return f"{to_roman(self.ordinal)}-{'O' if self.kind == self.Kind.REGULAR else 'E'}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The session cannot close before it opens.")})


# --------------------------------------------------------------------------------------------
# Resolutions (instruments) and their mandates
# --------------------------------------------------------------------------------------------


class ResolutionQuerySet(models.QuerySet):
    def get_by_natural_key(self, symbol):
        return self.get(symbol=symbol)

    def with_last_change(self):
        """Annotate ``data_changed_at``: the last change to the resolution's own data — the
        resolution, its paragraphs, their organs, deadlines, progress records and documents,
        deletions included (read from their history) — not the time it was loaded or viewed.
        One query with the resolution: a latest-row subquery per table."""
        from django.db.models.functions import Coalesce, Greatest

        def latest(queryset, group, field):
            # MAX over the resolution's rows (an index range by paragraph), grouped by the
            # outer resolution: one row.
            return Subquery(
                queryset.order_by().values(group).annotate(m=models.Max(field)).values("m")
            )

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
        return self.annotate(
            data_changed_at=Greatest(own, *(Coalesce(source, own) for source in sources))
        )

    def update(self, **kwargs):
        count = super().update(**kwargs)
        if {"adopted_on", "symbol"} & set(kwargs):
            Mandate.objects.filter(resolution__in=self.values("pk")).refresh_reading_keys()
        return count

    def delete(self):
        from . import status

        with status.deferred():  # recompute once the whole cascade is gone
            return super().delete()


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
        return reverse("resolution_detail", kwargs={"slug": self.slug})

    @property
    def list_query(self) -> str:
        """The /mandates/ parameter that selects this resolution's mandates."""
        return f"resolution={self.slug}"

    def delete(self, *args, **kwargs):
        from . import status

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


class MandateQuerySet(models.QuerySet):
    """Mandates, with the status engine."""

    def get_by_natural_key(self, symbol, label):
        return self.get(resolution__symbol=symbol, label=label)

    def top_level(self):
        return self.filter(parent__isnull=True)

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

    def status_counts(self) -> dict[str, int]:
        """{"pending": n, "met": n, "overdue": n, "total": n} over an annotated queryset."""
        counts = {s.value: 0 for s in Status}
        for row in self.order_by().values("status").annotate(n=models.Count("pk")):
            counts[row["status"]] = row["n"]
        counts["total"] = sum(counts.values())
        return counts

    def paragraph_counts(
        self, as_of: datetime.date | None = None, by: str | None = None, organ=None
    ):
        """Counts by status as of `as_of` of the operative paragraphs among these mandates
        (sub-paragraphs are rolled up into their paragraph's status, not counted apart).

        Without `by`: {"pending": n, "met": n, "overdue": n, "total": n}. With `by`
        ("resolution" or "organs"): {resolution or organ id: that dict}. Read from the stored
        status timeline alone (an index-only scan), so it stays fast over the whole registry.
        `organ`: only the paragraphs `addressed_to` that organ (read from `ParagraphOrgan`,
        without touching the paragraphs themselves).
        """
        as_of = as_of or today()
        if by == "organs":
            return self._paragraph_counts_by_organ(as_of)
        group = {None: None, "resolution": "resolution_id"}[by]
        table: dict = {}
        for row in self.paragraph_count_rows(as_of, group, organ):
            entry = table.setdefault(row.get(group), {s.value: 0 for s in Status} | {"total": 0})
            entry[row["status"]] += row["n"]
            entry["total"] += row["n"]
        if group is None:
            return table.get(None, {s.value: 0 for s in Status} | {"total": 0})
        return table

    def paragraph_count_rows(self, as_of: datetime.date, group: str | None = None, organ=None):
        """The query behind `paragraph_counts`: rows of (group,) status, n, read from the
        status timeline (and `ParagraphOrgan` for an organ) alone."""
        periods = StatusPeriod.objects.filter(
            top_level=True, starts_on__lte=as_of, ends_on__gt=as_of
        ).order_by()
        if self.query.where:
            periods = periods.filter(mandate__in=self.order_by().values("pk"))
        if organ is not None:
            periods = periods.filter(mandate__in=ParagraphOrgan.objects.of(organ))
        fields = ["status"] if group is None else [group, "status"]
        # One period per paragraph contains any day (check_status proves it): a plain count.
        return periods.values(*fields).annotate(n=models.Count("*"))  # index-only

    def paragraph_counts_over_time(self, days, organ=None) -> dict:
        """{day: {"pending": n, "met": n, "overdue": n, "total": n}} for each of `days`: for
        every day the same numbers as `paragraph_counts(day)`, read in one pass over the days
        the stored timelines change (a period counts from its first day until its end)."""
        days = sorted(set(days))
        if not days:
            return {}
        periods = StatusPeriod.objects.filter(
            top_level=True, ends_on__gt=days[0], starts_on__lte=days[-1]
        ).order_by()
        if self.query.where:
            periods = periods.filter(mandate__in=self.order_by().values("pk"))
        if organ is not None:
            periods = periods.filter(mandate__in=ParagraphOrgan.objects.of(organ))
        events = [
            (start, status, n)
            for start, status, n in periods.values_list("starts_on", "status").annotate(
                n=models.Count("*")
            )
        ] + [
            (end, status, -n)
            for end, status, n in periods.filter(ends_on__lte=days[-1])
            .values_list("ends_on", "status")
            .annotate(n=models.Count("*"))
        ]
        events.sort(key=lambda event: event[0])
        running = {s.value: 0 for s in Status}
        table, i = {}, 0
        for day in days:
            while i < len(events) and events[i][0] <= day:
                running[events[i][1]] += events[i][2]
                i += 1
            table[day] = dict(running, total=sum(running.values()))
        return table

    def _paragraph_counts_by_organ(self, as_of: datetime.date) -> dict:
        """{organ id: counts} where an organ "has" an operative paragraph when it, or an organ
        under it, is responsible (lead or supporting, never as report recipient) for the
        paragraph or one of its sub-paragraphs: the rule of `addressed_to`, for every organ in
        one query. Each paragraph counts once per organ, in its rolled-up status."""
        sql = """
            SELECT po.organ_id, period.status, COUNT(*)
            FROM mandates_paragraphorgan po
            JOIN mandates_statusperiod period
              ON period.mandate_id = po.paragraph_id
             AND period.top_level AND period.starts_on <= %s AND period.ends_on > %s
            WHERE TRUE {where}
            GROUP BY po.organ_id, period.status
        """
        params: list = [as_of, as_of]
        where = ""
        if self.query.where:
            inner, inner_params = self.order_by().values("pk").query.sql_with_params()
            where = f"AND period.mandate_id IN ({inner})"
            params += list(inner_params)
        table: dict = {}
        with connection.cursor() as cursor:
            cursor.execute(sql.format(where=where), params)
            for organ_id, status, n in cursor.fetchall():
                entry = table.setdefault(organ_id, {s.value: 0 for s in Status} | {"total": 0})
                entry[status] += n
                entry["total"] += n
        return table

    def addressed_to(self, organ: Organ):
        """The operative paragraphs for which this organ, or one under it, is responsible (lead
        or supporting, not as report recipient) for the paragraph itself or one of its
        sub-paragraphs: the rule behind every organ count. Read from `ParagraphOrgan`, kept
        with the status timeline; a sub-paragraph is never among them."""
        return self.filter(pk__in=ParagraphOrgan.objects.of(organ))

    def with_deadline_between(self, after=None, before=None):
        """Mandates with a deadline (their own or a sub-paragraph's) due within [after, before]."""
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
        organs = list(Organ.objects.under(organ).values_list("pk", flat=True))
        acting = Responsibility.objects.filter(organ_id__in=organs).exclude(
            role=Responsibility.Role.RECIPIENT
        )
        return self.filter(pk__in=acting.values("mandate_id"))

    def update(self, **kwargs):
        from . import status

        if {"resolution", "resolution_id"} & set(kwargs):
            with status.deferred():
                pks = list(self.values_list("pk", flat=True))
                before = set(self.values_list("pk", "parent_id"))
                count = super().update(**kwargs)
                self.model.objects.filter(pk__in=pks).refresh_reading_keys()
                status.mark_changed({pk for row in before for pk in row})
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
        from . import status

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
        from . import status

        with status.deferred():  # recompute once the whole cascade is gone
            return super().delete()

    def search(self, text: str):
        """Full-text search, best match first (see mandates/search.py)."""
        from .search import search_mandates

        return search_mandates(self, text)

    def with_search_headline(self, text: str):
        """Annotate ``search_headline``, the highlighted snippet a search result shows."""
        from .search import with_headline

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


# A paragraph label as published: "20", "20.c", "4.bis", "(a)". It is part of the paragraph's
# address, so no "/", spaces or URL punctuation (stored labels still resolve: urls.py).
LABEL = re.compile(r"\(?[^\W_][\w.()\-]*")


class Mandate(TracksLoaded, VersionedModel):
    """One operative paragraph or sub-paragraph: something somebody was told to do."""

    tracked_fields = ("parent_id", "resolution_id")

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
        the deadline itself when the paragraph's deadlines were prefetched; never a query."""
        deadlines = self.__dict__.get("prefetched_deadlines")  # views.with_related
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

    def __str__(self):
        return f"{self.resolution.symbol} ¶{self.label}"

    def natural_key(self):
        return (self.resolution.symbol, self.label)

    def get_absolute_url(self):
        return reverse("mandate_detail", kwargs={"slug": self.resolution.slug, "label": self.label})

    def delete(self, *args, **kwargs):
        from . import status

        with status.deferred():  # recompute once the whole cascade is gone
            return super().delete(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.label.count(".")

    # The lists pages prefetch (`views.with_related`, `to_attr`), else the related rows.
    @property
    def responsibility_list(self) -> list[Responsibility]:
        return _prefetched(self, "prefetched_responsibilities", self.responsibilities)

    @property
    def deadline_list(self) -> list[Deadline]:
        return _prefetched(self, "prefetched_deadlines", self.deadlines)

    @property
    def record_list(self) -> list[ProgressRecord]:
        """The progress trail, latest first (as of the page's date when prefetched)."""
        return _prefetched(self, "prefetched_records", self.progress_records)

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


class DeadlineQuerySet(FactsOfMandateQuerySet):
    fact_fields = frozenset({"due_on", "session", "session_id", "mandate", "mandate_id"})
    derived_fields = frozenset({"due", "first_fulfilled_on"})

    def unfulfilled_on(self, as_of: datetime.date):
        return self.filter(Q(first_fulfilled_on__isnull=True) | Q(first_fulfilled_on__gt=as_of))

    def with_state(self, as_of: datetime.date | None = None):
        """Annotate ``fulfilled_on`` (first fulfilling record, if dated on or before as_of) and
        ``state``: fulfilled / fulfilled_late / overdue / upcoming / undated. ``due`` is stored:
        the session's opening date for an anchored deadline, else its own date."""
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
        language = (get_language() or "en").split("-")[0]
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
        return _prefetched(self, "prefetched_fulfils", self.fulfils)

    @property
    def document_list(self) -> list[Document]:
        return _prefetched(self, "prefetched_documents", self.documents)

    @property
    def date_label(self) -> str:
        """The date as precisely as it is known: "July 9, 1999", "May 1998" or "1998"."""
        from django.utils.formats import date_format

        if self.date_precision == self.Precision.YEAR:
            return str(self.date.year)
        if self.date_precision == self.Precision.BY:
            return _("by %(date)s") % {"date": date_format(self.date, "F j, Y")}
        if self.date_precision == self.Precision.MONTH:
            return date_format(self.date, "YEAR_MONTH_FORMAT")
        return date_format(self.date, "DATE_FORMAT")

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

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="status_periods")
    # Copied from the paragraph, so that counts by resolution and of operative paragraphs
    # read this table alone.
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="+")
    top_level = models.BooleanField()
    starts_on = models.DateField()
    ends_on = models.DateField()  # the first day after the period; 9999-12-31: open-ended
    status = models.CharField(max_length=10, choices=Status.choices)
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
                include=["status", "resolution", "mandate"],
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

    paragraph = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="+")
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+", db_index=False)

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
        row = cls.objects.using(using).filter(pk=1).values_list("number", "changed_at").first()
        return row or (1, datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))


class FocalPoint(models.Model):
    """A staff user who records progress on behalf of one or more organs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="focal_point",
    )
    organs = models.ManyToManyField(Organ, verbose_name=_("organs"), related_name="focal_points")

    class Meta:
        verbose_name = _("organ focal point")
        verbose_name_plural = _("organ focal points")

    def __str__(self):
        return str(self.user)


class ReminderLog(models.Model):
    """One reminder sent, so that running the reminder command twice sends nothing twice."""

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", _("Deadline approaching")
        OVERDUE = "overdue", _("Deadline missed")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due = models.DateField(help_text=_("The due date the reminder was about."))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "recipient", "kind", "due"], name="unique_reminder"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.deadline} → {self.recipient}"


class Subscription(models.Model):
    """A member of the public who follows one resolution's or one organ's changes by e-mail.

    Double opt-in: the row is created unconfirmed and a signed link is mailed; only a
    confirmed subscription is ever sent updates (mandates/follow.py). Every update carries a
    one-click unsubscribe link, which deletes the row."""

    email = models.EmailField(_("e-mail address"))
    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    organ = models.ForeignKey(
        Organ,
        verbose_name=_("organ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    # When the last confirmation mail was sent (one per address and subject every few minutes).
    asked_at = models.DateTimeField(_("confirmation mailed on"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    # Changes made up to this moment have been mailed (or were there before confirmation).
    notified_until = models.DateTimeField(_("updates sent up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail subscription")
        verbose_name_plural = _("e-mail subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution__isnull=True, organ__isnull=False)
                | Q(resolution__isnull=False, organ__isnull=True),
                name="subscription_one_subject",
            ),
            models.UniqueConstraint(
                fields=["email", "resolution"],
                condition=Q(resolution__isnull=False),
                name="unique_subscription_resolution",
            ),
            models.UniqueConstraint(
                fields=["email", "organ"],
                condition=Q(organ__isnull=False),
                name="unique_subscription_organ",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.subject}"

    @property
    def subject(self) -> Resolution | Organ:
        return self.resolution or self.organ


# --------------------------------------------------------------------------------------------
# Small helpers shared by the importer, the loader and the models
# --------------------------------------------------------------------------------------------

_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def to_roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def from_roman(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    text = text.upper()
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = values[c]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total if to_roman(total) == text else None


_UNITS = "zero first second third fourth fifth sixth seventh eighth ninth".split()
_TEENS = (
    "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
    "eighteenth nineteenth"
).split()
_TENS_ORD = {
    2: "twentieth",
    3: "thirtieth",
    4: "fortieth",
    5: "fiftieth",
    6: "sixtieth",
    7: "seventieth",
    8: "eightieth",
    9: "ninetieth",
}
_TENS = {
    2: "twenty",
    3: "thirty",
    4: "forty",
    5: "fifty",
    6: "sixty",
    7: "seventy",
    8: "eighty",
    9: "ninety",
}


def ordinal_words(n: int) -> str:
    """37 -> "thirty-seventh" (1..99: every OAS and UN General Assembly session so far)."""
    if n < 10:
        return _UNITS[n]
    if n < 20:
        return _TEENS[n - 10]
    tens, units = divmod(n, 10)
    if tens not in _TENS:
        return f"{n}th"
    return _TENS_ORD[tens] if units == 0 else f"{_TENS[tens]}-{_UNITS[units]}"


def symbol_slug(symbol: str) -> str:
    """ "AG/RES. 2289 (XXXVII-O/07)" -> "ag-res-2289-xxxvii-o-07"."""
    import re

    return slugify(re.sub(r"[^0-9A-Za-z]+", "-", symbol)).strip("-")[:120] or uuid.uuid4().hex[:12]


def normalize_symbol(symbol: str) -> str:
    """Normalize spacing in a resolution symbol: "AG/RES.2289 (XXXVII O/07)" ->
    "AG/RES. 2289 (XXXVII-O/07)". Symbols of other forms are only trimmed."""
    import re

    text = " ".join(symbol.split())
    match = re.fullmatch(
        r"(?P<body>[A-Z]{2,4}/RES\.)\s*(?P<num>\d+)\s*\(\s*(?P<roman>[IVXLCDM]+)"
        r"\s*[-–—\s]?\s*(?P<kind>[OE])\s*/\s*(?P<yy>\d{2})\s*\)(?P<rest>.*)",
        text,
        flags=re.IGNORECASE,
    )
    if not match:
        return text
    g = match.groupdict()
    return (
        f"{g['body'].upper()} {g['num']} ({g['roman'].upper()}-{g['kind'].upper()}/{g['yy']})"
        f"{g['rest']}"
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
