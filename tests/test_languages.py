"""Four languages: English at today's addresses, /es/, /fr/ and /pt/ before the same paths; the
first visit follows Accept-Language, the switcher remembers the choice and keeps the page and
its query; headings, status words, dates and PDFs in the reader's language; the page cache
never hands one language's page to another."""

import re

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from tests.test_pdf import pdf_text
from tests.trust_helpers import SLUG_2289

RESOLUTION = f"/resolutions/{SLUG_2289}/"
FILTERS = "?status=overdue&as_of=2009-01-01"

# What a reader of each language sees: a heading and the three status words.
WORDS = {
    "en": ("Operative paragraphs by status", "Overdue", "Pending", "Met"),
    "es": ("Párrafos resolutivos por estado", "Vencido", "Pendiente", "Cumplido"),
    "fr": ("Paragraphes du dispositif par situation", "En retard", "En attente", "Accompli"),
    "pt": ("Parágrafos resolutivos por situação", "Atrasado", "Pendente", "Cumprido"),
}
ADOPTED = {
    "en": "June 5, 2007",
    "es": "5 de junio de 2007",
    "fr": "5 juin 2007",
    "pt": "5 de junho de 2007",
}
PREFIX = {"en": "", "es": "/es", "fr": "/fr", "pt": "/pt"}


@pytest.fixture
def client(default_data):
    return Client()


def counts_box(html: str) -> str:
    """The status counts' box (headings and status words), whatever the page around it."""
    start = html.index('class="counts"') if 'class="counts"' in html else 0
    return html[start : start + 4000]


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
@pytest.mark.parametrize("path", ["/", RESOLUTION])
def test_the_main_pages_speak_the_language_of_their_address(client, language, path):
    response = client.get(f"{PREFIX[language]}{path}?as_of=2009-01-01")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert response["Content-Language"] == language
    heading, *status_words = WORDS[language]
    assert heading in html
    for word in status_words:
        assert f">{word}<" in html or f"{word} " in html, word
    if language != "en":
        # Not the English page with a translated title: English headings are gone.
        assert WORDS["en"][0] not in html
        assert ">Overdue<" not in html and ">Pending<" not in html


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_dates_are_written_the_way_the_language_writes_them(client, language):
    response = client.get(f"{PREFIX[language]}{RESOLUTION}")
    assertContains(response, ADOPTED[language])


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/es/mandates/", "Filtrar mandatos"),
        ("/fr/organs/", "Organes, organismes et entités"),
        ("/pt/resolutions/", "As resoluções e a situação dos seus parágrafos resolutivos"),
        ("/es/meetings/", "Reuniones de las comisiones y sus resúmenes de cumplimiento."),
    ],
)
def test_the_list_pages_are_translated(client, path, heading):
    assertContains(client.get(path), heading)


def test_english_keeps_todays_addresses(client):
    for path in ["/", RESOLUTION, "/mandates/", "/organs/", f"{RESOLUTION}20.c/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Language"] == "en"
    # /en/… is not a second English address: it goes to the one English address.
    response = client.get(f"/en{RESOLUTION}?as_of=2009-01-01")
    assert response.status_code == 301
    assert response["Location"] == f"{RESOLUTION}?as_of=2009-01-01"


