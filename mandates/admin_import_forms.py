"""The forms of the admin's "Import from text" page (``admin_import``): the source (pasted
text or files), the resolution's header, one form per paragraph with its deadlines and the
sessions they name, and the helpers that attach review data (warnings, new sessions) to them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import import_drafts
from .import_review_forms import (
    DEADLINE_FIELDS,
    DeadlineForm,
    NewSessionForm,
)
from .importer import ImportFailed, read_bytes
from .models import Mandate, Organization, Resolution, Session

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (a whole session's resolutions)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item] or None
        return [single(data, initial)] if data else None


class SourceForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text of the resolution"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100, "class": "vLargeTextField"}),
        help_text=gettext_lazy("Paste the resolution as published, from its symbol to the end."),
    )
    file = MultipleFileField(
        label=gettext_lazy("… or upload files"),
        required=False,
        help_text=gettext_lazy(
            "Plain text (UTF-8), PDFs with a text layer, or .docx files. Several files (a whole "
            "session) are checked together and summarised before anything is saved."
        ),
    )

    def clean(self):
        data = super().clean()
        text, uploads = data.get("text") or "", data.get("file") or []
        if uploads and text.strip():
            raise ValidationError(_("Paste the text or upload a file, not both."))
        if len(uploads) > 1:
            data["batch"] = [(upload.name, self.read_upload(upload)) for upload in uploads]
            return data
        upload = uploads[0] if uploads else None
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(_("The file is larger than 10 MB."))
            try:
                text = read_bytes(upload.read(), upload.name)
            except ImportFailed as exc:
                raise ValidationError(str(exc)) from exc
        if not text.strip():
            raise ValidationError(_("Paste the text of the resolution or upload a file."))
        data["source_text"] = text
        data["source_name"] = upload.name if upload else ""
        return data

    @staticmethod
    def read_upload(upload) -> str | ImportFailed:
        """The text of one file of a batch, or why it cannot be read (shown in the summary)."""
        if upload.size > MAX_UPLOAD_BYTES:
            return ImportFailed(_("The file is larger than 10 MB."))
        try:
            return read_bytes(upload.read(), upload.name)
        except ImportFailed as exc:
            return exc


class ResolutionForm(forms.Form):
    """The resolution's own fields, as parsed, for correction."""

    organization = forms.ModelChoiceField(
        label=gettext_lazy("organization"),
        queryset=Organization.objects.all(),
        to_field_name="code",
        help_text=gettext_lazy("Its organs and sessions are the ones the parse used."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=Resolution.Kind.choices)
    symbol = forms.CharField(label=gettext_lazy("symbol"), max_length=100)
    title = forms.CharField(
        label=gettext_lazy("title"), max_length=500, widget=forms.TextInput(attrs={"size": 80})
    )
    adopted_on = forms.DateField(
        label=gettext_lazy("adopted on"), help_text=gettext_lazy("YYYY-MM-DD")
    )
    session = forms.IntegerField(
        label=gettext_lazy("session"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("The number of the General Assembly session, e.g. 37."),
    )
    session_kind = forms.ChoiceField(
        label=gettext_lazy("kind of session"),
        choices=Session.Kind.choices,
        required=False,
        initial=Session.Kind.REGULAR,
    )
    adoption_note = forms.CharField(
        label=gettext_lazy("adoption note"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"size": 80}),
    )
    preamble = forms.CharField(
        label=gettext_lazy("preamble"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )
    source = forms.CharField(label=gettext_lazy("source"), required=False)
    replace = forms.BooleanField(
        label=gettext_lazy("Replace the resolution if it exists"),
        required=False,
        help_text=gettext_lazy(
            "Unchanged paragraphs keep their progress records; changed ones are rewritten."
        ),
    )
    source_text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)


def named_sessions(session, session_kind, paragraphs) -> set[tuple[str, int]]:
    """The sessions a review names, as (kind, number): the resolution's own and the regular
    sessions its deadlines are anchored to."""
    named = set()
    if session not in (None, ""):
        named.add((session_kind or Session.Kind.REGULAR, int(session)))
    stack = list(paragraphs)
    while stack:
        item = stack.pop()
        for deadline in item.get("deadlines") or []:
            if deadline.get("session") and (
                deadline.get("precision", "session") == "session" or "precision" not in deadline
            ):
                try:
                    named.add((Session.Kind.REGULAR, int(deadline["session"])))
                except (TypeError, ValueError):
                    continue
        stack.extend(item.get("children", []))
    return named


def missing_sessions(organization, named) -> list[tuple[str, int]]:
    """Those of `named` ((kind, number) pairs) that the organization's directory lacks (the
    same lookup as the loader's, ``loading.find_session``)."""
    if not named:
        return []
    if organization is not None and not isinstance(organization, Organization):
        organization = Organization.objects.filter(code=organization).first()
    sessions = Session.objects.filter(ordinal__in={number for _kind, number in named})
    if organization is not None:
        sessions = sessions.filter(organization=organization)
    have = set(sessions.values_list("kind", "ordinal"))
    return sorted(set(named) - have, key=lambda pair: (pair[0] != Session.Kind.REGULAR, pair[1]))


# Another stage of the importer may say what a paragraph does ("kind"); shown when present.
PARAGRAPH_KINDS = [
    ("instructs", gettext_lazy("Instructs an organ")),
    ("calls_on_states", gettext_lazy("Calls on states")),
    ("declaratory", gettext_lazy("Declaratory")),
]


class ParagraphForm(forms.Form):
    """One paragraph or sub-paragraph; a sub-paragraph's label names its parent (20.a). Its
    deadlines are forms of their own (``deadline_forms``)."""

    label = forms.CharField(
        label=gettext_lazy("label"), max_length=20, widget=forms.TextInput(attrs={"size": 6})
    )
    text = forms.CharField(
        label=gettext_lazy("text"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60})
    )
    organs = forms.CharField(
        label=gettext_lazy("organs"),
        required=False,
        help_text=gettext_lazy("Acronyms separated by commas, the lead first."),
        widget=forms.TextInput(attrs={"size": 30}),
    )
    deadline_count = forms.IntegerField(
        required=False, min_value=0, max_value=50, widget=forms.HiddenInput
    )
    line = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, known_organs=(), sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.known_organs = set(known_organs)
        has_kind = (
            self.add_prefix("kind") in self.data
            if self.is_bound
            else self.initial.get("kind") not in (None, "")
        )
        if has_kind:
            self.fields["kind"] = forms.ChoiceField(
                label=gettext_lazy("Kind"), choices=PARAGRAPH_KINDS, required=False
            )
        self.deadline_forms = self._deadline_forms(sessions)

    def _deadline_forms(self, sessions) -> list[DeadlineForm]:
        if self.is_bound:
            try:
                count = int(self.data.get(self.add_prefix("deadline_count")) or 0)
            except (TypeError, ValueError):
                count = 0
            count = min(max(count, 0), 50)
            return [
                DeadlineForm(self.data, prefix=self.add_prefix(f"dl-{i}"), sessions=sessions)
                for i in range(count)
            ]
        rows = self.initial.get("deadlines") or []
        self.initial["deadline_count"] = len(rows)
        return [
            DeadlineForm(
                initial=row if "precision" in row else DeadlineForm.initial_from(row),
                prefix=self.add_prefix(f"dl-{i}"),
                sessions=sessions,
            )
            for i, row in enumerate(rows)
        ]

    def raw_deadlines(self) -> list[dict]:
        """The deadline rows as typed (for the draft), without those marked for removal."""
        rows = []
        for form in self.deadline_forms:
            if form["DELETE"].value():
                continue
            rows.append({name: str(form[name].value() or "") for name in DEADLINE_FIELDS})
        return rows

    def has_changed(self):
        return super().has_changed() or any(f.has_changed() for f in self.deadline_forms)

    def clean_label(self):
        return " ".join(self.cleaned_data["label"].split())

    def clean_organs(self):
        acronyms = [a.strip() for a in self.cleaned_data["organs"].split(",") if a.strip()]
        unknown = [a for a in acronyms if a not in self.known_organs]
        if unknown:
            raise ValidationError(
                _("Not in the organ directory: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return list(dict.fromkeys(acronyms))

    def clean(self):
        data = super().clean()
        if not all(form.is_valid() for form in self.deadline_forms):
            raise ValidationError(_("Correct the deadlines marked below."))
        data["deadlines"] = [
            form.deadline()
            for form in self.deadline_forms
            if not form.cleaned_data.get("DELETE") and not form.is_blank()
        ]
        return data


class BaseParagraphFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.has_changed() and form.empty_permitted or self._should_delete_form(form):
                continue
            label = form.cleaned_data.get("label")
            if label in seen:
                raise ValidationError(_("Label %(label)s is used twice.") % {"label": label})
            seen.add(label)
        if not seen:
            raise ValidationError(_("There is no paragraph to save."))

    def tree(self) -> list[dict]:
        """The kept rows as nested paragraphs: "20.a" goes under "20" when "20" is there."""
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not self._should_delete_form(form)
            and (form.has_changed() or not form.empty_permitted)
        ]
        by_label: dict[str, dict] = {}
        top: list[dict] = []
        for row in rows:
            item = {
                "label": row["label"],
                "text": row["text"],
                "kind": row.get("kind") or Mandate.Kind.INSTRUCTS,
                "organs": row["organs"],
                "deadlines": row["deadlines"],
            }
            if row.get("kind"):
                item["kind"] = row["kind"]
            head = row["label"].rsplit(".", 1)[0] if "." in row["label"] else None
            if head in by_label:
                by_label[head].setdefault("children", []).append(item)
            else:
                top.append(item)
            by_label[row["label"]] = item
        return top


ParagraphFormSet = formset_factory(
    ParagraphForm, formset=BaseParagraphFormSet, extra=1, can_delete=True
)
# The whole draft at once, for the final validation: built on the server, so no field limit.
DraftFormSet = formset_factory(
    ParagraphForm,
    formset=BaseParagraphFormSet,
    extra=0,
    can_delete=True,
    max_num=import_drafts.MAX_PARAGRAPHS,
    absolute_max=import_drafts.MAX_PARAGRAPHS,
)


def flatten_paragraphs(paragraphs, lines):
    for item in paragraphs:
        yield {
            "label": item["label"],
            "text": item["text"],
            "organs": ", ".join(item["organs"]),
            "deadlines": [DeadlineForm.initial_from(d) for d in item.get("deadlines", [])],
            "kind": item.get("kind"),
            "line": lines.get(item["label"]),
        }
        yield from flatten_paragraphs(item.get("children", []), lines)


def review_values(resolution_form) -> dict:
    """Organization, session and kind of session as the review shows them (bound or not)."""
    names = ("organization", "session", "session_kind")
    if resolution_form.is_bound:
        return {n: resolution_form.data.get(resolution_form.add_prefix(n)) for n in names}
    return {n: resolution_form.initial.get(n) for n in names}


def attach_session_forms(formset, session_forms) -> list:
    """Each missing session's form beside the first paragraph of the page that names it
    (``form.new_sessions``; the others name it with a link, ``form.missing_links``); those
    named by no paragraph here (the resolution's own session, or paragraphs on other pages)
    are returned, for the resolution's block."""
    by_key = {form.session_key: form for form in session_forms}
    placed = set()
    for form in formset.forms:
        form.new_sessions, form.missing_links = [], []
        for row in form.raw_deadlines():
            if row.get("precision") != "session" or not row.get("session"):
                continue
            key = NewSessionForm.key(Session.Kind.REGULAR, row["session"])
            if key not in by_key:
                continue
            if key in placed:
                if by_key[key] not in form.missing_links and by_key[key] not in form.new_sessions:
                    form.missing_links.append(by_key[key])
            else:
                placed.add(key)
                form.new_sessions.append(by_key[key])
    return [form for key, form in by_key.items() if key not in placed]


def attach_warnings(formset, warnings) -> None:
    """Each warning next to the paragraph whose source lines hold it (``form.import_warnings``
    for the template); warnings before the first paragraph stay in the list at the top."""
    forms_by_line = sorted(
        ((int(form.initial.get("line") or 0), index) for index, form in enumerate(formset.forms)),
    )
    for form in formset.forms:
        form.import_warnings = []
    for warning in warnings:
        if not warning.line:
            continue
        owner = None
        for line, index in forms_by_line:
            if line and line <= warning.line:
                owner = index
        if owner is not None:
            formset.forms[owner].import_warnings.append(warning.message)
