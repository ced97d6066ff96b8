"""Read-only API endpoints. Anonymous, GET only; each list is paginated and costs a fixed
number of queries per page (counted in tests/test_api.py)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets

from ..filters import AsOfForm, MandateFilter
from ..models import (
    Deadline,
    Mandate,
    Meeting,
    Organ,
    ProgressRecord,
    Resolution,
    Responsibility,
    today,
)
from . import serializers as api_serializers
from .filters import DeadlineFilter, MeetingFilter, ProgressRecordFilter


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


BAD_PARAMETERS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {
            "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
        },
    },
    description=(
        "A parameter is not valid: its name, with what is wrong with it "
        "(or `detail` for an address that cannot be read, e.g. with a NUL byte)."
    ),
)
NOT_FOUND = OpenApiResponse(DetailSerializer, description="No such object, or no such page.")


def mandate_prefetches(queryset, as_of):
    """What a mandate row shows (organs, deadlines as of D, latest record as of D), in a
    fixed number of queries whatever the number of rows."""
    return queryset.select_related("resolution", "parent").prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.select_related("organ")),
        Prefetch(
            "deadlines", queryset=Deadline.objects.with_state(as_of).select_related("session")
        ),
        Prefetch("progress_records", queryset=ProgressRecord.objects.as_of(as_of).latest_first()),
    )


class AsOfContextMixin:
    def get_serializer_context(self):
        context = super().get_serializer_context()
        form = AsOfForm(self.request.query_params)
        # A bad as_of was already refused (400) by the filter; default to today.
        context["as_of"] = form.cleaned_data["as_of"] if form.is_valid() else today()
        return context


LIST_RESPONSES = {400: BAD_PARAMETERS, 404: NOT_FOUND}

# `organ=` takes an acronym (the filter turns it into an Organ): say so in the schema.
for filterset in (MandateFilter, DeadlineFilter, ProgressRecordFilter):
    extend_schema_field(OpenApiTypes.STR)(filterset.base_filters["organ"])


@extend_schema_view(
    list=extend_schema(
        summary="Organs",
        responses={200: api_serializers.OrganSerializer(many=True), **LIST_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One organ, by key (its acronym unless two organizations share it)",
        responses={200: api_serializers.OrganSerializer, 404: NOT_FOUND},
    ),
)
class OrganViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Organ.objects.select_related("parent").order_by("acronym")
    serializer_class = api_serializers.OrganSerializer
    lookup_field = "key"
    lookup_value_converter = "path"  # acronyms may contain "/" (I/A Court H.R.)


@extend_schema_view(
    list=extend_schema(
        summary="Resolutions and other instruments",
        responses={200: api_serializers.ResolutionSerializer(many=True), **LIST_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One resolution, by slug",
        description=(
            "With `cites`, the resolutions its text cites (preamble and operative paragraphs), "
            "and `cited_by`, the resolutions in the tracker whose text cites it, newest first; "
            "`url` and `title` are null for a resolution that is not in the tracker."
        ),
        responses={200: api_serializers.ResolutionDetailSerializer, 404: NOT_FOUND},
    ),
)
class ResolutionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Resolution.objects.select_related("session").order_by("-adopted_on", "symbol")
    serializer_class = api_serializers.ResolutionSerializer
    lookup_field = "slug"
    lookup_value_converter = "slug"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return api_serializers.ResolutionDetailSerializer
        return super().get_serializer_class()


@extend_schema_view(
    list=extend_schema(
        summary="Mandates with their status as of a date",
        description=(
            "Operative paragraphs and sub-paragraphs, with the filters of the /mandates/ page. "
            "`status` and the deadlines' states are as of `as_of` (default: today). With `q`, "
            "the best matches come first."
        ),
        responses={200: api_serializers.MandateSerializer(many=True), **LIST_RESPONSES},
    ),
)
class MandateViewSet(AsOfContextMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Mandates with their status as of a date (`as_of`, default today), filtered like the
    /mandates/ page: `resolution`, `organ`, `status`, `due_after`, `due_before`, `q`."""

    serializer_class = api_serializers.MandateSerializer
    filterset_class = MandateFilter

    def get_queryset(self):
        # The filter adds `with_status(as_of)` and the search order.
        return Mandate.objects.in_reading_order()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return mandate_prefetches(queryset, self.get_serializer_context()["as_of"])


@extend_schema_view(
    retrieve=extend_schema(
        summary="One mandate, by resolution slug and paragraph label",
        responses={200: api_serializers.MandateSerializer, 400: BAD_PARAMETERS, 404: NOT_FOUND},
    ),
)
class MandateDetailViewSet(mixins.RetrieveModelMixin, MandateViewSet):
    """One mandate at /api/v1/mandates/<resolution slug>/<label>/ (two lookups, so not routed
    by the router)."""

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset())
        mandate = queryset.filter(
            resolution__slug=self.kwargs["slug"], label=self.kwargs["label"]
        ).first()
        if mandate is None:
            raise Http404(_("There is no such paragraph."))
        return mandate


@extend_schema_view(
    list=extend_schema(
        summary="Deadlines with their state as of a date",
        responses={200: api_serializers.DeadlineSerializer(many=True), **LIST_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One deadline",
        responses={200: api_serializers.DeadlineSerializer, 400: BAD_PARAMETERS, 404: NOT_FOUND},
    ),
)
class DeadlineViewSet(AsOfContextMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = api_serializers.DeadlineSerializer
    filterset_class = DeadlineFilter
    queryset = Deadline.objects.select_related("mandate__resolution", "session").order_by(
        "mandate__resolution__adopted_on",
        "mandate__resolution__symbol",
        "mandate__order",
        "order",
        "pk",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Progress records",
        responses={200: api_serializers.ProgressRecordSerializer(many=True), **LIST_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One progress record",
        responses={200: api_serializers.ProgressRecordSerializer, 404: NOT_FOUND},
    ),
)
class ProgressRecordViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = api_serializers.ProgressRecordSerializer
    filterset_class = ProgressRecordFilter
    queryset = (
        ProgressRecord.objects.select_related("mandate__resolution")
        .prefetch_related("fulfils")
        .latest_first()
    )


@extend_schema_view(
    list=extend_schema(
        summary="Committee meetings",
        responses={200: api_serializers.MeetingSerializer(many=True), **LIST_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One meeting, by slug",
        responses={200: api_serializers.MeetingSerializer, 404: NOT_FOUND},
    ),
)
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = api_serializers.MeetingSerializer
    filterset_class = MeetingFilter
    queryset = (
        Meeting.objects.select_related("committee")
        .prefetch_related("resolutions")
        .order_by("-date", "-pk")
    )
    lookup_field = "slug"
    lookup_value_converter = "slug"