def test_every_page_links_its_four_versions_and_keeps_the_query(client):
    html = client.get(f"/fr/mandates/{FILTERS}").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html))
    query = FILTERS.replace("&", "&amp;")
    assert alternates == {
        "en": f"http://testserver/mandates/{query}",
        "es": f"http://testserver/es/mandates/{query}",
        "fr": f"http://testserver/fr/mandates/{query}",
        "pt": f"http://testserver/pt/mandates/{query}",
        "x-default": f"http://testserver/mandates/{query}",
    }
    # The switcher: the three other languages, each named in its own language, and the
    # page to come back to.
    switcher = html[html.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</form>")]
    assert f'name="next" value="/fr/mandates/{query}"' in switcher
    for code, name in [("en", "English"), ("es", "Español"), ("pt", "Português")]:
        assert f'value="{code}" lang="{code}">{name}</button>' in switcher
    assert 'aria-current="true">Français</span>' in switcher


def test_switching_language_keeps_the_page_and_its_filters(client):
    response = client.post("/i18n/switch/", {"language": "es", "next": f"/mandates/{FILTERS}"})
    assert response.status_code == 302
    assert response["Location"] == f"/es/mandates/{FILTERS}"
    page = client.get(response["Location"])
    assertContains(page, "Vencido")
    # The filters are still applied: only overdue paragraphs, as of 1 January 2009.
    assertContains(page, "1 de enero de 2009")
    assertNotContains(page, "Pendiente</span>")
    # From Spanish to Portuguese, and back to English.
    response = client.post("/i18n/switch/", {"language": "pt", "next": f"/es/mandates/{FILTERS}"})
    assert response["Location"] == f"/pt/mandates/{FILTERS}"
    response = client.post("/i18n/switch/", {"language": "en", "next": f"/pt/mandates/{FILTERS}"})
    assert response["Location"] == f"/mandates/{FILTERS}"


def test_a_first_visit_follows_accept_language(client):
    response = client.get(f"/mandates/{FILTERS}", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == f"/es/mandates/{FILTERS}"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    # An English (or unknown-language) browser stays on the English address.
    for header in ["en-US,en;q=0.9", "de-DE", ""]:
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
        assert response.status_code == 200, header
        assert "Accept-Language" in response["Vary"]
    # A prefixed address is that language, whatever the browser says.
    response = client.get("/fr/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200 and response["Content-Language"] == "fr"


def test_the_choice_is_remembered(client):
    response = client.post("/i18n/switch/", {"language": "pt", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "pt" and int(cookie["max-age"]) >= 30 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.get("/organs/")["Location"] == "/pt/organs/"
    # Choosing English sticks too, even for a Spanish browser.
    client.post("/i18n/switch/", {"language": "en", "next": "/"})
    response = client.get("/organs/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200 and response["Content-Language"] == "en"


@pytest.mark.parametrize(
    "form, location",
    [
        ({"language": "es", "next": "https://elsewhere.example/"}, "/es/"),
        ({"language": "es", "next": "//elsewhere.example/x"}, "/es/"),
        ({"language": "es"}, "/es/"),
        ({"language": "fr", "next": "/es/organs/CAJP/?as_of=2008-01-01"}, None),
    ],
)
def test_the_switcher_stays_on_this_site(client, form, location):
    response = client.post("/i18n/switch/", form)
    assert response.status_code == 302
    assert response["Location"] == (location or "/fr/organs/CAJP/?as_of=2008-01-01")


@pytest.mark.parametrize("form", [{"language": "de", "next": "/"}, {"language": ""}, {}])
def test_an_unknown_language_is_refused_and_nothing_remembered(client, form):
    response = client.post("/i18n/switch/", form)
    assert response.status_code == 400
    assert "Unknown language." in response.content.decode()
    assert "django_language" not in response.cookies


def test_the_switcher_takes_no_get(client):
    assert client.get("/i18n/switch/?language=es").status_code == 405


def test_the_page_cache_keeps_languages_apart(client):
    english = client.get(RESOLUTION)
    assert english["X-Page-Cache"] == "miss"
    assert client.get(RESOLUTION)["X-Page-Cache"] == "hit"
    spanish = client.get(f"/es{RESOLUTION}")
    assert spanish["X-Page-Cache"] == "miss"
    assertContains(spanish, "Párrafos resolutivos por estado")
    assert english["ETag"] != spanish["ETag"]
    # The English page's validator does not answer for the Spanish page.
    assert client.get(f"/es{RESOLUTION}", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200
    # A Spanish browser on the English address is sent to Spanish, not served the cached page.
    redirected = client.get(RESOLUTION, HTTP_ACCEPT_LANGUAGE="es")
    assert redirected.status_code == 302 and redirected["Location"] == f"/es{RESOLUTION}"
    # And the cached English page says it varies with the reader's preference.
    cached = client.get(RESOLUTION)
    assert cached["X-Page-Cache"] == "hit"
    assert "Accept-Language" in cached["Vary"] and "Cookie" in cached["Vary"]


def test_data_files_are_not_redirected_by_the_browser_language(client):
    response = client.get(f"{RESOLUTION}export.csv", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200


def test_the_admin_follows_the_chosen_language_without_a_prefix(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assertContains(response, '<html lang="es"')
    client.post("/i18n/switch/", {"language": "fr", "next": "/"})
    assertContains(client.get("/admin/"), '<html lang="fr"')


@pytest.mark.parametrize(
    "language, words",
    [
        ("es", ["Estado al 1 de enero de 2008", "Vencido", "Pendiente", "Resumen de cumplimiento"]),
        ("fr", ["Situation au 1er janvier 2008", "En retard", "En attente", "Bilan d'exécution"]),
    ],
)
def test_the_pdf_summary_is_in_the_language_of_its_address(client, language, words):
    response = client.get(f"/{language}{RESOLUTION}summary.pdf?as_of=2008-01-01")
    assert response.status_code == 200
    text = pdf_text(response.content)
    flat = re.sub(r"\s+", " ", text)
    for word in words:
        assert word in flat, word
    assert "Pending" not in flat and "Status as of" not in flat


@pytest.mark.parametrize(
    "number, language, name",
    [
        (37, "es", "Trigésimo séptimo período ordinario de sesiones"),
        (41, "es", "Cuadragésimo primer período ordinario de sesiones"),
        (13, "es", "Decimotercer período ordinario de sesiones"),
        (37, "fr", "Trente-septième session ordinaire"),
        (21, "fr", "Vingt et unième session ordinaire"),
        (71, "fr", "Soixante et onzième session ordinaire"),
        (80, "fr", "Quatre-vingtième session ordinaire"),
        (99, "fr", "Quatre-vingt-dix-neuvième session ordinaire"),
        (1, "fr", "Première session ordinaire"),
        (37, "pt", "Trigésimo sétimo período ordinário de sessões"),
        (11, "pt", "Décimo primeiro período ordinário de sessões"),
    ],
)
def test_session_names_in_each_language(number, language, name):
    from mandates.ordinals import session_name

    assert session_name(number, False, language) == name


def test_the_resolution_page_names_its_session_in_the_readers_language(client):
    assertContains(client.get(RESOLUTION), "Thirty-seventh regular session")
    assertContains(
        client.get(f"/es{RESOLUTION}"), "Trigésimo séptimo período ordinario de sesiones"
    )
    assertContains(client.get(f"/fr{RESOLUTION}"), "Trente-septième session ordinaire")


def test_organs_are_named_in_the_readers_language(client):
    spanish = client.get(f"/es{RESOLUTION}20.c/")
    assertContains(spanish, "Comisión Interamericana de Derechos Humanos (CIDH)")
    assertContains(spanish, "Consejo Permanente (CP)")
    assertNotContains(spanish, "(IACHR)")
    french = client.get("/fr/organs/IACHR/")  # the address keeps the English acronym
    assertContains(french, "<h1>Commission interaméricaine des droits de l&#x27;homme")
    assertContains(
        client.get(f"{RESOLUTION}20.c/"), "Inter-American Commission on Human Rights (IACHR)"
    )


def test_meeting_titles_in_the_readers_language(client):
    import datetime

    from mandates.models import Meeting, Organ

    Meeting.objects.create(
        committee=Organ.objects.get(acronym="CAJP"),
        date=datetime.date(2008, 3, 6),
        title="Regular meeting, March 2008",
        title_es="Sesión ordinaria, marzo de 2008",
    )
    assertContains(client.get("/es/meetings/"), "Sesión ordinaria, marzo de 2008")
    # No French title given: the title as entered.
    assertContains(client.get("/fr/meetings/"), "Regular meeting, March 2008")
    assertContains(client.get("/meetings/"), "Regular meeting, March 2008")


def test_the_organ_filter_names_organs_in_the_readers_language(client):
    html = client.get("/es/mandates/").content.decode()
    assert (
        '<option value="IACHR">CIDH — Comisión Interamericana de Derechos Humanos</option>' in html
    )
    assert "CAJP — Committee on Juridical and Political Affairs" not in html


def test_organizations_are_named_in_the_readers_language(client):
    html = client.get("/es/resolutions/").content.decode()
    # The acronym with the name on hover (<abbr>), as every organ's after its first mention.
    assert '<abbr title="Organización de los Estados Americanos">OEA</abbr></a>' in html
    assert '<abbr title="Naciones Unidas">ONU</abbr></a>' in html
    assertContains(
        client.get("/resolutions/"), '<abbr title="Organization of American States">OAS</abbr></a>'
    )
