"""Compliance summaries as PDF (WeasyPrint): a resolution, a filtered view of /mandates/, an
organ, a committee meeting's pack.

Every status shown comes from `MandateQuerySet.with_status()` through `views.mandate_rows` /
`views.with_related`; this module only selects, groups and lays out. The meeting pack's
"changes since the previous meeting" compares two `with_status()` results (previous meeting's
date, this meeting's date) row by row: a comparison, not a second status rule.

The HTML is laid out by mandates/pdf_render.py, which never touches the network.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .charts import Chart, status_chart
from .dates import format_date
from .language import organization_name, site_name
from .models import (
    Mandate,
    Meeting,
    Organ,
    ProgressRecord,
    Resolution,
    Responsibility,
    Status,
    add_to_counts,
    symbol_slug,
)
from .overdue import lateness
from .pdf_render import (
    DEFAULT_PAPER,
    PAPER_SIZES,
    css_string,
    page_counter_content,
    parse_paper,
    pdf_response,
    render_pdf,
)
from .views import (
    BadRequest,
    bad_request,
    empty_counts,
    filtered_mandates,
    mandate_rows,
    parse_as_of,
    with_related,
)

# "The paragraph's opening words": whole paragraphs up to this length, else cut at a word
# boundary before OPENING_CUT characters (always over the 100 characters promised). The full
# text is one click away (each label links to the paragraph's page); a shorter excerpt keeps
# rows short, which is most of WeasyPrint's layout time on long selections.
OPENING_MAX = 240
OPENING_CUT = 200
# The opening summary lists every overdue paragraph, and this many next deadlines.
NEXT_DUE_SHOWN = 5
# A filtered selection's file name names its filters, up to this length.
FILE_STEM_MAX = 90


# --------------------------------------------------------------------------------------------
# What a summary holds
# --------------------------------------------------------------------------------------------


def status_label(status: str | None, met_late: bool = False, kind: str = "") -> str:
    """The status in words, from the annotations of `with_status()`; for a paragraph that is
    not tracked (no status), its kind in words."""
    if status is None:
        return kind_label(kind)
    if status == Status.MET and met_late:
        return _("Met late")
    return str(Status(status).label)


def kind_label(kind: str) -> str:
    """What an untracked paragraph shows where its status would be (as the pages' label
    says: templates/jinja2/mandates/_status.html)."""
    if kind == Mandate.Kind.DECLARATORY:
        return _("Declaratory — no follow-up")
    if kind == Mandate.Kind.CALLS_ON_STATES:
        return _("Calls on states — not tracked")
    return str(Mandate.Kind(kind).label) if kind else "—"


def opening_words(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= OPENING_MAX:
        return text
    cut = text.rfind(" ", 0, OPENING_CUT)
    return text[: cut if cut > 100 else OPENING_CUT].rstrip(" ,;:") + " …"


@dataclass
class Group:
    """The mandates of one resolution in the selection, in reading order."""

    resolution: Resolution
    rows: list[Mandate] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=empty_counts)


@dataclass
class StatusChange:
    mandate: Mandate
    before: str  # status in words as of the previous meeting, or "" if not yet adopted
    after: str


@dataclass
class MeetingChanges:
    previous: Meeting | None
    status_changes: list[StatusChange] = field(default_factory=list)
    progress: list[ProgressRecord] = field(default_factory=list)


@dataclass
class OverdueLine:
    """One overdue operative paragraph in the opening summary: since when, how late, what
    was missed (by the paragraph or one of its sub-paragraphs) and who must act on it."""

    mandate: Mandate
    since: datetime.date
    lateness: str
    wording: str
    missed_by: Mandate
    acting: str


@dataclass
class Summary:
    title: str  # PDF metadata title and cover heading
    header: str  # running header (a symbol)
    slug: str  # file name stem
    as_of: datetime.date
    paper: str
    rows: list[Mandate]
    top_level_counts: bool  # count top-level paragraphs only (resolution, meeting pages)
    subtitle: str = ""
    resolutions: list[Resolution] = field(default_factory=list)  # cover: symbols and titles
    filters: list[dict] = field(default_factory=list)  # cover: active filters
    organ: Organ | None = None
    meeting: Meeting | None = None
    changes: MeetingChanges | None = None
    groups: list[Group] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=empty_counts)
    organs: list[Organ] = field(default_factory=list)  # glossary of acronyms
    chart: Chart | None = None  # status over time (one resolution's summary)
    file_stem: str = ""  # descriptive file name without the date: defaults to `slug`
    overdue: list[OverdueLine] = field(default_factory=list)  # opening summary, longest first
    next_due: list[Mandate] = field(default_factory=list)  # opening summary: what comes next

    def __post_init__(self):
        by_resolution: dict[int, Group] = {}
        organs: dict[int, Organ] = {}
        for mandate in self.rows:
            mandate.status_label = status_label(mandate.status, mandate.met_late, mandate.kind)
            text = mandate.local_text  # the reader's language when translated
            mandate.opening = opening_words(text.text)
            mandate.opening_language = text.language
            records = mandate.record_list
            mandate.latest_progress = records[0] if records else None
            acting = []
            for responsibility in mandate.acting_responsibilities:
                organs.setdefault(responsibility.organ_id, responsibility.organ)
                name = responsibility.organ.display_name
                if responsibility.role == Responsibility.Role.SUPPORTING:
                    name = _("%(organ)s (supporting)") % {"organ": name}
                acting.append(name)
            # Lead first, as entered; the report recipient named apart, never as responsible.
            mandate.organ_list = "; ".join(acting)
            recipients = [r.organ.display_name for r in mandate.report_recipients]
            if recipients:
                mandate.organ_list += " — " + _("reports to: %(organs)s") % {
                    "organs": ", ".join(recipients)
                }
            group = by_resolution.get(mandate.resolution_id)
            if group is None:
                group = by_resolution[mandate.resolution_id] = Group(mandate.resolution)
                self.groups.append(group)
            group.rows.append(mandate)
            if self.top_level_counts and mandate.parent_id is not None:
                continue
            for counts in (group.counts, self.counts):
                add_to_counts(counts, mandate.status, mandate.kind, 1)
        if not self.resolutions:
            self.resolutions = [group.resolution for group in self.groups]
        self.organs = sorted(organs.values(), key=lambda organ: organ.local_acronym.casefold())
        self._opening_summary()

    def _opening_summary(self) -> None:
        """Overdue first (longest overdue first, who must act, how late), then the next
        deadlines: read from the rows' `with_status()` annotations, no query."""
        shown = {mandate.pk for mandate in self.rows}
        heads = [m for m in self.rows if m.parent_id is None or m.parent_id not in shown]
        below: dict[int, list[Mandate]] = {}
        for mandate in self.rows:
            if mandate.parent_id in shown:
                below.setdefault(mandate.parent_id, []).append(mandate)
        for head in heads:
            if head.status != Status.OVERDUE or head.missed_due_on is None:
                continue
            # The (sub-)paragraph whose deadline explains it, else the paragraph itself.
            missed_by, queue = head, list(below.get(head.pk, []))
            while queue:
                candidate = queue.pop(0)
                if (
                    candidate.status == Status.OVERDUE
                    and candidate.missed_due_on == head.missed_due_on
                    and candidate.missed_due_wording == head.missed_due_wording
                ):
                    missed_by = candidate
                    break
                queue.extend(below.get(candidate.pk, []))
            acting = missed_by.acting_responsibilities or head.acting_responsibilities
            self.overdue.append(
                OverdueLine(
                    mandate=head,
                    since=head.missed_due_on,
                    lateness=lateness(head.missed_due_on, self.as_of),
                    wording=head.missed_due_wording,
                    missed_by=missed_by,
                    acting="; ".join(r.organ.display_name for r in acting) or "—",
                )
            )
        self.overdue.sort(key=lambda line: (line.since, line.mandate.resolution.symbol))
        upcoming = [m for m in heads if m.status == Status.PENDING and m.next_due_on]
        self.next_due = sorted(upcoming, key=lambda m: (m.next_due_on, m.resolution.symbol))[
            :NEXT_DUE_SHOWN
        ]

    @property
    def filename(self) -> str:
        """What it is and as of when: "ag-res-2289-xxxvii-o-07-summary-2008-01-01.pdf",
        "cajp-mandates-summary-…", "mandates-status-overdue-organ-cajp-summary-…",
        "cajp-2008-07-10-meeting-summary.pdf" (a meeting's date is its as-of date). ASCII
        letters, digits and hyphens only."""
        stem = self.file_stem or self.slug
        date = self.as_of.isoformat()
        if self.meeting is not None and date in stem:
            return f"{stem}-summary.pdf"
        return f"{stem}-summary-{date}.pdf"


