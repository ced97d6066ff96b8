"""Citations between resolutions: stored from the text, shown both ways.

``store(resolution)`` reads the resolution's stored preamble (clauses numbered as on its page
and in evidence proposals: ``evidence.preamble_clauses``) and its operative paragraphs with
the importer's reader (``importer.citations``) and rewrites its ``Citation`` rows. The loader
calls it whenever it saves or replaces a text (import command, admin import, ``--replace``,
the default data), in the same transaction; ``manage.py extract_citations`` does it for
resolutions already in a database.

The page shows what a resolution cites and what cites it (``references``), each side in one
query (two for a resolution cited in over CITED_BY_ROWS places) and bounded: a UN resolution
can cite forty others, a much-cited one can be cited by hundreds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .evidence import preamble_clauses
from .importer.citations import citations as read_citations
from .links import cached_reverse
from .models import Citation, Compiled, Resolution
from .rows import UNSHOWN_RESOLUTION

# Rows of "Cites" shown (a text rarely names more), citing resolutions of "Cited by", and
# the places citing a resolution read at most to show them (a much-cited one: then counted).
CITES_SHOWN = 100
CITED_BY_SHOWN = 20
CITED_BY_ROWS = 500


def _cites_columns() -> list[str]:
    """A citation's own columns and the cited resolution's, less its text. (`cited` joins on
    the symbol, a relation without a column of its own, which `defer()` cannot reach.)"""
    return [f.name for f in Citation._meta.concrete_fields] + [
        f"cited__{f.name}"
        for f in Resolution._meta.concrete_fields
        if f.name not in UNSHOWN_RESOLUTION
    ]


# Each page asks both: kept compiled (models/compiled.py).
CITES = Compiled(
    lambda citing: Citation.objects.cites_page(citing, CITES_SHOWN).only(*_cites_columns()),
    citing=int,
)
CITING = Compiled(
    lambda symbol: Citation.objects.citing(symbol).defer(
        *(f"citing__{name}" for name in UNSHOWN_RESOLUTION)
    )[: CITED_BY_ROWS + 1],
    symbol=str,
)


def extract(symbol: str, preamble: str, paragraphs: Iterable[tuple[str, str]]) -> list[dict]:
    """The citations of a text, as field values for ``Citation`` (without ``citing``): each
    cited symbol once per preamble clause or paragraph, in reading order. Pure: the data
    migration uses it too."""
    rows: list[dict] = []
    for number, clause in enumerate(preamble_clauses(preamble), start=1):
        for cited in read_citations(clause, symbol):
            rows.append(
                {
                    "cited_symbol": cited.symbol,
                    "part": Citation.Part.PREAMBLE,
                    "clause": number,
                    "label": "",
                    "snippet": cited.snippet,
                }
            )
    for label, text in paragraphs:
        for cited in read_citations(text, symbol):
            rows.append(
                {
                    "cited_symbol": cited.symbol,
                    "part": Citation.Part.OPERATIVE,
                    "clause": None,
                    "label": label,
                    "snippet": cited.snippet,
                }
            )
    limit = Citation._meta.get_field("cited_symbol").max_length
    for order, row in enumerate(rows, start=1):
        row["order"] = order
        row["cited_symbol"] = row["cited_symbol"][:limit]
    return rows


def store(resolution: Resolution) -> int:
    """Rewrite ``resolution``'s citations from its stored text. Call inside the transaction
    that saved the text. Returns how many were stored."""
    paragraphs = resolution.mandates.order_by("order", "pk").values_list("label", "text")
    rows = extract(resolution.symbol, resolution.preamble, paragraphs)
    Citation.objects.filter(citing=resolution).delete()
    Citation.objects.bulk_create(Citation(citing=resolution, **row) for row in rows)
    return len(rows)


@dataclass
class Reference:
    """One resolution on the other side: its symbol, the resolution when it is in the
    tracker, and the places of the citing text that name it."""

    symbol: str
    resolution: Resolution | None
    places: list[Citation] = field(default_factory=list)


@dataclass
class References:
    items: list[Reference]
    more: int = 0  # not shown: citing resolutions ("Cited by"), or places ("Cites")


def place_url(row: Citation, citing_slug: str) -> tuple[str, str]:
    """Where the citing text names it, as (page, fragment): its preamble clause on the citing
    page, or the paragraph's own page (the citing page may show it on another of its pages).
    The page takes the as-of date between the two."""
    if row.part == Citation.Part.PREAMBLE:
        return cached_reverse("resolution_detail", slug=citing_slug), f"#clause-{row.clause}"
    return cached_reverse("mandate_detail", slug=citing_slug, label=row.label), ""


def _group(rows: Iterable[Citation], key, resolution_of, citing_slug) -> list[Reference]:
    grouped: dict[str, Reference] = {}
    for row in rows:
        row.page_url, row.fragment = place_url(row, citing_slug(row))
        row.url = row.page_url + row.fragment
        name = key(row)
        if name not in grouped:
            grouped[name] = Reference(name, resolution_of(row))
        grouped[name].places.append(row)
    return list(grouped.values())


def cites(resolution: Resolution) -> References:
    """What the resolution's text cites, in reading order (one query)."""
    rows = CITES(citing=resolution.pk)
    items = _group(
        rows, lambda row: row.cited_symbol, lambda row: row.cited, lambda _row: resolution.slug
    )
    return References(items, (rows[0].cites_total - len(rows)) if rows else 0)


def cited_by(resolution: Resolution) -> References:
    """The resolutions whose text cites this one, newest first: the first CITED_BY_SHOWN,
    each with every place that names it. One plain query; a second counts the citing
    resolutions only when the first could not read them all (over CITED_BY_ROWS places)."""
    rows = CITING(symbol=resolution.symbol)
    complete = len(rows) <= CITED_BY_ROWS
    items = _group(
        rows[:CITED_BY_ROWS],
        lambda row: row.citing.symbol,
        lambda row: row.citing,
        lambda row: row.citing.slug,
    )
    if complete:
        total = len(items)
    else:
        if len(items) > 1:
            items.pop()  # the last resolution read may have more places beyond the cut
        total = Citation.objects.citing_count(resolution.symbol)
    shown = items[:CITED_BY_SHOWN]
    return References(shown, total - len(shown))


def references_statements(resolution: Resolution) -> list:
    """What `references` reads (for `read_ahead`)."""
    return [CITES.statement(citing=resolution.pk), CITING.statement(symbol=resolution.symbol)]


def references(resolution: Resolution) -> dict:
    """The page's "Cites" and "Cited by" (two queries)."""
    return {"cites": cites(resolution), "cited_by": cited_by(resolution)}
