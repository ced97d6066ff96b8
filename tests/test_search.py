"""`q=`: full-text search on PostgreSQL (stems, accents, Spanish, rank, highlighted snippet)."""

import datetime
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection
from pytest_django.asserts import assertContains, assertNotContains

from mandates.models import Mandate, Resolution
from mandates.search import START_MARK, STOP_MARK, highlight_snippet, text_query

from .factories import SLUG_2289

pytestmark = pytest.mark.usefixtures("default_data")


def labels_in(response) -> list[str]:
    html = response.content.decode()
    return re.findall(
        r'<th scope="row"[^>]*><a [^>]*>(?:<span[^>]*>[^<]*</span> )?¶&nbsp;([^<]+)</a>', html
    )


def make_paragraphs(symbol: str, *texts: str) -> Resolution:
    resolution = Resolution.objects.create(
        symbol=symbol, title="Search test", adopted_on=datetime.date(2010, 6, 8)
    )
    for i, text in enumerate(texts, start=1):
        Mandate.objects.create(resolution=resolution, label=str(i), order=i, text=text)
    return resolution


def found(query: str, resolution: Resolution) -> list[str]:
    return list(
        Mandate.objects.filter(resolution=resolution).search(query).values_list("label", flat=True)
    )


def test_stemming_finds_other_forms_of_a_word():
    resolution = make_paragraphs(
        "AG/RES. 9001 (XL-O/10)",
        "To request the Secretary General to report on this matter.",
        "To hold a meeting of experts.",
    )
    assert found("reports", resolution) == ["1"]
    assert found("reporting", resolution) == ["1"]
    assert found("meetings", resolution) == ["2"]


def test_accents_are_ignored_both_ways():
    resolution = make_paragraphs(
        "AG/RES. 9002 (XL-O/10)",
        "Solicitar al Consejo Permanente que examine la migración laboral en la región.",
        "To study the migracion of workers.",
    )
    assert found("migracion", resolution) == ["1", "2"]
    assert found("migración", resolution) == ["1", "2"]
    assert found("region", resolution) == ["1"]


def test_spanish_texts_are_stemmed_as_spanish():
    resolution = make_paragraphs(
        "AG/RES. 9003 (XL-O/10)",
        "Instar a los Estados a proteger los derechos de los trabajadores migratorios.",
        "Encomendar a la Comisión Interamericana un informe anual.",
    )
    # "trabajo" and "trabajadores" share the Spanish stem "trabaj"; English stems differ.
    assert found("trabajo", resolution) == ["1"]
    assert found("informes", resolution) == ["2"]
    assert found("comision interamericana", resolution) == ["2"]


def test_results_are_ranked_best_first():
    resolution = make_paragraphs(
        "AG/RES. 9004 (XL-O/10)",
        "To note the voluntary contributions.",
        "To invite contributions to the fund; the fund finances the fund's projects.",
        "To create a fund.",
    )
    assert found("fund", resolution) == ["2", "3"]
    # A label typed exactly comes first, whatever its text.
    assert found("1", resolution)[0] == "1"


def test_labels_and_symbols_are_still_found(client):
    response = client.get("/mandates/?q=20.c")
    assert labels_in(response)[0] == "20.c"
    response = client.get("/mandates/?q=2289")
    labels = labels_in(response)
    assert len(labels) == Mandate.objects.filter(resolution__slug=SLUG_2289).count()
    assertContains(response, "AG/RES. 2289 (XXXVII-O/07)")


def test_list_page_shows_ranked_rows_with_highlighted_snippet(client):
    response = client.get(f"/mandates/?q=voluntary+fund&resolution={SLUG_2289}")
    # ¶21 "the voluntary fund" before ¶17 "a specific fund composed of voluntary contributions".
    assert labels_in(response) == ["21", "17"]
    html = response.content.decode()
    assert re.search(r"<mark>[Vv]oluntary</mark>", html)
    assert re.search(r"<mark>[Ff]und</mark>", html)