def document_header(summary: Summary, language: str, issued: datetime.date) -> dict:
    """The OAS document header: the issuing bodies on the left in capitals (organization,
    council, committee), the reference on the right (series, symbol, date, original
    language)."""
    issuer = [str(organization_name()).upper()]
    reference = []
    if summary.meeting is not None:
        committee = summary.meeting.committee
        if committee.parent_id:
            issuer.append(committee.parent.local_name.upper())
        issuer.append(committee.local_name.upper())
        symbol = summary.meeting.document_symbol
        if symbol.startswith("CP/"):
            reference.append("OEA/Ser.G")  # the OAS series of the Permanent Council's papers
        if symbol:
            reference.append(symbol)
        issued = summary.meeting.date
    elif summary.organ is not None:
        issuer.append(summary.organ.local_name.upper())
    else:
        issuer.append(str(site_name()).upper())
    reference.append(format_date(issued, "DATE_FORMAT"))
    name = translation.get_language_info(language)["name_translated"]
    reference.append(_("Original: %(language)s") % {"language": name})
    return {"issuer": issuer, "reference": reference}


def render_summary(request, summary: Summary) -> bytes:
    generated_at = timezone.localtime()
    language = translation.get_language() or settings.LANGUAGE_CODE
    context = {
        "document_header": document_header(summary, language, generated_at.date()),
        "summary": summary,
        "organization": organization_name(),
        "site_name": site_name(),
        "generated_at": generated_at,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "page_size": PAPER_SIZES[summary.paper],
        # Margin-box texts go into the inline CSS: escaped for CSS here, not for HTML.
        "css_header": mark_safe(css_string(summary.header)),
        "css_as_of": mark_safe(
            css_string(
                _("Status as of %(date)s") % {"date": format_date(summary.as_of, "DATE_FORMAT")}
            )
        ),
        "css_footer": mark_safe(css_string(organization_name())),
        "css_page": mark_safe(page_counter_content()),
    }
    html = render_to_string("pdf/summary.html", context, request=request)
    return render_pdf(html)


