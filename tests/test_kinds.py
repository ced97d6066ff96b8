"""Not every paragraph is a mandate to track (issue 14, point 1): each operative paragraph
instructs an organ (tracked), calls on states (no status unless staff track it) or is
declaratory (never a status). What a delegate sees on pages, lists, counts, exports, the API
and PDFs; what staff change in the admin; what the importer proposes in four languages."""

import csv as csv_module
import datetime
import io
import json
import re

import pytest
import time_machine
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from mandates import status
from mandates.importer import parse_text
from mandates.models import Deadline, Mandate, Resolution
from tests.trust_helpers import EDITORS, admin_url, form_post_data, logged_in, make_user

from .factories import SLUG_2289, make_record, mandate_2289
from .test_pdf import pdf_text

pytestmark = pytest.mark.usefixtures("default_data")

TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)
DECLARATORY_2289 = ["1", "2"]
CALLS_ON_STATES_2289 = ["3", "4", "5", "6", "7", "8", "9", "13", "22"]
ROW = re.compile(
    r'<tr class="mandate-row[^"]*">\s*<th scope="row".*?¶&nbsp;([^<\s]+)</a></th>', re.S
)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def labels_listed(response) -> list[str]:
    return ROW.findall(response.content.decode())


def counts_2289(as_of=datetime.date(2026, 11, 22)):
    return Mandate.objects.filter(resolution__slug=SLUG_2289).paragraph_counts(as_of)


# --- The fixture and the status engine -----------------------------------------------------


def test_the_2289_fixture_carries_the_kinds_of_its_text():
    kinds = dict(Mandate.objects.filter(resolution__slug=SLUG_2289).values_list("label", "kind"))
    assert [label for label, kind in kinds.items() if kind == "declaratory"] == DECLARATORY_2289
    assert sorted(
        (label for label, kind in kinds.items() if kind == "calls_on_states"), key=float
    ) == sorted(CALLS_ON_STATES_2289, key=float)
    assert {kinds[label] for label in ("10", "14", "20", "20.a", "20.b", "20.c", "23")} == {
        "instructs"
    }


def test_untracked_paragraphs_have_no_status_on_any_day():
    for day in (datetime.date(2007, 6, 5), datetime.date(2010, 1, 1), datetime.date(2040, 1, 1)):
        statuses = dict(
            Mandate.objects.filter(resolution__slug=SLUG_2289)
            .with_status(day)
            .values_list("label", "status")
        )
        for label in DECLARATORY_2289 + CALLS_ON_STATES_2289:
            assert statuses[label] is None, (label, day)
        assert statuses["14"] is not None
    assert status.check() == []


def test_counts_say_the_untracked_paragraphs_apart_by_kind():
    counts = counts_2289()
    # 23 operative paragraphs: 12 tracked (6 overdue, 6 pending), 2 declaratory, 9 calling on
    # states; ¶1–9, 13 and 22 are no longer counted as pending.
    assert counts == {
        "overdue": 6,
        "pending": 6,
        "met": 0,
        "tracked": 12,
        "declaratory": 2,
        "calls_on_states": 9,
        "untracked": 11,
        "total": 23,
    }


def test_staff_may_track_a_paragraph_calling_on_states():
    m8 = mandate_2289("8")
    m8.track_status = True
    m8.save()
    counts = counts_2289()
    assert (counts["pending"], counts["calls_on_states"], counts["untracked"]) == (7, 8, 10)
    assert Mandate.objects.with_status(datetime.date(2026, 11, 22)).get(pk=m8.pk).status == (
        "pending"
    )
    # Declaratory is never tracked, whatever the box says.
    Mandate.objects.filter(pk=mandate_2289("1").pk).update(track_status=True)
    assert Mandate.objects.with_status().get(label="1", resolution__slug=SLUG_2289).status is None
    assert status.check() == []


def test_a_parents_status_rolls_up_its_tracked_sub_paragraphs_only():
    """¶20 instructs; were ¶20.c (the overdue report) declared declaratory, ¶20 would be
    judged on 20.a and 20.b alone: no deadline, no completion recorded, so pending."""
    as_of = datetime.date(2026, 11, 22)

    def status_of(label):
        return (
            Mandate.objects.filter(resolution__slug=SLUG_2289)
            .with_status(as_of)
            .get(label=label)
            .status
        )

    assert status_of("20") == "overdue"
    Mandate.objects.filter(pk=mandate_2289("20.c").pk).update(kind="declaratory")
    assert status_of("20.c") is None
    assert status_of("20") == "pending"
    for label in ("20.a", "20.b"):
        make_record(mandate_2289(label), datetime.date(2009, 3, 1), completes=True)
    assert status_of("20") == "met"
    assert status.check() == []


