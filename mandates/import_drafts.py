"""The import review of a long resolution: a draft kept on the server, reviewed in pages.

A resolution of several hundred paragraphs does not fit in one form (Django refuses more than
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1,000 fields, and formsets stop at 1,000 forms). So the parse is
stored as a draft in the reviewer's session and shown PAGE_SIZE paragraphs at a time. Every
submit (next page, previous page, save) first writes that page's entries into the draft, valid
or not, so no correction is ever lost; saving validates the whole draft and, if something is
wrong on another page, opens that page with its errors.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

PAGE_SIZE = 50
MAX_PARAGRAPHS = 5000
SESSION_KEY = "mandates_import_drafts"
KEPT_DRAFTS = 3  # per session: older reviews are dropped
ROW_FIELDS = ("label", "text", "organs", "line")  # plus "deadlines" (rows) and "kind"


def create(request, resolution: dict, rows: list[dict], text: str, warnings) -> str:
    drafts = request.session.get(SESSION_KEY, {})
    while len(drafts) >= KEPT_DRAFTS:
        drafts.pop(next(iter(drafts)))
    draft_id = uuid.uuid4().hex
    drafts[draft_id] = {
        "resolution": {k: _plain(v) for k, v in resolution.items() if k != "source_text"},
        "rows": [
            {
                **{k: _plain(row.get(k)) for k in ROW_FIELDS},
                "deadlines": [dict(d) for d in row.get("deadlines") or []],
                "kind": row.get("kind"),
                "DELETE": False,
            }
            for row in rows
        ],
        "text": text,
        "warnings": [{"line": w.line, "message": str(w.message)} for w in warnings],
    }
    request.session[SESSION_KEY] = drafts
    return draft_id


def load(request, draft_id: str) -> dict | None:
    return request.session.get(SESSION_KEY, {}).get(draft_id)


def store(request, draft_id: str, draft: dict) -> None:
    drafts = request.session.get(SESSION_KEY, {})
    drafts[draft_id] = draft
    request.session[SESSION_KEY] = drafts
    request.session.modified = True


def discard(request, draft_id: str) -> None:
    drafts = request.session.get(SESSION_KEY, {})
    drafts.pop(draft_id, None)
    request.session[SESSION_KEY] = drafts


def _plain(value):
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def page_count(draft: dict) -> int:
    return max(1, -(-len(draft["rows"]) // PAGE_SIZE))


def clamp_page(draft: dict, value) -> int:
    try:
        page = int(value)
    except (TypeError, ValueError):
        page = 0
    return min(max(page, 0), page_count(draft) - 1)


def merge_page(draft: dict, start: int, count: int, formset: forms.BaseFormSet) -> None:
    """Write the entries of the rows shown (draft rows start..start+count), as typed, valid or
    not, into the draft; a row filled in the page's blank form goes after them."""
    posted, added = [], []
    initial = formset.initial_form_count()
    for index, form in enumerate(formset.forms):
        row = {name: _raw(form, name) for name in ROW_FIELDS}
        row["deadlines"] = form.raw_deadlines()
        row["kind"] = _raw(form, "kind") if "kind" in form.fields else None
        row["DELETE"] = bool(form["DELETE"].value()) if "DELETE" in form.fields else False
        if index < initial:
            posted.append(row)
        elif row["label"].strip() or row["text"].strip():
            added.append(row)
    draft["rows"][start : start + count] = posted + added


def bounds(draft: dict, page: int) -> tuple[int, int]:
    """(start, count) of the draft rows shown on a page."""
    start = page * PAGE_SIZE
    return start, len(draft["rows"][start : start + PAGE_SIZE])


def keep_new_sessions(draft: dict, data) -> None:
    """What was typed in the forms of missing sessions, kept across pages."""
    kept = draft.setdefault("new_sessions", {})
    fields = ("organization", "kind", "ordinal", "place", "start_date", "end_date", "create")
    for name in data:
        if name.startswith("newsession-") and name.endswith("-ordinal"):
            prefix = name[: -len("-ordinal")]
            kept[prefix[len("newsession-") :]] = {f: data.get(f"{prefix}-{f}", "") for f in fields}


def add_deadline_row(draft: dict, start: int, value) -> None:
    """ "Add a deadline" under paragraph ``value`` (its index on the page): a blank row."""
    try:
        index = start + int(value)
    except (TypeError, ValueError):
        return
    if 0 <= index < len(draft["rows"]):
        blank = {"precision": "day", "date": "", "session": "", "wording": "", "recurrence": ""}
        draft["rows"][index].setdefault("deadlines", []).append(blank)


def _raw(form, name):
    value = form[name].value()
    return "" if value is None else str(value)


def formset_data(rows: list[dict], blank: int = 0) -> dict:
    """Rows as the POST data of a formset (prefix "form"), every row an initial form, plus
    ``blank`` empty extra forms."""
    data = {
        "form-TOTAL_FORMS": str(len(rows) + blank),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": str(MAX_PARAGRAPHS),
    }
    for index, row in enumerate(rows):
        for name in ROW_FIELDS:
            value = row.get(name)
            data[f"form-{index}-{name}"] = "" if value is None else str(value)
        if row.get("kind") is not None:
            data[f"form-{index}-kind"] = row["kind"]
        deadlines = row.get("deadlines") or []
        data[f"form-{index}-deadline_count"] = str(len(deadlines))
        for number, deadline in enumerate(deadlines):
            for name, value in deadline.items():
                data[f"form-{index}-dl-{number}-{name}"] = "" if value is None else str(value)
        if row.get("DELETE"):
            data[f"form-{index}-DELETE"] = "on"
    return data


