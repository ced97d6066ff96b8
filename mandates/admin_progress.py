"""Record progress for one mandate: a page of its own in the admin.

The mandate (and its sub-paragraphs) is shown read-only above a short form that offers only
*its* deadlines, each with its date and state; a month-only date is entered as a month; a
document may be attached. Everything is saved in one transaction or not at all, and the page
then says what the paragraph's status now is and why ("¶14 is now met: fulfilled 29 April
2008"), read back through ``Mandate.objects.with_status``.

Who may use it: staff with the "add progress record" permission; an organ focal point only on
his organs' (sub-)paragraphs (mandates/permissions.py), whose deadlines alone are offered.
"""

from __future__ import annotations

import calendar
import datetime
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import format_date
from .documents import DocumentForm
from .models import Deadline, Mandate, ProgressRecord, Responsibility, Status, today
from .overdue import overdue_paragraphs
from .permissions import scoped_mandate_ids

MONTH = re.compile(r"(\d{4})-(\d{1,2})")
# Which input holds the date, by precision.
INPUT_OF_PRECISION = {"day": "day", "month": "month", "year": "year"}

DEADLINE_STATES = {
    "fulfilled": gettext_lazy("fulfilled"),
    "fulfilled_late": gettext_lazy("fulfilled late"),
    "overdue": gettext_lazy("overdue"),
    "not_tracked": gettext_lazy("not tracked"),
    "upcoming": gettext_lazy("upcoming"),
    "undated": gettext_lazy("session date not yet known"),
}


def as_text(value: datetime.date) -> str:
    """A date as the site writes dates (the active language's DATE_FORMAT)."""
    return format_date(value, "DATE_FORMAT")


def deadline_label(deadline: Deadline) -> str:
    """“¶20.c — “prior to the thirty-eighth regular session” — due 1 June 2008 — overdue”."""
    due = as_text(deadline.due) if deadline.due else _("date not yet known")
    state = str(DEADLINE_STATES.get(deadline.state, deadline.state))
    if deadline.fulfilled_on:
        state = _("%(state)s on %(date)s") % {
            "state": state,
            "date": as_text(deadline.fulfilled_on),
        }
    return _("¶%(label)s — “%(wording)s” — due %(due)s — %(state)s") % {
        "label": deadline.mandate.label,
        "wording": deadline.wording,
        "due": due,
        "state": state,
    }


class DeadlineChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return deadline_label(obj)


