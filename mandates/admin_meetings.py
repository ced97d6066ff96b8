"""The admin's tables beside the resolutions: CAJP meetings (with their compliance summary
PDFs), organ focal points, the reminders sent and the public's e-mail subscriptions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .admin import HistoryAdmin
from .concurrency import VersionCheckedAdminMixin
from .meetings import admin_pdf_links
from .models import FocalPoint, Meeting, ReminderLog, Subscription


@admin.register(Meeting)
class MeetingAdmin(VersionCheckedAdminMixin, HistoryAdmin):
    list_display = ["date", "committee", "title", "document_symbol", "pdf_links"]
    list_filter = ["committee"]
    search_fields = ["title", "document_symbol"]
    autocomplete_fields = ["committee", "resolutions"]
    date_hierarchy = "date"
    readonly_fields = ["slug", "pdf_links"]
    list_select_related = ["committee"]

    @admin.display(description=_("compliance summary (PDF)"))
    def pdf_links(self, obj):
        return admin_pdf_links(obj)


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


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """The public's e-mail subscriptions (mandates/follow.py): seen, and removed on request."""

    list_display = ["email", "resolution", "organ", "created_at", "confirmed_at", "notified_until"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    list_select_related = ["resolution", "organ"]
    readonly_fields = ["email", "resolution", "organ", "created_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False  # only the person, by the double opt-in
