"""No lost updates: a stale admin form is refused, with what changed, instead of overwriting.

Every ``VersionedModel`` row carries a ``version`` that its ``save()`` increments. The admin
forms of those models carry the version the user started from in a hidden ``edit_version``
field. On save, ``clean()`` locks the row (``SELECT … FOR UPDATE`` inside the admin's
transaction, so two saves at the same instant are serialized too) and compares versions. On a
mismatch nothing is saved: the form comes back with the user's entries intact and an error
listing, from the row's history, who changed which field from what to what. The hidden
version is moved forward, so saving again (after reading the changes) keeps the user's
entries deliberately.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import is_historic

from .dates import format_date
from .text import CleanTextFormMixin

EDIT_VERSION = "edit_version"


class VersionField(forms.IntegerField):
    """The version a form was opened on: bookkeeping, never a change of the user's."""

    def has_changed(self, initial, data):
        return False


class VersionCheckedForm(CleanTextFormMixin, forms.ModelForm):
    """A ModelForm for a ``VersionedModel`` that refuses to save over a newer version (and
    cleans control characters out of its text entries)."""

    edit_version = VersionField(
        label=gettext_lazy("version being edited"),
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is not None and not instance._state.adding and not self.is_bound:
            current = instance.version
            if is_historic(instance):
                # A revert page is built on an old version: the edit starts from the row's.
                current = (
                    type(instance)
                    ._base_manager.filter(pk=instance.pk)
                    .values_list("version", flat=True)
                    .first()
                ) or current
            self.initial[EDIT_VERSION] = current

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            return cleaned
        if not self.has_changed() and not is_historic(instance):
            # The entries equal the current row the form was built on: nothing can be lost.
            # (A revert from the history is built on an old version: always checked.)
            return cleaned
        model = type(instance)
        rows = model._base_manager.filter(pk=instance.pk)
        if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
            rows = rows.select_for_update()
        current = rows.first()
        name = model._meta.verbose_name
        if current is None:
            raise ValidationError(
                _(
                    "Not saved: this %(model)s was deleted by someone else while you were "
                    "editing it."
                )
                % {"model": name},
                code="deleted",
            )
        seen = cleaned.get(EDIT_VERSION)
        if seen is None:
            self._move_version_forward(current.version)
            raise ValidationError(
                _(
                    "Not saved: this form did not say which version of the %(model)s it was "
                    "editing, so changes made meanwhile could not be checked. Review the "
                    "entries below and save again."
                )
                % {"model": name},
                code="version_missing",
            )
        if seen != current.version:
            messages = conflict_messages(self, model, current, seen)
            self._move_version_forward(current.version)
            raise ValidationError(messages, code="conflict")
        # Save from the version in the database, whatever the instance was loaded from.
        instance.version = current.version
        return cleaned

    def _move_version_forward(self, version: int) -> None:
        """Re-display the form as based on the current version: saving again is deliberate."""
        data = self.data.copy()
        data[self.add_prefix(EDIT_VERSION)] = str(version)
        self.data = data


# --- Describing what changed ---------------------------------------------------------------


def _user_label(user) -> str:
    if user is None:
        return _("someone")
    return user.get_full_name() or user.get_username()


def _display(field: models.Field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return format_date(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:119] + "…"


def _excerpts(old: str, new: str, width: int = 120) -> tuple[str, str]:
    """Both texts, or for long ones the part around where they start to differ."""
    if len(old) <= width and len(new) <= width:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    start = max(0, start - 30)

    def cut(text):
        piece = text[start : start + width]
        return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")

    return cut(old), cut(new)


def _related_display(field: models.ForeignKey, pk) -> str:
    if pk is None:
        return "—"
    obj = field.related_model._base_manager.filter(pk=pk).first()
    return str(obj) if obj is not None else f"#{pk}"


def _many_display(objects) -> str:
    labels = sorted(str(o) for o in objects)
    return "; ".join(labels) if labels else "—"


def conflict_messages(form, model, current, seen: int) -> list[str]:
    """The headline and one line per field that differs from the version the user saw."""
    history = getattr(model, model._meta.simple_history_manager_attribute, None)
    pk_name = model._meta.pk.attname
    before = later = None
    if history is not None:
        records = history.filter(**{pk_name: current.pk})
        before = records.filter(version=seen).order_by("-history_date", "-history_id").first()
        later = list(
            records.filter(version__gt=seen)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
    editors = []
    for record in later or []:
        label = _user_label(record.history_user)
        if label not in editors:
            editors.append(label)
    who = ", ".join(editors) if editors else _("someone")
    messages = [
        _(
            "Not saved: %(who)s changed this %(model)s while you were editing it (you started "
            "from version %(seen)d; it is now at version %(current)d). Your entries are kept "
            "below. Check the changes listed here, then save again to keep your entries, or "
            "reload the page to start from the new version."
        )
        % {
            "who": who,
            "model": model._meta.verbose_name,
            "seen": seen,
            "current": current.version,
        }
    ]
    for field in model._meta.concrete_fields:
        if field.name not in form.fields or field.primary_key:
            continue
        label = capfirst(form.fields[field.name].label or field.verbose_name)
        new = getattr(current, field.attname)
        if before is not None:
            old = getattr(before, field.attname)
            if old == new:
                continue
            if isinstance(field, models.ForeignKey):
                old_text, new_text = _related_display(field, old), _related_display(field, new)
            elif isinstance(old, str) and isinstance(new, str) and not field.choices:
                old_text, new_text = _excerpts(" ".join(old.split()), " ".join(new.split()))
                old_text, new_text = old_text or "—", new_text or "—"
            else:
                old_text, new_text = _display(field, old), _display(field, new)
            messages.append(
                _("%(who)s changed “%(field)s” from “%(old)s” to “%(new)s”.")
                % {"who": capfirst(who), "field": label, "old": old_text, "new": new_text}
            )
        else:
            # No history of the version the user saw: say what differs from the entries.
            entered = form.cleaned_data.get(field.name)
            entered_value = getattr(entered, "pk", entered)
            if entered_value == new or (entered_value in (None, "") and new in (None, "")):
                continue
            new_text = (
                _related_display(field, new)
                if isinstance(field, models.ForeignKey)
                else _display(field, new)
            )
            messages.append(_("“%(field)s” is now “%(new)s”.") % {"field": label, "new": new_text})
    for field in model._meta.many_to_many:
        if field.name not in form.fields or field.name not in form.cleaned_data:
            continue
        now = list(getattr(current, field.name).all())
        entered = form.cleaned_data.get(field.name) or []
        if {o.pk for o in now} != {o.pk for o in entered}:
            label = capfirst(form.fields[field.name].label or field.verbose_name)
            messages.append(
                _("“%(field)s” is now “%(new)s”.") % {"field": label, "new": _many_display(now)}
            )
    return messages


# --- Admin plumbing -------------------------------------------------------------------------


def _strip_field(fieldsets, name):
    cleaned = []
    for title, options in fieldsets:
        fields = []
        for item in options.get("fields", ()):
            if isinstance(item, (list, tuple)):
                item = tuple(f for f in item if f != name)
                if item:
                    fields.append(item)
            elif item != name:
                fields.append(item)
        cleaned.append((title, {**options, "fields": fields}))
    return cleaned


def with_edit_version(fieldsets, include: bool):
    """The fieldsets with the hidden version field once at the end of the last one (or not)."""
    fieldsets = _strip_field(list(fieldsets), EDIT_VERSION)
    if include:
        if fieldsets:
            title, options = fieldsets[-1]
            fieldsets[-1] = (title, {**options, "fields": [*options["fields"], EDIT_VERSION]})
        else:
            fieldsets = [(None, {"fields": [EDIT_VERSION]})]
    return fieldsets


class VersionCheckedAdminMixin:
    """For a ModelAdmin of a VersionedModel: the form and the hidden field on change pages."""

    form = VersionCheckedForm

    def get_fieldsets(self, request, obj=None):
        include = obj is not None and self.has_change_permission(request, obj)
        return with_edit_version(super().get_fieldsets(request, obj), include)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed() and not is_historic(obj):
            # Nothing to write (e.g. only an inline changed): no new version, no empty entry
            # in the history, and no conflict for whoever is editing this row meanwhile.
            return
        super().save_model(request, obj, form, change)


class VersionCheckedInlineMixin:
    """For an inline of a VersionedModel: every existing row is checked on its own."""

    form = VersionCheckedForm

    def get_fieldsets(self, request, obj=None):
        include = self.has_change_permission(request, obj)
        return with_edit_version(super().get_fieldsets(request, obj), include)