def test_a_deadline_of_an_untracked_paragraph_is_never_missed():
    m22 = mandate_2289("22")
    deadline = Deadline.objects.create(
        mandate=m22, wording="by 2008", due_on=datetime.date(2008, 1, 1)
    )
    state = Deadline.objects.with_state(datetime.date(2026, 11, 22)).get(pk=deadline.pk).state
    assert state == "not_tracked"
    assert not Deadline.objects.of_tracked_paragraphs().filter(pk=deadline.pk).exists()
    page = Client().get(f"/resolutions/{SLUG_2289}/22/")
    assertNotContains(page, "missed")
    assertContains(page, "Calls on states — not tracked")


# --- Pages -----------------------------------------------------------------------------------


def test_the_2289_page_shows_kinds_where_status_would_be(client):
    html = client.get(f"/resolutions/{SLUG_2289}/").content.decode()
    head = re.search(r'<header class="paragraph-head">\s*<h3 id="h1">.*?</header>', html, re.S)
    assert 'class="kind-label kind-declaratory"' in head.group()
    assert "Declaratory — no follow-up" in head.group()
    for word in ("Pending", "Overdue", "Met"):
        assert word not in head.group()
    head8 = re.search(r'<h3 id="h8">.*?</header>', html, re.S).group()
    assert 'class="kind-label kind-calls_on_states"' in head8
    assert "Calls on states — not tracked" in head8
    # The overdue box lists tracked paragraphs only.
    glance = re.search(r'<section class="overdue-glance".*?</section>', html, re.S).group()
    assert "6 operative paragraphs are overdue" in glance
    assert "Also 11 operative paragraphs not tracked (no status):" in html


def test_home_counts_no_longer_count_declaratory_and_state_paragraphs(client):
    html = client.get("/").content.decode()
    pending = re.search(
        r'<dt>(?:<a [^>]*>)?Pending(?:</a>)?</dt><dd><a class="count-link" data-count="(\d+)"', html
    )
    # AG/RES. 2289: 6 pending (was 17); the Santiago plan's commitments are tracked by staff.
    assert pending.group(1) == str(Mandate.objects.paragraph_counts()["pending"])
    assert Mandate.objects.paragraph_counts()["pending"] == 11
    assert "kind=declaratory&amp;tracked=no&amp;level=paragraph" in html
    assert "kind=calls_on_states&amp;tracked=no&amp;level=paragraph" in html


def test_kind_filter_lists_exactly_those_paragraphs(client):
    response = client.get(f"/mandates/?resolution={SLUG_2289}&kind=declaratory")
    assert labels_listed(response) == DECLARATORY_2289
    assertContains(response, "Declaratory — no follow-up", count=2)
    states = client.get(
        f"/mandates/?kind=calls_on_states&tracked=no&level=paragraph&resolution={SLUG_2289}"
    )
    assert labels_listed(states) == CALLS_ON_STATES_2289
    pending = labels_listed(client.get(f"/mandates/?resolution={SLUG_2289}&status=pending"))
    assert not set(pending) & set(DECLARATORY_2289 + CALLS_ON_STATES_2289)


def test_a_bad_kind_is_a_clear_400_everywhere(client):
    for url in ("/mandates/?kind=resolves", "/mandates/export.csv?kind=resolves"):
        response = client.get(url)
        assert response.status_code == 400, url
        assertContains(response, "is not a kind of paragraph", status_code=400)
    response = client.get("/api/v1/mandates/?kind=resolves")
    assert response.status_code == 400
    assert "kind" in response.content.decode()


def test_kind_list_query_count_is_fixed(client, django_assert_max_num_queries):
    client.get("/mandates/?kind=calls_on_states")  # warm: sessions, content types
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(12):
        response = client.get("/mandates/?kind=calls_on_states")
    assert len(labels_listed(response)) == 9 + 11  # 2289's and the Santiago plan's


# --- Exports, API, PDF -----------------------------------------------------------------------


def test_exports_and_api_carry_the_kind(client):
    csv = client.get(f"/mandates/export.csv?resolution={SLUG_2289}&kind=declaratory")
    rows = list(csv_module.reader(io.StringIO(b"".join(csv.streaming_content).decode())))
    header = rows[0]
    assert "kind" in header
    assert [row[header.index("kind")] for row in rows[1:]] == ["declaratory"] * 2
    assert [row[header.index("status")] for row in rows[1:]] == ["", ""]
    api = json.loads(
        client.get(f"/api/v1/mandates/?resolution={SLUG_2289}&kind=calls_on_states").content
    )
    results = api["results"]
    assert [m["label"] for m in results] == CALLS_ON_STATES_2289
    assert {(m["kind"], m["status"], m["tracked"]) for m in results} == {
        ("calls_on_states", None, False)
    }


def test_the_pdf_summary_says_the_kinds(client):
    text = pdf_text(client.get(f"/resolutions/{SLUG_2289}/summary.pdf").content)
    flat = re.sub(r"\s+", " ", text)
    assert "Declaratory — no follow-up" in flat
    assert "Calls on states — not tracked" in flat
    assert "Not tracked: 2 declaratory, 9 calling on states." in flat


# --- Admin -----------------------------------------------------------------------------------


