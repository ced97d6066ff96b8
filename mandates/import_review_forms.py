"""The import review's small forms: one per deadline, and one per session the text names that
the directory lacks.

A paragraph's deadlines are rows of their own (``form-3-dl-0-date`` …, their number in
``form-3-deadline_count``), not lines of text: a date with its precision (a day, a month or a
year, stored as the period's last day, as the importer reads "by June 2008"), or a regular
session chosen from a select; the wording; a recurrence rule for a recurring deadline. Each
cleaned row is a deadline dict of the importer's JSON shape (``due_on``, ``session``,
``wording``, ``recurrence``), so the save path is the importer's.
"""

from __future__ import annotations

import calendar
import datetime
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Organization, Session, from_roman

DEADLINE_FIELDS = ("precision", "date", "session", "wording", "recurrence")
_DATE_FORMS = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "year": re.compile(r"^\d{4}$"),
}
_SPECIAL_SYMBOL = re.compile(r"\(\s*([IVXLCDM]+)\s*-\s*E\s*/\s*\d+\s*\)", re.IGNORECASE)


def session_choices(organization) -> list[tuple[str, str]]:
    """The regular sessions of the organization (a code or an Organization), for the select."""
    sessions = Session.objects.filter(kind=Session.Kind.REGULAR).select_related("organization")
    if organization:
        code = organization.code if isinstance(organization, Organization) else organization
        sessions = sessions.filter(organization__code=code)
    return [(str(s.ordinal), f"{s.ordinal} — {s}") for s in sessions.order_by("ordinal")]


def special_session_from_symbol(symbol: str) -> int | None:
    """ "AG/RES. 1 (XLI-E/11)" -> 41: the special session a resolution was adopted at."""
    match = _SPECIAL_SYMBOL.search(symbol or "")
    return from_roman(match.group(1).upper()) if match else None


class DeadlineForm(forms.Form):
    """One deadline of a paragraph."""

    precision = forms.ChoiceField(
        label=gettext_lazy("Falls due"),
        choices=[
            ("day", gettext_lazy("on a day")),
            ("month", gettext_lazy("in a month")),
            ("year", gettext_lazy("in a year")),
            ("session", gettext_lazy("at a regular session")),
        ],
    )
    date = forms.CharField(
        label=gettext_lazy("Date"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("YYYY-MM-DD, YYYY-MM for a month, YYYY for a year."),
        widget=forms.TextInput(attrs={"size": 10, "inputmode": "numeric"}),
    )
    session = forms.ChoiceField(label=gettext_lazy("Session"), required=False)
    wording = forms.CharField(
        label=gettext_lazy("Wording"), required=False, max_length=300, strip=True
    )
    recurrence = forms.CharField(
        label=gettext_lazy("Recurrence rule"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Only for a recurring deadline, in iCalendar form: FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=31."
        ),
    )
    DELETE = forms.BooleanField(label=gettext_lazy("Remove"), required=False)

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + list(sessions)
        current = str(self["session"].value() or "")
        if current and current not in {value for value, _label in choices}:
            # A session the directory lacks (offered for creation beside the paragraph).
            label = _("%(n)s — not in the directory yet") % {"n": current}
            choices.append((current, label))
        self.fields["session"].choices = choices

    @classmethod
    def initial_from(cls, deadline: dict) -> dict:
        """A deadline of the importer's JSON shape as the row's initial values."""
        session = deadline.get("session")
        return {
            "precision": "session" if session else "day",
            "date": "" if session else deadline.get("due_on") or "",
            "session": str(session) if session else "",
            "wording": deadline.get("wording") or "",
            "recurrence": deadline.get("recurrence") or "",
        }

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not (data.get("wording") or data.get("date") or data.get("session"))

    def clean(self):
        data = super().clean()
        if data.get("DELETE") or self.is_blank():
            return data
        precision = data.get("precision")
        date, session = data.get("date", "").strip(), data.get("session")
        if not data.get("wording"):
            self.add_error("wording", _("Write the deadline as the text says it."))
        if precision == "session":
            if not session:
                self.add_error("session", _("Choose the session."))
            if date:
                self.add_error("date", _("A deadline at a session takes its opening date."))
            return data
        try:
            data["due_on"] = due_date(precision, date)
        except ValueError as exc:
            self.add_error("date", str(exc))
        if session:
            self.add_error("session", _("Choose “at a regular session” to anchor it to one."))
        return data

    def deadline(self) -> dict:
        """The importer's JSON shape of a valid, kept row."""
        data = self.cleaned_data
        item = {
            "due_on": data["due_on"].isoformat() if data.get("due_on") else None,
            "session": int(data["session"]) if data["precision"] == "session" else None,
            "wording": data["wording"],
        }
        if data.get("recurrence"):
            item["recurrence"] = data["recurrence"]
        return item


def due_date(precision: str, value: str) -> datetime.date:
    """The due date of a typed date: the day itself, or the last day of the month or year."""
    examples = {"day": "2008-06-01", "month": "2008-06", "year": "2008"}
    pattern = _DATE_FORMS.get(precision)
    if not value:
        raise ValueError(_("Give the date."))
    if pattern is None or not pattern.match(value):
        raise ValueError(
            _("“%(value)s” is not a date of this form: %(example)s.")
            % {"value": value, "example": examples.get(precision, "2008-06-01")}
        )
    try:
        if precision == "day":
            return datetime.date.fromisoformat(value)
        if precision == "month":
            year, month = (int(part) for part in value.split("-"))
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
        return datetime.date(int(value), 12, 31)
    except ValueError as exc:
        raise ValueError(_("“%(value)s” is not a real date.") % {"value": value}) from exc


class NewSessionForm(forms.Form):
    """A session the text names and the directory lacks, created in the review."""

    organization = forms.ModelChoiceField(
        label=gettext_lazy("organization"),
        queryset=Organization.objects.all(),
        to_field_name="code",
    )
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=Session.Kind.choices)
    ordinal = forms.IntegerField(label=gettext_lazy("number"), min_value=1, max_value=32767)
    place = forms.CharField(label=gettext_lazy("place"), required=False, max_length=200)
    start_date = forms.DateField(
        label=gettext_lazy("opening date"),
        required=False,
        help_text=gettext_lazy("YYYY-MM-DD; leave empty if unknown: its deadlines stay pending."),
    )
    end_date = forms.DateField(label=gettext_lazy("closing date"), required=False)
    create = forms.BooleanField(label=gettext_lazy("Create it with the resolution"), required=False)

    @staticmethod
    def key(kind: str, ordinal: int) -> str:
        return f"{kind}-{ordinal}"

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The session cannot close before it opens."))
        kind, ordinal, owner = data.get("kind"), data.get("ordinal"), data.get("organization")
        if kind and ordinal and owner:
            if Session.objects.filter(organization=owner, kind=kind, ordinal=ordinal).exists():
                self.add_error("ordinal", _("This session is in the directory already."))
        return data

    def save(self) -> Session:
        data = self.cleaned_data
        return Session.objects.create(
            organization=data["organization"],
            kind=data["kind"],
            ordinal=data["ordinal"],
            place=data["place"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        )
