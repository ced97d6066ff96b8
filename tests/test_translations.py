"""The catalogs are complete: every entry of the Spanish, French and Portuguese catalogs is
translated (none fuzzy, none empty), the compiled catalogs are there, and the templates leave
no visible text outside {% translate %} / {% blocktranslate %}."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("es", "fr", "pt")
TEMPLATES = ROOT / "templates"
# The pages, the PDFs, the error pages, the admin customisations and the e-mail (the admin's
# own templates are Django's, translated by Django).
SCANNED = [
    *sorted((TEMPLATES / "mandates").glob("*.html")),
    *sorted((TEMPLATES / "jinja2" / "mandates").glob("*.html")),  # the rows (Jinja2)
    *sorted((TEMPLATES / "pdf").glob("*.html")),
    *sorted(TEMPLATES.glob("*.html")),
    *sorted((TEMPLATES / "admin" / "mandates").rglob("*.html")),
    TEMPLATES / "admin" / "base_site.html",
    TEMPLATES / "registration" / "locked_out.html",
    TEMPLATES / "email" / "deadline_reminder.txt",
]
TRANSLATABLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "content", "value")


def catalog(language: str, domain: str = "django") -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = catalog(language)
    assert len(po) > 100  # the real catalog, not an empty file
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"{language}: {len(untranslated)} untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"{language}: {len(fuzzy)} fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_the_source(language):
    """The .mo is committed (a machine without gettext's msgfmt still serves translations) and
    holds what the .po says."""
    po = catalog(language)
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo}
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    """A translation keeps every %(name)s / {name} placeholder of its source, so no page
    fails or loses a number in one language only."""
    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%[sd]")
    for entry in catalog(language).translated_entries():
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = sorted(set(pattern.findall(sources[-1])) | set(pattern.findall(sources[0])))
        for target in targets:
            found = sorted(set(pattern.findall(target)))
            assert set(found) <= set(expected) and (entry.msgid_plural or found == expected), (
                f"{language}: {entry.msgid!r} → {target!r}"
            )


def visible_text(source: str) -> list[str]:
    """Text a reader would see that is not inside a translation tag."""
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", " ", text, flags=re.S)
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    # Template tags and variables render no fixed text of their own (translate tags are the
    # translated text; the others compute), even inside an attribute.
    text = re.sub(r"{%.*?%}", " ", text, flags=re.S)
    text = re.sub(r"{{.*?}}", " ", text, flags=re.S)
    found = []
    names = "|".join(re.escape(a) for a in TRANSLATABLE_ATTRIBUTES)
    attribute = re.compile(rf"\s(?:{names})=\"([^\"]*)\"")
    for tag in re.findall(r"<[^>]+>", text):
        if re.match(r"<\s*(meta\s+(charset|name=\"viewport\")|input[^>]*type=\"hidden\")", tag):
            continue
        for value in attribute.findall(tag):
            found.append(value)
    text = re.sub(r"<[^>]+>", " ", text)
    found.append(text)
    leftovers = []
    for chunk in found:
        chunk = re.sub(r"&[a-z]+;|&#\d+;", " ", chunk)
        leftovers += [word for word in re.findall(r"[^\W\d_]{2,}", chunk)]
    return leftovers


@pytest.mark.parametrize("template", SCANNED, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_mark_every_visible_string_for_translation(template):
    assert visible_text(template.read_text()) == []


def test_the_scanner_finds_unmarked_text():
    """The check above can fail: plain text, an unmarked attribute, a word after a tag."""
    assert visible_text('<p>{% translate "Met" %} Overdue</p>') == ["Overdue"]
    unmarked_title = '<a title="Open the page" href="{{ url }}">x</a>'
    assert visible_text(unmarked_title) == ["Open", "the", "page"]
    assert visible_text("{% blocktranslate %}Due {{ date }}{% endblocktranslate %}") == []
