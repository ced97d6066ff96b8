"""The /mandates/ filters: every view of the list is a shareable URL of these parameters."""

import datetime

import django_filters
from django import forms
from django.db.models import F
from django.forms.renderers import Jinja2
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import (
    READING_ORDER,
    Mandate,
    Organ,
    Organization,
    ParagraphKind,
    Resolution,
    Status,
    today,
)


class IsoDateInput(forms.TextInput):
    """A date typed as YYYY-MM-DD (pasted, or typed on any keyboard) with a calendar beside it:
    the calendar is a second, unnamed date input that the page's script (static/js/dates.js)
    shows and keeps in step with the text; without script the text box alone works."""

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "pattern": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "placeholder": "YYYY-MM-DD",
            "size": "10",
            "maxlength": "10",
            "autocomplete": "off",
            "class": "iso-date",
        }
        super().__init__(
            {**defaults, **(attrs or {})},
        )
        self.format = "%Y-%m-%d"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime(self.format)
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        box_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        picker = format_html(
            '<input type="date" class="date-picker" data-for="{}" value="{}" aria-label="{}" '
            "hidden>",
            box_id,
            self.format_value(value) or "",
            _("Choose the date on a calendar"),
        )
        return format_html("{}{}", box, picker)


def iso_date_field(label, name: str) -> forms.DateField:
    """An optional YYYY-MM-DD parameter whose error message names the parameter."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=IsoDateInput(),
        error_messages={
            "invalid": format_lazy(_("“{name}” must be a real date written YYYY-MM-DD."), name=name)
        },
    )


# Django's widget templates for Jinja2: the same markup as its DTL ones (but for blank lines),
# at a fraction of the cost: in DTL a <select> includes a template per option, and the
# filters of /mandates/ were a third of the page's time.
WIDGETS = Jinja2()


class PublicForm(forms.Form):
    """The public pages' forms: widgets rendered with `WIDGETS` (the admin keeps Django's)."""

    default_renderer = WIDGETS


class AsOfForm(PublicForm):
    """The as-of date alone, for pages that only need it (resolution, organ, PDFs)."""

    as_of = iso_date_field(_("Status as of"), "as_of")

    def clean_as_of(self):
        return self.cleaned_data.get("as_of") or today()


def organization_field() -> forms.ModelChoiceField:
    """``?organization=un``: by the organization's short code."""
    return forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All organizations"),
        error_messages={"invalid_choice": _("There is no organization with the code “%(value)s”.")},
    )


class OverTimeForm(AsOfForm):
    """/over-time/: up to a date, maybe for one organ (`?organ=CAJP`)."""

    organ = forms.ModelChoiceField(
        label=_("Organ"),
        queryset=Organ.objects.all(),
        to_field_name="key",
        required=False,
        empty_label=_("All organs"),
        error_messages={"invalid_choice": _("There is no organ with the acronym “%(value)s”.")},
    )


class ChangesForm(AsOfForm):
    """/changes/?since=YYYY-MM-DD: what changed after a date, up to `as_of` (default today)."""

    since = iso_date_field(_("Changed since"), "since")

    def clean(self):
        data = super().clean()
        as_of = data.get("as_of")
        if as_of is not None:
            data["since"] = data.get("since") or as_of - datetime.timedelta(days=30)
            if data["since"] >= as_of:
                raise forms.ValidationError(
                    _("“since” must be before the date the changes are shown up to (%(date)s).")
                    % {"date": as_of.isoformat()}
                )
        return data


class ResolutionListForm(AsOfForm):
    """The resolution and organ lists: as of a date, maybe narrowed to one organization."""

    organization = organization_field()


def iso_date_filter(label, name: str, method: str) -> django_filters.DateFilter:
    """A YYYY-MM-DD parameter whose error message names the parameter."""
    return django_filters.DateFilter(
        label=label,
        method=method,
        input_formats=["%Y-%m-%d"],
        widget=IsoDateInput(),
        error_messages={
            "invalid": format_lazy(_("“{name}” must be a real date written YYYY-MM-DD."), name=name)
        },
    )


