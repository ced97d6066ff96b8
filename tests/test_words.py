"""Words a delegate can read (issue 14, point 2): organ names spelled out on first use and
then as <abbr>, organ pages that say what the organ is, and the page "How status is decided"
that every status label links to."""

import datetime
import re

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from mandates.loading import load_default_data
from mandates.models import Organ

from .factories import SLUG_2289

pytestmark = pytest.mark.usefixtures("default_data")

TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)
RESOLUTION = f"/resolutions/{SLUG_2289}/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


# --- How status is decided -------------------------------------------------------------------


def test_status_page_defines_each_status_and_kind_in_plain_words(client):
    response = client.get("/about/status/")
    assertContains(response, "<h1>How status is decided</h1>", html=False)
    for anchor in (
        "status-pending",
        "status-met",
        "status-overdue",
        "kind-instructs",
        "kind-calls_on_states",
        "kind-declaratory",
    ):
        assertContains(response, f'id="{anchor}"')
    # The rule as the README and mandates/status.py say it.
    assertContains(response, "A deadline due on the as-of date itself is not yet overdue.")
    assertContains(response, "“Met late”: some deadline was fulfilled only after its due date.")
    assertContains(response, "Progress dated after the as-of date is ignored")
    assertContains(response, "It is overdue when any of those deadlines was missed")
    assertContains(response, "falls due on the opening date of that session")
    assertContains(response, "the paragraph can be pending, never overdue")
    assertContains(response, "Receiving a report is not a task")
    assertContains(response, "It is tracked: pending, met or overdue")
    assertContains(response, "It is shown as such, without a status")
    assertContains(response, "asks for no follow-up: it has no status")
    # The labels on the page itself are not links to the page.
    assert 'class="status-link"' not in main_of(response)


def test_status_page_in_spanish(client):
    response = client.get("/es/about/status/")
    assert response.status_code == 200
    assertContains(response, '<html lang="es">')
    assertContains(response, 'id="status-overdue"')
    assertContains(response, 'hreflang="fr" href="http://testserver/fr/about/status/"')
    # The definitions in Spanish (the same words as the PDF legend's), the labels too.
    assertContains(response, "Ni cumplido ni vencido.")
    assertContains(
        response,
        "Un plazo que vence en la propia fecha de consulta aún no está vencido.",
    )
    assertContains(response, "Cumplido con retraso")


def test_every_page_links_to_the_status_page_from_its_footer(client):
    for url, address in [("/", "/about/status/"), ("/es/organs/", "/es/about/status/")]:
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert f'href="{address}"' in footer


def test_every_status_label_on_the_2289_page_links_to_its_definition(client):
    html = main_of(client.get(RESOLUTION))
    labels = re.findall(r'<span class="status status-(\w+)">', html)
    linked = re.findall(
        r'<a class="status-link" href="/about/status/#status-(\w+)">'
        r'<span class="status status-(\w+)">',
        html,
    )
    assert len(linked) == len(labels)
    assert all(anchor == status for anchor, status in linked)
    assert {status for status, _ in linked} >= {"overdue", "pending"}
    # Paragraphs that are not tracked show their kind instead, linked to its definition.
    kinds = re.findall(r'<span class="kind-label kind-(\w+)">', html)
    kinds_linked = re.findall(
        r'<a (?:class="status-link" )?href="/about/status/#kind-(\w+)">'
        r'<span class="kind-label kind-(\w+)">',
        html,
    )
    assert len(labels) + len(kinds) >= 26  # every operative paragraph and sub-paragraph
    assert len(kinds_linked) == len(kinds)
    assert all(anchor == kind for anchor, kind in kinds_linked)
    assert {kind for kind, _ in kinds_linked} == {"declaratory", "calls_on_states"}
    # The counts' words link too.
    assert re.search(r'<dt><a href="/about/status/#status-overdue">Overdue</a></dt>', html)


def test_status_labels_link_in_the_readers_language(client):
    html = main_of(client.get(f"/es{RESOLUTION}"))
    assert re.search(
        r'<a class="status-link" href="/es/about/status/#status-overdue">'
        r'<span class="status status-overdue"><span aria-hidden="true">⚠ </span>Vencido</span>',
        html,
    )


def test_met_late_links_to_met(client):
    template = Template('{% load tracker %}{% status_label "met" True %}')
    html = template.render(Context({}))
    assert 'href="/about/status/#status-met"' in html
    assert "Met late" in html


# --- What an organ is ----------------------------------------------------------------------


def test_organ_page_says_what_the_organ_is(client):
    english = client.get("/organs/IACHR/")
    assertContains(
        english,
        '<p class="organ-description">The Inter-American Commission on Human Rights is a '
        "principal and autonomous organ of the OAS whose mission is to promote and protect "
        "human rights in the Americas.",
    )
    spanish = client.get("/es/organs/IACHR/")
    assertContains(
        spanish,
        '<p class="organ-description">La Comisión Interamericana de Derechos Humanos es un '
        "órgano principal y autónomo de la OEA",
    )


def test_every_default_organ_has_a_description_in_four_languages():
    import json

    from django.conf import settings

    rows = json.loads((settings.BASE_DIR / "fixtures" / "organs.json").read_text())
    shipped = {row["acronym"] for row in rows}
    assert len(shipped) == 29
    for organ in Organ.objects.filter(acronym__in=shipped):
        for field in ("description", "description_es", "description_fr", "description_pt"):
            assert getattr(organ, field).strip(), f"{organ.acronym}: {field} is empty"


def test_organ_without_description_shows_nothing(client):
    Organ.objects.filter(acronym="CJI").update(
        description="", description_es="", description_fr="", description_pt=""
    )
    assertNotContains(client.get("/organs/CJI/"), "organ-description")
    assertNotContains(client.get("/es/organs/CJI/"), "organ-description")


