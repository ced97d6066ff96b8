"""Public pages of committee meetings (CAJP), and what the admin shows for a meeting.

A meeting page shows the resolutions on its agenda with their status as of the meeting date,
the changes since the committee's previous meeting and links to the PDF pack (`pdf.py`).
"""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import Mandate, Meeting, Organ
from .pdf import meeting_changes
from .pdf_render import PAPER_SIZES
from .views import counts_by, empty_counts


def meeting_list(request):
    meetings = (
        Meeting.objects.select_related("committee")
        .annotate(n_resolutions=Count("resolutions"))
        .order_by("-date", "-pk")
    )
    committees = Organ.objects.filter(meetings__isnull=False).distinct().order_by("acronym")
    return render(
        request,
        "mandates/meeting_list.html",
        {"meetings": meetings, "committees": committees},
    )


def meeting_detail(request, slug):
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), slug=slug)
    resolutions = list(meeting.resolutions.order_by("adopted_on", "symbol"))
    counts = counts_by(
        "resolution", meeting.date, Mandate.objects.filter(resolution__in=resolutions)
    )
    totals = empty_counts()
    for resolution in resolutions:
        resolution.counts = counts.get(resolution.pk, empty_counts())
        for key in totals:
            totals[key] += resolution.counts[key]
    changes = meeting_changes(meeting)
    following = (
        Meeting.objects.filter(committee_id=meeting.committee_id)
        .filter(date__gte=meeting.date)
        .exclude(pk=meeting.pk)
        .exclude(date=meeting.date, pk__lt=meeting.pk)
        .order_by("date", "pk")
        .first()
    )
    return render(
        request,
        "mandates/meeting_detail.html",
        {
            "meeting": meeting,
            "resolutions": resolutions,
            "counts": totals,
            "as_of": meeting.date,
            "changes": changes,
            "next_meeting": following,
            "pdf_url": meeting_pdf_url(meeting),
            "pdf_letter_url": meeting_pdf_url(meeting, paper="letter"),
        },
    )


def meeting_pdf_url(meeting: Meeting, paper: str = "a4") -> str:
    url = reverse("meeting_summary_pdf", kwargs={"slug": meeting.slug})
    if paper != "a4" and paper in PAPER_SIZES:
        url += f"?paper={paper}"
    return url


def admin_pdf_links(meeting: Meeting) -> str:
    """HTML for the admin (list column or read-only field): the PDF pack, A4 and Letter."""
    if meeting is None or not meeting.pk or not meeting.slug:
        return _("Save the meeting first.")
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a> · <a href="{}" target="_blank" '
        'rel="noopener">{}</a>',
        meeting_pdf_url(meeting),
        _("Download PDF (A4)"),
        meeting_pdf_url(meeting, paper="letter"),
        _("US Letter"),
    )
