"""Secretariat data entry. Status columns and filters come from `MandateQuerySet.with_status`."""

from django import forms
from django.contrib import admin
from django.urls import resolve
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Deadline,
    Document,
    FocalPoint,
    Mandate,
    Meeting,
    Organ,
    ProgressRecord,
    ReminderLog,
    Resolution,
    Responsibility,
    Session,
    Status,
    today,
)


def parent_object_id(request):
    """The primary key of the object whose change page this request is for, if any."""
    match = resolve(request.path_info)
    return match.kwargs.get("object_id")


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
        label = Status(obj.status).label
        if obj.status == Status.MET and obj.met_late:
            label = _("Met late")
        return format_html('<span class="status status-{}">{}</span>', obj.status, label)

    @admin.display(description=_("next / missed deadline"))
    def due_display(self, obj):
        if obj.missed_due_on:
            return format_html(
                "{} {}", _("missed"), obj.missed_due_on.strftime("%Y-%m-%d")
            )
        if obj.next_due_on:
            return obj.next_due_on.strftime("%Y-%m-%d")
        return "—"


# --- Organs and sessions -------------------------------------------------------------------


@admin.register(Organ)
class OrganAdmin(SimpleHistoryAdmin):
    list_display = ["acronym", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["acronym", "name", "aliases"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "ordinal", "kind", "place", "start_date", "end_date"]
    list_filter = ["kind"]
    search_fields = ["place", "ordinal"]
    ordering = ["-start_date", "-ordinal"]


# --- Resolutions and mandates --------------------------------------------------------------


class MandateInline(admin.TabularInline):
    model = Mandate
    fields = ["label", "order", "parent", "text"]
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
class ResolutionAdmin(SimpleHistoryAdmin):
    list_display = ["symbol", "title", "kind", "adopted_on", "paragraph_count", "public_link"]
    list_filter = ["kind", "session"]
    search_fields = ["symbol", "title", "preamble"]
    date_hierarchy = "adopted_on"
    autocomplete_fields = ["session"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "symbol", "title", "slug"]}),
        (_("Adoption"), {"fields": ["session", "adopted_on", "adoption_note"]}),
        (_("Text"), {"fields": ["preamble", "source"], "classes": ["collapse"]}),
        (None, {"fields": ["updated_at"]}),
    ]
    inlines = [MandateInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_paragraphs=Count("mandates"))

    @admin.display(description=_("paragraphs"), ordering="n_paragraphs")
    def paragraph_count(self, obj):
        return obj.n_paragraphs

    @admin.display(description=_("public page"))
    def public_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("View"))


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    fields = ["organ", "role", "order"]
    autocomplete_fields = ["organ"]
    extra = 1


class DeadlineInline(admin.TabularInline):
    model = Deadline
    fields = ["wording", "due_on", "session", "order"]
    autocomplete_fields = ["session"]
    extra = 1


class ProgressRecordForm(forms.ModelForm):
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


class ProgressRecordInline(admin.StackedInline):
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


@admin.register(Mandate)
class MandateAdmin(StatusColumnMixin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "opening_words",
        "organ_list",
        "status_display",
        "due_display",
    ]
    list_display_links = ["__str__"]
    list_filter = [StatusListFilter, "resolution", "organs"]
    search_fields = ["label", "text", "resolution__symbol", "resolution__title"]
    autocomplete_fields = ["resolution", "parent"]
    list_select_related = ["resolution"]
    readonly_fields = ["status_today", "updated_at"]
    fields = ["resolution", "parent", "label", "order", "text", "status_today", "updated_at"]
    inlines = [ResponsibilityInline, DeadlineInline, ProgressRecordInline]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("responsibilities__organ")

    @admin.display(description=_("text"))
    def opening_words(self, obj):
        return obj.text[:100] + ("…" if len(obj.text) > 100 else "")

    @admin.display(description=_("organs"))
    def organ_list(self, obj):
        return ", ".join(r.organ.acronym for r in obj.responsibilities.all())

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
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["wording", "mandate", "due_on", "session"]
    list_filter = ["session", "mandate__resolution"]
    search_fields = ["wording", "mandate__label", "mandate__resolution__symbol"]
    autocomplete_fields = ["mandate", "session"]
    list_select_related = ["mandate__resolution", "session"]


class DocumentInline(admin.TabularInline):
    model = Document
    fields = ["file", "original_name", "content_type", "size"]
    readonly_fields = ["original_name", "content_type", "size"]
    extra = 0


@admin.register(ProgressRecord)
class ProgressRecordAdmin(SimpleHistoryAdmin):
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

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# --- Meetings, focal points, reminders -----------------------------------------------------


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "committee", "title", "document_symbol"]
    list_filter = ["committee"]
    search_fields = ["title", "document_symbol"]
    autocomplete_fields = ["committee", "resolutions"]
    date_hierarchy = "date"
    readonly_fields = ["slug"]


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["user", "organ_acronyms"]
    autocomplete_fields = ["organs"]
    search_fields = ["user__username", "user__email", "organs__acronym"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("organs")

    @admin.display(description=_("organs"))
    def organ_acronyms(self, obj):
        return ", ".join(o.acronym for o in obj.organs.all())


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "kind", "deadline", "recipient", "due"]
    list_filter = ["kind"]
    list_select_related = ["deadline__mandate__resolution", "recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
