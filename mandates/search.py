"""Full-text search of mandates (`q=` on /mandates/, the exports and the API).

On PostgreSQL each mandate and resolution keeps a stored ``search_vector`` (tsvector), kept
up to date by a database trigger on every write (migration 0005) and indexed with GIN. The
vector holds the original text and each official translation (migration 0019), each stemmed
in its language, English or Spanish, through text search configurations that drop accents
first (``mt_english``, ``mt_spanish``: the unaccent dictionary before the stemmer), so
"reports" finds "report", "migracion" finds "migración" and "trabajadores" finds
"trabajador". Results are ranked and carry a ``search_headline``: the matching words between
private-use markers, which `highlight_snippet` turns into escaped HTML with <mark> tags, cut
from the text that matched (the reader's language first).

Elsewhere (SQLite for `make run`) the search is a plain case-insensitive substring match.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connections
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Created by migration 0003 (PostgreSQL only).
ENGLISH = "mt_english"
SPANISH = "mt_spanish"

# Around the matching words in ts_headline's output: characters from Unicode's private use
# area, which no resolution text uses. Everything else in the snippet is escaped.
START_MARK = "\ue000"
STOP_MARK = "\ue001"
FRAGMENT_DELIMITER = " … "

# A paragraph label typed exactly ("20.c") ranks first.
LABEL_BONUS = 1.0


def uses_full_text(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def text_query(text: str):
    """The words as typed (web-search syntax: "quoted phrase", or, -word), in both languages."""
    return SearchQuery(text, config=ENGLISH, search_type="websearch") | SearchQuery(
        text, config=SPANISH, search_type="websearch"
    )


def search_mandates(queryset: QuerySet, text: str) -> QuerySet:
    """Mandates whose text, label or resolution (symbol, title) matches `text`, best first.

    Annotates ``search_rank`` (0 on the substring fallback). The snippet is a separate step,
    `with_headline`, taken by the list page only: exports and the API do not pay for it.
    """
    text = text.strip()
    if not text:
        return queryset
    if not uses_full_text(queryset):
        return queryset.filter(
            Q(text__icontains=text)
            | Q(label__iexact=text)
            | Q(resolution__symbol__icontains=text)
            | Q(resolution__title__icontains=text)
        ).annotate(
            search_rank=Value(0.0, output_field=FloatField()),
        )
    query = text_query(text)
    return (
        queryset.filter(
            Q(search_vector=query)
            | Q(label__iexact=text)
            | Q(resolution__search_vector=query)
            | Q(resolution__symbol__icontains=text)
        )
        .annotate(
            # Cover density: words close together rank above the same words far apart.
            search_rank=SearchRank(F("search_vector"), query, cover_density=True)
            + Case(When(label__iexact=text, then=Value(LABEL_BONUS)), default=Value(0.0)),
        )
        .order_by("-search_rank", *(queryset.query.order_by or queryset.model._meta.ordering))
    )


def with_headline(queryset: QuerySet, text: str, language: str | None = None) -> QuerySet:
    """Annotate ``search_headline``: the paragraph's best passages for `text`, matches between
    START_MARK and STOP_MARK (None without a search, or on the substring fallback), and
    ``search_headline_language``: "" when they come from the original text, else the language
    of the official translation they come from (`Mandate.search_headline_source`).

    The passages come from the text in the reader's `language` (default: the active one) when
    it matches, else from the original when it matches, else from a translation that matches:
    a Spanish query that finds a paragraph through its Spanish translation shows Spanish words.
    """
    text = text.strip()
    if not text or not uses_full_text(queryset):
        return queryset.annotate(
            search_headline=Value(None, output_field=TextField()),
            search_headline_language=Value("", output_field=TextField()),
        )
    query = text_query(text)
    english = SearchQuery(text, config=ENGLISH, search_type="websearch")
    # Highlight the original with the language that matched: a Spanish paragraph's words are
    # found by their Spanish stems, which the English parse of the text would not mark.
    original = Case(
        When(
            SearchVectorExact(SearchVector("text", config=ENGLISH), english),
            then=headline(ENGLISH, query),
        ),
        default=headline(SPANISH, query),
    )
    reader = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    codes = [code for code, _name in settings.LANGUAGES]
    first = [reader] if reader in codes else []
    others = [code for code in codes if code != reader]

    # (condition, headline, language) in order of preference; the original when none matches
    # (the paragraph was found by its label or its resolution).
    def in_translation(code):
        return (translation_matches(code, query), translated_headline(code, query), code)

    choices = [
        *[in_translation(code) for code in first],
        (SearchVectorExact(text_vector(F("text")), query), original, ""),
        *[in_translation(code) for code in others],
    ]
    return queryset.annotate(
        search_headline=Case(
            *[When(condition, then=snippet) for condition, snippet, _code in choices],
            default=original,
        ),
        search_headline_language=Case(
            *[When(condition, then=Value(code)) for condition, _snippet, code in choices],
            default=Value(""),
            output_field=TextField(),
        ),
    )


def text_vector(expression) -> Func:
    """A text's vector as the index stores it (stemmed in its language: migration 0005)."""
    return Func(expression, function="mandates_text_vector", output_field=SearchVectorField())


def translation(code: str) -> KeyTextTransform:
    return KeyTextTransform(code, "text_translations")


def translation_matches(code: str, query) -> SearchVectorExact:
    """The paragraph's official translation into `code` matches (NULL, never, without one)."""
    return SearchVectorExact(text_vector(translation(code)), query)


def translated_headline(code: str, query) -> SearchHeadline:
    """The passages of the translation into `code`, cut with the configuration its vector was
    stemmed with (`mandates_text_config`, migration 0019)."""
    return headline(
        Func(translation(code), function="mandates_text_config"), query, translation(code)
    )


def headline(config, query, source="text") -> SearchHeadline:
    return SearchHeadline(
        source,
        query,
        config=config,
        start_sel=START_MARK,
        stop_sel=STOP_MARK,
        max_words=40,
        min_words=20,
        max_fragments=2,
        fragment_delimiter=FRAGMENT_DELIMITER,
    )


def highlight_snippet(headline_text: str | None, full_text: str | None = None) -> SafeString:
    """ts_headline output as HTML: every character of the data escaped, the matches in <mark>.

    Only the <mark> tags this function writes are ever marked safe, so a paragraph that
    contains "<script>" shows it as text. Given the full text, an ellipsis says that the
    snippet starts or ends inside the paragraph.
    """
    if not headline_text:
        return mark_safe("")
    parts = []
    plain = headline_text.replace(START_MARK, "").replace(STOP_MARK, "").strip()
    if full_text and not full_text.strip().startswith(plain[:30]):
        parts.append("… ")
    for i, chunk in enumerate(headline_text.split(START_MARK)):
        if i == 0:
            parts.append(escape(chunk.replace(STOP_MARK, "")))
            continue
        marked, _sep, rest = chunk.partition(STOP_MARK)
        parts.append(f"<mark>{escape(marked)}</mark>{escape(rest.replace(STOP_MARK, ''))}")
    if full_text and not full_text.strip().endswith(plain[-30:]):
        parts.append(" …")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of data above is escaped