def summary_response(request, summary: Summary) -> HttpResponse:
    return pdf_response(render_summary(request, summary), summary.filename)


# --------------------------------------------------------------------------------------------
# Meetings: the changes since the previous meeting
# --------------------------------------------------------------------------------------------


def meeting_changes(meeting: Meeting) -> MeetingChanges:
    """Mandates of the agenda's resolutions whose status (in words) differs between the
    previous meeting's date and this meeting's date, and the progress recorded in
    (previous date, this date]. Both statuses come from `with_status()`, compared by pk."""
    previous = meeting.previous()
    if previous is None:
        return MeetingChanges(previous=None)
    resolutions = list(meeting.resolutions.all())
    mandates = Mandate.objects.filter(resolution__in=resolutions)
    before = {
        pk: status_label(status, late, kind)
        for pk, status, late, kind in mandates.with_status(previous.date).values_list(
            "pk", "status", "met_late", "kind"
        )
    }
    changes = []
    for mandate in (
        mandates.with_status(meeting.date).select_related("resolution").in_reading_order()
    ):
        after = status_label(mandate.status, mandate.met_late, mandate.kind)
        was = "" if mandate.resolution.adopted_on > previous.date else before.get(mandate.pk, "")
        if was != after:
            changes.append(StatusChange(mandate=mandate, before=was, after=after))
    progress = list(
        ProgressRecord.objects.filter(
            mandate__resolution__in=resolutions,
            date__gt=previous.date,
            date__lte=meeting.date,
        )
        .select_related("mandate__resolution")
        .order_by("date", "mandate__resolution__symbol", "mandate__order", "pk")
    )
    return MeetingChanges(previous=previous, status_changes=changes, progress=progress)


def meeting_summary(meeting: Meeting, paper: str = DEFAULT_PAPER) -> Summary:
    resolutions = list(meeting.resolutions.order_by("adopted_on", "symbol"))
    rows = list(
        mandate_rows(
            Mandate.objects.filter(resolution__in=resolutions), meeting.date
        ).in_reading_order()
    )
    committee = meeting.committee
    return Summary(
        title=_("%(committee)s — %(title)s: compliance summary")
        % {"committee": committee.local_acronym, "title": meeting.local_title},
        header=meeting.document_symbol
        or _("%(committee)s, %(date)s")
        % {"committee": committee.local_acronym, "date": format_date(meeting.date, "DATE_FORMAT")},
        slug=meeting.slug,
        file_stem=f"{meeting.slug}-meeting",
        as_of=meeting.date,
        paper=paper,
        rows=rows,
        top_level_counts=True,
        subtitle=meeting.local_title,
        resolutions=resolutions,
        meeting=meeting,
        changes=meeting_changes(meeting),
    )


# --------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------


def _as_of_and_paper(request) -> tuple[datetime.date, str]:
    """Both parameters checked, all problems reported together."""
    messages, as_of, paper = [], None, DEFAULT_PAPER
    try:
        as_of = parse_as_of(request)
    except BadRequest as exc:
        messages += exc.messages
    try:
        paper = parse_paper(request)
    except BadRequest as exc:
        messages += exc.messages
    if messages:
        raise BadRequest(messages)
    return as_of, paper


# A PDF is read on paper: past this many rows it is a data export, not a summary (and would
# keep a worker busy for minutes). Such selections are refused with a message saying how to
# narrow them; the CSV/JSON exports have no limit.
PDF_MAX_ROWS = 2000


