"""Admin page "Import from text": paste or upload a resolution, review the parse, save.

Three steps on one URL: the source form; the review page (source on the left, the proposed
paragraphs, organs and deadlines on the right, every value editable); the save, in one
transaction. Hooked into ``ResolutionAdmin.get_urls`` through ``get_import_urls``.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import formset_factory
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import import_drafts
from .evidence import propose_from, rematch
from .importer import ImportFailed, parse_text, read_bytes
from .importer.saving import import_text
from .loading import LoadError, replace_instrument, save_instrument
from .models import Mandate, Organ, Organization, Resolution, Session

URL_NAME = "mandates_resolution_import"
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
        label=gettext_lazy("regular session"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("The General Assembly regular session's number, e.g. 37."),
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
    create_sessions = forms.BooleanField(
        label=gettext_lazy("Create the missing regular sessions"),
        required=False,
        help_text=gettext_lazy(
            "For sessions the text names that are not in the directory yet (listed above): "
            "their opening date and place can be added later in the admin; until then their "
            "deadlines are pending, never overdue."
        ),
    )
    source_text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)


def session_ordinals(session, paragraphs) -> set[int]:
    """The regular sessions a review names: the resolution's own and its deadlines'."""
    ordinals = {int(session)} if session not in (None, "") else set()
    stack = list(paragraphs)
    while stack:
        item = stack.pop()
        deadlines = item.get("deadlines") or []
        if isinstance(deadlines, str):
            try:
                deadlines = parse_deadline_lines(deadlines)
            except ValidationError:
                deadlines = []
        ordinals.update(int(d["session"]) for d in deadlines if d.get("session"))
        stack.extend(item.get("children", []))
    return ordinals


def missing_sessions(organization, ordinals) -> list[int]:
    """Those of `ordinals` that the organization's directory of regular sessions lacks (the
    same lookup as the loader's, ``loading.regular_session``)."""
    if not ordinals:
        return []
    if organization is not None and not isinstance(organization, Organization):
        organization = Organization.objects.filter(code=organization).first()
    sessions = Session.objects.filter(kind=Session.Kind.REGULAR, ordinal__in=ordinals)
    if organization is not None:
        sessions = sessions.filter(organization=organization)
    return sorted(set(ordinals) - set(sessions.values_list("ordinal", flat=True)))


def review_missing_sessions(resolution_form, formset) -> list[int]:
    """Missing sessions as the review shows them, before any save is tried."""
    if resolution_form.is_bound:
        organization = resolution_form.data.get(resolution_form.add_prefix("organization"))
        session = resolution_form.data.get(resolution_form.add_prefix("session"))
    else:
        organization = resolution_form.initial.get("organization")
        session = resolution_form.initial.get("session")
    rows = []
    for form in formset.forms:
        if form.is_bound:
            rows.append({"deadlines": form.data.get(form.add_prefix("deadlines"), "")})
        else:
            rows.append({"deadlines": form.initial.get("deadlines", "")})
    try:
        ordinals = session_ordinals(session, rows)
    except (TypeError, ValueError):
        return []
    return missing_sessions(organization, ordinals)


