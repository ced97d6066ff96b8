"""Public pages. Views pick a queryset (always through `with_status`), filter, paginate, render."""

from __future__ import annotations

import datetime
import functools

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Min
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import render as django_render
from django.utils.translation import gettext as _

from . import jinja, pinned, rows
from .charts import status_chart, status_chart_statement
from .citations import references, references_statements
from .evidence import preamble_blocks
from .filters import AsOfForm, ChangesForm, MandateFilter, OverTimeForm, ResolutionListForm
from .models import (
    Compiled,
    Deadline,
    Mandate,
    Organ,
    Organization,
    ProgressRecord,
    Resolution,
    StatusPeriod,
    add_to_counts,
    empty_counts,
    today,
)
from .models.compiled import read_ahead
from .overdue import overdue_paragraphs
from .series import series_context, series_statements

PAGE_SIZE = 50
# A resolution page shows this many operative paragraphs (with their sub-paragraphs, deadlines
# and trails) at once: most OAS resolutions fit; longer ones (UN omnibus texts run to hundreds)
# get pages and a jump list, each page a few screens long and quick to render.
RESOLUTION_PAGE_SIZE = 25
UPCOMING_DAYS = 90
NEXT_DEADLINES = 5
UPCOMING_SHOWN = 20
RESOLUTION_LIST_PAGE_SIZE = 100
CHANGES_RECORDS_SHOWN = 50


def render(request, template: str, context: dict, **options):
    """Django's `render`, with the language and link settings read once for the whole page
    (mandates/pinned.py): these views never switch language while rendering."""
    with pinned.rendering():
        return django_render(request, template, context, **options)


class BadRequest(Exception):
    """Bad query parameters: shown to the user with status 400."""

    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = messages


def parse_as_of(request) -> datetime.date:
    if "as_of" not in request.GET:
        return today()  # what the form gives for no date, without building one
    form = AsOfForm(request.GET)
    if not form.is_valid():
        raise BadRequest([str(m) for errors in form.errors.values() for m in errors])
    return form.cleaned_data["as_of"]


def bad_request(request, messages):
    return render(request, "400.html", {"messages_list": messages}, status=400)


def mandate_rows(queryset, as_of: datetime.date):
    """Mandates with everything a row shows, in a fixed number of queries whatever the count:
    status (annotated), resolution and parent, organs, deadlines with their state, and the
    progress trail as of D (a resolution's own page: `rows.of_resolution`)."""
    return with_related(queryset.with_status(as_of), as_of)


def with_organs(queryset):
    """What a row of a mandate table shows besides its status: resolution and organs."""
    return queryset.select_related("resolution", "parent").loading(rows.load_organs)


def with_related(queryset, as_of: datetime.date):
    """What a paragraph shows in full (organs, deadlines with their state, the progress trail
    as of D), loaded once the paragraphs are fetched (mandates/rows.py) on an already
    status-annotated queryset."""
    return with_organs(queryset).loading(functools.partial(rows.load_related, as_of=as_of))


def tally(mandates) -> dict:
    """Counts by status (untracked ones by kind) of mandates annotated by `with_status`."""
    counts = empty_counts()
    for mandate in mandates:
        add_to_counts(counts, mandate.status, mandate.kind, 1)
    return counts


def counts_by(field: str, as_of: datetime.date, queryset=None) -> dict:
    """{resolution or organ id: {"pending": n, "met": n, "overdue": n, "total": n}} of
    operative paragraphs, in one query (`MandateQuerySet.paragraph_counts`)."""
    queryset = Mandate.objects.all() if queryset is None else queryset
    return queryset.paragraph_counts(as_of, by=field)


def home(request):
    try:
        as_of = parse_as_of(request)
    except BadRequest as exc:
        return bad_request(request, exc.messages)
    counts = Mandate.objects.paragraph_counts(as_of)
    open_deadlines = (
        Deadline.objects.of_tracked_paragraphs()
        .with_state(as_of)
        .filter(due__gte=as_of, fulfilled_on__isnull=True)
        .select_related("mandate__resolution", "session")
        .order_by("due", "pk")
    )
    near = open_deadlines.filter(due__lte=as_of + datetime.timedelta(days=UPCOMING_DAYS))
    # The first few, and how many more: a registry can have a thousand due within 90 days.
    upcoming = list(near[: UPCOMING_SHOWN + 1])
    upcoming_more = near.count() - UPCOMING_SHOWN if len(upcoming) > UPCOMING_SHOWN else 0
    upcoming = upcoming[:UPCOMING_SHOWN]
    # None near: the next ones, however far, rather than an empty box.
    later = [] if upcoming else list(open_deadlines[:NEXT_DEADLINES])
    latest = (
        ProgressRecord.objects.as_of(as_of)
        .latest_first()
        .select_related("mandate__resolution")[:10]
    )
    resolutions = Resolution.objects.order_by("-adopted_on")[:5]
    return render(
        request,
        "mandates/home.html",
        {
            "as_of": as_of,
            "counts": counts,
            "is_today": as_of == today(),
            "upcoming": upcoming,
            "later": later,
            "upcoming_days": UPCOMING_DAYS,
            "since_default": as_of - datetime.timedelta(days=30),
            "upcoming_more": upcoming_more,
            "latest": latest,
            "resolutions": resolutions,
        },
    )


