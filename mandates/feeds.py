"""Atom feeds of progress and status changes: everything, one resolution, one organ.

Entries are of three kinds:

- a progress record (the latest ones dated on or before today);
- a deadline *met*: the first record fulfilling it, on that record's date (status engine:
  ``Deadline.objects.with_state``);
- a deadline *missed*: it becomes overdue on the day after it fell due with no fulfilling
  record by then. Status changes are derived from deadlines and records, never stored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from .language import organization_name, site_name
from .models import Deadline, Mandate, Organ, ProgressRecord, Resolution, today
from .text import clean_control_characters

FEED_SIZE = 50


def site_domain(request) -> str:
    """The host name used in stable identifiers (Atom ids, iCalendar UIDs).

    SITE_URL when configured, so that identifiers do not change with the host a request came
    through; otherwise the (validated) host of the request.
    """
    configured = urlsplit(getattr(settings, "SITE_URL", "") or "").hostname
    return configured or request.get_host().rsplit(":", 1)[0].strip("[]") or "localhost"


@dataclass
class Scope:
    """What a feed covers: everything, one resolution or one organ (with organs under it)."""

    domain: str
    resolution: Resolution | None = None
    organ: Organ | None = None

    def mandate_q(self, prefix: str = "") -> Q:
        """Q on a model whose mandate is reached by ``prefix`` ("mandate__" or "")."""
        if self.resolution is not None:
            return Q(**{f"{prefix}resolution": self.resolution})
        if self.organ is not None:
            ids = Mandate.objects.responsible(self.organ).values("pk")
            return Q(**{f"{prefix}in" if prefix else "pk__in": ids})
        return Q()

    @property
    def label(self) -> str:
        if self.resolution is not None:
            return self.resolution.symbol
        if self.organ is not None:
            return self.organ.local_acronym
        return site_name()

    def page_url(self) -> str:
        if self.resolution is not None:
            return self.resolution.get_absolute_url()
        if self.organ is not None:
            return self.organ.get_absolute_url()
        return reverse("home")


def resolution_scope(request, slug) -> Scope:
    resolution = get_object_or_404(Resolution, slug=slug)
    return Scope(domain=site_domain(request), resolution=resolution)


def organ_scope(request, key) -> Scope:
    organ = Organ.objects.filter(key=key).first()
    if organ is None:
        raise Http404(_("There is no organ with the acronym “%(acronym)s”.") % {"acronym": key})
    return Scope(domain=site_domain(request), organ=organ)


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the secretariat on that day, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


@dataclass
class Entry:
    guid: str
    day: datetime.date
    title: str
    description: str
    link: str
    updated: datetime.datetime
    categories: list[str] = field(default_factory=list)

    @property
    def published(self) -> datetime.datetime:
        return start_of(self.day)


def _tag(scope: Scope, what: str) -> str:
    return f"tag:{scope.domain},2007:mandate-tracker/{what}"


def _mandate_name(mandate: Mandate) -> str:
    return f"{mandate.resolution.symbol} ¶{mandate.label}"


def progress_entries(scope: Scope, as_of: datetime.date) -> list[Entry]:
    records = (
        ProgressRecord.objects.as_of(as_of)
        .filter(scope.mandate_q("mandate__"))
        .select_related("mandate__resolution")
        .prefetch_related("fulfils", "documents")
        .latest_first()[:FEED_SIZE]
    )
    entries = []
    for record in records:
        parts = [f"<p>{escape(record.get_kind_display())}, {escape(record.date_label)}.</p>"]
        if record.summary:
            parts.append(linebreaks(record.summary, autoescape=True))
        if record.document_symbol:
            parts.append(
                "<p>"
                + escape(_("Document %(symbol)s.") % {"symbol": record.document_symbol})
                + "</p>"
            )
        fulfils = [d.local_wording for d in record.fulfils.all()]
        if fulfils:
            parts.append(
                "<p>"
                + escape(
                    _("Fulfils: %(deadlines)s.")
                    % {"deadlines": "; ".join(f"“{w}”" for w in fulfils)}
                )
                + "</p>"
            )
        if record.completes_mandate:
            parts.append("<p>" + escape(_("Completes the mandate.")) + "</p>")
        entries.append(
            Entry(
                guid=_tag(scope, f"progress/{record.pk}"),
                day=record.date,
                title=_("%(mandate)s: %(title)s")
                % {"mandate": _mandate_name(record.mandate), "title": record.title},
                description="".join(parts),
                link=record.mandate.get_absolute_url(),
                updated=max(record.updated_at, start_of(record.date)),
                categories=[_("Progress"), record.get_kind_display()],
            )
        )
    return entries


def met_entries(scope: Scope, as_of: datetime.date) -> list[Entry]:
    deadlines = (
        Deadline.objects.with_state(as_of)
        .filter(scope.mandate_q("mandate__"), first_fulfilled_on__lte=as_of)
        .select_related("mandate__resolution")
        .order_by("-first_fulfilled_on", "-pk")[:FEED_SIZE]
    )
    entries = []
    for deadline in deadlines:
        late = deadline.state == "fulfilled_late"
        status = _("met late") if late else _("met")
        description = _("The deadline “%(wording)s” was %(status)s on %(date)s.") % {
            "wording": deadline.local_wording,
            "status": status,
            "date": deadline.fulfilled_on.isoformat(),
        }
        if deadline.due:
            description += " " + _("It was due on %(due)s.") % {"due": deadline.due.isoformat()}
        entries.append(
            Entry(
                guid=_tag(scope, f"deadline/{deadline.pk}/met/{deadline.fulfilled_on}"),
                day=deadline.fulfilled_on,
                title=_("%(mandate)s: deadline %(status)s (“%(wording)s”)")
                % {
                    "mandate": _mandate_name(deadline.mandate),
                    "status": status,
                    "wording": deadline.local_wording,
                },
                description=f"<p>{escape(description)}</p>",
                link=deadline.mandate.get_absolute_url(),
                updated=start_of(deadline.fulfilled_on),
                categories=[_("Status change"), _("Met")],
            )
        )
    return entries


def missed_entries(scope: Scope, as_of: datetime.date) -> list[Entry]:
    """Deadlines that became overdue: due before as_of and not fulfilled by their due date."""
    # Not fulfilled by its due date: no first fulfilment yet, or one after the due date.
    deadlines = (
        Deadline.objects.of_tracked_paragraphs()
        .filter(scope.mandate_q("mandate__"), due__lt=as_of)
        .filter(Q(first_fulfilled_on__isnull=True) | Q(first_fulfilled_on__gt=F("due")))
        .select_related("mandate__resolution")
        .order_by("-due", "-pk")[:FEED_SIZE]
    )
    entries = []
    for deadline in deadlines:
        became = deadline.due + datetime.timedelta(days=1)
        description = _(
            "The deadline “%(wording)s” fell due on %(due)s with no progress record fulfilling "
            "it: the mandate became overdue on %(date)s."
        ) % {"wording": deadline.local_wording, "due": deadline.due.isoformat(), "date": became}
        entries.append(
            Entry(
                guid=_tag(scope, f"deadline/{deadline.pk}/overdue/{deadline.due}"),
                day=became,
                title=_("%(mandate)s: deadline missed (“%(wording)s”)")
                % {"mandate": _mandate_name(deadline.mandate), "wording": deadline.local_wording},
                description=f"<p>{escape(description)}</p>",
                link=deadline.mandate.get_absolute_url(),
                updated=start_of(became),
                categories=[_("Status change"), _("Overdue")],
            )
        )
    return entries


def feed_entries(scope: Scope, as_of: datetime.date | None = None) -> list[Entry]:
    as_of = as_of or today()
    entries = progress_entries(scope, as_of) + met_entries(scope, as_of)
    entries += missed_entries(scope, as_of)
    entries.sort(key=lambda e: (e.day, e.updated, e.guid), reverse=True)
    return entries[:FEED_SIZE]


class StyledAtom1Feed(Atom1Feed):
    """Atom with an ``xml-stylesheet`` (a browser shows the feed as a readable page that says
    how to subscribe) and a ``related`` link to the follow page. Django writes stylesheets
    for RSS only."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_stylesheets(self, handler):
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("follow_url"):
            handler.addQuickElement("link", "", {"rel": "related", "href": self.feed["follow_url"]})


