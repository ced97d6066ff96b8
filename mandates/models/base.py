"""Shared building blocks of the models: status words, change tracking, optimistic
locking, names in several languages and the queryset every fact of a mandate uses.
"""

from __future__ import annotations

import datetime
import functools
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import pinned

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
    reader = (pinned.language() or settings.LANGUAGE_CODE).split("-")[0]
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


def _prefetched(instance, attribute: str, related: str) -> list:
    """The list a `Prefetch(to_attr=attribute)` stored on the instance, else the rows of its
    `related` manager (from its own prefetch cache when there is one). The manager is only
    built when needed: building one per row and property was a long page's hidden cost."""
    found = instance.__dict__.get(attribute)
    return found if found is not None else list(getattr(instance, related).all())


class ParagraphKind(models.TextChoices):
    """What an operative paragraph does (README "How status is decided", kinds)."""

    INSTRUCTS = "instructs", _("Instructs an organ")
    CALLS_ON_STATES = "calls_on_states", _("Calls on states")
    DECLARATORY = "declaratory", _("Declaratory")


def quick_from_db(cls, db, field_names, values):
    """`Model.from_db`: the instance Django's `__init__` makes, without its loop of `setattr`
    through every field's descriptor (a list page makes hundreds of instances, and that loop
    was most of their cost). A field not loaded (`defer`, `only`) is left out of the instance's
    `__dict__`, which is how Django marks it deferred. Used only when it makes the same
    instance: `__init__` not overridden, and every column's descriptor one that stores the
    value as is (`DeferredAttribute`, `ForeignKeyDeferredAttribute`); the init signals are
    sent as Django sends them (when something listens)."""
    columns = _plain_columns(cls)
    if columns is None:
        return models.Model.from_db.__func__(cls, db, field_names, values)
    if pre_init.receivers:
        pre_init.send(sender=cls, args=values, kwargs={})
    new = cls.__new__(cls)
    new._state = ModelState()
    # All columns: in the model's order (as `from_db`); else those loaded, as named.
    names = columns if len(values) == len(columns) else field_names
    new.__dict__.update(zip(names, values, strict=True))
    new._state.adding = False
    new._state.db = db
    if post_init.receivers:
        post_init.send(sender=cls, instance=new)
    return new


@functools.cache
def _plain_columns(cls) -> tuple[str, ...] | None:
    if cls.__init__ is not models.Model.__init__:
        return None
    fields = cls._meta.concrete_fields
    plain = (DeferredAttribute, ForeignKeyDeferredAttribute)
    if any(type(getattr(cls, f.attname, None)) not in plain for f in fields):
        return None
    return tuple(f.attname for f in fields)


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

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """Read again, and what was read is what a save compares with: a value changed in
        the database since (another transaction, a rollback) is not taken for this
        instance's own edit."""
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        read = None if fields is None else set(fields)
        loaded = dict(getattr(self, "_loaded", {}))
        for name in self.tracked_fields:
            if read is None or name in read or name.removesuffix("_id") in read:
                loaded[name] = self.__dict__.get(name)
        self._loaded = loaded


class VersionedModel(models.Model):
    """A row with an edit counter, so that a stale form cannot silently overwrite a newer save."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("last updated"))

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        return quick_from_db(cls, db, field_names, values)

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)


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
        return self.name_in(pinned.language())

    @property
    def local_acronym(self) -> str:
        return self.acronym_in(pinned.language())


class FactsOfMandateQuerySet(models.QuerySet):
    """Bulk writes of rows that are facts of a paragraph's status (deadlines, progress records,
    responsibilities) report the paragraphs they touched, like a save does (`mandates.signals`).
    `fact_fields`: the fields whose change changes some paragraph's derived data."""

    fact_fields: frozenset[str] = frozenset()
    derived_fields: frozenset[str] = frozenset()  # written by `mandates.status` itself

    def update(self, **kwargs):
        from .. import status

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
        from .. import status

        with status.deferred():
            created = super().bulk_create(objs, *args, **kwargs)
            status.mark_changed(obj.mandate_id for obj in created)
        return created