class ResolutionInput(forms.TextInput):
    """The resolution filter as a text box (its slug) with the resolutions offered in a
    <datalist> while there are few: a <select> would render every resolution of the registry
    (a thousand and more) on every page of the list."""

    DATALIST_MAX = 200

    def __init__(self, attrs=None):
        super().__init__({"list": "resolution-choices", "autocomplete": "off", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        choices = Resolution.objects.order_by("-adopted_on", "symbol")
        rows = list(choices.values_list("slug", "symbol")[: self.DATALIST_MAX + 1])
        if len(rows) > self.DATALIST_MAX:
            return box
        options = format_html_join("", '<option value="{}">{}</option>', rows)
        return format_html('{}<datalist id="resolution-choices">{}</datalist>', box, options)


class ChoicesInOneQuery(django_filters.fields.ModelChoiceIterator):
    """A <select>'s choices read with one plain query. Django's iterator reads them through
    `.iterator()`: on PostgreSQL a server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE)
    for a list of a few hundred organs. Same choices, in the same order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ChoicesField(django_filters.fields.ModelChoiceField):
    iterator = ChoicesInOneQuery


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ChoicesField


class MandateFilter(django_filters.FilterSet):
    resolution = django_filters.ModelChoiceFilter(
        label=_("Resolution"),
        queryset=Resolution.objects.all(),
        to_field_name="slug",
        widget=ResolutionInput(attrs={"placeholder": _("e.g. ag-res-2289-xxxvii-o-07")}),
        error_messages={"invalid_choice": _("There is no resolution “%(value)s”.")},
    )
    organization = ModelChoiceFilter(
        label=_("Organization"),
        queryset=Organization.objects.all(),
        to_field_name="code",
        field_name="resolution__organization",
        empty_label=_("All organizations"),
        error_messages={"invalid_choice": _("There is no organization with the code “%(value)s”.")},
    )
    organ = ModelChoiceFilter(
        label=_("Responsible organ"),
        queryset=Organ.objects.all(),
        to_field_name="key",
        method="filter_organ",
        empty_label=_("All organs"),
        error_messages={"invalid_choice": _("There is no organ with the acronym “%(value)s”.")},
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        empty_label=_("Any status"),
        error_messages={
            "invalid_choice": _("“%(value)s” is not a status: use pending, met or overdue.")
        },
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of paragraph"),
        choices=ParagraphKind.choices,
        empty_label=_("Any kind"),
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a kind of paragraph: use instructs, calls_on_states or "
                "declaratory."
            )
        },
    )
    # Whether the paragraph has a status (`tracked_condition`): the count of paragraphs
    # calling on states that are not tracked links to kind=calls_on_states&tracked=no.
    tracked = django_filters.ChoiceFilter(
        label=_("Followed up"),
        choices=[("yes", _("Tracked (has a status)")), ("no", _("Not tracked"))],
        empty_label=_("Tracked or not"),
        method="filter_tracked",
        error_messages={
            "invalid_choice": _("“%(value)s” is not allowed here: use tracked=yes or tracked=no.")
        },
    )
    as_of = iso_date_filter(_("Status as of"), "as_of", "filter_as_of")
    due_after = iso_date_filter(_("Deadline on or after"), "due_after", "filter_due")
    due_before = iso_date_filter(_("Deadline on or before"), "due_before", "filter_due")
    q = django_filters.CharFilter(label=_("Search"), method="filter_text", max_length=200)
    sort = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=[
            ("lateness", _("Longest overdue first")),
            ("next_due", _("Next deadline first")),
        ],
        empty_label=_("Reading order"),
        method="filter_sort",
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a sort order: use sort=lateness or sort=next_due."
            )
        },
    )
    # The counting unit of every page is the operative paragraph (sub-paragraphs rolled up):
    # `level=paragraph` lists exactly what a count counts; without it, sub-paragraphs too.
    level = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("paragraph", _("Operative paragraphs only"))],
        empty_label=_("Paragraphs and sub-paragraphs"),
        method="filter_level",
        error_messages={
            "invalid_choice": _("“%(value)s” is not a level: use level=paragraph or leave it out.")
        },
    )

    class Meta:
        model = Mandate
        form = PublicForm
        fields: list[str] = []  # all filters are declared above

    @property
    def as_of_date(self):
        """The date the statuses are computed for (today unless the URL says otherwise)."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("as_of") or today()

    def filter_queryset(self, queryset):
        # Status must exist before `status=` filters on it.
        return super().filter_queryset(queryset.with_status(self.as_of_date))

    @property
    def selection(self):
        """The rows and order of `qs`, without joining each row's status when no filter or
        sort reads it: what a page counts and pages through (rows shown still come from
        `qs`)."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("status") or data.get("sort"):
            return self.qs
        return super().filter_queryset(self.queryset.all())

    def filter_as_of(self, queryset, name, value):
        return queryset  # consumed by filter_queryset

    @property
    def paragraphs_only(self) -> bool:
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("level") == "paragraph"

    def filter_sort(self, queryset, name, value):
        # Rows with no such date (nothing missed, nothing ahead) follow, in reading order.
        due = "missed_due_on" if value == "lateness" else "next_due_on"
        return queryset.order_by(F(due).asc(nulls_last=True), *READING_ORDER)

    def filter_tracked(self, queryset, name, value):
        return queryset.tracked() if value == "yes" else queryset.untracked()

    def filter_level(self, queryset, name, value):
        return queryset.top_level() if value == "paragraph" else queryset

    def filter_organ(self, queryset, name, organ):
        # A paragraph belongs to an organ's count when the organ acts on it or on one of its
        # sub-paragraphs (`addressed_to`); a plain list shows the rows naming the organ.
        if self.paragraphs_only:
            return queryset.addressed_to(organ)
        return queryset.responsible(organ)

    def filter_due(self, queryset, name, value):
        data = self.form.cleaned_data
        if name == "due_after" or data.get("due_after") is None:
            return queryset.with_deadline_between(data.get("due_after"), data.get("due_before"))
        return queryset  # both bounds were applied together by due_after

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def active_filters(self):
        """(name, label, shown value, URL without it) for each filter in use."""
        if not (self.is_bound and self.is_valid()):
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            params = self.data.copy()
            params.pop(name, None)
            params.pop("page", None)
            shown = value
            if name == "status":
                shown = Status(value).label
            elif name == "resolution":
                shown = value.symbol
            elif name in ("organ", "organization"):
                shown = value.local_acronym
            elif name == "kind":
                shown = ParagraphKind(value).label
            elif name in ("level", "sort", "tracked"):
                shown = dict(self.filters[name].extra["choices"])[value]
            active.append(
                {
                    "name": name,
                    "label": self.filters[name].label,
                    "value": shown,
                    "remove_query": params.urlencode(),
                }
            )
        return active

    def error_messages(self) -> list[str]:
        return [str(m) for errors in self.errors.values() for m in errors]
