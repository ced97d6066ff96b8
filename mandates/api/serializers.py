"""What the API (and /…/export.json) says about each row.

Identifiers are stable and readable: a resolution by its symbol (and slug), a mandate by its
resolution's symbol and its paragraph label, an organ by its key (its acronym), a meeting by
its slug.
Every object has a ``url``: its public page.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Deadline, Mandate, Meeting, Organ, ProgressRecord, Resolution, Status


def absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def as_of_of(context) -> datetime.date:
    return context["as_of"]


class OrganSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organ
        # What the organ is, in English and in each other official language ("" when unknown).
        fields = [
            "key",
            "acronym",
            "name",
            "kind",
            "parent",
            "description",
            "description_es",
            "description_fr",
            "description_pt",
            "url",
        ]

    def get_url(self, organ) -> str:
        return absolute(self.context, organ.get_absolute_url())


class ResolutionSerializer(serializers.ModelSerializer):
    session = serializers.StringRelatedField(allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = [
            "symbol",
            "slug",
            "kind",
            "title",
            "session",
            "adopted_on",
            "adoption_note",
            "source",
            "updated_at",
            "url",
        ]

    def get_url(self, resolution) -> str:
        return absolute(self.context, resolution.get_absolute_url())


class CitationPlaceSerializer(serializers.Serializer):
    """Where the citing text names the resolution."""

    part = serializers.ChoiceField(choices=["preamble", "operative"])
    clause = serializers.IntegerField(
        allow_null=True, help_text="The preamble clause's number (preamble only)."
    )
    label = serializers.CharField(help_text="The operative paragraph's label (operative only).")
    snippet = serializers.CharField(help_text="The clause or paragraph, verbatim.")
    url = serializers.SerializerMethodField()

    def get_url(self, citation) -> str:
        return absolute(self.context, citation.url)


class CitationReferenceSerializer(serializers.Serializer):
    """A resolution on the other side of a citation: its symbol, and its title and page when it
    is in the tracker (``null`` otherwise)."""

    symbol = serializers.CharField()
    title = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    places = CitationPlaceSerializer(many=True)

    def get_title(self, reference) -> str | None:
        return reference.resolution.title if reference.resolution is not None else None

    def get_url(self, reference) -> str | None:
        if reference.resolution is None:
            return None
        return absolute(self.context, reference.resolution.get_absolute_url())


class ResolutionDetailSerializer(ResolutionSerializer):
    """One resolution, with the resolutions its text cites and those whose text cites it
    (bounded: ``cites_more`` / ``cited_by_more`` say how many were left out)."""

    cites = serializers.SerializerMethodField()
    cites_more = serializers.SerializerMethodField()
    cited_by = serializers.SerializerMethodField()
    cited_by_more = serializers.SerializerMethodField()

    class Meta(ResolutionSerializer.Meta):
        fields = [
            *ResolutionSerializer.Meta.fields,
            "cites",
            "cites_more",
            "cited_by",
            "cited_by_more",
        ]

    def _references(self, resolution):
        from ..citations import references

        if getattr(resolution, "_references", None) is None:
            resolution._references = references(resolution)
        return resolution._references

    @extend_schema_field(CitationReferenceSerializer(many=True))
    def get_cites(self, resolution):
        items = self._references(resolution)["cites"].items
        return CitationReferenceSerializer(items, many=True, context=self.context).data

    def get_cites_more(self, resolution) -> int:
        """Places of its text naming a resolution, beyond those listed."""
        return self._references(resolution)["cites"].more

    @extend_schema_field(CitationReferenceSerializer(many=True))
    def get_cited_by(self, resolution):
        items = self._references(resolution)["cited_by"].items
        return CitationReferenceSerializer(items, many=True, context=self.context).data

    def get_cited_by_more(self, resolution) -> int:
        """Citing resolutions beyond those listed (newest first)."""
        return self._references(resolution)["cited_by"].more


class ResponsibilitySerializer(serializers.Serializer):
    key = serializers.CharField(source="organ.key")
    acronym = serializers.CharField(source="organ.acronym")
    role = serializers.CharField()


class DeadlineStateSerializer(serializers.ModelSerializer):
    """A deadline as of a date: expects ``Deadline.objects.with_state(as_of)`` rows."""

    due_on = serializers.DateField(source="due", allow_null=True)
    session = serializers.StringRelatedField(allow_null=True)
    state = serializers.ChoiceField(
        choices=["fulfilled", "fulfilled_late", "overdue", "upcoming", "undated"]
    )
    fulfilled_on = serializers.DateField(allow_null=True)

    class Meta:
        model = Deadline
        fields = ["id", "wording", "due_on", "session", "state", "fulfilled_on"]


class ProgressSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressRecord
        fields = ["id", "date", "date_precision", "kind", "title", "document_symbol"]


class MandateSerializer(serializers.ModelSerializer):
    """A paragraph with its status as of the request's date (``with_status`` annotations)."""

    resolution = serializers.CharField(source="resolution.symbol")
    resolution_slug = serializers.CharField(source="resolution.slug")
    parent = serializers.SerializerMethodField()
    organs = ResponsibilitySerializer(source="responsibilities", many=True)
    as_of = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(
        choices=Mandate.Kind.choices,
        help_text="instructs (tracked), calls_on_states (tracked only when `tracked`), "
        "declaratory (never tracked).",
    )
    tracked = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        choices=Status.choices,
        allow_null=True,
        help_text="null: the paragraph is not tracked (see `kind`).",
    )
    met_late = serializers.BooleanField()
    next_due_on = serializers.DateField(allow_null=True)
    next_due_wording = serializers.CharField(allow_null=True)
    missed_due_on = serializers.DateField(allow_null=True)
    missed_due_wording = serializers.CharField(allow_null=True)
    deadlines = DeadlineStateSerializer(many=True)
    latest_progress = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Mandate
        fields = [
            "resolution",
            "resolution_slug",
            "label",
            "parent",
            "text",
            "organs",
            "as_of",
            "kind",
            "tracked",
            "status",
            "met_late",
            "next_due_on",
            "next_due_wording",
            "missed_due_on",
            "missed_due_wording",
            "deadlines",
            "latest_progress",
            "url",
        ]

    def get_tracked(self, mandate) -> bool:
        """Whether the paragraph has a status (`status` is null when it does not)."""
        return mandate.status is not None

    def get_parent(self, mandate) -> str | None:
        """The parent paragraph's label ("20" for "20.c")."""
        return mandate.parent.label if mandate.parent_id else None

    @extend_schema_field(OpenApiTypes.DATE)
    def get_as_of(self, mandate) -> datetime.date:
        return as_of_of(self.context)

    @extend_schema_field(ProgressSummarySerializer(allow_null=True))
    def get_latest_progress(self, mandate):
        """The latest progress record dated on or before ``as_of`` (prefetched, newest first)."""
        records = mandate.progress_records.all()
        return ProgressSummarySerializer(records[0]).data if records else None

    def get_url(self, mandate) -> str:
        path = mandate.get_absolute_url() + f"?as_of={as_of_of(self.context).isoformat()}"
        return absolute(self.context, path)


