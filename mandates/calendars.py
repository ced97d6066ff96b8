"""iCalendar (RFC 5545) feeds of deadlines: all, one resolution, one organ.

One all-day VEVENT per deadline with a known due date. The UID is stable
(``deadline-<pk>@<domain>``), so that a calendar subscribed to several of these feeds, or
refreshing one, updates events instead of duplicating them.

The all-deadlines and per-organ calendars cover deadlines due from `CALENDAR_PAST_DAYS` ago
onward (what a subscribed calendar is for: what is coming, and what was just missed); a
resolution's calendar, bounded by the resolution, has all of its deadlines. The file is
streamed event by event, so even a registry-wide calendar never sits whole in memory.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from .feeds import Scope, organ_scope, resolution_scope, site_domain
from .language import site_name
from .models import Deadline, Responsibility, today

STATE_LABELS = {
    "fulfilled": lambda: _("met"),
    "fulfilled_late": lambda: _("met late"),
    "overdue": lambda: _("overdue"),
    "not_tracked": lambda: _("not tracked"),
    "upcoming": lambda: _("upcoming"),
    "undated": lambda: _("date not known yet"),
}


def _description(deadline, as_of: datetime.date) -> str:
    mandate = deadline.mandate
    text = " ".join(mandate.text.split())
    if len(text) > 600:
        text = text[:599] + "…"
    organs = ", ".join(
        f"{r.organ.local_acronym} ({r.get_role_display().lower()})"
        for r in mandate.responsibilities.all()
    )
    lines = [
        _("Deadline: %(wording)s") % {"wording": deadline.local_wording},
        _("Status as of %(date)s: %(state)s")
        % {"date": as_of.isoformat(), "state": STATE_LABELS[deadline.state]()},
    ]
    if deadline.fulfilled_on:
        lines.append(_("Fulfilled on %(date)s.") % {"date": deadline.fulfilled_on.isoformat()})
    if organs:
        lines.append(_("Responsible: %(organs)s") % {"organs": organs})
    lines += ["", f"{mandate.resolution.symbol} ¶{mandate.label}: {text}"]
    return "\n".join(lines)


CALENDAR_PAST_DAYS = 365
CHUNK = 1000


def calendar_events(request, scope: Scope, name: str) -> Iterator[bytes]:
    """The calendar as RFC 5545 text, one event at a time."""
    as_of = today()
    deadlines = Deadline.objects.with_state(as_of).filter(
        scope.mandate_q("mandate__"), due__isnull=False
    )
    if scope.resolution is None:
        deadlines = deadlines.filter(due__gte=as_of - datetime.timedelta(days=CALENDAR_PAST_DAYS))
    deadlines = (
        deadlines.select_related("mandate__resolution")
        .prefetch_related(
            Prefetch(
                "mandate__responsibilities",
                queryset=Responsibility.objects.select_related("organ"),
            )
        )
        .order_by("due", "pk")
    )
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.ORGANIZATION_NAME}//{settings.SITE_NAME}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    head, end, _tail = calendar.to_ical().rpartition(b"END:VCALENDAR")
    yield head
    domain = site_domain(request)
    for deadline in deadlines.iterator(chunk_size=CHUNK):
        mandate = deadline.mandate
        event = Event()
        event.add("uid", f"deadline-{deadline.pk}@{domain}")
        stamp = deadline.updated_at.astimezone(datetime.UTC).replace(microsecond=0)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("dtstart", deadline.due)
        event.add("dtend", deadline.due + datetime.timedelta(days=1))
        summary = f"{mandate.resolution.symbol} ¶{mandate.label}: {deadline.local_wording}"
        event.add("summary", summary)
        event.add("description", _description(deadline, as_of))
        event.add("url", request.build_absolute_uri(mandate.get_absolute_url()))
        event.add("categories", [STATE_LABELS[deadline.state]()])
        event.add("transp", "TRANSPARENT")
        event.add("sequence", max(deadline.version - 1, 0))
        yield event.to_ical()
    yield end + b"\r\n"


def calendar_response(request, scope: Scope, name: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        calendar_events(request, scope, name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def ical_deadlines(request):
    scope = Scope(domain=site_domain(request))
    name = _("%(site)s: deadlines") % {"site": site_name()}
    return calendar_response(request, scope, name, "deadlines.ics")


@require_safe
def ical_resolution_deadlines(request, slug):
    scope = resolution_scope(request, slug)
    name = _("%(symbol)s: deadlines") % {"symbol": scope.resolution.symbol}
    return calendar_response(request, scope, name, f"{scope.resolution.slug}-deadlines.ics")


@require_safe
def ical_organ_deadlines(request, key):
    scope = organ_scope(request, key)
    name = _("%(acronym)s: deadlines") % {"acronym": scope.organ.local_acronym}
    return calendar_response(request, scope, name, "organ-deadlines.ics")
