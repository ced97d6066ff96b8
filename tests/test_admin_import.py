"""Admin "Import from text": paste, review beside the source, correct, save."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import include, path
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from mandates.admin_import import get_import_urls
from mandates.loading import load_default_data
from mandates.models import Mandate, ProgressRecord, Resolution
from tests import snapshot
from tests.shared_paths import CORPUS, SEEDS

SEED = SEEDS
SEED = SEED / "ag-res-2289-xxxvii-o-07.txt"
SYMBOL = "AG/RES. 2289 (XXXVII-O/07)"


# The hook as ResolutionAdmin carries it, on a site of its own so that the test does not
# depend on how mandates/admin.py is wired.
class ImportingResolutionAdmin(admin.ModelAdmin):
    def get_urls(self):
        return get_import_urls(self.admin_site) + super().get_urls()


site = admin.AdminSite(name="admin")
site.register(Resolution, ImportingResolutionAdmin)
urlpatterns = [path("admin/", include((site.get_urls(), "admin"), namespace="admin"))]
pytestmark = pytest.mark.urls(__name__)

IMPORT_URL = "/admin/mandates/resolution/import/"
DATA = Path(__file__).resolve().parent / "data" / "import"


@pytest.fixture
def directory(db):
    snapshot.default_data(["organs.json", "sessions.json"])


@pytest.fixture
def importer(directory, django_user_model):
    user = django_user_model.objects.create_user("importer", password="a-long-password-1")
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="add_resolution"))
    return user


def post_data_from(response) -> dict:
    """The review form as the browser would send it back unchanged."""
    data = {"step": "save"}
    html = response.content.decode()
    for name in ("draft", "page"):
        found = re.search(rf'name="{name}" value="([^"]*)"', html)
        if found:
            data[name] = found.group(1)
    resolution_form = response.context["resolution_form"]
    for field in resolution_form:
        value = field.value()
        if value not in (None, False):
            data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    formset = response.context["formset"]
    management = formset.management_form
    for name in management.fields:
        data[management.add_prefix(name)] = management[name].value()
    for form in formset.forms:
        for sub in [form, *form.deadline_forms]:
            for field in sub:
                value = field.value()
                if value not in (None, False):
                    data[field.html_name] = value
    for session_form in response.context["missing_sessions"]:
        for field in session_form:
            value = field.value()
            if value not in (None, False):
                data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_staff_paste_the_seed_review_it_and_save(client, importer):
    client.force_login(importer)
    assertContains(client.get(IMPORT_URL), "Text of the resolution")

    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})

    # Source on the left, with line numbers to follow the warnings.
    assertContains(review, '<li id="source-line-81" value="81">19. To request the Inter')
    # Proposed structure on the right, editable.
    assertContains(review, 'value="AG/RES. 2289 (XXXVII-O/07)"')
    assertContains(review, 'value="The Human Rights of All Migrant Workers and Their Families"')
    assertContains(review, 'value="20.c"')
    assertContains(review, 'value="IACHR, PC"')
    # Each deadline a small form of its own: a session from the select, or a date.
    page = review.content.decode()
    proposed = page[page.index('aria-label="Proposed structure"') :]
    assert "|" not in proposed  # no pipe syntax anywhere in the form
    assertContains(review, 'value="prior to the thirty-eighth regular session"')
    assertContains(review, 'value="2009-12-31"')
    assertContains(review, 'value="during the biennium 2008-2009"')
    assertContains(review, '<option value="session" selected>at a regular session</option>')
    # What the parser could not place is listed, with its line.
    assertContains(review, '<a href="#source-line-81">Line 81</a>')
    assertContains(review, "“International Labour Organization (ILO)”")

    data = post_data_from(review)
    saved = client.post(IMPORT_URL, data)

    resolution = Resolution.objects.get(symbol=SYMBOL)
    assertRedirects(
        saved,
        f"/admin/mandates/resolution/{resolution.pk}/change/",
        fetch_redirect_response=False,
    )
    assert resolution.adopted_on == datetime.date(2007, 6, 5)
    assert resolution.session.ordinal == 37
    assert resolution.mandates.count() == 26
    p20c = resolution.mandates.get(label="20.c")
    assert p20c.parent.label == "20"
    assert list(
        p20c.organs.order_by("responsibilities__order").values_list("acronym", flat=True)
    ) == [
        "IACHR",
        "PC",
    ]
    assert [d.session.ordinal for d in p20c.deadlines.all()] == [38, 39]
    messages = [str(m) for m in saved.wsgi_request._messages]
    assert messages == [f"{SYMBOL} was imported with 26 paragraphs."]


def test_corrections_on_the_review_page_are_saved(client, importer):
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    data = post_data_from(review)
    # Give ¶1 a lead, move a deadline, drop ¶22.
    data["form-0-organs"] = "MS"
    data["form-13-deadline_count"] = "1"
    data["form-13-dl-0-precision"] = "month"
    data["form-13-dl-0-date"] = "2008-03"
    data["form-13-dl-0-wording"] = "in the first quarter of 2008"
    assert data["form-24-label"] == "22"
    data["form-24-DELETE"] = "on"

    client.post(IMPORT_URL, data)

    resolution = Resolution.objects.get(symbol=SYMBOL)
    assert list(resolution.mandates.get(label="1").organs.values_list("acronym", flat=True)) == [
        "MS"
    ]
    [deadline] = resolution.mandates.get(label="14").deadlines.all()
    assert (deadline.due_on, deadline.wording) == (
        datetime.date(2008, 3, 31),
        "in the first quarter of 2008",
    )
    assert not resolution.mandates.filter(label="22").exists()


def test_errors_on_the_review_page_are_shown_and_nothing_is_saved(client, importer):
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    data = post_data_from(review)
    data["form-0-organs"] = "MS, WIDGETS"
    data["form-1-deadline_count"] = "1"
    data["form-1-dl-0-precision"] = "day"
    data["form-1-dl-0-date"] = "next year"
    data["form-1-dl-0-wording"] = "soon"
    data["form-2-label"] = "1"

    response = client.post(IMPORT_URL, data)

    assertContains(response, "Not in the organ directory: WIDGETS.")
    # The error next to the deadline's date, not at the top.
    page = response.content.decode()
    error = page.index("“next year” is not a date of this form: 2008-06-01.")
    assert page.index('name="form-1-dl-0-date"') < error < page.index('name="form-1-dl-0-session"')
    # The source stays beside the form.
    assertContains(response, '<li id="source-line-1" value="1">AG/RES. 2289 (XXXVII O/07)</li>')
    assert Resolution.objects.count() == 0


def test_duplicate_labels_on_the_review_page_are_refused(client, importer):
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    data = post_data_from(review)
    data["form-2-label"] = "1"

    response = client.post(IMPORT_URL, data)

    assertContains(response, "Label 1 is used twice.")
    assert Resolution.objects.count() == 0


def test_a_text_without_operative_part_is_explained_on_the_first_page(client, importer):
    client.force_login(importer)

    response = client.post(IMPORT_URL, {"step": "parse", "text": "AG/RES. 1 (XL-O/10)\nTitle\n"})

    assertContains(response, "Line 2: No operative part")
    assertNotContains(response, "Operative paragraphs")


def test_an_uploaded_docx_is_read(client, importer, tmp_path):
    import docx

    document = docx.Document()
    for line in SEED.read_text("utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "resolution.docx"
    document.save(path)
    client.force_login(importer)

    with path.open("rb") as upload:
        review = client.post(IMPORT_URL, {"step": "parse", "file": upload})

    assertContains(review, 'value="20.c"')
    assertContains(review, 'name="form-0-label"')


def test_an_existing_symbol_needs_replace(client, importer):
    load_default_data(["ag-res-2289-xxxvii-o-07.json"])
    p23 = Mandate.objects.get(label="23")
    record = ProgressRecord.objects.create(
        mandate=p23, date=datetime.date(2008, 5, 28), title="PC report"
    )
    record.fulfils.add(p23.deadlines.get(session__ordinal=38))
    importer.user_permissions.add(Permission.objects.get(codename="change_resolution"))
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    assertContains(review, "already in the database")
    data = post_data_from(review)

    refused = client.post(IMPORT_URL, data)

    assertContains(refused, "Tick “Replace the resolution if it exists” to update it.")
    data["replace"] = "on"
    replaced = client.post(IMPORT_URL, data)
    assert replaced.status_code == 302
    messages = [str(m) for m in replaced.wsgi_request._messages]
    assert messages[0].startswith(f"{SYMBOL} was replaced: 26 paragraphs unchanged")
    # The progress record is still there, and still fulfils the same deadline.
    record.refresh_from_db()
    assert list(record.fulfils.values_list("session__ordinal", flat=True)) == [38]


def test_a_non_staff_user_is_sent_to_the_login_page(client, directory, django_user_model):
    user = django_user_model.objects.create_user("visitor", password="a-long-password-1")
    client.force_login(user)

    response = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Resolution.objects.count() == 0


def test_staff_without_the_add_permission_are_refused(client, directory, django_user_model):
    user = django_user_model.objects.create_user(
        "reader", password="a-long-password-1", is_staff=True
    )
    client.force_login(user)

    assert client.get(IMPORT_URL).status_code == 403


# --- Several files, organizations, warnings next to paragraphs --------------------------------


def test_several_files_are_summarised_before_anything_is_saved_then_imported(client, importer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mandates.models import Resolution as ResolutionModel

    client.force_login(importer)
    seed = SEED.read_bytes()
    broken = (DATA / "no-operative-part.txt").read_bytes()
    response = client.post(
        IMPORT_URL,
        {
            "file": [
                SimpleUploadedFile("seed.txt", seed),
                SimpleUploadedFile("broken.txt", broken),
            ]
        },
    )

    assertContains(response, "2 files checked (1 refused); nothing has been saved yet.")
    assertContains(response, "Dry run: AG/RES. 2289 (XXXVII-O/07) parsed, 26 paragraphs")
    assertContains(response, "Line 11: No operative part")
    assert ResolutionModel.objects.count() == 0

    page = response.content.decode()
    response = client.post(
        IMPORT_URL,
        {
            "step": "save_batch",
            "batch_name": ["seed.txt"],
            "batch_text": [seed.decode("utf-8")],
        },
        follow=True,
    )
    assertContains(response, "1 imported, 0 refused.")
    assert ResolutionModel.objects.filter(symbol="AG/RES. 2289 (XXXVII-O/07)").exists()
    assert "broken.txt" in page  # the refused file is named in the summary, not re-sent
    assert page.count('name="batch_name"') == 1


def test_a_un_text_is_reviewed_with_the_uns_organs_and_warnings_next_to_paragraphs(
    client, importer
):
    client.force_login(importer)
    text = (CORPUS / "un-ga-80" / "A_RES_80_3.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    response = client.post(IMPORT_URL, {"text": text})

    assertContains(response, '<option value="un" selected>')
    assertContains(response, 'value="A/RES/80/3"')
    # The lost "2." is flagged where it happened, on the paragraph itself.
    page = response.content.decode()
    warning = page.index('<li class="warning">A paragraph without a number follows ¶1')
    assert page.index('name="form-0-label"') < warning < page.index('name="form-1-label"')


def test_a_session_missing_from_the_directory_is_offered_for_creation_in_the_review(
    client, importer
):
    from mandates.models import Session

    Session.objects.filter(ordinal=39, kind="regular").delete()
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    page = review.content.decode()
    # Said on the review itself, beside ¶20.c that names it, with a form to create it.
    legend = page.index("Regular session 39 is not in the directory of sessions")
    assert page.index("Operative paragraphs</h2>") < legend
    link = page.index("Regular session 39 is not in the directory of sessions: add it in the form")
    assert page.index('value="20.c"') < link
    assertContains(review, 'name="newsession-regular-39-place"')
    assertContains(review, '<option value="39" selected>39 — not in the directory yet</option>')
    data = post_data_from(review)
    refused = client.post(IMPORT_URL, data)
    assertContains(refused, "Not in the directory: tick “Create it with the resolution”")
    assert not Resolution.objects.filter(symbol=SYMBOL).exists()
    assert not Session.objects.filter(ordinal=39, kind="regular").exists()
    data["newsession-regular-39-create"] = "on"
    data["newsession-regular-39-place"] = "San Pedro Sula, Honduras"
    data["newsession-regular-39-start_date"] = "2009-06-02"
    data["newsession-regular-39-end_date"] = "2009-06-01"  # before it opens: refused
    again = client.post(IMPORT_URL, data)
    assertContains(again, "The session cannot close before it opens.")
    assert not Resolution.objects.filter(symbol=SYMBOL).exists()
    data["newsession-regular-39-end_date"] = "2009-06-04"
    client.post(IMPORT_URL, data)
    # Both saved together.
    resolution = Resolution.objects.get(symbol=SYMBOL)
    session = Session.objects.get(ordinal=39, kind="regular")
    assert (session.place, session.start_date) == (
        "San Pedro Sula, Honduras",
        datetime.date(2009, 6, 2),
    )
    p20c = resolution.mandates.get(label="20.c")
    assert [d.session.ordinal for d in p20c.deadlines.all()] == [38, 39]
    assert [d.due for d in p20c.deadlines.all()][1] == datetime.date(2009, 6, 2)


def test_a_missing_session_can_be_created_on_its_own_before_saving(client, importer):
    from mandates.models import Session

    Session.objects.filter(ordinal=39, kind="regular").delete()
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    data = post_data_from(review)
    data["create_session"] = "regular-39"
    response = client.post(IMPORT_URL, data)
    assert Session.objects.filter(ordinal=39, kind="regular", start_date=None).exists()
    assertContains(response, "was added.")
    assertNotContains(response, 'name="newsession-regular-39-place"')
    assert not Resolution.objects.exists()  # the review goes on


def test_a_special_sessions_resolution_offers_its_session(client, importer):
    from mandates.models import Session

    text = SEED.read_text("utf-8").replace("AG/RES. 2289 (XXXVII O/07)", "AG/RES. 1 (XLV-E/13)")
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": text})
    assertContains(review, "Special session 45 is not in the directory of sessions")
    data = post_data_from(review)
    assert data["session"] == 45 and data["session_kind"] == "special"
    data["newsession-special-45-create"] = "on"
    client.post(IMPORT_URL, data)
    resolution = Resolution.objects.get(symbol="AG/RES. 1 (XLV-E/13)")
    assert resolution.session == Session.objects.get(ordinal=45, kind="special")


def test_a_deadline_can_be_added_without_script(client, importer):
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    data = post_data_from(review)
    data["add_deadline"] = "0"
    response = client.post(IMPORT_URL, data)
    assertContains(response, 'name="form-0-dl-0-wording"')
    data = post_data_from(response)
    data.update(
        {
            "form-0-dl-0-precision": "year",
            "form-0-dl-0-date": "2009",
            "form-0-dl-0-wording": "in 2009",
        }
    )
    client.post(IMPORT_URL, data)
    [deadline] = Resolution.objects.get(symbol=SYMBOL).mandates.get(label="1").deadlines.all()
    assert (deadline.due_on, deadline.wording) == (datetime.date(2009, 12, 31), "in 2009")


def test_no_session_notice_when_the_directory_has_them(client, importer):
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    assertNotContains(review, "Create the missing regular sessions")


def test_a_paragraph_kind_from_the_parse_is_a_select_and_kept_on_save(
    client, importer, monkeypatch
):
    import mandates.admin_import as admin_import

    parse = admin_import.parse_text

    def parse_with_kinds(text, *args, **kwargs):  # as the "kinds" stage will give it
        result = parse(text, *args, **kwargs)
        for item in result["paragraphs"]:
            item["kind"] = "instructs"
        return result

    saved = {}
    save = admin_import.save_instrument

    def keep(data, *args, **kwargs):
        saved.update(data)
        return save(data, *args, **kwargs)

    monkeypatch.setattr(admin_import, "parse_text", parse_with_kinds)
    monkeypatch.setattr(admin_import, "save_instrument", keep)
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    assertContains(review, '<label for="id_form-0-kind">Kind:</label>')
    assertContains(review, '<option value="instructs" selected>')
    data = post_data_from(review)
    data["form-0-kind"] = "declaratory"
    client.post(IMPORT_URL, data)
    assert Resolution.objects.filter(symbol=SYMBOL).exists()
    assert [p.get("kind") for p in saved["paragraphs"][:2]] == ["declaratory", "instructs"]


def test_the_review_proposes_each_paragraphs_kind_from_the_text(client, importer):
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    html = review.content.decode()
    # ¶1 "To strongly condemn…" orders nothing; ¶3 urges member states; ¶10 instructs.
    for number, kind in ((0, "declaratory"), (2, "calls_on_states"), (9, "instructs")):
        select = re.search(rf'<select name="form-{number}-kind".*?</select>', html, re.S).group()
        assert f'<option value="{kind}" selected>' in select


def test_without_a_kind_in_the_parse_no_kind_is_shown(client, importer, monkeypatch):
    import mandates.admin_import as admin_import

    parse = admin_import.parse_text

    def parse_without_kinds(text, *args, **kwargs):  # a parse that proposes no kind
        result = parse(text, *args, **kwargs)
        for item in result["paragraphs"]:
            item.pop("kind", None)
        return result

    monkeypatch.setattr(admin_import, "parse_text", parse_without_kinds)
    client.force_login(importer)
    review = client.post(IMPORT_URL, {"step": "parse", "text": SEED.read_text("utf-8")})
    assertNotContains(review, 'name="form-0-kind"')
