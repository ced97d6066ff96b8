"""History (who, when, what) and no lost updates: two staff editing the same row."""

import html

import pytest
from django.test import Client

from mandates.models import Deadline, Organ, ProgressRecord, Resolution
from tests import snapshot
from tests.trust_helpers import (
    EDITORS,
    SLUG_2289,
    admin_url,
    error_text,
    form_post_data,
    logged_in,
    make_user,
    mandate,
)


@pytest.fixture
def data(db):
    snapshot.default_data()


@pytest.fixture
def alice(data):
    return make_user("alice", EDITORS, first_name="Alice", last_name="Archer")


@pytest.fixture
def bob(data):
    return make_user("bob", EDITORS, first_name="Bob", last_name="Baker")


def open_change_page(client, obj):
    response = client.get(admin_url(obj, "change"))
    assert response.status_code == 200
    return form_post_data(response)


# --- History ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_admin_change_is_kept_with_who_when_and_what(alice):
    client = logged_in(Client(), alice)
    organ = Organ.objects.get(acronym="CAJP")
    before = organ.history.count()
    data = open_change_page(client, organ)
    data["name"] = "Committee on Juridical and Political Affairs (renamed)"
    response = client.post(admin_url(organ, "change"), data)
    assert response.status_code == 302
    assert organ.history.count() == before + 1
    latest = organ.history.latest("history_date")
    assert latest.history_user == alice
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    assert "name" in [c.field for c in delta.changes]
    # The admin shows it.
    response = client.get(admin_url(organ, "history"))
    assert response.status_code == 200
    assert "renamed" in response.content.decode()
    assert "alice" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "get_obj",
    [
        lambda: Resolution.objects.get(slug=SLUG_2289),
        lambda: mandate("14"),
        lambda: Deadline.objects.filter(mandate=mandate("14")).first(),
        lambda: ProgressRecord.objects.first(),
        lambda: Organ.objects.get(acronym="OAE"),
    ],
    ids=["resolution", "mandate", "deadline", "progress record", "organ"],
)
def test_history_page_exists_for_every_tracked_model(alice, get_obj):
    client = logged_in(Client(), alice)
    obj = get_obj()
    assert obj.history.exists()
    assert client.get(admin_url(obj, "history")).status_code == 200


@pytest.mark.django_db
def test_public_pages_show_last_updated(data):
    response = Client().get(Resolution.objects.get(slug=SLUG_2289).get_absolute_url())
    assert "Last updated" in response.content.decode()


# --- Concurrency --------------------------------------------------------------------------


@pytest.mark.django_db
def test_second_save_of_a_stale_form_is_refused_and_nothing_is_lost(alice, bob):
    record = ProgressRecord.objects.first()
    original_title = record.title
    alice_client, bob_client = logged_in(Client(), alice), logged_in(Client(), bob)
    alice_form = open_change_page(alice_client, record)
    bob_form = open_change_page(bob_client, record)

    alice_form["title"] = "Alice's title"
    response = alice_client.post(admin_url(record, "change"), alice_form)
    assert response.status_code == 302

    bob_form["title"] = "Bob's title"
    bob_form["summary"] = "Bob's careful summary"
    response = bob_client.post(admin_url(record, "change"), bob_form)
    assert response.status_code == 200  # the form again, with the conflict
    errors = html.unescape(error_text(response))
    assert "Not saved" in errors
    assert "Alice Archer" in errors
    assert f"from “{original_title}” to “Alice's title”" in errors
    page = response.content.decode()
    assert "Bob&#x27;s careful summary" in page or "Bob's careful summary" in page

    record.refresh_from_db()
    assert record.title == "Alice's title"  # the first save stands
    assert record.summary != "Bob's careful summary"

    # Bob has seen the changes; saving again from the re-displayed form is deliberate.
    again = form_post_data(response)
    response = bob_client.post(admin_url(record, "change"), again)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "Bob's title"
    assert record.summary == "Bob's careful summary"
    users = [h.history_user.username for h in record.history.order_by("history_date")[1:]]
    assert users == ["alice", "bob"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "get_obj, field, first, second",
    [
        (lambda: Resolution.objects.get(slug=SLUG_2289), "title", "Title A", "Title B"),
        (lambda: mandate("14"), "text", "Text A", "Text B"),
        (
            lambda: Deadline.objects.filter(mandate=mandate("14")).first(),
            "wording",
            "Wording A",
            "Wording B",
        ),
        (lambda: Organ.objects.get(acronym="OAE"), "name", "Name A", "Name B"),
    ],
    ids=["resolution", "mandate", "deadline", "organ"],
)
def test_every_versioned_admin_refuses_stale_saves(alice, bob, get_obj, field, first, second):
    obj = get_obj()
    alice_client, bob_client = logged_in(Client(), alice), logged_in(Client(), bob)
    alice_form, bob_form = open_change_page(alice_client, obj), open_change_page(bob_client, obj)
    alice_form[field] = first
    assert alice_client.post(admin_url(obj, "change"), alice_form).status_code == 302
    bob_form[field] = second
    response = bob_client.post(admin_url(obj, "change"), bob_form)
    assert response.status_code == 200
    assert "Not saved" in error_text(response)
    obj.refresh_from_db()
    assert getattr(obj, field) == first


