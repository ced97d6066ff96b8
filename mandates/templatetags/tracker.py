"""Small template helpers: the past as-of banner, links that keep the as-of date, this page
in the other languages, and organ names a delegate can read."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .. import about, language, pinned
from ..links import cached_reverse
from ..models import today

register = template.Library()


def past_banner_link(request, as_of) -> str:
    """The past as-of banner's way back to today (the page's other parameters kept), or ""
    when the page shows today (templates/jinja2/mandates/_as_of_banner.html)."""
    if as_of is None or request is None or as_of >= today():
        return ""
    params = request.GET.copy()
    params.pop("as_of", None)
    params.pop("page", None)
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path


@register.simple_tag(takes_context=True)
def as_of_query(context, prefix: str = "?") -> str:
    """ "?as_of=2008-06-02" when the page shows a past date, else "": so that a link from a
    page about the past opens the next page on the same date, and today's links stay short."""
    as_of = context.get("as_of")
    if as_of is None:
        return ""
    # Asked for every link of a long page: today's date looked up once per request.
    request = context.get("request")
    known = request.__dict__.setdefault("_as_of_queries", {}) if request is not None else {}
    key = (as_of, prefix)
    if key not in known:
        known[key] = "" if as_of >= today() else f"{prefix}as_of={as_of.isoformat()}"
    return known[key]


@register.simple_tag
def link(viewname: str, **kwargs) -> str:
    """`{% url %}` remembered (mandates/links.py): the header and footer of every page link
    the same addresses, resolved again on each request."""
    return cached_reverse(viewname, **kwargs)


def language_versions(request) -> list[dict]:
    """This page in each language: code, own name ("Español"), address (path and query kept:
    filters, as-of date, page), absolute address for `hreflang`, and whether it is this one."""
    address = request.get_full_path_info() if request is not None else "/"
    current = pinned.language()
    prefix = get_script_prefix().rstrip("/")
    versions = []
    for code, _name in settings.LANGUAGES:
        path = prefix + language.path_in(code, address)
        versions.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"].capitalize(),
                "path": path,
                "url": request.build_absolute_uri(path) if request is not None else path,
                "current": code == current,
            }
        )
    return versions


def site_header_values(request) -> dict:
    """What the site's header shows of the request: its path (the current section), and on
    the list it searches, the searched words. Also without a request (the outage page)."""
    match = getattr(request, "resolver_match", None)
    return {
        "path": getattr(request, "path", ""),
        "searched": request.GET.get("q", "")
        if match is not None and match.url_name == "mandate_list"
        else None,
    }


@register.simple_tag(takes_context=True)
def current_address(context) -> str:
    """The page's address (path and query, language prefix included), which the language
    switcher sends back to be shown in the chosen language."""
    request = context.get("request")
    return request.get_full_path_info() if request is not None else "/"


# --- Organ names: spelled out on first use, then an <abbr> ---------------------------------


def _named_on_page(context) -> set | None:
    """The organs already named on the page being rendered (one request renders one page),
    or None when there is no request (an e-mail): then every mention is spelled out."""
    request = getattr(context, "request", None) or context.get("request")
    if request is None:
        return None
    return request.__dict__.setdefault("_organs_named_on_page", set())


def _key(named) -> tuple:
    return (type(named).__name__, named.pk)


def _abbr(named):
    return format_html('<abbr title="{}">{}</abbr>', named.local_name, named.local_acronym)


def _has_acronym(named, language: str | None = None) -> bool:
    """Collective addressees ("Member states") are named in words: they have no acronym of
    their own to show (their `acronym` is an identifier for addresses only). `language`: the
    reader's, when the caller has already looked it up."""
    if getattr(named, "kind", None) == "collective":
        return False
    return bool(named.acronym_in(language) if language else named.local_acronym)


