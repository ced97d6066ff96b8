"""Secretariat data entry. Status columns and filters come from `MandateQuerySet.with_status`.

Trust, on top of Django's model permissions (groups from migration 0002_groups):
- every change is kept by django-simple-history, with who made it (``HistoryAdmin``);
- forms of versioned rows refuse stale saves (``VersionChecked*Mixin``, mandates/concurrency.py);
- organ focal points act only on their organs' mandates (``OrganScopeMixin`` and the
  ``has_*_permission`` methods below, mandates/permissions.py), whatever the path: lists,
  change pages, inlines, autocomplete, bulk actions, direct URLs, history reverts;
- documents are checked by content (``DocumentForm``, mandates/documents.py).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.urls import resolve, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .admin_citations import CitationInline, refresh_for_mandate
from .admin_citations import refresh as refresh_citations
from .admin_guards import DateHierarchyGuardMixin
from .admin_import import get_import_urls
from .admin_progress import get_record_progress_urls
from .admin_translation import get_translation_urls
from .concurrency import VersionCheckedAdminMixin, VersionCheckedForm, VersionCheckedInlineMixin
from .documents import DocumentForm
from .models import (
    Deadline,
    Document,
    Mandate,
    Organ,
    Organization,
    ProgressRecord,
    Resolution,
    Responsibility,
    Session,
    Status,
    today,
)
from .permissions import is_scoped, may_act_on_mandate, scoped_mandate_ids
from .templatetags.tracker import render_status_label


def parent_object_id(request):
    """The primary key of the object whose change page this request is for, if any."""
    match = resolve(request.path_info)
    return match.kwargs.get("object_id")


class HistoryAdmin(DateHierarchyGuardMixin, SimpleHistoryAdmin):
    """simple_history's admin, whose "revert" page must not save for someone who may not
    change the current object (it checks only view permission before saving). Reverting
    rewrites every field, so it needs the model's own change permission too (a focal point
    "changes" a mandate only through its progress inline)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            opts = self.model._meta
            codename = get_permission_codename("change", opts)
            current = self.get_object(request, unquote(object_id))
            if (
                current is None
                or not self.has_change_permission(request, current)
                or not request.user.has_perm(f"{opts.app_label}.{codename}")
            ):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class OrganScopeMixin:
    """Limit an admin to the mandates of the user's organs when he is a focal point.

    ``scope_lookup`` leads from the admin's model to the mandate's primary key. The restricted
    queryset is what lists, change/delete pages, bulk actions, history reverts and (for
    mandates) autocomplete widgets see: anything else is "not found".
    """

    scope_lookup = "pk"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = scoped_mandate_ids(request.user)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.scope_lookup}__in": ids})

    def scope_mandate_id(self, obj):
        return obj.pk

    def in_scope(self, request, obj) -> bool:
        if not is_scoped(request.user):
            return True
        return obj is not None and may_act_on_mandate(request.user, self.scope_mandate_id(obj))


class StatusListFilter(admin.SimpleListFilter):
    title = _("status today")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value() in Status.values:
            return queryset.filter(status=self.value())
        return queryset


class StatusColumnMixin:
    """Annotate the admin's list with today's status, from the one status engine."""

    def get_queryset(self, request):
        return super().get_queryset(request).with_status(today())

    @admin.display(description=_("status today"), ordering="status")
    def status_display(self, obj):
        if obj.status is None:  # not tracked: its kind where its status would be
            return mark_safe(str(render_status_label(None, kind=obj.kind)).strip())  # noqa: S308
        label = Status(obj.status).label
        if obj.status == Status.MET and obj.met_late:
            label = _("Met late")
        return format_html('<span class="status status-{}">{}</span>', obj.status, label)

    @admin.display(description=_("next / missed deadline"))
    def due_display(self, obj):
        if obj.missed_due_on:
            return format_html("{} {}", _("missed"), obj.missed_due_on.strftime("%Y-%m-%d"))
        if obj.next_due_on:
            return obj.next_due_on.strftime("%Y-%m-%d")
        return "—"