@pytest.mark.django_db
def test_stale_inline_row_is_refused(alice, bob):
    """A progress record edited on the mandate page while someone changed it elsewhere."""
    target = mandate("1", "santiago-plan-of-action-migrant-workers")
    record = target.progress_records.order_by("pk").first()
    alice_client, bob_client = logged_in(Client(), alice), logged_in(Client(), bob)
    bob_page = bob_client.get(admin_url(target, "change"))
    bob_form = form_post_data(bob_page)

    alice_form = open_change_page(alice_client, record)
    alice_form["title"] = "Alice fixed the title"
    assert alice_client.post(admin_url(record, "change"), alice_form).status_code == 302

    prefix = next(
        i.formset.prefix
        for i in bob_page.context["inline_admin_formsets"]
        if i.formset.model is ProgressRecord
    )
    index = next(n for n in range(20) if bob_form.get(f"{prefix}-{n}-id") == str(record.pk))
    bob_form[f"{prefix}-{index}-title"] = "Bob's title"
    response = bob_client.post(admin_url(target, "change"), bob_form)
    assert response.status_code == 200
    assert "Not saved" in error_text(response)
    record.refresh_from_db()
    assert record.title == "Alice fixed the title"


@pytest.mark.django_db
def test_unchanged_save_creates_no_version_and_no_conflict(alice, bob):
    obj = mandate("12")
    version = obj.version
    alice_client, bob_client = logged_in(Client(), alice), logged_in(Client(), bob)
    alice_form, bob_form = open_change_page(alice_client, obj), open_change_page(bob_client, obj)
    assert alice_client.post(admin_url(obj, "change"), alice_form).status_code == 302
    obj.refresh_from_db()
    assert obj.version == version
    bob_form["text"] = "Bob's edit"
    assert bob_client.post(admin_url(obj, "change"), bob_form).status_code == 302
    obj.refresh_from_db()
    assert obj.text == "Bob's edit"


@pytest.mark.django_db
def test_reverting_from_history_is_checked_and_numbers_versions_forward(alice):
    client = logged_in(Client(), alice)
    organ = Organ.objects.get(acronym="CIM")
    first = organ.history.earliest("history_date")
    data = open_change_page(client, organ)
    data["name"] = "Changed once"
    assert client.post(admin_url(organ, "change"), data).status_code == 302
    organ.refresh_from_db()
    assert organ.version == 2
    url = admin_url(Organ, "simple_history", organ.pk, first.history_id)
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, form_post_data(page))
    assert response.status_code == 302
    organ.refresh_from_db()
    assert organ.name == first.name
    assert organ.version == 3
