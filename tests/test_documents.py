"""Documents on progress records: type by content, size limit, random storage names, safe
downloads, and only focal points of the right organ may upload."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mandates.documents import DOC, DOCX, ODT, PDF, XLSX, DocumentForm, detect_bytes
from mandates.models import Document, ProgressRecord
from tests import snapshot
from tests.trust_helpers import (
    FOCAL_POINTS,
    admin_url,
    error_text,
    form_post_data,
    logged_in,
    make_user,
    mandate,
)

SANTIAGO = "santiago-plan-of-action-migrant-workers"


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
DOC_BYTES = (
    bytes.fromhex("D0CF11E0A1B11AE1")
    + b"\x00" * 504
    + "WordDocument".encode("utf-16-le")
    + b"\x00" * 64
)
XLS_BYTES = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "Workbook".encode("utf-16-le")
DOCX_BYTES = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX_BYTES = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT_BYTES = zip_bytes({"mimetype": ODT.encode(), "content.xml": b"<office:document-content/>"})
ODS_BYTES = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
DOCM_BYTES = zip_bytes(
    {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document/>",
        "word/vbaProject.bin": b"macro",
    }
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML_BYTES = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
EXE_BYTES = b"MZ\x90\x00" + b"\x00" * 60


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def data(db, media):
    snapshot.default_data()


@pytest.fixture
def iachr(data):
    return make_user("iachr", FOCAL_POINTS, organs=["IACHR"])


def own_record():
    return ProgressRecord.objects.filter(mandate=mandate("5", SANTIAGO)).first()


def foreign_record():
    return ProgressRecord.objects.filter(mandate=mandate("1", SANTIAGO)).first()


@pytest.mark.parametrize(
    "content, expected",
    [
        (PDF_BYTES, PDF),
        (DOC_BYTES, DOC),
        (DOCX_BYTES, DOCX),
        (XLSX_BYTES, XLSX),
        (ODT_BYTES, ODT),
    ],
    ids=["pdf", "doc", "docx", "xlsx", "odt"],
)
def test_accepted_types_are_recognized_by_content(content, expected):
    assert detect_bytes(content).content_type == expected


@pytest.mark.parametrize(
    "content, words",
    [
        (PNG_BYTES, "PNG image"),
        (HTML_BYTES, "HTML"),
        (EXE_BYTES, "Windows program"),
        (ODS_BYTES, "OpenDocument spreadsheet"),
        (DOCM_BYTES, "macros"),
        (XLS_BYTES, "not a Word document"),
        (b"PK\x03\x04broken", "damaged ZIP"),
        (b"just some text", "plain text"),
    ],
    ids=["png", "html", "exe", "ods", "docm", "xls", "broken-zip", "text"],
)
def test_other_content_is_refused_and_named(content, words):
    detected = detect_bytes(content)
    assert detected.content_type is None
    assert words in detected.description


def bound_form(name, content):
    return DocumentForm(
        data={}, files={"file": SimpleUploadedFile(name, content, "application/pdf")}
    )


@pytest.mark.django_db
def test_form_refuses_a_renamed_file_whatever_the_name_and_claimed_type():
    form = bound_form("report.pdf", PNG_BYTES)
    assert not form.is_valid()
    assert "“report.pdf” is a PNG image" in form.errors["file"][0]


@pytest.mark.django_db
def test_form_enforces_the_size_limit(settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    form = bound_form("big.pdf", PDF_BYTES + b"0" * 2000)
    assert not form.is_valid()
    assert "at most 1000" in form.errors["file"][0]
    assert not bound_form("empty.pdf", b"").is_valid()


def upload(client, record, name, content):
    url = admin_url(record, "change")
    page = client.get(url)
    assert page.status_code == 200
    data = form_post_data(page)
    data["documents-TOTAL_FORMS"] = str(int(data["documents-TOTAL_FORMS"]) + 1)
    index = int(data["documents-TOTAL_FORMS"]) - 1
    data[f"documents-{index}-file"] = SimpleUploadedFile(name, content, "text/html")
    return client.post(url, data)


@pytest.mark.django_db
def test_focal_point_uploads_a_document_stored_under_a_random_name(iachr, media):
    client = logged_in(Client(), iachr)
    record = own_record()
    response = upload(client, record, "../../Informe final <IACHR>.docx", DOCX_BYTES)
    assert response.status_code == 302, error_text(response)
    document = record.documents.get()
    assert document.content_type == DOCX
    assert document.original_name == "Informe final <IACHR>.docx"
    assert document.size == len(DOCX_BYTES)
    assert document.uploaded_by == iachr
    stored = Path(document.file.path)
    assert stored.is_relative_to(media)
    assert "Informe" not in document.file.name and not stored.suffix
    assert stored.read_bytes() == DOCX_BYTES


@pytest.mark.django_db
def test_upload_of_the_wrong_type_is_refused_with_a_message(iachr):
    client = logged_in(Client(), iachr)
    response = upload(client, own_record(), "minutes.pdf", HTML_BYTES)
    assert response.status_code == 200
    assert "is an HTML, SVG or XML file" in error_text(response)
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_no_upload_to_another_organs_record(iachr):
    client = logged_in(Client(), iachr)
    record = foreign_record()
    response = client.post(
        admin_url(record, "change"),
        {
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-0-file": SimpleUploadedFile("x.pdf", PDF_BYTES),
        },
    )
    assert response.status_code in {302, 403}
    assert not Document.objects.exists()


def stored_document(record, name, content, content_type):
    document = Document(
        progress_record=record, original_name=name, content_type=content_type, size=len(content)
    )
    document.file.save("ignored", io.BytesIO(content), save=False)
    document.save()
    return document


@pytest.mark.django_db
def test_download_is_an_attachment_with_the_checked_type(data):
    document = stored_document(own_record(), "evil.html", PDF_BYTES, PDF)
    response = Client().get(f"/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="evil.html.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.django_db
def test_documents_are_linked_from_the_public_trail(data):
    record = own_record()
    document = stored_document(record, "Report.pdf", PDF_BYTES, PDF)
    page = Client().get(record.mandate.get_absolute_url()).content.decode()
    assert f'href="/documents/{document.pk}/"' in page
    assert "Report.pdf" in page


@pytest.mark.django_db
def test_missing_or_unknown_documents_are_not_found(data):
    document = stored_document(own_record(), "gone.pdf", PDF_BYTES, PDF)
    Path(document.file.path).unlink()
    client = Client()
    assert client.get(f"/documents/{document.pk}/").status_code == 404
    assert client.get("/documents/99999999/").status_code == 404
    assert client.get("/documents/99999999999999999999999/").status_code == 404
    odd = stored_document(own_record(), "page.html", HTML_BYTES, "text/html")
    assert client.get(f"/documents/{odd.pk}/").status_code == 404
    assert client.post(f"/documents/{document.pk}/").status_code in {403, 405}


@pytest.mark.django_db
def test_file_attached_on_the_add_page_only_with_an_own_mandate(iachr):
    client = logged_in(Client(), iachr)
    url = admin_url(ProgressRecord, "add")
    base = form_post_data(client.get(url))
    base.update(
        {
            "date": "2010-01-15",
            "date_precision": "day",
            "kind": "report",
            "title": "Annual report",
            "documents-TOTAL_FORMS": "1",
        }
    )
    theirs = mandate("1", SANTIAGO)
    response = client.post(
        url,
        {**base, "mandate": theirs.pk, "documents-0-file": SimpleUploadedFile("r.pdf", PDF_BYTES)},
    )
    assert response.status_code == 200
    assert not Document.objects.exists()
    mine = mandate("5", SANTIAGO)
    response = client.post(
        url,
        {**base, "mandate": mine.pk, "documents-0-file": SimpleUploadedFile("r.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302, error_text(response)
    document = Document.objects.get()
    assert document.progress_record.mandate == mine
    assert document.uploaded_by == iachr and document.content_type == PDF