# --- Organs and sessions -------------------------------------------------------------------


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["acronym", "code", "name"]
    search_fields = ["acronym", "code", "name", "names"]


@admin.register(Organ)
class OrganAdmin(VersionCheckedAdminMixin, HistoryAdmin):
    list_display = ["acronym", "key", "name", "kind", "parent", "organization"]
    list_filter = ["organization", "kind"]
    search_fields = ["acronym", "name", "aliases", "name_es", "name_fr", "name_pt", "acronym_es"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent", "organization"]


@admin.register(Session)
class SessionAdmin(HistoryAdmin):
    list_display = ["__str__", "organization", "ordinal", "kind", "place", "start_date", "end_date"]
    list_filter = ["organization", "kind"]
    list_select_related = ["organization"]
    search_fields = ["place", "ordinal"]
    ordering = ["-start_date", "-ordinal"]


# --- Resolutions and mandates --------------------------------------------------------------


class MandateInline(VersionCheckedInlineMixin, admin.TabularInline):
    model = Mandate
    fields = ["label", "order", "parent", "text", "kind", "track_status"]
    extra = 0
    show_change_link = True
    formfield_overrides = {
        Mandate._meta.get_field("text").__class__: {
            "widget": forms.Textarea(attrs={"rows": 3, "cols": 70})
        }
    }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            object_id = parent_object_id(request)
            kwargs["queryset"] = (
                Mandate.objects.filter(resolution_id=object_id, parent__isnull=True)
                if object_id
                else Mandate.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Resolution)
class ResolutionAdmin(VersionCheckedAdminMixin, HistoryAdmin):
    list_display = ["symbol", "title", "kind", "adopted_on", "paragraph_count", "public_link"]
    list_filter = ["organization", "kind", "session"]
    search_fields = ["symbol", "title", "preamble"]
    date_hierarchy = "adopted_on"
    autocomplete_fields = ["session"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["organization", "kind", "symbol", "title", "language", "slug"]}),
        (_("Adoption"), {"fields": ["session", "adopted_on", "adoption_note"]}),
        (
            _("Text"),
            {
                "fields": ["preamble", "source", "partial_text", "series"],
                "classes": ["collapse"],
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]
    inlines = [MandateInline, CitationInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The preamble or a paragraph may have changed: what the text cites is read again.
        refresh_citations(form.instance)

    def get_urls(self):
        # Before the admin's own: its "<object_id>/" catch-all would swallow "import/".
        return (
            get_translation_urls(self.admin_site)
            + get_import_urls(self.admin_site)
            + super().get_urls()
        )

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_paragraphs=Count("mandates"))

    @admin.display(description=_("paragraphs"), ordering="n_paragraphs")
    def paragraph_count(self, obj):
        return obj.n_paragraphs

    @admin.display(description=_("public page"))
    def public_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("View"))


class ResponsibilityInline(VersionCheckedInlineMixin, admin.TabularInline):
    model = Responsibility
    fields = ["organ", "role", "order"]
    autocomplete_fields = ["organ"]
    extra = 1


class DeadlineInline(VersionCheckedInlineMixin, admin.TabularInline):
    model = Deadline
    fields = ["wording", "due_on", "session", "recurrence", "order"]
    autocomplete_fields = ["session"]
    extra = 1