class DeadlineSerializer(DeadlineStateSerializer):
    resolution = serializers.CharField(source="mandate.resolution.symbol")
    label = serializers.CharField(source="mandate.label")
    as_of = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta(DeadlineStateSerializer.Meta):
        fields = ["id", "resolution", "label", *DeadlineStateSerializer.Meta.fields[1:]]
        fields += ["as_of", "url"]

    @extend_schema_field(OpenApiTypes.DATE)
    def get_as_of(self, deadline) -> datetime.date:
        return as_of_of(self.context)

    def get_url(self, deadline) -> str:
        """The paragraph's public page."""
        return absolute(self.context, deadline.mandate.get_absolute_url())


class ProgressRecordSerializer(serializers.ModelSerializer):
    resolution = serializers.CharField(source="mandate.resolution.symbol")
    label = serializers.CharField(source="mandate.label")
    link = serializers.CharField(source="url", help_text="Where the record can be read (or empty).")
    fulfils = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProgressRecord
        fields = [
            "id",
            "resolution",
            "label",
            "date",
            "date_precision",
            "kind",
            "title",
            "summary",
            "document_symbol",
            "link",
            "fulfils",
            "completes_mandate",
            "url",
        ]

    def get_url(self, record) -> str:
        """The paragraph's public page, where the record appears in the trail."""
        return absolute(self.context, record.mandate.get_absolute_url())


class MeetingSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.acronym")
    resolutions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="symbol")
    url = serializers.SerializerMethodField()
    summary_pdf = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "committee",
            "date",
            "title",
            "document_symbol",
            "resolutions",
            "url",
            "summary_pdf",
        ]

    def get_url(self, meeting) -> str:
        return absolute(self.context, meeting.get_absolute_url())

    def get_summary_pdf(self, meeting) -> str:
        path = reverse("meeting_summary_pdf", kwargs={"slug": meeting.slug})
        return absolute(self.context, path)
