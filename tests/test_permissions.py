"""Roles: Secretariat editors change everything, organ focal points only their organs'
progress records and documents (by every admin path), viewers nothing, the public nothing."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from mandates.models import Deadline, Mandate, ProgressRecord, Resolution
from mandates.permissions import is_scoped, scoped_mandate_ids
from tests import snapshot
from tests.trust_helpers import (
    EDITORS,
    FOCAL_POINTS,
    SLUG_2289,
    VIEWERS,
    admin_url,
    form_post_data,
    logged_in,
    make_user,
    mandate,
)

SANTIAGO = "santiago-plan-of-action-migrant-workers"


@pytest.fixture
def data(db):
    snapshot.default_data()


@pytest.fixture
def iachr(data):
    """Focal point of the IACHR: Santiago ¶5 (records), AG/RES. 2289 ¶10, ¶19, ¶20…"""
    return make_user("iachr", FOCAL_POINTS, organs=["IACHR"])


@pytest.fixture
def iachr_client(iachr):
    return logged_in(Client(), iachr)


def own_record():
    return ProgressRecord.objects.filter(mandate=mandate("5", SANTIAGO)).first()


def foreign_record():
    """A record of Santiago ¶1, addressed to the member states only."""
    return ProgressRecord.objects.filter(mandate=mandate("1", SANTIAGO)).first()


# --- Groups -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_creates_the_three_groups_with_their_permissions():
    editors = Group.objects.get(name=EDITORS)
    focal = Group.objects.get(name=FOCAL_POINTS)
    viewers = Group.objects.get(name=VIEWERS)
    perms = {
        g.name: set(g.permissions.values_list("codename", flat=True))
        for g in (editors, focal, viewers)
    }
    assert {"change_mandate", "delete_resolution", "add_deadline", "change_organ"} <= perms[EDITORS]
    assert {"add_progressrecord", "change_progressrecord", "add_document"} <= perms[FOCAL_POINTS]
    assert {"view_mandate", "view_resolution", "view_deadline"} <= perms[FOCAL_POINTS]
    assert not {"change_mandate", "change_deadline", "change_resolution"} & perms[FOCAL_POINTS]
    assert perms[VIEWERS] and all(p.startswith("view_") for p in perms[VIEWERS])


@pytest.mark.django_db
def test_scope_covers_organs_under_the_focal_points_organ(data):
    pc = make_user("pc", FOCAL_POINTS, organs=["PC"])
    ids = set(Mandate.objects.filter(pk__in=scoped_mandate_ids(pc)).values_list("label", flat=True))
    # ¶14 is addressed to the CAJP, a committee of the Permanent Council.
    assert {"10", "14", "16", "17", "20.c", "23"} <= ids
    assert "12" not in ids
    editor = make_user("ed", EDITORS)
    assert not is_scoped(editor)
    nobody = make_user("fp-without-organ", FOCAL_POINTS)
    assert scoped_mandate_ids(nobody).count() == 0


# --- The public -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_public_cannot_reach_the_admin_or_change_anything(data):
    client = Client(enforce_csrf_checks=True)
    record = foreign_record()
    response = client.get(admin_url(record, "change"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(admin_url(record, "change"), {"title": "Defaced"})
    assert response.status_code in {302, 403}
    assert ProgressRecord.objects.get(pk=record.pk).title != "Defaced"
    # Public pages take no POST that changes anything (CSRF refuses a bare POST).
    assert client.post("/", {"x": "y"}).status_code == 403


# --- Focal points -------------------------------------------------------------------------


@pytest.mark.django_db
def test_focal_point_lists_show_only_their_organs(iachr_client):
    response = iachr_client.get(admin_url(ProgressRecord))
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert own_record().pk in shown
    assert foreign_record().pk not in shown
    response = iachr_client.get(admin_url(Mandate))
    labels = {str(m) for m in response.context["cl"].queryset}
    assert "AG/RES. 2289 (XXXVII-O/07) ¶20.c" in labels
    assert "AG/RES. 2289 (XXXVII-O/07) ¶12" not in labels


@pytest.mark.django_db
def test_focal_point_can_edit_own_record_but_not_anothers(iachr_client):
    record = own_record()
    response = iachr_client.get(admin_url(record, "change"))
    assert response.status_code == 200
    data = form_post_data(response)
    data["title"] = "Edited by the IACHR focal point"
    response = iachr_client.post(admin_url(record, "change"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    record.refresh_from_db()
    assert record.title == "Edited by the IACHR focal point"

    other = foreign_record()
    response = iachr_client.get(admin_url(other, "change"))
    assert response.status_code == 302  # "does not exist", back to the admin index
    response = iachr_client.post(
        admin_url(other, "change"), {**data, "title": "Hijacked", "mandate": other.mandate_id}
    )
    assert response.status_code == 302
    assert ProgressRecord.objects.get(pk=other.pk).title != "Hijacked"
    assert iachr_client.get(admin_url(other, "delete")).status_code == 302
    assert iachr_client.post(admin_url(other, "delete"), {"post": "yes"}).status_code == 302
    assert ProgressRecord.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_focal_point_cannot_add_a_record_to_another_organs_mandate(iachr_client):
    add_url = admin_url(ProgressRecord, "add")
    response = iachr_client.get(add_url)
    assert response.status_code == 200
    base = form_post_data(response)
    base.update(
        {"date": "2010-01-15", "date_precision": "day", "kind": "report", "title": "Report"}
    )
    theirs = mandate("1", SANTIAGO)
    response = iachr_client.post(add_url, {**base, "mandate": theirs.pk})
    assert response.status_code == 200
    assert "mandate" in response.context["adminform"].form.errors
    assert not ProgressRecord.objects.filter(mandate=theirs, title="Report").exists()

    mine = mandate("5", SANTIAGO)
    response = iachr_client.post(add_url, {**base, "mandate": mine.pk})
    assert response.status_code == 302
    created = ProgressRecord.objects.get(mandate=mine, title="Report")
    assert created.created_by.username == "iachr"


@pytest.mark.django_db
def test_focal_point_records_progress_inline_but_cannot_change_the_mandate(iachr_client):
    target = mandate("20.c")
    url = admin_url(target, "change")
    response = iachr_client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "text" not in form.fields  # read-only for a focal point
    data = form_post_data(response)
    data["text"] = "Rewritten by a focal point"
    prefix = next(
        i.formset.prefix
        for i in response.context["inline_admin_formsets"]
        if i.formset.model is ProgressRecord
    )
    data.update(
        {
            f"{prefix}-0-date": "2008-05-20",
            f"{prefix}-0-date_precision": "day",
            f"{prefix}-0-kind": "report",
            f"{prefix}-0-title": "IACHR report presented",
            f"{prefix}-0-fulfils": [str(d.pk) for d in target.deadlines.all()[:1]],
        }
    )
    # A forged extra deadline row and a changed responsibility are ignored.
    deadlines = int(data["deadlines-TOTAL_FORMS"])
    data.update(
        {
            "deadlines-TOTAL_FORMS": str(deadlines + 1),
            f"deadlines-{deadlines}-wording": "Forged deadline",
            f"deadlines-{deadlines}-due_on": "2030-01-01",
            f"deadlines-{deadlines}-order": "9",
            "responsibilities-0-role": "supporting",
        }
    )
    roles = list(target.responsibilities.values_list("pk", "role"))
    response = iachr_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    target.refresh_from_db()
    assert target.text != "Rewritten by a focal point"
    assert not Deadline.objects.filter(wording="Forged deadline").exists()
    assert list(target.responsibilities.values_list("pk", "role")) == roles
    record = target.progress_records.get(title="IACHR report presented")
    assert record.created_by.username == "iachr"

    # Deadlines and responsible organs are shown read-only: nothing to add or change there.
    page = iachr_client.get(url)
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.model is Deadline:
            assert not inline.has_add_permission and not inline.has_change_permission


@pytest.mark.django_db
def test_focal_point_cannot_use_another_organs_mandate_page(iachr_client):
    other = mandate("12")  # OAE
    url = admin_url(other, "change")
    assert iachr_client.get(url).status_code == 302
    response = iachr_client.post(
        url,
        {
            "progress_records-TOTAL_FORMS": "1",
            "progress_records-INITIAL_FORMS": "0",
            "progress_records-0-date": "2008-05-20",
            "progress_records-0-date_precision": "day",
            "progress_records-0-kind": "report",
            "progress_records-0-title": "Sneaked in",
        },
    )
    assert response.status_code in {302, 403}
    assert not ProgressRecord.objects.filter(title="Sneaked in").exists()


@pytest.mark.django_db
def test_autocomplete_offers_only_own_mandates(iachr_client):
    response = iachr_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "mandates",
            "model_name": "progressrecord",
            "field_name": "mandate",
            "term": "",
        },
    )
    assert response.status_code == 200
    labels = [r["text"] for r in response.json()["results"]]
    assert labels, "the focal point's own mandates are offered"
    allowed = {str(m) for m in Mandate.objects.filter(pk__in=scoped_mandate_ids_for("iachr"))}
    assert set(labels) <= allowed
    assert "AG/RES. 2289 (XXXVII-O/07) ¶12" not in labels


def scoped_mandate_ids_for(username):
    from django.contrib.auth import get_user_model

    return scoped_mandate_ids(get_user_model().objects.get(username=username))


@pytest.mark.django_db
def test_bulk_delete_cannot_reach_another_organs_records(iachr_client):
    mine, theirs = own_record(), foreign_record()
    response = iachr_client.post(
        admin_url(ProgressRecord),
        {
            "action": "delete_selected",
            "_selected_action": [str(mine.pk), str(theirs.pk)],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert ProgressRecord.objects.filter(pk=theirs.pk).exists()
    assert not ProgressRecord.objects.filter(pk=mine.pk).exists()


@pytest.mark.django_db
def test_focal_point_cannot_revert_another_organs_record_from_history(iachr_client):
    other = foreign_record()
    historical = other.history.first()
    url = admin_url(ProgressRecord, "simple_history", other.pk, historical.history_id)
    response = iachr_client.post(url, {"title": "Reverted by a stranger"})
    assert response.status_code == 403
    assert ProgressRecord.objects.get(pk=other.pk).title != "Reverted by a stranger"


@pytest.mark.django_db
def test_focal_point_cannot_revert_his_own_mandates_text(iachr_client):
    target = mandate("20.c")
    old = target.history.earliest("history_date")
    target.text = "Corrected by the secretariat"
    target.save()
    url = admin_url(Mandate, "simple_history", target.pk, old.history_id)
    page = iachr_client.get(url)
    assert page.status_code == 200  # history is visible
    assert iachr_client.post(url, form_post_data(page)).status_code == 403
    target.refresh_from_db()
    assert target.text == "Corrected by the secretariat"


@pytest.mark.django_db
def test_focal_point_views_but_cannot_change_resolutions_and_deadlines(iachr_client):
    res = Resolution.objects.get(slug=SLUG_2289)
    response = iachr_client.get(admin_url(res, "change"))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    response = iachr_client.post(admin_url(res, "change"), {"title": "Changed"})
    assert response.status_code == 403
    deadline = mandate("20.c").deadlines.first()
    response = iachr_client.post(admin_url(deadline, "change"), {"wording": "Changed"})
    assert response.status_code == 403
    assert iachr_client.get(admin_url(Deadline, "add")).status_code == 403


# --- Viewers and editors ------------------------------------------------------------------


@pytest.mark.django_db
def test_viewer_sees_everything_and_changes_nothing(data):
    client = logged_in(Client(), make_user("viewer", VIEWERS))
    record = foreign_record()
    assert client.get(admin_url(ProgressRecord)).status_code == 200
    response = client.get(admin_url(record, "change"))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    response = client.post(admin_url(record, "change"), {"title": "Viewer edit"})
    assert response.status_code == 403
    assert client.get(admin_url(ProgressRecord, "add")).status_code == 403
    history = record.history.first()
    url = admin_url(ProgressRecord, "simple_history", record.pk, history.history_id)
    assert client.post(url, {"title": "x"}).status_code == 403
    assert ProgressRecord.objects.get(pk=record.pk).title == record.title


@pytest.mark.django_db
def test_editor_changes_any_mandate(data):
    client = logged_in(Client(), make_user("editor", EDITORS))
    target = mandate("12")
    url = admin_url(target, "change")
    response = client.get(url)
    data = form_post_data(response)
    data["text"] = "Corrected wording of paragraph 12."
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    target.refresh_from_db()
    assert target.text == "Corrected wording of paragraph 12."
    assert client.get(admin_url(ProgressRecord)).context["cl"].result_count == (
        ProgressRecord.objects.count()
    )