class ParagraphForm(forms.Form):
    """One paragraph or sub-paragraph; a sub-paragraph's label names its parent (20.a)."""

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
    kind = forms.ChoiceField(
        label=gettext_lazy("kind of paragraph"),
        choices=Mandate.Kind.choices,
        required=False,
        help_text=gettext_lazy("Proposed from the operative verb and its addressee."),
    )
    deadlines = forms.CharField(
        label=gettext_lazy("deadlines"),
        required=False,
        help_text=gettext_lazy(
            "One per line: YYYY-MM-DD | session number | wording (leave the date or the "
            "session empty)."
        ),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    line = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, known_organs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.known_organs = set(known_organs)

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

    def clean_deadlines(self):
        return parse_deadline_lines(self.cleaned_data["deadlines"])


def parse_deadline_lines(value: str) -> list[dict]:
    """ "2008-06-01 | 38 | prior to the thirty-eighth regular session" -> deadline dicts."""
    deadlines = []
    for number, line in enumerate(value.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|", 2)]
        if len(parts) != 3 or not parts[2]:
            raise ValidationError(
                _("Deadline line %(n)d: write “YYYY-MM-DD | session | wording”.") % {"n": number}
            )
        due, session, wording = parts
        try:
            due_on = datetime.date.fromisoformat(due).isoformat() if due else None
        except ValueError as exc:
            raise ValidationError(
                _("Deadline line %(n)d: “%(value)s” is not a date in YYYY-MM-DD form.")
                % {"n": number, "value": due}
            ) from exc
        if session and not session.isdigit():
            raise ValidationError(
                _("Deadline line %(n)d: the session is a number, e.g. 38.") % {"n": number}
            )
        if not due_on and not session:
            raise ValidationError(
                _("Deadline line %(n)d: give a date or a session.") % {"n": number}
            )
        deadlines.append(
            {"due_on": due_on, "session": int(session) if session else None, "wording": wording}
        )
    return deadlines


def deadline_lines(deadlines: list[dict]) -> str:
    return "\n".join(
        f"{d.get('due_on') or ''} | {d.get('session') or ''} | {d['wording']}" for d in deadlines
    )


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


def _flatten(paragraphs, lines):
    for item in paragraphs:
        yield {
            "label": item["label"],
            "text": item["text"],
            "kind": item.get("kind") or Mandate.Kind.INSTRUCTS,
            "organs": ", ".join(item["organs"]),
            "deadlines": deadline_lines(item["deadlines"]),
            "line": lines.get(item["label"]),
        }
        yield from _flatten(item.get("children", []), lines)


class ImportView(import_drafts.PagedReviewMixin):
    """The view, bound to an admin site (for its context, login and URL namespace)."""

    template_source = "admin/mandates/import_source.html"
    template_review = "admin/mandates/import_review.html"
    template_batch = "admin/mandates/import_batch.html"

    def __init__(self, admin_site):
        self.site = admin_site

    def __call__(self, request):
        if not request.user.has_perm("mandates.add_resolution"):
            raise PermissionDenied
        if request.method == "POST" and "draft" in request.POST:
            return self.paged(request)  # the review in pages (mandates/import_drafts.py)
        if request.method == "POST" and request.POST.get("step") == "save":
            return self.save(request)
        if request.method == "POST" and request.POST.get("step") == "save_batch":
            return self.save_batch(request)
        if request.method == "POST":
            form = SourceForm(request.POST, request.FILES)
            if form.is_valid() and form.cleaned_data.get("batch"):
                return self.review_batch(request, form.cleaned_data["batch"])
            if form.is_valid():
                return self.review(request, form.cleaned_data)
        else:
            form = SourceForm()
        return TemplateResponse(request, self.template_source, self.context(request, form=form))

    def context(self, request, **extra):
        return {
            **self.site.each_context(request),
            "opts": Resolution._meta,
            "title": _("Import a resolution from its text"),
            "import_url": reverse(f"{self.site.name}:{URL_NAME}"),
            **extra,
        }

    def known_organs(self):
        return list(Organ.objects.values_list("acronym", flat=True))

    def review(self, request, cleaned):
        text = cleaned["source_text"]
        try:
            # The organs and sessions of the text's own organization (from the database).
            result = parse_text(text)
        except ImportFailed as exc:
            # Bound, so that the error shows; an uploaded file comes back as its text.
            form = SourceForm({"text": text})
            form.is_valid()
            form.add_error(None, str(exc))
            return TemplateResponse(
                request,
                self.template_source,
                self.context(request, form=form, error_line=exc.line),
            )
        resolution_form = ResolutionForm(
            initial={
                "organization": result.organization,
                "kind": result.kind,
                "symbol": result["symbol"],
                "title": result["title"],
                "adopted_on": result["adopted_on"],
                "session": result.session,
                "adoption_note": result.adoption_note,
                "preamble": result.preamble,
                "source": cleaned.get("source_name", ""),
                "source_text": text,
                "replace": False,
            }
        )
        rows = list(_flatten(result["paragraphs"], result.lines))
        if len(rows) > import_drafts.MAX_PARAGRAPHS:
            form = SourceForm({"text": text})
            form.is_valid()
            form.add_error(
                None,
                _("This text has %(count)d paragraphs; at most %(limit)d can be imported at once.")
                % {"count": len(rows), "limit": import_drafts.MAX_PARAGRAPHS},
            )
            return TemplateResponse(request, self.template_source, self.context(request, form=form))
        draft_id = import_drafts.create(
            request, resolution_form.initial, rows, text, result.warnings
        )
        draft = import_drafts.load(request, draft_id)
        return self.render_page(request, draft_id, draft, 0, resolution_form)

    def render_review(self, request, resolution_form, formset, text, warnings=(), paging=None):
        exists = False
        if resolution_form.is_bound and resolution_form.is_valid():
            symbol = resolution_form.cleaned_data["symbol"]
        else:
            symbol = resolution_form.initial.get("symbol") or resolution_form.data.get("symbol")
        if symbol:
            from .models import normalize_symbol

            exists = Resolution.objects.filter(symbol=normalize_symbol(symbol)).exists()
        source_lines = list(enumerate((text or "").replace("\r\n", "\n").split("\n"), start=1))
        # Each warning next to its paragraph (a stored draft keeps them as plain dicts).
        warnings = [w if hasattr(w, "line") else SimpleNamespace(**w) for w in warnings]
        attach_warnings(formset, warnings)
        missing = review_missing_sessions(resolution_form, formset)
        return TemplateResponse(
            request,
            self.template_review,
            self.context(
                request,
                resolution_form=resolution_form,
                formset=formset,
                warnings=warnings,
                source_lines=source_lines,
                exists=exists,
                organ_acronyms=self.known_organs(),
                paging=paging,
                missing_sessions=missing,
            ),
        )

    def save(self, request):
        """A review posted whole (pages of this version always carry a draft)."""
        resolution_form = ResolutionForm(request.POST)
        formset = ParagraphFormSet(request.POST, form_kwargs={"known_organs": self.known_organs()})
        text = request.POST.get("source_text", "")
        if not (resolution_form.is_valid() and formset.is_valid()):
            return self.render_review(request, resolution_form, formset, text)
        return self.commit(
            request,
            resolution_form,
            formset.tree(),
            lambda form: self.render_review(request, form, formset, text),
        )

    def commit(self, request, resolution_form, paragraphs, again):
        """Save a valid review; ``again(resolution_form)`` re-shows it with an error."""
        data = dict(resolution_form.cleaned_data)
        replace = data.pop("replace")
        create_sessions = data.pop("create_sessions", False)
        data.pop("source_text")
        data["adopted_on"] = data["adopted_on"].isoformat()
        data["organization"] = data["organization"].code
        data["paragraphs"] = paragraphs
        from .models import normalize_symbol

        exists = Resolution.objects.filter(symbol=normalize_symbol(data["symbol"])).exists()
        if exists and not replace:
            resolution_form.add_error(
                "replace",
                _(
                    "%(symbol)s is already in the database. Tick “Replace the resolution if it "
                    "exists” to update it."
                )
                % {"symbol": normalize_symbol(data["symbol"])},
            )
            return again(resolution_form)
        if exists and not request.user.has_perm("mandates.change_resolution"):
            raise PermissionDenied
        organization = resolution_form.cleaned_data["organization"]
        missing = missing_sessions(organization, session_ordinals(data["session"], paragraphs))
        if missing and not create_sessions:
            resolution_form.add_error(
                "create_sessions",
                _(
                    "The directory has no regular session %(numbers)s. Tick “Create the "
                    "missing regular sessions”, or correct the numbers."
                )
                % {"numbers": ", ".join(str(n) for n in missing)},
            )
            return again(resolution_form)
        try:
            with transaction.atomic():
                for ordinal in missing:  # ticked: created with the resolution, or not at all
                    Session.objects.create(
                        organization=organization, ordinal=ordinal, kind=Session.Kind.REGULAR
                    )
                if exists:
                    report = replace_instrument(data)
                    resolution = report.resolution
                else:
                    resolution = save_instrument(data)
                    report = None
                # Its preamble's evidence for earlier resolutions, for review (issue 16).
                proposals = propose_from(resolution)
                rematch(resolution)
        except LoadError as exc:
            resolution_form.add_error(None, str(exc))
            return again(resolution_form)
        self.report(request, resolution, report)
        if proposals:
            messages.info(
                request,
                _("%(n)d evidence proposals for earlier resolutions await review.")
                % {"n": len(proposals)},
            )
        try:
            url = reverse(f"{self.site.name}:mandates_resolution_change", args=[resolution.pk])
        except NoReverseMatch:
            url = reverse(f"{self.site.name}:{URL_NAME}")
        return redirect(url)

    def report(self, request, resolution, report) -> None:
        if report is None:
            messages.success(
                request,
                _("%(symbol)s was imported with %(count)d paragraphs.")
                % {"symbol": resolution.symbol, "count": resolution.mandates.count()},
            )
            return
        messages.success(
            request,
            _(
                "%(symbol)s was replaced: %(kept)d paragraphs unchanged, %(updated)d with new "
                "organs or deadlines, %(added)d added or rewritten, %(removed)d removed."
            )
            % {
                "symbol": resolution.symbol,
                "kept": len(report.kept),
                "updated": len(report.updated),
                "added": len(report.added),
                "removed": len(report.removed),
            },
        )
        for warning in report.warnings:
            messages.warning(request, warning)

    def review_batch(self, request, batch):
        """Several files: each parsed (nothing saved), and the summary the command prints."""
        outcomes = [import_text(text, name, dry_run=True) for name, text in batch]
        return TemplateResponse(
            request,
            self.template_batch,
            self.context(
                request,
                outcomes=outcomes,
                # Only what can be imported is sent back; a refused file is named, not kept.
                batch=[
                    (name, text)
                    for (name, text), outcome in zip(batch, outcomes, strict=True)
                    if not outcome.refused
                ],
                refused=sum(1 for o in outcomes if o.refused),
            ),
        )

    def save_batch(self, request):
        names = request.POST.getlist("batch_name")
        texts = request.POST.getlist("batch_text")
        replace = request.POST.get("replace") == "on"
        if replace and not request.user.has_perm("mandates.change_resolution"):
            raise PermissionDenied
        outcomes = [
            import_text(text, name, replace=replace)
            for name, text in zip(names, texts, strict=False)
        ]
        imported = [o for o in outcomes if not o.refused]
        messages.success(
            request,
            _("%(imported)d imported, %(refused)d refused.")
            % {"imported": len(imported), "refused": len(outcomes) - len(imported)},
        )
        for outcome in outcomes:
            level = messages.error if outcome.refused else messages.info
            level(request, f"{outcome.file}: {outcome.message}")
        # Back to the import page, where the messages show and the next batch can start.
        return redirect(reverse(f"{self.site.name}:{URL_NAME}"))


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


def get_import_urls(admin_site=None) -> list:
    """URL patterns to put before ``ResolutionAdmin``'s own (its ``<path:object_id>/`` would
    catch "import/"): ``return get_import_urls(self.admin_site) + super().get_urls()``."""
    site = admin_site or admin.site
    return [path("import/", site.admin_view(ImportView(site)), name=URL_NAME)]