def first_page_with_errors(formset: forms.BaseFormSet, default: int) -> int:
    for index, errors in enumerate(formset.errors):
        if errors:
            return index // PAGE_SIZE
    return default


class PagedReviewMixin:
    """The paged review, for ``admin_import.ImportView`` (which supplies the forms, the
    rendering and ``commit``)."""

    def page_formset(self, draft: dict, page: int, bound: bool):
        from .admin_import_forms import ParagraphFormSet

        start, count = bounds(draft, page)
        rows = draft["rows"][start : start + count]
        kwargs = {"form_kwargs": self.paragraph_kwargs(draft["resolution"])}
        if bound:  # to show the errors of entries already in the draft
            return ParagraphFormSet(formset_data(rows, blank=1), **kwargs)
        return ParagraphFormSet(initial=rows, **kwargs)

    def render_page(
        self, request, draft_id, draft, page, resolution_form, formset=None, errors=(), **extra
    ):
        formset = formset or self.page_formset(draft, page, bound=False)
        start, count = bounds(draft, page)
        pages = page_count(draft)
        paging = {
            "draft": draft_id,
            "page": page,
            "start": start,
            "count": count,
            "pages": pages,
            "page_number": page + 1,
            "first_row": start + 1,
            "last_row": start + count,
            "total_rows": len(draft["rows"]),
            "page_numbers": range(pages),
            "errors": list(errors),
        }
        return self.render_review(
            request,
            resolution_form,
            formset,
            draft["text"],
            draft["warnings"],
            paging=paging,
            rows=draft["rows"],
            **extra,
        )

    def create_session_now(self, request, draft_id, draft, page, resolution_form):
        """ "Create this session now" (on its own, before saving), or "Add a deadline" without
        script: the same page again, with the session created or the new row."""
        from .admin_import_forms import ResolutionForm

        unbound = ResolutionForm(initial={**draft["resolution"], "source_text": draft["text"]})
        key = request.POST.get("create_session")
        if key:
            forms_ = self.session_forms(request, resolution_form, None, draft["rows"], bound=True)
            chosen = next((f for f in forms_ if f.session_key == key), None)
            if chosen is not None and chosen.is_valid():
                session = chosen.save()
                draft.get("new_sessions", {}).pop(key, None)
                store(request, draft_id, draft)
                messages.success(request, _("%(session)s was added.") % {"session": session})
            elif chosen is not None:
                return self.render_page(
                    request, draft_id, draft, page, unbound, session_forms=forms_
                )
        return self.render_page(request, draft_id, draft, page, unbound)

    def paged(self, request):
        from .admin_import import URL_NAME
        from .admin_import_forms import DraftFormSet, ParagraphFormSet, ResolutionForm

        draft_id = request.POST.get("draft", "")
        draft = load(request, draft_id)
        if draft is None:
            messages.error(
                request,
                _(
                    "This review is no longer available (the session ended, or newer imports "
                    "replaced it). Paste or upload the text again."
                ),
            )
            return redirect(reverse(f"{self.site.name}:{URL_NAME}"))
        page = clamp_page(draft, request.POST.get("page"))
        start, count = bounds(draft, page)
        posted = ParagraphFormSet(request.POST, form_kwargs=self.paragraph_kwargs(request.POST))
        # First of all, keep what the reviewer typed on this page, valid or not.
        merge_page(draft, start, count, posted)
        resolution_form = ResolutionForm(request.POST)
        draft["resolution"] = {
            name: request.POST.get(name, "")
            for name in ResolutionForm.base_fields
            if name != "source_text"
        }
        draft["resolution"]["replace"] = bool(request.POST.get("replace"))
        keep_new_sessions(draft, request.POST)
        add_deadline_row(draft, start, request.POST.get("add_deadline"))
        store(request, draft_id, draft)

        if "create_session" in request.POST or "add_deadline" in request.POST:
            return self.create_session_now(request, draft_id, draft, page, resolution_form)

        if "goto" in request.POST:
            shown = self.page_formset(draft, page, bound=True)
            if any(shown.errors):
                return self.render_page(request, draft_id, draft, page, resolution_form, shown)
            target = clamp_page(draft, request.POST.get("goto"))
            unbound = ResolutionForm(initial={**draft["resolution"], "source_text": draft["text"]})
            return self.render_page(request, draft_id, draft, target, unbound)

        full = DraftFormSet(
            formset_data(draft["rows"]),
            form_kwargs=self.paragraph_kwargs(request.POST),
        )
        if not (resolution_form.is_valid() and full.is_valid()):
            target = first_page_with_errors(full, default=page)
            shown = self.page_formset(draft, target, bound=True)
            return self.render_page(
                request, draft_id, draft, target, resolution_form, shown, full.non_form_errors()
            )

        def again(form, **extra):
            shown = self.page_formset(draft, page, bound=True)
            return self.render_page(request, draft_id, draft, page, form, shown, **extra)

        response = self.commit(request, resolution_form, full.tree(), again)
        if response.status_code == 302:
            discard(request, draft_id)
        return response
