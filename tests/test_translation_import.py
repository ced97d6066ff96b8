"""A resolution's official translation: `import_resolution FILE --translation-of SYMBOL`, aligned
by paragraph label, shown to readers of its language; the original (with a note) to others.

The Spanish text used here (tests/data/import/translations/ag-res-2289-es-sample.txt) has the
labels and layout of AG/RES. 2289 (XXXVII-O/07) and its official Spanish title; its paragraph
texts are a shortened Spanish rendering written for this test, not the official translation.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from mandates.models import Mandate, Resolution
from tests.trust_helpers import SLUG_2289

SYMBOL = "AG/RES. 2289 (XXXVII-O/07)"
SAMPLE = Path(__file__).parent / "data" / "import" / "translations" / "ag-res-2289-es-sample.txt"
PAGE = f"/resolutions/{SLUG_2289}/"
SPANISH_20C = "Presentar al Consejo Permanente un informe sobre la situación de los derechos"
ENGLISH_20C = "Presenting to the Permanent Council a report on the status of the rights"


def run(path, *args):
    out = StringIO()
    call_command("import_resolution", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def client(default_data):
    return Client()


def test_the_spanish_text_is_stored_beside_the_original_and_shown_to_spanish_readers(client):
    english_before = client.get(PAGE).content
    out = run(SAMPLE, "--translation-of", SYMBOL)
    assert "AG/RES. 2289 (XXXVII-O/07) in Spanish: title and 26 paragraphs." in out
    resolution = Resolution.objects.get(symbol=SYMBOL)
    assert resolution.title_translations["es"].casefold() == (
        "los derechos humanos de todos los trabajadores migratorios y de sus familias"
    )
    sub = Mandate.objects.get(resolution=resolution, label="20.c")
    assert sub.text_translations["es"].startswith(SPANISH_20C)
    assert sub.text.startswith(ENGLISH_20C)  # the original is untouched

    spanish = client.get(f"/es{PAGE}")
    assertContains(spanish, SPANISH_20C)
    assertNotContains(spanish, ENGLISH_20C)
    assertNotContains(spanish, "(texto original en inglés)")
    assertContains(spanish, '<p class="paragraph-text" lang="es">Presentar al Consejo')
    # French has no translation: the English original, said to be so, in French.
    french = client.get(f"/fr{PAGE}")
    assertContains(french, ENGLISH_20C)
    assertContains(french, "(texte original en anglais)")
    assertContains(french, '<p class="paragraph-text" lang="en">Presenting to the Permanent')
    # English readers see what they saw (a new data version, the same text).
    english = client.get(PAGE)
    assertNotContains(english, "original English text")
    assert english.content.count(ENGLISH_20C.encode()) == english_before.count(ENGLISH_20C.encode())


def test_a_cached_page_shows_the_translation_at_once(client):
    before = client.get(f"/es{PAGE}")
    assertContains(before, "(texto original en inglés)")
    run(SAMPLE, "--translation-of", SYMBOL)
    after = client.get(f"/es{PAGE}")
    assert after["X-Page-Cache"] == "miss"
    assertContains(after, SPANISH_20C)


def test_the_pdf_summary_uses_the_translation(client):
    run(SAMPLE, "--translation-of", SYMBOL)
    from tests.test_pdf import pdf_text

    text = " ".join(pdf_text(client.get(f"/es{PAGE}summary.pdf").content).split())
    assert "Presentar al Consejo Permanente" in text


def test_labels_that_do_not_match_are_refused_and_nothing_is_saved(default_data, tmp_path):
    text = SAMPLE.read_text()
    text = text.replace("23. Solicitar al Consejo", "24. Solicitar al Consejo")
    start = text.index("22. Instar")
    text = text[:start] + text[text.index("24. Solicitar") :]  # no ¶22
    broken = tmp_path / "broken.txt"
    broken.write_text(text)
    with pytest.raises(CommandError) as refused:
        run(broken, "--translation-of", SYMBOL)
    message = str(refused.value)
    assert "The paragraphs of the translation do not match those of AG/RES. 2289" in message
    assert "not in the translation: 22, 23" in message
    assert "not in AG/RES. 2289 (XXXVII-O/07): 24" in message
    assert "nothing was saved" in message
    resolution = Resolution.objects.get(symbol=SYMBOL)
    assert resolution.title_translations == {}
    assert not Mandate.objects.filter(resolution=resolution).exclude(text_translations={}).exists()


def test_dry_run_writes_nothing(default_data):
    out = run(SAMPLE, "--translation-of", SYMBOL, "--dry-run")
    assert "matches its 26 paragraphs; nothing was written." in out
    assert Resolution.objects.get(symbol=SYMBOL).title_translations == {}


def test_the_language_can_be_given_and_a_second_import_replaces(default_data):
    run(SAMPLE, "--translation-of", SYMBOL, "--language", "pt")
    assert set(Resolution.objects.get(symbol=SYMBOL).title_translations) == {"pt"}
    out = run(SAMPLE, "--translation-of", SYMBOL, "--language", "pt")
    assert "the Portuguese text of AG/RES. 2289 (XXXVII-O/07) was replaced" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--translation-of", "AG/RES. 9999 (XL-O/10)"], "There is no resolution AG/RES. 9999"),
        (
            ["--translation-of", SYMBOL, "--language", "en"],
            "is already in English, its original language",
        ),
        (["--translation-of", SYMBOL, "--replace"], "cannot be combined with --replace"),
        (["--language", "es"], "--language goes with --translation-of."),
    ],
)
def test_clear_refusals(default_data, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(".", r"\.")):
        run(SAMPLE, *args)
    assert Resolution.objects.get(symbol=SYMBOL).title_translations == {}


def test_a_text_of_another_resolution_is_refused(default_data, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(
        SAMPLE.read_text().replace("AG/RES. 2289 (XXXVII-O/07)", "AG/RES. 2290 (XXXVII-O/07)")
    )
    with pytest.raises(CommandError, match="This text is AG/RES. 2290"):
        run(other, "--translation-of", SYMBOL)


ADMIN_URL = "/admin/mandates/resolution/import/translation/"


def test_the_admin_page_imports_a_translation(client, staff_user):
    client.force_login(staff_user)
    assertContains(client.get("/admin/mandates/resolution/"), ADMIN_URL)
    page = client.get(ADMIN_URL)
    assertContains(page, "Import an official translation")
    response = client.post(
        ADMIN_URL, {"resolution": SYMBOL, "language": "", "text": SAMPLE.read_text()}, follow=True
    )
    assertContains(
        response, "AG/RES. 2289 (XXXVII-O/07) in Spanish: title and 26 paragraphs saved."
    )
    assert "es" in Resolution.objects.get(symbol=SYMBOL).title_translations


def test_the_admin_page_refuses_labels_that_do_not_match(client, staff_user):
    client.force_login(staff_user)
    text = SAMPLE.read_text().replace("23. Solicitar al Consejo", "24. Solicitar al Consejo")
    response = client.post(ADMIN_URL, {"resolution": SYMBOL, "language": "es", "text": text})
    assert response.status_code == 200
    assertContains(response, "not in the translation: 23")
    assertContains(response, "nothing was saved")
    assert Resolution.objects.get(symbol=SYMBOL).title_translations == {}


def test_the_admin_page_needs_the_right_to_change_resolutions(
    client, django_user_model, default_data
):
    clerk = django_user_model.objects.create_user(
        "clerk", "c@example.org", "a-long-password-1", is_staff=True
    )
    client.force_login(clerk)
    assert client.get(ADMIN_URL).status_code == 403


def test_a_spanish_original_is_stored_as_spanish(default_data):
    """Imported from its Spanish text, a resolution's original language is Spanish: English
    readers see it with the note "(original Spanish text)"."""
    from django.utils import translation

    source = (
        Path(__file__).parent / "data" / "import" / "kinds" / "ag-res-spanish-special-session.txt"
    )
    from mandates.models import Organization, Session

    oas = Organization.objects.get(code="oas")
    Session.objects.get_or_create(organization=oas, ordinal=42, kind=Session.Kind.REGULAR)
    call_command("import_resolution", str(source), stdout=StringIO(), stderr=StringIO())
    resolution = Resolution.objects.get(symbol="AG/RES. 1 (XLI-E/11)")
    assert resolution.language == "es"
    with translation.override("en"):
        assert resolution.local_title.note == "(original Spanish text)"
    with translation.override("es"):
        assert resolution.local_title.note == ""


def test_deadline_wordings_come_with_the_translation_where_they_match(client):
    from mandates.translations import import_translation

    result = import_translation(SAMPLE.read_text(), SYMBOL)
    # ¶23's two sessions are read in the Spanish text: their wording is stored with it.
    spanish = client.get(f"/es{PAGE}23/")
    assertContains(spanish, "“trigésimo octavo período ordinario de sesiones”")
    assertContains(spanish, "“trigésimo noveno período ordinario de sesiones”")
    assertNotContains(spanish, "at its thirty-eighth regular session")
    english = client.get(f"{PAGE}23/")
    assertContains(english, "“at its thirty-eighth regular session”")
    # ¶14's deadlines are not read in the shortened Spanish text: the original wording stays,
    # and the import says so.
    assert any(
        w.startswith("¶14: the deadlines read in the translation do not match")
        for w in result.warnings
    )
    assertContains(client.get(f"/es{PAGE}14/"), "“in the first half of 2008”")
