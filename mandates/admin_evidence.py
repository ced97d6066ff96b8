"""Review of evidence proposals (mandates/evidence.py): a filtered list, confirm and reject.

Confirming makes an ordinary progress record on the chosen paragraph, in one transaction;
until then a proposal counts for nothing. A proposal with no paragraph is confirmed only after
staff choose one on its page.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import evidence
from .models import EvidenceProposal


class AttachedFilter(admin.SimpleListFilter):
    title = _("paragraph")
    parameter_name = "attached"

    def lookups(self, request, model_admin):
        return [("yes", _("Attached to a paragraph")), ("no", _("No paragraph chosen"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(mandate__isnull=False)
        if self.value() == "no":
            return queryset.filter(mandate__isnull=True)
        return queryset


class EvidenceProposalForm(forms.ModelForm):
    class Meta:
        model = EvidenceProposal
        fields = ["mandate", "kind", "title", "document_symbol", "date", "date_precision"]

    def clean_mandate(self):
        mandate = self.cleaned_data.get("mandate")
        target = self.instance.target_resolution
        if mandate is not None and target is not None and mandate.resolution_id != target.pk:
            raise forms.ValidationError(
                _("The paragraph must belong to %(symbol)s; it was not changed.")
                % {"symbol": target.symbol}
            )
        return mandate


@admin.register(EvidenceProposal)
class EvidenceProposalAdmin(admin.ModelAdmin):
    form = EvidenceProposalForm
    list_display = [
        "citing_clause",
        "state",
        "kind",
        "title",
        "document_symbol",
        "date_shown",
        "target_resolution",
        "paragraph",
    ]
    list_filter = ["state", AttachedFilter, "kind", "target_resolution", "citing_resolution"]
    search_fields = ["title", "quote", "document_symbol", "citing_resolution__symbol"]
    list_select_related = ["citing_resolution", "target_resolution", "mandate"]
    actions = ["confirm_selected", "reject_selected"]
    raw_id_fields = ["mandate"]
    readonly_fields = [
        "citing_resolution",
        "clause",
        "quote",
        "target_resolution",
        "reason",
        "date_source",
        "state",
        "progress_record",
        "reviewed_by",
        "reviewed_at",
    ]
    fields = [
        "citing_resolution",
        "clause",
        "quote",
        "target_resolution",
        "mandate",
        "reason",
        "kind",
        "title",
        "document_symbol",
        "date",
        "date_precision",
        "date_source",
        "state",
        "progress_record",
        "reviewed_by",
        "reviewed_at",
    ]

    def has_add_permission(self, request):
        return False  # proposals come from imported texts only

    def has_change_permission(self, request, obj=None):
        reviewed = obj is not None and obj.state != EvidenceProposal.State.PROPOSED
        return super().has_change_permission(request, obj) and not reviewed

    @admin.display(description=_("cited in"), ordering="citing_resolution__adopted_on")
    def citing_clause(self, obj):
        return obj.citation

    @admin.display(description=_("date"), ordering="date")
    def date_shown(self, obj):
        return f"{obj.date.isoformat()} ({obj.get_date_precision_display().lower()})"

    @admin.display(description=_("paragraph"))
    def paragraph(self, obj):
        if obj.mandate_id is None:
            return format_html("<em>{}</em>", _("none chosen"))
        return f"¶{obj.mandate.label}"

    def _review(self, request, queryset, action, done_message):
        if not request.user.has_perm("mandates.add_progressrecord"):
            self.message_user(
                request, _("You may not record progress; nothing was changed."), messages.ERROR
            )
            return
        done, refused = 0, []
        for proposal in queryset:
            try:
                action(proposal, request.user)
            except evidence.ReviewError as exc:
                refused.append(str(exc))
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description=_("Confirm: record as progress"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        self._review(
            request,
            queryset,
            evidence.confirm,
            lambda n: (
                ngettext(
                    "%(n)d proposal confirmed: a progress record was made.",
                    "%(n)d proposals confirmed: progress records were made.",
                    n,
                )
                % {"n": n}
            ),
        )

    @admin.action(description=_("Reject"), permissions=["change"])
    def reject_selected(self, request, queryset):
        self._review(
            request,
            queryset,
            evidence.reject,
            lambda n: (
                ngettext("%(n)d proposal rejected.", "%(n)d proposals rejected.", n) % {"n": n}
            ),
        )