@register.simple_tag(takes_context=True)
def organ_name(context, named):
    """An organ (or organization) named as a delegate can read it, in the reader's language:
    the first mention on the page spelled out with its acronym ("Inter-American Commission on
    Human Rights (IACHR)", "Comisión Interamericana de Derechos Humanos (CIDH)"), later ones
    the acronym with its name on hover (`<abbr title="…">IACHR</abbr>`; phones, which never
    show a hover title, print the title after it: site.css). Reads only loaded fields."""
    if named is None:
        return ""
    if not _has_acronym(named):
        return named.local_name
    seen = _named_on_page(context)
    if seen is not None and _key(named) in seen:
        return _abbr(named)
    if seen is not None:
        seen.add(_key(named))
    return f"{named.local_name} ({named.local_acronym})"


def organ_link(context, named):
    """`<a href="{{ organ.get_absolute_url() }}{{ as_of_query() }}">{{ organ_name(organ) }}</a>`
    in one call, for the Jinja2 rows: both forms of the link are made once per request and
    organ (a resolution page names the same few organs on every row), then each mention
    takes the spelled-out or the <abbr> one as `organ_name` would."""
    request = context.get("request")
    language = pinned.language()
    if request is None:  # no page to remember anything for: spelled out
        return _organ_links(context, named, language)[0]
    memo = request.__dict__
    links = memo.setdefault("_organ_links", {})
    key = _key(named)
    found = links.get(memo_key := (key, language, context.get("as_of")))
    if found is None:
        found = links[memo_key] = _organ_links(context, named, language)
    spelled, abbreviated = found
    if abbreviated is None:
        return spelled
    seen = memo.setdefault("_organs_named_on_page", set())  # as `_named_on_page`
    if key in seen:
        return abbreviated
    seen.add(key)
    return spelled


def _organ_links(context, named, language) -> tuple[SafeString, SafeString | None]:
    """The organ's link spelled out, and with its <abbr> (None: it has no acronym, see
    `_has_acronym`). Escaped as `format_html` would, without its per-argument overhead."""
    href = escape(named.get_absolute_url() + as_of_query(context))
    name, acronym = escape(named.name_in(language)), escape(named.acronym_in(language))
    if not _has_acronym(named, language):
        return mark_safe(f'<a href="{href}">{name}</a>'), None  # noqa: S308
    return (
        mark_safe(f'<a href="{href}">{name} ({acronym})</a>'),  # noqa: S308
        mark_safe(f'<a href="{href}"><abbr title="{name}">{acronym}</abbr></a>'),  # noqa: S308
    )


@register.simple_tag(takes_context=True)
def organ_named(context, named) -> str:
    """Count an organ as spelled out where the page writes its name by hand (the organ's own
    heading), so that later mentions use the <abbr>. Writes nothing."""
    seen = _named_on_page(context)
    if named is not None and seen is not None:
        seen.add(_key(named))
    return ""


@register.simple_tag
def organ_abbr(named):
    """The acronym with its name on hover, where space is short and the name is spelled out
    nearby (breadcrumbs): never counts as the first use."""
    if named is None:
        return ""
    if not _has_acronym(named):
        return named.local_name
    return _abbr(named)


@register.simple_tag(takes_context=True)
def status_label(context, status, late=False, kind="", nolink=False):
    """A status label linked to its definition (`nolink`: the label alone), or an untracked
    paragraph's kind: templates/jinja2/mandates/_status.html, rendered once per page and
    combination (a long page shows the same few on every row)."""
    request = context.get("request")
    if request is None:
        return render_status_label(status, late, kind, nolink)
    labels = request.__dict__.setdefault("_status_labels", {})
    key = (status, bool(late), kind, bool(nolink), pinned.language())
    if key not in labels:
        labels[key] = render_status_label(status, late, kind, nolink)
    return labels[key]


def render_status_label(status, late=False, kind="", nolink=False):
    from .. import jinja  # which reads this module's tags

    return jinja.macro("status_label", "mandates/_status.html")(status, late, kind, nolink)


@register.simple_tag
def status_help_url(status: str) -> str:
    """Where a status word links to: its definition on "How status is decided" (a label
    shows "Pending" for any status other than met and overdue: so does its link)."""
    return about.status_help_url(status if status in ("met", "overdue") else "pending")


@register.simple_tag
def kind_help_url(kind: str = "") -> str:
    """Where a kind label, or a "Not tracked" heading, links to: the kinds of paragraph on
    "How status is decided"."""
    return about.kind_help_url(kind)


