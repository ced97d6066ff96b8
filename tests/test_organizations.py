"""Organizations: OAS and UN resolutions side by side, pages narrowed by organization."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from pytest_django.asserts import assertContains, assertNotContains

from mandates.loading import save_instrument
from mandates.models import Organ, Organization, Resolution, Session

pytestmark = pytest.mark.usefixtures("default_data")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def un_resolution():
    return save_instrument(
        {
            "organization": "un",
            "kind": "ga_resolution",
            "symbol": "A/RES/80/28",
            "title": "Transparency in armaments",
            "session": 80,
            "adopted_on": "2025-12-01",
            "paragraphs": [
                {
                    "label": "11",
                    "text": "Requests the Secretary-General to report to the General Assembly at "
                    "its eighty-first session on progress made;",
                    "organs": ["SG", "UNGA"],
                    "deadlines": [
                        {"due_on": None, "session": 81, "wording": "at its eighty-first session"}
                    ],
                }
            ],
        }
    )


def test_the_un_directory_and_sessions_are_there():
    un = Organization.objects.get(code="un")
    acronyms = set(Organ.objects.filter(organization=un).values_list("acronym", flat=True))

    assert {"GA", "SC", "ECOSOC", "HRC", "ICJ", "SG"} <= acronyms
    assert "Secretariat" in Organ.objects.get(key="SG").alias_list()
    opening = dict(Session.objects.filter(organization=un).values_list("ordinal", "start_date"))
    assert opening[80] == datetime.date(2025, 9, 9)
    assert opening[81] == datetime.date(2026, 9, 8)


def test_existing_oas_data_belongs_to_the_oas():
    resolution = Resolution.objects.get(symbol="AG/RES. 2289 (XXXVII-O/07)")

    assert resolution.organization.code == "oas"
    assert resolution.session.organization.code == "oas"
    assert Organ.objects.get(key="GA").organization.code == "oas"


def test_two_organizations_each_have_a_ga_with_its_own_address(client):
    """Acronyms are unique within an organization: the UN's General Assembly is "GA" too, and
    keeps its address by its key."""
    oas_ga, un_ga = Organ.objects.get(key="GA"), Organ.objects.get(key="UNGA")

    assert (oas_ga.acronym, un_ga.acronym) == ("GA", "GA")
    assert un_ga.organization.code == "un"
    assert un_ga.get_absolute_url() == "/organs/UNGA/"
    page = client.get("/organs/UNGA/").content.decode()
    assert 'General Assembly of the United Nations <span class="muted">(GA)</span>' in page
    assert "<dt>Organization</dt><dd>United Nations</dd>" in page
    assert client.get("/organs/GA/").status_code == 200
    assert client.get("/api/v1/organs/UNGA/").json()["acronym"] == "GA"


def test_a_new_organ_takes_its_acronym_as_key_unless_taken():
    un = Organization.objects.get(code="un")
    oas = Organization.objects.get(code="oas")
    assert Organ.objects.create(organization=un, acronym="CAJP", name="A UN body").key == "UNCAJP"
    assert Organ.objects.create(organization=oas, acronym="ZZQ", name="A new organ").key == "ZZQ"
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Organ.objects.create(organization=oas, acronym="ZZQ", name="The same acronym")


def test_a_un_deadline_takes_the_un_sessions_opening_date(un_resolution):
    deadline = un_resolution.mandates.get().deadlines.get()

    assert deadline.session.organization.code == "un"
    assert deadline.due == datetime.date(2026, 9, 8)


def test_sessions_are_numbered_per_organization():
    un = Organization.objects.get(code="un")
    Session.objects.create(organization=un, ordinal=37)  # the OAS has a 37th too

    with pytest.raises(IntegrityError):
        Session.objects.create(organization=un, ordinal=37)


def test_the_mandate_list_is_narrowed_by_organization(client, un_resolution):
    # Rows name their resolution in a span (the filter form lists every resolution).
    response = client.get("/mandates/?organization=un")

    assertContains(response, '<span class="symbol">A/RES/80/28</span>', count=1)
    assertNotContains(response, '<span class="symbol">AG/RES. 2289')
    assertContains(
        response,
        "1 mandate (paragraphs and sub-paragraphs counted separately), status as of "
        "November 22, 2026.",
    )
    response = client.get("/mandates/?organization=oas")
    assertContains(response, '<span class="symbol">AG/RES. 2289')
    assertNotContains(response, '<span class="symbol">A/RES/80/28</span>')


def test_an_unknown_organization_gets_a_clear_message(client):
    response = client.get("/mandates/?organization=xyz")

    assert response.status_code == 400
    assertContains(response, "There is no organization with the code “xyz”.", status_code=400)


def test_the_resolution_list_is_narrowed_by_organization(client, un_resolution):
    response = client.get("/resolutions/?organization=un")

    assertContains(response, "Transparency in armaments")
    assertNotContains(response, "AG/RES. 2289")
    assertContains(response, '<strong><abbr title="United Nations">UN</abbr></strong>')
    response = client.get("/resolutions/")
    assertContains(response, "A/RES/80/28")
    assertContains(response, "AG/RES. 2289")


def test_the_resolution_list_refuses_an_unknown_organization(client):
    response = client.get("/resolutions/?organization=xyz")

    assertContains(response, "There is no organization with the code “xyz”.", status_code=400)


def test_the_organ_list_narrows_to_one_organization(client):
    un_only = client.get("/organs/?organization=un").content.decode()
    assert '<a href="/organs/UNGA/' in un_only and '<a href="/organs/SC/' in un_only
    assert '<a href="/organs/CAJP/' not in un_only and '<a href="/organs/GA/' not in un_only
    everything = client.get("/organs/").content.decode()
    assert '<a href="/organs/UNGA/' in everything and '<a href="/organs/CAJP/' in everything
    assert '<nav class="organization-filter"' in everything
    refused = client.get("/organs/?organization=nowhere")
    assert refused.status_code == 400