def check_size(queryset) -> None:
    count = queryset.count()
    if count > PDF_MAX_ROWS:
        raise BadRequest(
            [
                _(
                    "This selection has %(count)s mandates; a PDF summary holds at most "
                    "%(limit)s. Narrow it with the filters of the mandate list (status, "
                    "resolution, deadlines) and make the PDF from there, or download the "
                    "selection as CSV."
                )
                % {"count": f"{count:,}", "limit": f"{PDF_MAX_ROWS:,}"}
            ]
        )


def resolution_summary_pdf(request, slug):
    resolution = get_object_or_404(Resolution.objects.select_related("session"), slug=slug)
    try:
        as_of, paper = _as_of_and_paper(request)
        check_size(resolution.mandates.all())
    except BadRequest as exc:
        return bad_request(request, exc.messages)
    rows = list(mandate_rows(resolution.mandates.all(), as_of).order_by("order", "pk"))
    summary = Summary(
        title=_("%(symbol)s: compliance summary") % {"symbol": resolution.symbol},
        header=resolution.symbol,
        slug=resolution.slug,
        as_of=as_of,
        paper=paper,
        rows=rows,
        top_level_counts=True,
        subtitle=resolution.title,
        resolutions=[resolution],
        chart=status_chart(
            Mandate.objects.all(), resolution.adopted_on, as_of, resolution=resolution
        ),
    )
    return summary_response(request, summary)


def filter_stem(filters: list[dict]) -> str:
    """ "mandates-status-overdue-organ-cajp": the selection's filters, in ASCII."""
    parts = ["mandates"]
    for active in filters:
        value = slugify(str(active["value"]))
        if value:
            parts.append(f"{slugify(active['name'])}-{value}")
    stem = "-".join(parts)
    if len(stem) > FILE_STEM_MAX:
        stem = stem[:FILE_STEM_MAX].rsplit("-", 1)[0]
    return stem


def mandate_list_pdf(request):
    """The /mandates/ view with the same parameters, every page of it, as a PDF."""
    messages = []
    try:
        filterset = filtered_mandates(request)
    except BadRequest as exc:
        messages += exc.messages
    try:
        paper = parse_paper(request)
    except BadRequest as exc:
        messages += exc.messages
    if not messages:
        try:
            check_size(filterset.qs)
        except BadRequest as exc:
            messages += exc.messages
    if messages:
        return bad_request(request, messages)
    as_of = filterset.as_of_date
    filters = [f for f in filterset.active_filters() if f["name"] != "as_of"]
    rows = list(with_related(filterset.qs, as_of))
    summary = Summary(
        title=_("Mandates: compliance summary"),
        header=_("Mandates — selection") if filters else _("Mandates — all resolutions"),
        slug="mandates",
        file_stem=filter_stem(filters),
        as_of=as_of,
        paper=paper,
        rows=rows,
        # In paragraphs only (`level=paragraph`) the counts are in the site's unit; otherwise
        # the PDF labels them as rows counted separately.
        top_level_counts=filterset.paragraphs_only,
        subtitle=_("Filtered view of the mandate list") if filters else _("All mandates"),
        filters=filters,
    )
    return summary_response(request, summary)


def organ_summary_pdf(request, key):
    organ = Organ.objects.select_related("parent").filter(key=key).first()
    if organ is None:
        raise Http404(_("There is no organ with the acronym “%(acronym)s”.") % {"acronym": key})
    try:
        as_of, paper = _as_of_and_paper(request)
        check_size(Mandate.objects.responsible(organ))
    except BadRequest as exc:
        return bad_request(request, exc.messages)
    # The operative paragraphs the organ (or one under it) must act on, as on its page.
    paragraphs = Mandate.objects.top_level().addressed_to(organ)
    rows = list(mandate_rows(paragraphs, as_of).in_reading_order())
    summary = Summary(
        title=_("%(acronym)s: compliance summary") % {"acronym": organ.local_acronym},
        header=_("Mandates of %(acronym)s") % {"acronym": organ.local_acronym},
        slug=symbol_slug(organ.key),
        file_stem=f"{symbol_slug(organ.key)}-mandates",
        as_of=as_of,
        paper=paper,
        rows=rows,
        top_level_counts=True,
        subtitle=_("What %(name)s (%(acronym)s) is responsible for")
        % {"name": organ.local_name, "acronym": organ.local_acronym},
        organ=organ,
    )
    return summary_response(request, summary)


def meeting_summary_pdf(request, slug):
    """The meeting pack: as of the meeting date (an ?as_of= in the URL is ignored)."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), slug=slug)
    try:
        paper = parse_paper(request)
    except BadRequest as exc:
        return bad_request(request, exc.messages)
    return summary_response(request, meeting_summary(meeting, paper))