@register.simple_tag(takes_context=True)
def status_page_address(context) -> str:
    """The full address of "How status is decided" in the active language, for a printed
    page to point to ("" without a request)."""
    request = context.get("request")
    if request is None:
        return ""
    return request.build_absolute_uri(reverse("about_status"))


@register.simple_tag
def text_with_acronyms(text, mandate):
    """A paragraph's text (escaped), with the acronyms of the organs it names as responsible
    or recipient, written in the text's language ("IACHR" in English, "CIDH" in Spanish),
    in an <abbr> with their name: the quoted text itself is never changed. Reads the
    paragraph's loaded responsibilities only."""
    body = conditional_escape(str(text))
    language = getattr(text, "language", None)
    active = pinned.language()
    expansions = {}
    for responsibility in mandate.responsibility_list:
        organ = responsibility.organ
        if not _has_acronym(organ, active):  # the active language looked up once per paragraph
            continue
        acronym, expansion = _acronym_expansion(organ.acronym_in(language), organ.name_in(language))
        expansions[acronym] = expansion
    if not any(acronym in body for acronym in expansions):
        return body  # most paragraphs name their organs in words: no pattern to run
    pattern = _acronyms_pattern(tuple(sorted(expansions, key=len, reverse=True)))
    return mark_safe(pattern.sub(lambda match: expansions[match.group(1)], body))  # noqa: S308


# A page's paragraphs name the same few organs, in the same few combinations: the markup
# and the pattern are pure functions of their words, remembered.
@lru_cache(maxsize=1024)
def _acronym_expansion(acronym: str, name: str) -> tuple[str, str]:
    return conditional_escape(acronym), format_html('<abbr title="{}">{}</abbr>', name, acronym)


@lru_cache(maxsize=1024)
def _acronyms_pattern(acronyms: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(a) for a in acronyms)
    # Whole words only, and not a symbol's prefix ("AG/RES. 2141").
    return re.compile(rf"(?<![\w/])({alternatives})(?![\w/])")


# --- Rendered by Jinja2 (mandates/jinja.py, templates/jinja2/mandates/): the paragraph rows,
# and the counts, chart, overdue box, citations, preamble and series of the pages that show them


def _jinja(context, template: str, **values):
    from .. import jinja  # which reads this module's tags

    # What the templates read of the page's context (as-of links, the request's memo of names).
    page = {
        "as_of": context.get("as_of"),
        "request": context.get("request"),
        "series_next": context.get("series_next"),
    }
    return jinja.render(template, page | values)


@register.simple_tag(takes_context=True)
def as_of_form(context):
    """The "Status as of" date form (a list's organization filter kept)."""
    return _jinja(context, "mandates/_as_of_form.html", organization=context.get("organization"))


@register.simple_tag(takes_context=True)
def pagination(context):
    """Previous / next links of the page's paginated list (`page`)."""
    return _jinja(context, "mandates/_pagination.html", page=context.get("page"))


@register.simple_tag(takes_context=True)
def paragraphs(context, mandates):
    """Every row of `mandates` (a resolution's paragraphs, a paragraph's sub-paragraphs)."""
    return _jinja(context, "mandates/_paragraph.html", mandates=mandates)


@register.simple_tag(takes_context=True)
def organs(context, mandate):
    """Who must act on the paragraph (lead, then supporting) and to whom it reports."""
    return _jinja(context, "mandates/_organs.html", mandate=mandate)


@register.simple_tag(takes_context=True)
def deadlines(context, mandate):
    return _jinja(context, "mandates/_deadlines.html", mandate=mandate)


@register.simple_tag(takes_context=True)
def trail(context, mandate):
    """The paragraph's progress records, newest first."""
    return _jinja(context, "mandates/_trail.html", mandate=mandate)


@register.simple_tag(takes_context=True)
def mandate_table(context, mandates, caption, show_resolution=False):
    """Operative paragraphs as a table (/mandates/, organ pages): one row each, with its
    resolution when `show_resolution`."""
    values = {"caption": caption, "show_resolution": show_resolution}
    return _jinja(context, "mandates/_mandate_table.html", mandates=mandates, **values)