class ProgressRecordForm(VersionCheckedForm):
    class Meta:
        model = ProgressRecord
        fields = [
            "date",
            "date_precision",
            "kind",
            "title",
            "summary",
            "document_symbol",
            "url",
            "source",
            "fulfils",
            "completes_mandate",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def clean(self):
        cleaned = super().clean()
        # On the stand-alone form the mandate is a field; in the inline it is the parent.
        mandate = cleaned.get("mandate") or (
            self.instance.mandate if self.instance.mandate_id else None
        )
        if mandate is not None and cleaned.get("fulfils") is not None:
            record = ProgressRecord(mandate=mandate)
            try:
                record.clean_fulfils(cleaned["fulfils"])
            except forms.ValidationError as exc:
                self.add_error("fulfils", exc.message_dict.get("fulfils", exc.messages))
        return cleaned


class ProgressRecordInline(VersionCheckedInlineMixin, admin.StackedInline):
    """Recording progress from the mandate's own page: date, what happened, which deadline."""

    model = ProgressRecord
    form = ProgressRecordForm
    extra = 1
    show_change_link = True
    classes = ["progress-inline"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "fulfils":
            object_id = parent_object_id(request)
            kwargs["queryset"] = (
                Deadline.objects.filter(mandate_id=object_id)
                if object_id
                else Deadline.objects.none()
            )
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["help_text"] = _(
                "Tick the deadlines this record meets. New deadlines can be ticked once saved."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("fulfils")

    # `obj` is the mandate whose page this is: a focal point writes only on his organs' ones.
    def _mandate_in_scope(self, request, obj):
        if not is_scoped(request.user):
            return True
        return obj is not None and may_act_on_mandate(request.user, obj.pk)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._mandate_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._mandate_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._mandate_in_scope(request, obj)


@admin.register(Mandate)
class MandateAdmin(OrganScopeMixin, VersionCheckedAdminMixin, StatusColumnMixin, HistoryAdmin):
    list_display = [
        "__str__",
        "opening_words",
        "organ_list",
        "kind",
        "track_status",
        "status_display",
        "due_display",
        "record_progress_link",
    ]
    list_display_links = ["__str__"]
    list_editable = ["kind", "track_status"]
    list_filter = [StatusListFilter, "kind", "track_status", "resolution", "organs"]
    search_fields = ["label", "text", "resolution__symbol", "resolution__title"]
    autocomplete_fields = ["resolution", "parent"]
    list_select_related = ["resolution"]
    readonly_fields = ["status_today", "updated_at"]
    fields = [
        "resolution",
        "parent",
        "label",
        "order",
        "text",
        "kind",
        "track_status",
        "status_today",
        "updated_at",
    ]
    inlines = [ResponsibilityInline, DeadlineInline, ProgressRecordInline]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("responsibilities__organ")

    def get_urls(self):
        # Before the admin's own: its "<object_id>/" catch-all would swallow the page.
        return get_record_progress_urls(self) + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_record_progress": request.user.has_perm("mandates.add_progressrecord"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # "¶14", "14" and "2289 14" all find paragraph 14 (of AG/RES. 2289): the pilcrow is
        # how staff write a paragraph, the symbol number narrows to one resolution.
        return super().get_search_results(request, queryset, search_term.replace("¶", " "))

    def has_change_permission(self, request, obj=None):
        if super().has_change_permission(request, obj):
            return True
        # A focal point opens his organs' mandates to record progress in the inline; every
        # field of the mandate itself stays read-only for him (get_readonly_fields).
        user = request.user
        return (
            obj is not None
            and is_scoped(user)
            and (
                user.has_perm("mandates.add_progressrecord")
                or user.has_perm("mandates.change_progressrecord")
            )
            and self.in_scope(request, obj)
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.has_perm("mandates.change_mandate"):
            readonly += [f for f in self.get_fields(request, obj) if f not in readonly]
        return readonly

    @admin.display(description=_("progress"))
    def record_progress_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:mandates_mandate_record_progress", args=[obj.pk]),
            _("Record progress"),
        )

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if not request.user.has_perm("mandates.add_progressrecord"):
            shown.remove("record_progress_link")
        return shown

    @admin.display(description=_("text"))
    def opening_words(self, obj):
        return obj.text[:100] + ("…" if len(obj.text) > 100 else "")

    @admin.display(description=_("organs"))
    def organ_list(self, obj):
        return ", ".join(r.organ.key for r in obj.responsibilities.all())

    @admin.display(description=_("status today"))
    def status_today(self, obj):
        if obj.pk is None:
            return "—"
        annotated = Mandate.objects.with_status(today()).get(pk=obj.pk)
        return format_html(
            '{} · <a href="{}">{}</a>',
            self.status_display(annotated),
            obj.get_absolute_url(),
            _("public page"),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if {"text", "label", "resolution"} & set(form.changed_data) or not change:
            refresh_for_mandate(obj)  # what the resolution's text cites, read again

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_for_mandate(obj)

    def delete_queryset(self, request, queryset):
        """The bulk "Delete selected" action: each resolution that lost paragraphs has its
        citations read again, as after deleting one."""
        resolution_ids = set(queryset.values_list("resolution_id", flat=True))
        super().delete_queryset(request, queryset)
        for resolution in Resolution.objects.filter(pk__in=resolution_ids):
            refresh_citations(resolution)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ProgressRecord) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Deadline)
class DeadlineAdmin(VersionCheckedAdminMixin, HistoryAdmin):
    list_display = ["wording", "mandate", "due_on", "session"]
    list_filter = ["session", "mandate__resolution"]
    search_fields = ["wording", "mandate__label", "mandate__resolution__symbol"]
    autocomplete_fields = ["mandate", "session"]
    list_select_related = ["mandate__resolution", "session"]


class DocumentInline(admin.TabularInline):
    """Files of a progress record. A kept file is shown as a download link; to replace one,
    delete it and upload the new one."""

    model = Document
    form = DocumentForm
    fields = ["file", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["content_type", "size", "uploaded_by", "uploaded_at"]
    extra = 0

    # `obj` is the progress record whose page this is.
    def _record_in_scope(self, request, obj):
        if not is_scoped(request.user):
            return True
        return obj is not None and may_act_on_mandate(request.user, obj.mandate_id)

    def has_add_permission(self, request, obj=None):
        # On the add page (no record yet) the record's own mandate field is limited to the
        # focal point's mandates, so files may be attached there too.
        return super().has_add_permission(request, obj) and (
            obj is None or self._record_in_scope(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._record_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._record_in_scope(request, obj)


@admin.register(ProgressRecord)
class ProgressRecordAdmin(OrganScopeMixin, VersionCheckedAdminMixin, HistoryAdmin):
    form = ProgressRecordForm
    list_display = ["date", "mandate", "kind", "title", "document_symbol"]
    list_filter = ["kind", "mandate__resolution"]
    search_fields = ["title", "summary", "document_symbol", "mandate__resolution__symbol"]
    date_hierarchy = "date"
    autocomplete_fields = ["mandate"]
    filter_horizontal = ["fulfils"]
    list_select_related = ["mandate__resolution"]
    inlines = [DocumentInline]
    fields = ["mandate", *ProgressRecordForm.Meta.fields]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "fulfils" in form.base_fields:
            form.base_fields["fulfils"].queryset = Deadline.objects.filter(mandate=obj.mandate)
        return form

    scope_lookup = "mandate"

    def scope_mandate_id(self, obj):
        return obj.mandate_id

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.in_scope(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.in_scope(request, obj)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = scoped_mandate_ids(request.user)
        if db_field.name == "mandate" and ids is not None:
            kwargs["queryset"] = Mandate.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        ids = scoped_mandate_ids(request.user)
        if db_field.name == "fulfils" and ids is not None:
            kwargs["queryset"] = Deadline.objects.filter(mandate__in=ids)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not self.in_scope(request, obj):
            raise PermissionDenied
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Document:
            for document_form in formset.forms:
                document = document_form.instance
                if document.pk is None and document.uploaded_by_id is None:
                    document.uploaded_by = request.user
        super().save_formset(request, form, formset, change)


# Meetings, focal points, reminders and subscriptions; lock-out tables (superusers only);
# evidence proposals read from later resolutions.
from . import admin_evidence, admin_meetings, admin_security  # noqa: E402, F401