def test_missing_translation_shows_the_english_description_marked_english(client):
    Organ.objects.filter(acronym="CJI").update(description_fr="")
    assertContains(
        client.get("/fr/organs/CJI/"),
        '<p class="organ-description" lang="en">The Inter-American Juridical Committee',
    )


def test_loading_again_fills_missing_descriptions_and_keeps_edited_ones():
    Organ.objects.filter(acronym="CJI").update(description="", description_es="")
    Organ.objects.filter(acronym="CAJP").update(description="Edited by staff.")
    load_default_data()
    cji = Organ.objects.get(acronym="CJI")
    assert cji.description.startswith("The Inter-American Juridical Committee")
    assert cji.description_es.startswith("El Comité Jurídico Interamericano")
    assert Organ.objects.get(acronym="CAJP").description == "Edited by staff."


def test_descriptions_are_edited_in_the_admin(admin_client):
    organ = Organ.objects.get(acronym="IACHR")
    response = admin_client.get(f"/admin/mandates/organ/{organ.pk}/change/")
    for field in ("description", "description_es", "description_fr", "description_pt"):
        assertContains(response, f'name="{field}"')


# --- Acronyms: spelled out on first use, then <abbr> -----------------------------------------


def test_first_mention_is_spelled_out_then_abbr(client):
    html = main_of(client.get(RESOLUTION))
    spelled = "General Secretariat (GS)"
    abbr = '<abbr title="General Secretariat">GS</abbr>'
    assert html.count(spelled) == 1
    assert html.count(abbr) >= 1
    assert html.index(spelled) < html.index(abbr)
    # Every organ named on the page is spelled out once, before any abbreviation of it
    # (the quoted texts aside: they read as published, see below).
    html = re.sub(r'<(p|blockquote) class="paragraph-text".*?</\1>', "", html, flags=re.S)
    for title, acronym in re.findall(r'<abbr title="([^"]+)">([^<]+)</abbr>', html):
        first = f"{title} ({acronym})"
        assert first in html, first
        assert html.index(first) < html.index(f'<abbr title="{title}">{acronym}</abbr>')
    # Collective addressees are named in words, never abbreviated.
    assert "Member states" in html
    assert ">MS<" not in html and ">OAE<" not in html


def test_abbreviations_in_the_readers_language(client):
    html = main_of(client.get(f"/es{RESOLUTION}"))
    assert html.count("Secretaría General (SG)") == 1
    assert '<abbr title="Secretaría General">SG</abbr>' in html
    assert "General Secretariat (GS)" not in html and ">GS<" not in html


def test_organ_page_heading_counts_as_the_first_use(client):
    html = main_of(client.get("/organs/PC/"))
    # The heading spells it out; the breadcrumb and later mentions are abbreviations.
    assert '<h1>Permanent Council <span class="muted">(PC)</span></h1>' in html
    assert '<abbr title="Permanent Council">PC</abbr>' in html
    assert "Permanent Council (PC)" not in html
    # Its sub-organs appear first in "Includes": spelled out there.
    assert "Committee on Juridical and Political Affairs (CAJP)" in html


def test_without_a_request_every_mention_is_spelled_out():
    """E-mails and other renderings without a page: no <abbr> a reader cannot open."""
    organ = Organ.objects.get(acronym="IACHR")
    template = Template("{% load tracker %}{% organ_name organ %} / {% organ_name organ %}")
    with translation.override("en"):
        html = template.render(Context({"organ": organ}))
    assert html == (
        "Inter-American Commission on Human Rights (IACHR) / "
        "Inter-American Commission on Human Rights (IACHR)"
    )


def test_names_are_escaped():
    organ = Organ(acronym="A&B", name="Arts & <Bodies>", kind=Organ.Kind.ORGAN)
    request = RequestFactory().get("/")
    template = Template("{% load tracker %}{% organ_name organ %} {% organ_name organ %}")
    with translation.override("en"):
        html = template.render(Context({"organ": organ, "request": request}))
    assert html == (
        'Arts &amp; &lt;Bodies&gt; (A&amp;B) <abbr title="Arts &amp; &lt;Bodies&gt;">A&amp;B</abbr>'
    )


def test_phones_print_the_abbreviation_title():
    """A touch screen shows no hover title: the stylesheet prints it after the acronym."""
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert re.search(
        r"@media \(hover: none\) \{\s*"
        r'abbr\[title\]::after \{ content: " \(" attr\(title\) "\)"; \}',
        css,
    )


def test_the_pdf_legend_points_to_the_status_page(client):
    from .test_pdf import flat, get_pdf, pdf_text

    text = flat(pdf_text(get_pdf(client, f"/es{RESOLUTION}summary.pdf")))
    assert flat("http://testserver/es/about/status/") in text


def test_acronyms_in_a_quoted_text_are_explained_not_changed(client):
    html = main_of(client.get(RESOLUTION))
    iacd = "Inter-American Agency for Cooperation and Development"
    texts = re.findall(r'<p class="paragraph-text" lang="en">(.*?)</p>', html, flags=re.S)
    # The paragraph the IACD must act on: its acronym in the text gets its name on hover.
    with_iacd = [t for t in texts if "partnership-for-development activities" in t]
    assert with_iacd, "the IACD paragraph is on the page"
    assert f'<abbr title="{iacd}">IACD</abbr> partnership-for-development' in with_iacd[0]
    # The words are the published ones once the markup is removed.
    plain = re.sub(r"</?abbr[^>]*>", "", with_iacd[0])
    assert f"{iacd} (IACD) to strengthen" in plain
    # A symbol's prefix is not an organ ("AG/RES. 2141" stays as written).
    assert "</abbr>/" not in "".join(texts)