def test_snippet_escapes_everything_but_its_own_marks(client):
    make_paragraphs(
        "AG/RES. 9005 (XL-O/10)",
        'To publish <script>alert("x")</script> a <b>report</b> & "more".',
    )
    response = client.get("/mandates/?q=report&resolution=ag-res-9005-xl-o-10")
    # ts_headline drops tag-like tokens; what remains of the data is escaped.
    assertContains(response, "<mark>report</mark>")
    assertContains(response, "alert(&quot;x&quot;)")
    assertContains(response, "&amp; &quot;more")
    # The only scripts are the site's own files (static/js), none from the data.
    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=\"/static/js/)", html) == []
    assertNotContains(response, "alert(&quot;x&quot;)</script>")
    assertNotContains(response, "<b>")


def test_highlight_snippet_only_trusts_its_markers():
    text = f"a <i>b</i> {START_MARK}fund{STOP_MARK} & {START_MARK}<x>{STOP_MARK}{STOP_MARK}"
    assert highlight_snippet(text) == (
        "a &lt;i&gt;b&lt;/i&gt; <mark>fund</mark> &amp; <mark>&lt;x&gt;</mark>"
    )
    assert highlight_snippet(None) == ""
    # Cut inside the paragraph: an ellipsis says so.
    paragraph = "To invite the states to contribute to the fund of the Rapporteurship, and more."
    snippet = f"contribute to the {START_MARK}fund{STOP_MARK} of the Rapporteurship"
    assert highlight_snippet(snippet, paragraph) == (
        "… contribute to the <mark>fund</mark> of the Rapporteurship …"
    )
    whole = f"To invite the states to contribute to the {START_MARK}fund{STOP_MARK} of the "
    whole += "Rapporteurship, and more."
    assert highlight_snippet(whole, paragraph) == (
        "To invite the states to contribute to the <mark>fund</mark> of the Rapporteurship, "
        "and more."
    )


def test_vector_follows_edits_and_the_gin_index_serves_the_search():
    resolution = make_paragraphs("AG/RES. 9006 (XL-O/10)", "To hold a seminar.")
    Mandate.objects.filter(resolution=resolution).update(text="To publish a handbook.")
    assert found("handbooks", resolution) == ["1"]
    assert found("seminar", resolution) == []
    # The paragraph-text part of the search reads the GIN index (the other alternatives,
    # label and resolution, are small equality and substring tests).
    query = Mandate.objects.order_by().filter(search_vector=text_query("handbook")).query
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "mandates_mandate_search_gin" in plan


def test_nothing_to_search_and_bad_text_are_harmless(client):
    everything = client.get("/mandates/?q=+")
    assert len(labels_in(everything)) == Mandate.objects.count()
    for query in ["%22unclosed", "or or -", "!!! &&& |", "the"]:
        response = client.get("/mandates/", {"q": query})
        assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/resolutions/",
        f"/resolutions/{SLUG_2289}/",
        f"/resolutions/{SLUG_2289}/20.c/",
        "/mandates/",
        "/organs/",
        "/organs/CAJP/",
        "/meetings/",
        "/mandates/?status=nonsense",
        "/resolutions/no-such-thing/",
    ],
)
def test_every_page_has_the_search_box_in_its_header(client, url):
    html = client.get(url).content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert '<form class="site-search" role="search" method="get" action="/mandates/">' in header
    assert '<label for="site-search-q" class="visually-hidden">Search mandates</label>' in header
    assert 'id="site-search-q" name="q"' in header


def test_header_box_keeps_the_words_searched(client):
    response = client.get("/mandates/?q=voluntary+fund")
    assertContains(
        response, 'name="q" maxlength="200" placeholder="Search mandates" value="voluntary fund"'
    )


@pytest.mark.django_db(transaction=False)
def test_sqlite_fallback_migrates_and_searches_by_substring(tmp_path):
    """`make run` without PostgreSQL: the migration does nothing, q= is a substring match."""
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
        from mandates.loading import load_default_data
        load_default_data()
        from mandates.models import Mandate
        rows = Mandate.objects.search("voluntary fund").with_search_headline("voluntary fund")
        print(sorted(m.label for m in rows), [m.search_headline for m in rows][:1])
        print(Mandate.objects.search("20.c").count())
        """
    )
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["['21'] [None]", "1"]