def test_a_staff_change_of_kind_changes_the_counts_on_the_next_request(client):
    pending_before = counts_2289()["pending"]
    assertContains(client.get("/"), f'data-count="{Mandate.objects.paragraph_counts()["pending"]}"')
    editor = logged_in(Client(), make_user("alice", EDITORS))
    m14 = mandate_2289("14")
    data = form_post_data(editor.get(admin_url(m14, "change")))
    assert data["kind"] == "instructs"
    data["kind"] = "declaratory"
    response = editor.post(admin_url(m14, "change"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    m14.refresh_from_db()
    assert m14.kind == "declaratory"
    assert m14.history.order_by("-history_id").first().kind == "declaratory"  # in history
    counts = counts_2289()
    assert counts["declaratory"] == 3
    assert counts["overdue"] + counts["pending"] == pending_before + 6 - 1
    # The cached home page is not served stale: the data version moved.
    home = client.get("/").content.decode()
    assert 'kind=declaratory&amp;tracked=no&amp;level=paragraph&amp;as_of=2026-11-22">3</a>' in home


def test_the_admin_list_filters_and_shows_kinds(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/admin/mandates/mandate/?kind__exact=declaratory")
    assertContains(response, "2 mandates")
    assertContains(response, 'class="kind-label kind-declaratory"', count=2)


# --- Importer --------------------------------------------------------------------------------

OAS_TEXTS = {
    "en": """AG/RES. 9001 (XXXVII-O/07)
TEST RESOLUTION
(Adopted at the fourth plenary session, held on June 5, 2007)
THE GENERAL ASSEMBLY,
RESOLVES:
1. To reaffirm its commitment to the rights of migrant workers.
2. To urge member states to ratify the Convention.
3. To instruct the Permanent Council to hold a meeting on the matter.
4. To request the General Secretariat to report to the General Assembly.
""",
    "es": """AG/RES. 9002 (XXXVII-O/07)
RESOLUCIÓN DE PRUEBA
(Aprobada en la cuarta sesión plenaria, celebrada el 5 de junio de 2007)
LA ASAMBLEA GENERAL,
RESUELVE:
1. Reafirmar su compromiso con los derechos de los trabajadores migratorios.
2. Instar a los Estados Miembros a ratificar la Convención.
3. Encomendar al Consejo Permanente que celebre una reunión sobre el tema.
4. Solicitar a la Secretaría General que informe a la Asamblea General.
""",
    "fr": """AG/RES. 9003 (XXXVII-O/07)
RÉSOLUTION D'ESSAI
(Adoptée à la quatrième séance plénière, tenue le 5 juin 2007)
L'ASSEMBLÉE GÉNÉRALE,
DÉCIDE:
1. De réaffirmer son engagement envers les droits des travailleurs migrants.
2. D'exhorter les États membres à ratifier la Convention.
3. De charger le Conseil permanent de tenir une réunion sur ce sujet.
4. De demander au Secrétariat général de faire rapport à l'Assemblée générale.
""",
    "pt": """AG/RES. 9004 (XXXVII-O/07)
RESOLUÇÃO DE TESTE
(Aprovada na quarta sessão plenária, realizada em 5 de junho de 2007)
A ASSEMBLEIA GERAL,
RESOLVE:
1. Reafirmar seu compromisso com os direitos dos trabalhadores migrantes.
2. Instar os Estados membros a ratificar a Convenção.
3. Encarregar o Conselho Permanente de realizar uma reunião sobre o tema.
4. Solicitar à Secretaria-Geral que apresente relatório à Assembleia Geral.
""",
}


@pytest.mark.parametrize("language", sorted(OAS_TEXTS))
def test_the_importer_proposes_kinds_in_four_languages(language):
    result = parse_text(OAS_TEXTS[language])
    kinds = [p["kind"] for p in result["paragraphs"]]
    assert kinds == ["declaratory", "calls_on_states", "instructs", "instructs"], result[
        "paragraphs"
    ]


def test_the_importer_proposes_the_kinds_of_2289_from_its_text():
    from .shared_paths import SEEDS

    result = parse_text((SEEDS / "ag-res-2289-xxxvii-o-07.txt").read_text(encoding="utf-8"))
    kinds = {}

    def walk(items):
        for item in items:
            kinds[item["label"]] = item["kind"]
            walk(item.get("children", []))

    walk(result["paragraphs"])
    fixture = dict(Mandate.objects.filter(resolution__slug=SLUG_2289).values_list("label", "kind"))
    assert kinds == fixture


def test_an_imported_paragraph_keeps_its_proposed_kind():
    from mandates.importer.saving import import_text

    outcome = import_text(OAS_TEXTS["es"], name="prueba.txt")
    assert not outcome.refused, outcome
    resolution = Resolution.objects.get(symbol="AG/RES. 9002 (XXXVII-O/07)")
    assert list(resolution.mandates.order_by("order").values_list("kind", flat=True)) == [
        "declaratory",
        "calls_on_states",
        "instructs",
        "instructs",
    ]
