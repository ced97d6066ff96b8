"""What staff see in the admin: search by paragraph, the Organization's time zone, and no
security internals unless they are superusers."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.usefixtures("default_data")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize("term", ["¶14", "14", "2289 14", "2289 ¶14"])
def test_admin_search_finds_a_paragraph_by_its_number(staff_client, term):
    response = staff_client.get("/admin/mandates/mandate/", {"q": term})
    assertContains(response, "AG/RES. 2289 (XXXVII-O/07) ¶14</a>")


def test_admin_shows_the_organizations_time_zone_and_drops_the_browser_note(staff_client):
    response = staff_client.get("/admin/mandates/progressrecord/add/")
    assertContains(response, f"Dates and times: {settings.TIME_ZONE}")
    assertContains(response, "/static/js/admin_dates.js")
    assertContains(response, "/static/css/admin.css")


def test_lock_out_tables_are_for_superusers_only(client, staff_user, django_user_model):
    officer = django_user_model.objects.create_user(
        "officer", "officer@example.org", "a-long-password-1", is_staff=True
    )
    officer.user_permissions.set(Permission.objects.all())  # every permission, not superuser
    client.force_login(officer)
    index = client.get("/admin/")
    assertContains(index, "Mandates")
    assertNotContains(index, "Access attempts")
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    client.force_login(staff_user)
    assertContains(client.get("/admin/"), "Access attempts")


def test_record_progress_link_for_staff_only(client, staff_user):
    from .factories import SLUG_2289, mandate_2289

    url = f"/resolutions/{SLUG_2289}/14/"
    assertNotContains(client.get(url), "Record progress")
    client.force_login(staff_user)
    link = f"/admin/mandates/mandate/{mandate_2289('14').pk}/record-progress/"
    assertContains(client.get(url), f'href="{link}">Record progress</a>')
    assertContains(client.get(link), "Month only")