def resolution_list(request):
    form = ResolutionListForm(request.GET)
    if not form.is_valid():
        return bad_request(request, [str(m) for errors in form.errors.values() for m in errors])
    as_of, organization = form.cleaned_data["as_of"], form.cleaned_data["organization"]
    resolutions = Resolution.objects.select_related("session").order_by("-adopted_on", "symbol")
    if organization is not None:
        resolutions = resolutions.filter(organization=organization)
    # A registry holds thousands: a page of them, with the counts of that page's alone.
    try:
        page = paginate(request, resolutions, RESOLUTION_LIST_PAGE_SIZE)
    except BadRequest as exc:
        return bad_request(request, exc.messages)
    resolutions = list(page.object_list)
    shown = Mandate.objects.filter(resolution__in=[r.pk for r in resolutions])
    counts = counts_by("resolution", as_of, shown) if resolutions else {}
    for resolution in resolutions:
        resolution.counts = counts.get(resolution.pk, empty_counts())
    return render(
        request,
        "mandates/resolution_list.html",
        {
            "resolutions": resolutions,
            "page": page,
            "as_of": as_of,
            "form": AsOfForm(initial={"as_of": as_of}),
            "organization": organization,
            "organizations": Organization.objects.all(),
        },
    )


# Kept compiled (models/compiled.py): the "last updated" expression is ten subqueries.
RESOLUTION_PAGE = Compiled(
    lambda slug: (
        Resolution.objects.select_related("session")
        .defer(*rows.UNSHOWN_TEXT)  # the page shows its own "last updated"
        .with_last_change()
        .with_operative_count()
        .filter(slug=slug)
    ),
    slug=str,
)


def resolution_detail(request, slug):
    # Its citations, series, overdue box and rows link dozens of pages before the render:
    # the language and link settings read once for all of it (mandates/pinned.py).
    with pinned.rendering():
        return _resolution_detail(request, slug)


def _resolution_detail(request, slug):
    found = RESOLUTION_PAGE(slug=slug)
    if not found:
        raise Http404(_("There is nothing at this address."))
    resolution = found[0]
    try:
        as_of = parse_as_of(request)
    except BadRequest as exc:
        return bad_request(request, exc.messages)
    # What the page reads next depends only on the resolution: sent together (one round
    # trip), its rows too when they are sure to fit on one page.
    one_page = resolution.operative_count <= RESOLUTION_PAGE_SIZE
    with read_ahead(
        [
            status_chart_statement(
                Mandate.objects.all(), resolution.adopted_on, as_of, resolution=resolution
            ),
            *(rows.statements_of_resolution(resolution, as_of) if one_page else ()),
            *series_statements(resolution),
            *references_statements(resolution),
        ]
    ):
        try:
            page_values = _resolution_page_values(request, resolution, as_of)
        except BadRequest as exc:
            return bad_request(request, exc.messages)
    # One Jinja2 render: the layout, this page's head and its body.
    return jinja.response(request, "mandates/resolution_page.html", page_values)


def _resolution_page_values(request, resolution, as_of: datetime.date) -> dict:
    chart = status_chart(Mandate.objects.all(), resolution.adopted_on, as_of, resolution=resolution)
    # The chart's last column is as_of: its counts, which also give the number of
    # paragraphs and of overdue ones.
    counts = chart.counts_on(as_of)
    # On one page, the page's rows are all its paragraphs (no queryset of them to build);
    # else this page's paragraphs (ids) and their sub-paragraphs.
    paged = counts["total"] > RESOLUTION_PAGE_SIZE
    paragraphs = resolution.mandates.top_level().order_by("order", "pk") if paged else None
    page = paginate(
        request,
        paragraphs.values_list("pk", flat=True) if paged else (),
        RESOLUTION_PAGE_SIZE,
        count=counts["total"],
    )
    mandates = rows.of_resolution(resolution, as_of, list(page.object_list) if paged else None)
    return {
        **series_context(resolution, mandates),
        **references(resolution),
        "preamble": preamble_blocks(resolution.preamble),
        "resolution": resolution,
        "mandates": mandates,
        "page": page,
        "jump_list": jump_list(paragraphs, page),
        # A resolution on one page: its rows hold everything the box says.
        "overdue": overdue_paragraphs(
            paragraphs,  # the box orders them its own way
            as_of,
            total=counts["overdue"],
            shown=mandates if not paged else None,
        ),
        "counts": counts,
        "chart": chart,
        "as_of": as_of,
    }


