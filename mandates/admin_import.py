"""Admin page "Import from text": paste or upload a resolution, review the parse, save.

Three steps on one URL: the source form; the review page (source on the left, the proposed
paragraphs, organs and deadlines on the right, every value editable); the save, in one
transaction. Hooked into ``ResolutionAdmin.get_urls`` through ``get_import_urls``.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _

from . import import_drafts
from .admin_import_forms import (
    ParagraphFormSet,
    ResolutionForm,
    SourceForm,
    attach_session_forms,
    attach_warnings,
    flatten_paragraphs,
    missing_sessions,
    named_sessions,
    review_values,
)
from .evidence import propose_from, rematch
from .import_review_forms import (
    NewSessionForm,
    session_choices,
    special_session_from_symbol,
)
from .importer import ImportFailed, parse_text
from .importer.saving import import_text
from .loading import LoadError, replace_instrument, save_instrument
from .models import Organ, Resolution, Session

URL_NAME = "mandates_resolution_import"


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
        return list(Organ.objects.values_list("key", flat=True))

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
        # A special session's resolution ("AG/RES. 1 (XLI-E/11)") names its session in the symbol.
        special = None if result.session else special_session_from_symbol(result["symbol"])
        resolution_form = ResolutionForm(
            initial={
                "organization": result.organization,
                "kind": result.kind,
                "symbol": result["symbol"],
                "title": result["title"],
                "adopted_on": result["adopted_on"],
                "session": result.session or special,
                "session_kind": Session.Kind.SPECIAL if special else Session.Kind.REGULAR,
                "adoption_note": result.adoption_note,
                "preamble": result.preamble,
                "source": cleaned.get("source_name", ""),
                "source_text": text,
                "replace": False,
            }
        )
        rows = list(flatten_paragraphs(result["paragraphs"], result.lines))
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

    def render_review(
        self,
        request,
        resolution_form,
        formset,
        text,
        warnings=(),
        paging=None,
        rows=None,
        session_forms=None,
    ):
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
        if session_forms is None:
            session_forms = self.session_forms(request, resolution_form, formset, rows)
        general = attach_session_forms(formset, session_forms)
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
                missing_sessions=session_forms,
                general_session_forms=general,
            ),
        )

    def session_forms(self, request, resolution_form, formset, rows=None, bound=False):
        """A small form for each session the review names that the directory lacks: bound to
        what was posted when ``bound`` (or typed earlier, kept in the draft), else prefilled."""
        values = review_values(resolution_form)
        if rows is None:
            rows = [{"deadlines": form.raw_deadlines()} for form in formset.forms]
        try:
            named = named_sessions(values["session"], values["session_kind"], rows)
        except (TypeError, ValueError):
            named = set()
        draft = import_drafts.load(request, request.POST.get("draft", "")) or {}
        typed = draft.get("new_sessions", {})
        forms_ = []
        for kind, number in missing_sessions(values["organization"], named):
            key = NewSessionForm.key(kind, number)
            prefix = f"newsession-{key}"
            if bound and f"{prefix}-ordinal" in request.POST:
                form = NewSessionForm(request.POST, prefix=prefix)
            elif key in typed:
                form = NewSessionForm(initial=typed[key], prefix=prefix)
            else:
                initial = {"organization": values["organization"], "kind": kind, "ordinal": number}
                form = NewSessionForm(initial=initial, prefix=prefix)
            form.session_key, form.session_kind, form.number = key, kind, number
            forms_.append(form)
        return forms_

    def save(self, request):
        """A review posted whole (pages of this version always carry a draft)."""
        resolution_form = ResolutionForm(request.POST)
        formset = ParagraphFormSet(request.POST, form_kwargs=self.paragraph_kwargs(request.POST))
        text = request.POST.get("source_text", "")
        if not (resolution_form.is_valid() and formset.is_valid()):
            return self.render_review(request, resolution_form, formset, text)
        return self.commit(
            request,
            resolution_form,
            formset.tree(),
            lambda form, **extra: self.render_review(request, form, formset, text, **extra),
        )

    def paragraph_kwargs(self, values) -> dict:
        """What every paragraph form needs: the organ directory and the session select."""
        organization = values.get("organization") if hasattr(values, "get") else None
        return {"known_organs": self.known_organs(), "sessions": session_choices(organization)}

    def commit(self, request, resolution_form, paragraphs, again):
        """Save a valid review; ``again(resolution_form)`` re-shows it with an error."""
        data = dict(resolution_form.cleaned_data)
        replace = data.pop("replace")
        if not data.get("session"):
            data.pop("session_kind", None)
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
        session_forms = self.session_forms(request, resolution_form, None, paragraphs, bound=True)
        named = named_sessions(data["session"], data.get("session_kind"), paragraphs)
        missing = missing_sessions(organization, named)
        by_key = {form.session_key: form for form in session_forms}
        refused = False
        for kind, number in missing:
            form = by_key.get(NewSessionForm.key(kind, number))
            if form is None:
                continue
            if not form.is_bound or not form.is_valid():
                refused = True
                continue
            if not form.cleaned_data["create"]:
                form.add_error(
                    "create",
                    _(
                        "Not in the directory: tick “Create it with the resolution”, or "
                        "correct the session where the text names it."
                    ),
                )
                refused = True
        if refused:
            return again(resolution_form, session_forms=session_forms)
        try:
            with transaction.atomic():
                for form in session_forms:  # created with the resolution, or not at all
                    if form.is_bound and form.is_valid() and form.cleaned_data["create"]:
                        form.save()
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


def get_import_urls(admin_site=None) -> list:
    """URL patterns to put before ``ResolutionAdmin``'s own (its ``<path:object_id>/`` would
    catch "import/"): ``return get_import_urls(self.admin_site) + super().get_urls()``."""
    site = admin_site or admin.site
    return [path("import/", site.admin_view(ImportView(site)), name=URL_NAME)]
