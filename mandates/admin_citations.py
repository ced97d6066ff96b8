"""Citations in the admin: read-only, as they are read from the texts (mandates/citations.py).

They are never typed: saving a resolution (its preamble, its paragraphs inline) or one of its
paragraphs reads them again from the text.
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import citations
from .models import Citation, Mandate, Resolution


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _cited(citation: Citation):
    if citation.cited is None:
        return format_html("{} <em>{}</em>", citation.cited_symbol, _("(not in the tracker)"))
    return format_html(
        '<a href="{}">{}</a>', citation.cited.get_absolute_url(), citation.cited_symbol
    )


class CitationInline(ReadOnlyMixin, admin.TabularInline):
    """What the resolution's text cites, on its admin page."""

    model = Citation
    fk_name = "citing"
    fields = ["cited_resolution", "where", "snippet"]
    readonly_fields = fields
    extra = 0
    verbose_name = _("resolution cited by this text")
    verbose_name_plural = _("resolutions cited by this text (read from the text when it is saved)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cited")

    @admin.display(description=_("cited resolution"))
    def cited_resolution(self, citation):
        return _cited(citation)

    @admin.display(description=_("where"))
    def where(self, citation):
        return citation.place


@admin.register(Citation)
class CitationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["citing", "cited_resolution", "where"]
    list_filter = ["part"]
    search_fields = ["cited_symbol", "citing__symbol", "snippet"]
    list_select_related = ["citing", "cited"]
    fields = ["citing", "cited_resolution", "where", "snippet"]
    readonly_fields = fields
    list_per_page = 100

    @admin.display(description=_("cited resolution"), ordering="cited_symbol")
    def cited_resolution(self, citation):
        return _cited(citation)

    @admin.display(description=_("where"))
    def where(self, citation):
        return citation.place


def refresh(resolution: Resolution | None) -> None:
    """Read the citations again after staff changed the text in the admin."""
    if resolution is not None and resolution.pk:
        citations.store(resolution)


def refresh_for_mandate(mandate: Mandate) -> None:
    refresh(Resolution.objects.filter(pk=mandate.resolution_id).first())
