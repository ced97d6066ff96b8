"""The paragraph rows, and the counts, chart, overdue glance and citations of a resolution
page, rendered by Jinja2 (mandates/jinja.py, templates/jinja2/mandates/) inside the DTL pages:
translated in the reader's language, and escaped as DTL escapes."""

import datetime

import polib
import pytest
from django.conf import settings
from django.utils import translation

from mandates import jinja

from .factories import SLUG_2289, make_record, make_resolution

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def row():
    resolution = make_resolution(1, deadline=D(2011, 6, 1))
    mandate = resolution.mandates.get()
    mandate.text = """To report <script>alert("x")</script> & l'avis."""
    mandate.save()
    make_record(mandate, D(2011, 5, 2), fulfils=mandate.deadlines.all(), title="Informe <b>")
    return resolution


def test_a_row_in_spanish_has_translated_labels_and_escapes_the_text(client, row):
    html = client.get(f"/es/resolutions/{row.slug}/?as_of=2012-01-01").content.decode()
    article = html[html.index('<article class="paragraph') : html.index("</article>")]
    for spanish in (
        "<dt>Responsables</dt>",
        "<dt>Plazos</dt>",
        "Ningún órgano designado",
        "cumplido el 2 de mayo de 2011",
        "<summary>Avance: 1 registro</summary>",
        "Cumple: “by then”",
    ):
        assert spanish in article, spanish
    assert "<script>alert" not in html
    escaped = "To report &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; l&#x27;avis."
    assert escaped in article
    assert "<strong>Informe &lt;b&gt;</strong>" in article


def test_a_translation_is_markup_and_its_arguments_are_escaped():
    """As `{% translate %}` and `{% blocktranslate %}` write them ("Pas d'échéance.")."""
    with translation.override("fr"):
        assert jinja.translate("No deadline.") == "Pas d'échéance."
    assert jinja.fill("<b>%(x)s</b>", x="<i>") == "<b>&lt;i&gt;</b>"
    assert jinja.progress_summary(2) == "Progress: 2 records"


def test_the_resolution_page_partials_in_spanish(client, default_data):
    html = client.get(f"/es/resolutions/{SLUG_2289}/?as_of=2008-06-30").content.decode()
    for spanish in (
        # Overdue at a glance: its title, the plural, a row.
        '<h2 id="glance-h">Vencidos al 30 de junio de 2008</h2>',
        "<p>3 párrafos resolutivos están vencidos, primero los más atrasados:</p>",
        "<strong>vencido desde el 1 de junio de 2008 — 29 días</strong>",
        "Quién debe actuar:",
        # The counts, their links and plurals.
        '<dl class="counts" aria-label="Párrafos resolutivos por estado">',
        'href="/es/mandates/?resolution=ag-res-2289-xxxvii-o-07&amp;status=overdue&amp;level=',
        "Además, 11 párrafos resolutivos sin seguimiento (sin estado):",
        "Contados en párrafos resolutivos: 23 en total; los subpárrafos se agregan a su párrafo.",
        # The chart.
        "Evolución del estado, 1 de julio de 2007 – 30 de junio de 2008:",
        "<summary>Las cifras, en una tabla</summary>",
        # The citations.
        '<h2 id="cites-h">Cita</h2>',
        '<span class="muted">(no está en este sistema)</span>',
        '#clause-8">párrafo 8 del preámbulo</a>\n</li>',
        '<h2 id="cited-by-h">Citada por</h2>',
        "Ninguna resolución del sistema la cita.",
        # The preamble and the series.
        "<summary>Preámbulo</summary>",
        '<p id="clause-1"><span class="clause-number"><span class="visually-hidden">'
        "Párrafo del preámbulo </span>1</span>",
        '<h2 id="series-h">La serie, año por año</h2>',
        '<li class="muted">No hay texto en el sistema para los períodos ordinarios de sesiones '
        "34 a 35.</li>",
        '/compare/ag-res-1548-xxviii-o-98/">comparar</a>)',
    ):
        assert spanish in html, spanish