def atom_stylesheet(request):
    """The XSL that turns an Atom feed into a page: what a feed is, how to follow it."""
    return render(request, "feeds/atom.xsl", {}, content_type="text/xsl; charset=utf-8")


class ProgressFeed(Feed):
    """Progress records and status changes, newest first."""

    feed_type = StyledAtom1Feed

    def stylesheets(self):
        return [Stylesheet(reverse("feed_stylesheet"), mimetype="text/xsl")]

    def get_feed(self, obj, request):
        from django.contrib.sites.shortcuts import get_current_site
        from django.contrib.syndication.views import add_domain

        from .follow import Followed

        feed = super().get_feed(obj, request)
        followed = Followed(resolution=obj.resolution, organ=obj.organ)
        domain = get_current_site(request).domain
        feed.feed["follow_url"] = add_domain(domain, followed.follow_url(), request.is_secure())
        return feed

    def get_object(self, request, *args, **kwargs):
        return Scope(domain=site_domain(request))

    # XML 1.0 cannot carry control characters (U+000B from a word processor, …): everything
    # taken from stored text is cleaned on the way out, for rows saved before input cleaning.
    def title(self, scope):
        return clean_control_characters(
            _("%(scope)s: progress and status changes") % {"scope": scope.label}
        )

    def subtitle(self, scope):
        return _(
            "Progress recorded on mandates, and deadlines met or missed, newest first (%(site)s)."
        ) % {"site": site_name()}

    def link(self, scope):
        return scope.page_url()

    def feed_guid(self, scope):
        what = "all"
        if scope.resolution is not None:
            what = f"resolution/{scope.resolution.pk}"
        elif scope.organ is not None:
            what = f"organ/{scope.organ.pk}"
        return _tag(scope, f"feed/{what}")

    def author_name(self):
        return organization_name()

    def items(self, scope):
        return feed_entries(scope)

    def item_title(self, entry):
        return clean_control_characters(entry.title)

    def item_description(self, entry):
        return clean_control_characters(entry.description)

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return entry.guid

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return [clean_control_characters(category) for category in entry.categories]


class ResolutionProgressFeed(ProgressFeed):
    def get_object(self, request, slug):
        return resolution_scope(request, slug)


class OrganProgressFeed(ProgressFeed):
    def get_object(self, request, key):
        return organ_scope(request, key)
