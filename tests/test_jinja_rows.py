"""The paragraph rows, rendered by Jinja2 (mandates/jinja.py, templates/jinja2/mandates/)
inside the DTL pages: translated in the reader's language, and escaped as DTL escapes."""

import datetime

import pytest
from django.utils import translation

from mandates import jinja

from .factories import make_record, make_resolution

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