@pytest.mark.parametrize(
    "plural",
    [
        jinja.more_citations,
        jinja.more_citing,
        jinja.overdue_summary,
        jinja.overdue_more,
        jinja.untracked_summary,
        jinja.counted_in,
        jinja.progress_summary,
    ],
)
def test_the_plurals_made_in_python_are_the_catalogs(plural):
    """Each plural is the message its `{% blocktranslate count %}` had, translated in the
    singular and the plural."""
    po = polib.pofile(str(settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    entry = po.find(plural(1).replace("1", "%(n)s", 1))
    assert entry is not None and entry.msgid_plural, plural(1)
    assert plural(2) == entry.msgid_plural % {"n": 2}
    with translation.override("es"):
        for n, form in ((1, 0), (2, 1)):
            assert plural(n) == entry.msgstr_plural[form] % {"n": n}


def test_the_missing_sessions_of_a_series_in_spanish():
    with translation.override("es"):
        assert jinja.missing_sessions([34]) == (
            "No hay texto en el sistema para el período ordinario de sesiones 34."
        )
        assert jinja.missing_sessions([34, 35, 36]) == (
            "No hay texto en el sistema para los períodos ordinarios de sesiones 34 a 36."
        )


# What each label writes: its mark, its word in the reader's language, and its link to the
# definition on "How status is decided" (the same anchor for "Met late" as for "Met").
LABELS = {
    ("met", False, ""): ('<span class="status status-met">', "✓ ", "Met", "status-met"),
    ("met", True, ""): ('<span class="status status-met">', "✓ ", "Met late", "status-met"),
    ("pending", False, ""): (
        '<span class="status status-pending">',
        "○ ",
        "Pending",
        "status-pending",
    ),
    ("overdue", False, ""): (
        '<span class="status status-overdue">',
        "⚠ ",
        "Overdue",
        "status-overdue",
    ),
    (None, False, "declaratory"): (
        '<span class="kind-label kind-declaratory">',
        "❝ ",
        "Declaratory — no follow-up",
        "kind-declaratory",
    ),
    (None, False, "calls_on_states"): (
        '<span class="kind-label kind-calls_on_states">',
        "→ ",
        "Calls on states — not tracked",
        "kind-calls_on_states",
    ),
    (None, False, "instructs"): (
        '<span class="kind-label kind-instructs">',
        "",
        "Instructs an organ",
        "kind-instructs",
    ),
}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("nolink", [False, True])
def test_status_labels_say_their_status_and_link_to_it(language, nolink):
    """Every status, lateness and kind, linked or not (the status explanation shows them
    unlinked), in every language; "—" when a paragraph has neither."""
    from mandates import about
    from mandates.models import ParagraphKind
    from mandates.templatetags.tracker import render_status_label

    assert {kind for _status, _late, kind in LABELS if kind} == set(ParagraphKind.values)
    with translation.override(language):
        for (status, late, kind), (opening, mark, word, anchor) in LABELS.items():
            html = str(render_status_label(status, late, kind, nolink))
            mark_html = f'<span aria-hidden="true">{mark}</span>' if mark else ""
            label = f"{opening}{mark_html}{translation.gettext(word)}</span>"
            if nolink:
                assert html.strip() == label
            else:
                help_url = (about.status_help_url if status else about.kind_help_url)(
                    status or kind
                )
                assert help_url.endswith(f"#{anchor}")
                assert html.strip() == f'<a class="status-link" href="{help_url}">{label}</a>'
        assert str(render_status_label(None, False, "", nolink)).strip() == (
            '<span class="status status-none">—</span>'
        )


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_truncatechars_cuts_as_django_does(language):
    """The rows' own `truncatechars` gives Django's result: plain text, accented text, text with
    combining characters (not counted), and every length around the cut."""
    from django.template.defaultfilters import truncatechars as django_truncatechars

    from mandates.jinja import truncatechars

    texts = [
        "",
        "Instructs the Permanent Council to hold a special meeting.",
        "Encomendar al Consejo Permanente que “convoque” una reunión — antes de 2008.",
        "Cafe\u0301 de\u0301ja\u0300 vu, n\u0303o " * 8,  # combining accents
        "x" * 180,
        "y" * 181,
    ]
    with translation.override(language):
        for text in texts:
            for length in (-1, 0, 1, 2, 10, 59, 60, 179, 180, 181, 400):
                assert truncatechars(text, length) == django_truncatechars(text, length)


def test_a_templates_translations_are_written_in_when_it_is_compiled_for_a_language():
    """`{{ _("…") }}` becomes the template's own text in the language it is compiled for (no
    call at render time); a message with arguments stays a call, filled when rendered."""
    source = '<dt>{{ _("Deadlines") }}</dt><dd>{{ _("Source: %(source)s")|fill(source=s) }}</dd>'
    french = jinja.environment("fr")
    compiled = french.compile(source, raw=True)
    assert "Échéances" in compiled and "'Deadlines'" not in compiled
    with translation.override("fr"):
        assert (
            jinja.environment("fr")
            .from_string(source)
            .render(_=jinja._translations("fr").__getitem__, s="<b>")
            == "<dt>Échéances</dt><dd>Source : &lt;b&gt;</dd>"
        )
    # Not compiled for a language: a call, whatever the language when rendered.
    assert "'Deadlines'" in jinja.environment(None).compile(source, raw=True)
