"""Search reads the official translations (issue 13, a gap of point 3 with issue 14, point 4):
a Spanish query finds a paragraph through its Spanish translation, ranked in the same single
index, with a snippet cut from the Spanish text."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from mandates.models import Mandate, Resolution
from mandates.search import text_query

from .factories import SLUG_2289

SYMBOL = "AG/RES. 2289 (XXXVII-O/07)"
SAMPLE = Path(__file__).parent / "data" / "import" / "translations" / "ag-res-2289-es-sample.txt"
# Words of ¶20.c's Spanish text ("Presentar al Consejo Permanente un informe sobre la situación
# de los derechos de los migrantes.") that its English original does not have.
QUERY = "situación de los migrantes"

pytestmark = pytest.mark.usefixtures("default_data")


def import_spanish():
    call_command(
        "import_resolution",
        str(SAMPLE),
        "--translation-of",
        SYMBOL,
        stdout=StringIO(),
        stderr=StringIO(),
    )


def labels(queryset) -> list[str]:
    return list(queryset.values_list("label", flat=True))


def rows_of(html: str) -> list[str]:
    return re.findall(
        r'<th scope="row"[^>]*><a [^>]*>(?:<span[^>]*>[^<]*</span> )?¶&nbsp;([^<]+)</a>', html
    )


def test_a_spanish_query_finds_a_paragraph_through_its_spanish_translation(client):
    resolution = Resolution.objects.get(symbol=SYMBOL)
    assert labels(Mandate.objects.filter(resolution=resolution).search(QUERY)) == []
    import_spanish()
    found = labels(Mandate.objects.filter(resolution=resolution).search(QUERY))
    assert found[0] == "20.c"

    for url in (f"/es/mandates/?q={QUERY}", f"/mandates/?q={QUERY}"):
        html = client.get(url).content.decode()
        assert rows_of(html)[0] == "20.c", url
        # The snippet comes from the Spanish text, says so, and marks the Spanish words.
        snippet = re.search(r'<span class="snippet" lang="(\w+)">(.*?)</span>', html)
        assert snippet.group(1) == "es"
        assert "<mark>situación</mark>" in snippet.group(2)
        assert "<mark>migrantes</mark>" in snippet.group(2)
        assert "Presentar al Consejo Permanente" in snippet.group(2)


def test_the_readers_language_gives_the_snippet_when_both_texts_match(client):
    """ "Consejo Permanente" is in both texts as words: the English query "Permanent Council"
    matches the original, the Spanish translation matches "Consejo Permanente"."""
    import_spanish()
    spanish = client.get(f"/es/mandates/?q=Consejo+Permanente&resolution={SLUG_2289}")
    snippets = re.findall(r'<span class="snippet" lang="(\w+)">', spanish.content.decode())
    assert snippets and set(snippets) == {"es"}
    english = client.get(f"/mandates/?q=Permanent+Council&resolution={SLUG_2289}")
    snippets = re.findall(r'<span class="snippet" lang="(\w+)">', english.content.decode())
    assert snippets and set(snippets) == {"en"}


def test_one_index_holds_the_original_and_its_translations():
    import_spanish()
    sub = Mandate.objects.get(resolution__symbol=SYMBOL, label="20.c")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM mandates_mandate WHERE id = %s", [sub.pk])
        (vector,) = cursor.fetchone()
    assert "'situacion'" in vector  # the Spanish stem, accent dropped
    assert "'council'" in vector  # the English original's
    # The paragraph-text part of a search reads the GIN index on that one column.
    query = Mandate.objects.order_by().filter(search_vector=text_query(QUERY)).query
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "mandates_mandate_search_gin" in plan


def test_a_translated_title_finds_the_resolution():
    import_spanish()
    found = Mandate.objects.search("trabajadores migratorios familias")
    assert found.filter(resolution__symbol=SYMBOL).exists()