@register.simple_tag(takes_context=True)
def organ_table(context, organs):
    """The table of /organs/: each organ (its `counts` set) and its paragraphs by status."""
    return _jinja(context, "mandates/_organ_table.html", organs=organs)


@register.simple_tag(takes_context=True)
def counts(context, counts, scope="", nolink=False):
    """The operative paragraphs by status (`empty_counts()` shape), each number a link to
    their list on the page's date: `scope` narrows it ("resolution=…"), `nolink` writes the
    numbers alone."""
    return _jinja(context, "mandates/_counts.html", counts=counts, scope=scope, nolink=nolink)


@register.simple_tag(takes_context=True)
def count_link(context, n, status="", kind="", scope=""):
    """One number of a list's row, linked as in `counts`."""
    from .. import jinja

    link = jinja.macro("count_link", "mandates/_count_link.html")
    return link(n, status, kind, scope, False, context.get("as_of"))


@register.simple_tag(takes_context=True)
def status_chart(context, chart, chart_id):
    """Met, pending and overdue month by month (mandates/charts.py), and its table."""
    return _jinja(context, "mandates/_status_chart.html", chart=chart, chart_id=chart_id)


@register.simple_tag(takes_context=True)
def overdue_glance(context, overdue, overdue_scope="", show_resolution=False):
    """The longest-overdue paragraphs (mandates/overdue.py); `overdue_scope` narrows the link
    to the whole list, `show_resolution` names each paragraph's resolution."""
    values = {"overdue_scope": overdue_scope, "show_resolution": show_resolution}
    return _jinja(context, "mandates/_overdue_glance.html", overdue=overdue, **values)


@register.simple_tag(takes_context=True)
def citations(context, cites, cited_by):
    """A resolution's "Cites" and "Cited by" (mandates/citations.py)."""
    return _jinja(context, "mandates/_citations.html", cites=cites, cited_by=cited_by)


@register.simple_tag(takes_context=True)
def preamble(context, preamble, open=False):
    """A resolution's preamble (`evidence.preamble_blocks`): 28 clauses cost the page as much
    as its counts, chart and glance together in DTL."""
    return _jinja(context, "mandates/_preamble.html", preamble=preamble, open=open)


@register.simple_tag(takes_context=True)
def series_list(context, series, resolution):
    """The members of `resolution`'s series (mandates/series.py), linked, with the sessions
    missing between them."""
    return _jinja(context, "mandates/_series.html", series=series, resolution=resolution)


# --- The layout (templates/jinja2/_layout.html), around a DTL page's blocks -----------------

SLOTS = ("title", "description", "feeds", "head", "content", "footer")


class _SlotNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        return self.nodelist.render(context)


class _LayoutNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist  # its slots, each holding a block the pages override

    def render(self, context):
        slots = {
            node.name: node.render(context) for node in self.nodelist if isinstance(node, _SlotNode)
        }
        return _jinja(context, "_layout.html", slots=slots)


@register.tag
def layout(parser, token):
    """`{% layout %}{% slot "title" %}{% block title %}{% endblock %}{% endslot %}…{% endlayout %}`
    (templates/base.html): the site's one layout, a Jinja2 template, around the blocks of a DTL
    page, each rendered by DTL first (the text between slots is not written)."""
    nodelist = parser.parse(("endlayout",))
    parser.delete_first_token()
    return _LayoutNode(nodelist)


@register.tag
def slot(parser, token):
    """`{% slot "name" %}…{% endslot %}` inside `{% layout %}`: one of the layout's SLOTS."""
    bits = token.split_contents()
    name = bits[1].strip("\"'") if len(bits) == 2 else ""
    if name not in SLOTS:
        raise template.TemplateSyntaxError(f"{{% slot %}} takes one of {', '.join(SLOTS)}")
    nodelist = parser.parse(("endslot",))
    parser.delete_first_token()
    return _SlotNode(name, nodelist)


@register.simple_tag(takes_context=True)
def site_feeds(context):
    """The site's own feeds (templates/jinja2/_site_feeds.html): the default of the `feeds`
    block, which a page's own `feeds` writes after its links with `{{ block.super }}`."""
    return _jinja(context, "_site_feeds.html")