class RecordProgressForm(forms.ModelForm):
    """One progress record for `mandate` or one of its sub-paragraphs (the paragraph whose
    deadlines are ticked), with at most one document."""

    PRECISIONS = [
        (ProgressRecord.Precision.DAY, gettext_lazy("Exact day")),
        (ProgressRecord.Precision.MONTH, gettext_lazy("Month only")),
        (ProgressRecord.Precision.YEAR, gettext_lazy("Year only")),
    ]

    date_precision = forms.ChoiceField(
        label=gettext_lazy("The date is known to"),
        choices=PRECISIONS,
        initial=ProgressRecord.Precision.DAY,
        widget=forms.RadioSelect,
    )
    day = forms.DateField(
        label=gettext_lazy("Day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("YYYY-MM-DD"),
    )
    month = forms.CharField(
        label=gettext_lazy("Month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
        help_text=gettext_lazy("YYYY-MM: the record counts from the last day of the month."),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        required=False,
        min_value=1900,
        max_value=2999,
        help_text=gettext_lazy("The record counts from 31 December of that year."),
    )
    fulfils = DeadlineChoiceField(
        label=gettext_lazy("Deadlines this record meets"),
        queryset=Deadline.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    completes_mandate = forms.BooleanField(
        label=gettext_lazy("This record shows the paragraph was carried out"),
        required=False,
        help_text=gettext_lazy("For a paragraph with no deadline."),
    )
    document = forms.FileField(label=gettext_lazy("Document"), required=False)

    class Meta:
        model = ProgressRecord
        fields = ["kind", "title", "summary", "document_symbol", "url", "source"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "source": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        }

    def __init__(self, *args, mandate: Mandate, deadlines, may_complete: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.mandate = mandate
        self.fields["fulfils"].queryset = deadlines
        if not may_complete:
            del self.fields["completes_mandate"]
        self.document_form: DocumentForm | None = None
        self.fields["document"].help_text = DocumentForm().fields["file"].help_text
        self.fields["document"].widget.attrs["accept"] = (
            DocumentForm().fields["file"].widget.attrs["accept"]
        )
        self.order_fields(
            ["date_precision", "day", "month", "year", "kind", "title", "fulfils"]
            + ["completes_mandate", "document_symbol", "document", "url", "summary", "source"]
        )

    def clean_month(self):
        value = self.cleaned_data.get("month", "").strip()
        if not value:
            return None
        match = MONTH.fullmatch(value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(
                _("“%(value)s” is not a month: write it as YYYY-MM, e.g. 2008-04."),
                params={"value": value[:20]},
            )
        year, month = int(match[1]), int(match[2])
        return datetime.date(year, month, calendar.monthrange(year, month)[1])

    def _record_date(self) -> datetime.date | None:
        """The date stored: the day, or the last day of the month or year given."""
        precision = self.cleaned_data.get("date_precision")
        Precision = ProgressRecord.Precision
        if precision == Precision.DAY:
            if self.cleaned_data.get("day") is None and "day" not in self.errors:
                self.add_error("day", _("Give the day (YYYY-MM-DD), or choose “Month only”."))
            return self.cleaned_data.get("day")
        if precision == Precision.MONTH:
            if self.cleaned_data.get("month") is None and "month" not in self.errors:
                self.add_error("month", _("Give the month (YYYY-MM)."))
            return self.cleaned_data.get("month")
        if precision == Precision.YEAR:
            year = self.cleaned_data.get("year")
            if year is None:
                if "year" not in self.errors:
                    self.add_error("year", _("Give the year."))
                return None
            return datetime.date(year, 12, 31)
        return None

    def clean(self):
        cleaned = super().clean()
        date = self._record_date()
        if date is not None:
            precision = cleaned["date_precision"]
            # The first day of the period given: a month in progress may be recorded.
            start = date.replace(day=1) if precision != "day" else date
            if precision == ProgressRecord.Precision.YEAR:
                start = start.replace(month=1)
            if start > today():
                self.add_error(
                    INPUT_OF_PRECISION[precision],
                    _("%(date)s is after today: record progress once it has happened.")
                    % {"date": as_text(start)},
                )
        deadlines = list(cleaned.get("fulfils") or [])
        owners = {d.mandate_id: d.mandate for d in deadlines}
        if len(owners) > 1:
            labels = ", ".join(f"¶{m.label}" for m in sorted(owners.values(), key=_order))
            self.add_error(
                "fulfils",
                _(
                    "These deadlines belong to different paragraphs (%(labels)s): record "
                    "progress for one paragraph at a time."
                )
                % {"labels": labels},
            )
        elif owners and cleaned.get("completes_mandate"):
            (owner,) = owners.values()
            if owner.pk != self.mandate.pk:
                self.add_error(
                    "completes_mandate",
                    _(
                        "“Carried out” is about ¶%(label)s, the ticked deadlines about "
                        "¶%(other)s: record them separately."
                    )
                    % {"label": self.mandate.label, "other": owner.label},
                )
        # The record belongs to the paragraph whose deadlines it meets (else this one).
        self.instance.mandate = next(iter(owners.values()), self.mandate)
        self.instance.date = date
        self.instance.date_precision = cleaned.get("date_precision") or "day"
        self.instance.completes_mandate = bool(cleaned.get("completes_mandate"))
        upload = cleaned.get("document")
        if upload:
            self.document_form = DocumentForm(data={}, files={"file": upload})
            if not self.document_form.is_valid():
                for error in self.document_form.errors.get("file", []):
                    self.add_error("document", error)
        return cleaned

    def _update_errors(self, errors):
        # The model's own rules (a record dated before the resolution was adopted) name
        # "date", which is one of three inputs here: show them on the one in use.
        if hasattr(errors, "error_dict") and "date" in errors.error_dict:
            field = INPUT_OF_PRECISION.get(self.instance.date_precision, "day")
            errors.error_dict.setdefault(field, []).extend(errors.error_dict.pop("date"))
        super()._update_errors(errors)

    @transaction.atomic
    def save(self, user):
        record = super().save(commit=False)
        record.created_by = user
        record.save()
        record.fulfils.set(self.cleaned_data.get("fulfils") or [])
        if self.document_form is not None:
            document = self.document_form.save(commit=False)
            document.progress_record = record
            document.uploaded_by = user
            document.save()
        return record


def _order(mandate: Mandate):
    return (mandate.order, mandate.pk)


# --- What the status now is, and why -------------------------------------------------------


def status_sentence(mandate: Mandate, before: str | None, as_of: datetime.date) -> str:
    """“¶14 is now met: fulfilled 29 April 2008.” for a mandate annotated by with_status."""
    label = mandate.label
    status = mandate.status
    changed = before is not None and before != status
    if status == Status.MET:
        since = as_text(mandate.status_since)
        if mandate.met_late:
            text = _("¶%(label)s is now met late: fulfilled %(date)s, after a deadline.")
            if not changed:
                text = _("¶%(label)s is met late: fulfilled %(date)s, after a deadline.")
        else:
            text = _("¶%(label)s is now met: fulfilled %(date)s.")
            if not changed:
                text = _("¶%(label)s is met: fulfilled %(date)s.")
        return text % {"label": label, "date": since}
    if status == Status.OVERDUE:
        glance = overdue_paragraphs(Mandate.objects.filter(pk=mandate.pk), as_of, size=1)
        row = glance[0] if glance else None
        values = {
            "label": label,
            "date": as_text(mandate.missed_due_on),
            "wording": mandate.missed_due_wording,
            "sub": row.missed_by.label if row else label,
            "lateness": row.lateness if row else "",
        }
        if row and row.missed_by.pk != mandate.pk:
            text = (
                _("¶%(label)s is now overdue because ¶%(sub)s missed %(date)s (“%(wording)s”).")
                if changed
                else _(
                    "¶%(label)s is still overdue because ¶%(sub)s missed %(date)s "
                    "(“%(wording)s”, %(lateness)s ago)."
                )
            )
        else:
            text = (
                _("¶%(label)s is now overdue: “%(wording)s” was due %(date)s.")
                if changed
                else _(
                    "¶%(label)s is still overdue: “%(wording)s” was due %(date)s "
                    "(%(lateness)s ago) and is not met."
                )
            )
        return text % values
    if mandate.next_due_on:
        text = _("¶%(label)s is pending: next deadline “%(wording)s”, due %(date)s.")
        return text % {
            "label": label,
            "wording": mandate.next_due_wording,
            "date": as_text(mandate.next_due_on),
        }
    return _("¶%(label)s is pending: no record shows it carried out yet.") % {"label": label}


def outcome(record: ProgressRecord, before: dict[int, str], as_of: datetime.date) -> str:
    """The confirmation after a save: the record's paragraph, then the operative paragraph
    it belongs to when that is another one, as of `as_of` (today)."""
    ids = [record.mandate_id]
    parent = record.mandate.parent
    while parent is not None:
        ids.append(parent.pk)
        parent = parent.parent
    rows = {m.pk: m for m in Mandate.objects.filter(pk__in=ids).with_status(as_of)}
    sentences = [status_sentence(rows[pk], before.get(pk), as_of) for pk in ids]
    if record.date > as_of:
        sentences.append(
            _("The record counts from %(date)s, after today.") % {"date": as_text(record.date)}
        )
    return " ".join(sentences)


# --- The page --------------------------------------------------------------------------------


def subtree(mandate: Mandate) -> list[Mandate]:
    """The mandate and its sub-paragraphs (two levels), in reading order."""
    ids = Mandate.objects.subtree_ids([mandate.pk])
    return list(
        Mandate.objects.filter(pk__in=ids)
        .with_status(today())
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("organ"),
                to_attr="prefetched_responsibilities",
            )
        )
        .order_by("order", "pk")
    )


def record_progress_view(model_admin, request, object_id):
    mandate = get_object_or_404(
        Mandate.objects.select_related("resolution", "parent"), pk=object_id
    )
    user = request.user
    if not user.has_perm("mandates.add_progressrecord"):
        raise PermissionDenied
    paragraphs = subtree(mandate)
    ids = [p.pk for p in paragraphs]
    scope = scoped_mandate_ids(user)
    allowed = set(ids)
    if scope is not None:
        in_scope = Mandate.objects.filter(pk__in=ids).filter(pk__in=scope)
        allowed = set(in_scope.values_list("pk", flat=True))
        if not allowed:
            raise PermissionDenied
    as_of = today()
    deadlines = (
        Deadline.objects.filter(mandate__in=allowed)
        .with_state(as_of)
        .select_related("mandate")
        .order_by("mandate__order", "mandate_id", "order", "due", "pk")
    )
    shown_deadlines = list(
        Deadline.objects.filter(mandate__in=ids)
        .with_state(as_of)
        .select_related("mandate")
        .order_by("mandate__order", "mandate_id", "order", "due", "pk")
    )
    own_deadline = any(d.mandate_id == mandate.pk for d in shown_deadlines)
    # "Carried out" is for a paragraph with no deadline and no sub-paragraphs (one that has
    # them is met when they all are).
    may_complete = not own_deadline and len(paragraphs) == 1 and mandate.pk in allowed
    form_kwargs = {"mandate": mandate, "deadlines": deadlines, "may_complete": may_complete}
    if request.method == "POST":
        form = RecordProgressForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid() and form.instance.mandate_id not in allowed:
            form.add_error(
                "fulfils",
                _(
                    "You may record progress only for your organs' paragraphs: tick one of "
                    "their deadlines."
                ),
            )
        if form.is_valid():
            before = {p.pk: p.status for p in paragraphs}
            record = form.save(user)
            messages.success(request, outcome(record, before, as_of))
            url = reverse(
                f"{model_admin.admin_site.name}:mandates_mandate_record_progress",
                args=[mandate.pk],
            )
            return HttpResponseRedirect(url)
    else:
        form = RecordProgressForm(**form_kwargs)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Mandate._meta,
        "title": _("Record progress: %(mandate)s") % {"mandate": str(mandate)},
        "mandate": mandate,
        "paragraphs": paragraphs,
        "deadlines": shown_deadlines,
        "form": form,
        "as_of": as_of,
        "change_url": reverse(
            f"{model_admin.admin_site.name}:mandates_mandate_change", args=[mandate.pk]
        ),
    }
    return TemplateResponse(request, "admin/mandates/mandate/record_progress.html", context)


def get_record_progress_urls(model_admin: admin.ModelAdmin):
    def view(request, object_id):
        return record_progress_view(model_admin, request, object_id)

    return [
        path(
            "<int:object_id>/record-progress/",
            model_admin.admin_site.admin_view(view),
            name="mandates_mandate_record_progress",
        )
    ]
