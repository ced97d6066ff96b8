"""Filters of the API lists other than mandates (those reuse the /mandates/ MandateFilter).

Parameter names and error messages are the pages' own: `resolution` (slug), `organ`
(acronym, including the organs under it), `as_of`, and YYYY-MM-DD bounds.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..filters import iso_date_filter
from ..models import Deadline, Meeting, Organ, ProgressRecord, Resolution, today


def resolution_filter(field_name: str):
    return django_filters.ModelChoiceFilter(
        label=_("Resolution"),
        field_name=field_name,
        queryset=Resolution.objects.all(),
        to_field_name="slug",
        error_messages={"invalid_choice": _("There is no resolution “%(value)s”.")},
    )


def organ_filter(method: str = "filter_organ"):
    return django_filters.ModelChoiceFilter(
        label=_("Responsible organ"),
        queryset=Organ.objects.all(),
        to_field_name="key",
        method=method,
        error_messages={"invalid_choice": _("There is no organ with the acronym “%(value)s”.")},
    )


def responsible_q(prefix: str, organ: Organ) -> Q:
    """Rows whose mandate is addressed to `organ` or an organ under it (as on organ pages)."""
    organs = f"{prefix}organs"
    return (
        Q(**{organs: organ})
        | Q(**{f"{organs}__parent": organ})
        | Q(**{f"{organs}__parent__parent": organ})
    )


class DeadlineFilter(django_filters.FilterSet):
    resolution = resolution_filter("mandate__resolution")
    organ = organ_filter()
    as_of = iso_date_filter(_("State as of"), "as_of", "filter_as_of")
    due_after = iso_date_filter(_("Due on or after"), "due_after", "filter_due")
    due_before = iso_date_filter(_("Due on or before"), "due_before", "filter_due")

    class Meta:
        model = Deadline
        fields: list[str] = []

    @property
    def as_of_date(self):
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("as_of") or today()

    def filter_queryset(self, queryset):
        # `due` and `state` must exist before the bounds filter on them.
        return super().filter_queryset(queryset.with_state(self.as_of_date))

    def filter_as_of(self, queryset, name, value):
        return queryset  # consumed by filter_queryset

    def filter_organ(self, queryset, name, organ):
        return queryset.filter(responsible_q("mandate__", organ)).distinct()

    def filter_due(self, queryset, name, value):
        lookup = "due__gte" if name == "due_after" else "due__lte"
        return queryset.filter(**{lookup: value})


class ProgressRecordFilter(django_filters.FilterSet):
    resolution = resolution_filter("mandate__resolution")
    organ = organ_filter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=ProgressRecord.Kind.choices,
        error_messages={"invalid_choice": _("“%(value)s” is not a kind of progress record.")},
    )
    date_after = iso_date_filter(_("Dated on or after"), "date_after", "filter_date")
    date_before = iso_date_filter(_("Dated on or before"), "date_before", "filter_date")

    class Meta:
        model = ProgressRecord
        fields: list[str] = []

    def filter_organ(self, queryset, name, organ):
        return queryset.filter(responsible_q("mandate__", organ)).distinct()

    def filter_date(self, queryset, name, value):
        lookup = "date__gte" if name == "date_after" else "date__lte"
        return queryset.filter(**{lookup: value})


class MeetingFilter(django_filters.FilterSet):
    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"),
        queryset=Organ.objects.all(),
        to_field_name="key",
        error_messages={"invalid_choice": _("There is no organ with the acronym “%(value)s”.")},
    )
    resolution = resolution_filter("resolutions")

    class Meta:
        model = Meeting
        fields: list[str] = []