def changes(request):
    """/changes/?since=YYYY-MM-DD: operative paragraphs whose status changed, and progress
    recorded, after a date — what a delegate reads before a meeting."""
    form = ChangesForm(request.GET)
    if not form.is_valid():
        return bad_request(request, [str(m) for errors in form.errors.values() for m in errors])
    since, as_of = form.cleaned_data["since"], form.cleaned_data["as_of"]
    periods = StatusPeriod.objects.changes(since, as_of).select_related("mandate__resolution")
    try:
        page = paginate(request, periods)
    except BadRequest as exc:
        return bad_request(request, exc.messages)
    before = StatusPeriod.objects.previous_statuses(page.object_list)
    for period in page.object_list:
        period.previous = before.get((period.mandate_id, period.starts_on))
    records = ProgressRecord.objects.filter(date__gt=since, date__lte=as_of)
    return render(
        request,
        "mandates/changes.html",
        {
            # The dates in effect, defaults included, in the typed-date widget of every page.
            "form": ChangesForm(initial={"since": since, "as_of": as_of}),
            "since": since,
            "as_of": as_of,
            "page": page,
            "changes": page.object_list,
            "records": records.select_related("mandate__resolution").latest_first()[
                :CHANGES_RECORDS_SHOWN
            ],
            "records_total": records.count(),
        },
    )


def status_over_time(request):
    """/over-time/: operative paragraphs met, pending and overdue month by month — of the
    whole registry, or of one organ (`?organ=`) — from the oldest resolution's adoption."""
    form = OverTimeForm(request.GET)
    if not form.is_valid():
        return bad_request(request, [str(m) for errors in form.errors.values() for m in errors])
    as_of, organ = form.cleaned_data["as_of"], form.cleaned_data["organ"]
    paragraphs = Mandate.objects.top_level()
    if organ is not None:
        paragraphs = paragraphs.addressed_to(organ)
    first = paragraphs.aggregate(first=Min("resolution_adopted_on"))["first"]
    chart = status_chart(Mandate.objects.all(), first, as_of, organ=organ) if first else None
    return render(
        request,
        "mandates/status_over_time.html",
        {
            "chart": chart,
            "organ": organ,
            "as_of": as_of,
            "form": OverTimeForm(initial={"as_of": as_of}),
        },
    )


def jump_list(paragraphs, page) -> list[dict]:
    """For a resolution on several pages: each page's first and last paragraph label."""
    if not page.has_other_pages():
        return []
    labels = list(paragraphs.values_list("label", flat=True))
    size = page.paginator.per_page
    return [
        {
            "number": n,
            "first": labels[(n - 1) * size],
            "last": labels[min(n * size, len(labels)) - 1],
        }
        for n in page.paginator.page_range
    ]


def mandate_detail(request, slug, label):
    try:
        as_of = parse_as_of(request)
    except BadRequest as exc:
        return bad_request(request, exc.messages)
    queryset = mandate_rows(Mandate.objects.all(), as_of).prefetch_related("children")
    mandate = get_object_or_404(queryset, resolution__slug=slug, label=label)
    children = list(mandate_rows(mandate.children.all(), as_of).order_by("order", "pk"))
    return render(
        request,
        "mandates/mandate_detail.html",
        {
            "mandate": mandate,
            "resolution": mandate.resolution,
            "children": children,
            "as_of": as_of,
            "form": AsOfForm(initial={"as_of": as_of}),
        },
    )


def paginate(request, queryset, size: int = PAGE_SIZE, count: int | None = None):
    """The requested page; a page number that does not exist is a 404 with a message.
    `count`: the number of rows when the page already knows it (no second count query)."""
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count  # a cached_property: the paginator then never counts
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except PageNotAnInteger as exc:
        raise BadRequest([_("“page” must be a whole number.")]) from exc
    except EmptyPage as exc:
        raise Http404(
            _("There is no page %(number)s: this list has %(pages)d page(s).")
            % {"number": str(number)[:20], "pages": paginator.num_pages}
        ) from exc


