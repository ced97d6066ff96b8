"""Pages that explain the tracker to its readers: "How status is decided" (the statuses, the
as-of date, sub-paragraphs, session deadlines, "reports to" and the kinds of paragraph, in
plain words). Status labels everywhere link to its anchors (`status_help_url`)."""

from __future__ import annotations

from django.shortcuts import render

from .links import cached_reverse


def status_anchor(status: str) -> str:
    """ "status-overdue": the id of a status's definition on the page."""
    return f"status-{status}"


def status_help_url(status: str) -> str:
    """The address of a status's definition, in the active language:
    "/es/about/status/#status-overdue"."""
    return f"{cached_reverse('about_status')}#{status_anchor(status)}"


def kind_help_url(kind: str = "") -> str:
    """The address of a kind's definition ("#kind-declaratory"), or of the kinds section."""
    anchor = f"kind-{kind}" if kind else "kinds-h"
    return f"{cached_reverse('about_status')}#{anchor}"


def status_explained(request):
    """The definitions. They say in words what `mandates/status.py` (`state_on`) and the
    README's "How status is decided" say in code: change the three together."""
    return render(request, "mandates/about_status.html")
