"""The directory: organizations, their organs (a hierarchy kept as a materialised path)
and their sessions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    F,
    Q,
)
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import pinned
from ..links import cached_reverse
from .base import NamedInLanguages, TextIn, TracksLoaded, VersionedModel, collation_key
from .symbols import ordinal_words, to_roman


class OrganizationQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


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


class OrganQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

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
        from .. import status

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
            from .. import status

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
        help_text=_(
            "Standard acronym within its organization, e.g. CAJP or I/A Court H.R. (the OAS and "
            "the UN each have a GA)."
        ),
    )
    # Acronyms repeat across organizations (the OAS's and the UN's "GA"): addresses, filters,
    # fixtures and the importer name an organ by this key, unique across all of them.
    key = models.CharField(
        _("key"),
        max_length=40,
        unique=True,
        blank=True,
        help_text=_(
            "How addresses and filters name the organ (/organs/<key>/, ?organ=<key>). Leave "
            "empty: the acronym, or, when another organization has an organ with that acronym, "
            "the organization’s acronym before it (UNGA)."
        ),
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
    # What the organ is, in a sentence or two, for readers who do not know it (its public page
    # and the API). In the same per-language pattern; empty: the English one, else nothing.
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "What the organ is, in one or two plain sentences, shown on its public page "
            "(e.g. “The Inter-American Commission on Human Rights is a principal and autonomous "
            "organ of the OAS…”)."
        ),
    )
    description_es = models.TextField(_("description in Spanish"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    description_pt = models.TextField(_("description in Portuguese"), blank=True)
    # Derived from `parent` on every save: the ids from the top organ down ("/3/17/"), so that
    # "this organ and those under it" is one indexed prefix condition at any depth.
    path = models.CharField(max_length=255, editable=False, default="", db_index=True)

    objects = OrganQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        ordering = ["acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "acronym"], name="organ_acronym_per_organization"
            )
        ]
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

    def description_in(self, language: str | None) -> TextIn | None:
        """What the organ is, in `language` when written, else in English (the TextIn says
        which, for the element's lang attribute); None when there is no description."""
        reader = (language or "en").split("-")[0]
        if reader in self.TRANSLATED_LANGUAGES:
            translated = getattr(self, f"description_{reader}")
            if translated:
                return TextIn(translated, reader, reader)
        if self.description:
            return TextIn(self.description, "en", reader)
        return None

    @property
    def local_description(self) -> TextIn | None:
        """The description in the reader's (active) language (see `description_in`)."""
        return self.description_in(pinned.language())

    def natural_key(self):
        return (self.key,)

    def get_absolute_url(self):
        return cached_reverse("organ_detail", key=self.key)

    @property
    def list_query(self) -> str:
        """The /mandates/ parameter that selects this organ's mandates ("organ=CAJP")."""
        from urllib.parse import urlencode

        return urlencode({"organ": self.key})

    def default_key(self) -> str:
        """The acronym, unless another organ already goes by it: then the organization's
        acronym and the organ's ("UNGA" beside the OAS's "GA")."""
        taken = Organ.objects.exclude(pk=self.pk).filter(key=self.acronym).exists()
        if taken and self.organization_id:
            return f"{self.organization.acronym}{self.acronym}"
        return self.acronym

    def save(self, *args, **kwargs):
        # Whatever the path (form, import, shell): a hierarchy with a loop has no paths.
        if self.under_itself():
            raise ValidationError({"parent": _("An organ cannot be part of itself.")})
        if not self.key:
            self.key = self.default_key()
        super().save(*args, **kwargs)
        # Own path and, when the parent changed, the paths of every organ below.
        expected = Organ.objects.expected_paths()
        if self.path != expected.get(self.pk):
            Organ.objects.rebuild_paths()
            self.path = expected.get(self.pk, self.path)

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def all_names_folded(self) -> set[str]:
        names = [self.key, self.acronym, self.name, *self.alias_list()]
        return {" ".join(n.split()).casefold() for n in names}

    def under_itself(self) -> bool:
        """Whether its parent is itself or an organ under it (the stored parents above)."""
        if self.parent_id is None or self.pk is None:
            return False
        parents = dict(Organ.objects.values_list("pk", "parent_id"))
        ancestor, seen = self.parent_id, set()
        while ancestor is not None and ancestor not in seen:
            if ancestor == self.pk:
                return True
            seen.add(ancestor)
            ancestor = parents.get(ancestor)
        return False

    def clean(self):
        if self.under_itself():
            raise ValidationError({"parent": _("An organ cannot be part of itself.")})
        if not self.key and self.acronym:
            key = self.default_key()
            if Organ.objects.exclude(pk=self.pk).filter(key=key).exists():
                message = _("Another organ goes by “%(key)s”: give this one a key.")
                raise ValidationError({"key": message % {"key": key}})


class SessionQuerySet(models.QuerySet):
    def get_by_natural_key(self, ordinal, kind, organization="oas"):
        return self.get(ordinal=ordinal, kind=kind, organization__code=organization)

    def update(self, **kwargs):
        from .. import status
        from .progress import Deadline

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
        from ..ordinals import session_name

        where = f", {self.place}" if self.place else ""
        year = f", {self.start_date.year}" if self.start_date else ""
        special = self.kind == self.Kind.SPECIAL
        name = session_name(self.ordinal, special, (pinned.language() or "en").split("-")[0])
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