def paginate_rows(request, queryset, size: int = PAGE_SIZE, *, ids=None, count=None):
    """`paginate` for lists of mandates: the page is chosen on ids alone (a narrow sort over
    every matching row), then only its rows are loaded with all they show. Sorting the full,
    wide rows of 20,000 matches to keep 50 is what made big lists slow. `ids`: the same
    selection and order without the status join, when neither filters nor sorts on status."""
    ids_queryset = queryset if ids is None else ids
    page = paginate(request, ids_queryset.values_list("pk", flat=True), size, count)
    ids = list(page.object_list)
    by_pk = {row.pk: row for row in queryset.filter(pk__in=ids)}
    page.object_list = [by_pk[pk] for pk in ids if pk in by_pk]
    return page


def filtered_mandates(request):
    """The /mandates/ selection: the FilterSet on GET, or BadRequest. Shared with the PDF."""
    filterset = MandateFilter(
        request.GET,
        queryset=Mandate.objects.select_related("resolution", "parent").in_reading_order(),
    )
    if not filterset.is_valid():
        raise BadRequest(filterset.error_messages())
    return filterset


def mandate_list(request):
    try:
        filterset = filtered_mandates(request)
        mandates = with_organs(filterset.qs)
        # The matching words of a search, highlighted in each row (on the page's rows only).
        mandates = mandates.with_search_headline(filterset.form.cleaned_data.get("q") or "")
        page = paginate_rows(request, mandates, ids=filterset.selection)
    except BadRequest as exc:
        filterset = MandateFilter(request.GET, queryset=Mandate.objects.none())
        return render(
            request,
            "mandates/mandate_list.html",
            {"filter": filterset, "errors": exc.messages, "as_of": today()},
            status=400,
        )
    return render(
        request,
        "mandates/mandate_list.html",
        {
            "filter": filterset,
            "page": page,
            "mandates": page.object_list,
            "as_of": filterset.as_of_date,
            "active_filters": filterset.active_filters(),
        },
    )


def organ_list(request):
    form = ResolutionListForm(request.GET)
    if not form.is_valid():
        return bad_request(request, [str(m) for errors in form.errors.values() for m in errors])
    as_of, organization = form.cleaned_data["as_of"], form.cleaned_data["organization"]
    counts = counts_by("organs", as_of)
    organs = Organ.objects.select_related("parent").order_by("acronym")
    if organization is not None:
        organs = organs.filter(organization=organization)
    organs = Organ.in_reader_order(list(organs))
    for organ in organs:
        organ.counts = counts.get(organ.pk, empty_counts())
    with_mandates = [o for o in organs if o.counts["total"]]
    without = [o for o in organs if not o.counts["total"]]
    return render(
        request,
        "mandates/organ_list.html",
        {
            "organs": with_mandates,
            "organs_without": without,
            "as_of": as_of,
            "form": AsOfForm(initial={"as_of": as_of}),
            "organization": organization,
            "organizations": Organization.objects.all(),
        },
    )


def organ_detail(request, key):
    organ = Organ.objects.select_related("parent", "organization").filter(key=key).first()
    if organ is None:
        raise Http404(_("There is no organ with the acronym “%(acronym)s”.") % {"acronym": key})
    try:
        as_of = parse_as_of(request)
    except BadRequest as exc:
        return bad_request(request, exc.messages)
    # The operative paragraphs this organ (or one under it) must act on: the same rule and
    # unit as its line on /organs/ and its count links.
    paragraphs = Mandate.objects.top_level().addressed_to(organ)
    # The counts give the list's length and the overdue box's: three fewer passes over what
    # can be half the registry.
    counts = Mandate.objects.paragraph_counts(as_of, organ=organ)
    try:
        page = paginate_rows(
            request,
            mandate_rows(paragraphs, as_of).in_reading_order(),
            ids=paragraphs.in_reading_order(),
            count=counts["total"],
        )
    except BadRequest as exc:
        return bad_request(request, exc.messages)
    sub_organs = organ.children.order_by("acronym")
    return render(
        request,
        "mandates/organ_detail.html",
        {
            "organ": organ,
            "mandates": page.object_list,
            "page": page,
            "counts": counts,
            "overdue": overdue_paragraphs(paragraphs, as_of, total=counts["overdue"]),
            "sub_organs": sub_organs,
            "as_of": as_of,
            "form": AsOfForm(initial={"as_of": as_of}),
        },
    )
