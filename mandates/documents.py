"""Files attached to progress records: checked by content, stored under random names, served
as attachments with a content type of our choosing.

Only PDF, Word (DOC, DOCX), OpenDocument text (ODT) and Excel (XLSX) files are accepted. The
type is read from the bytes (magic numbers, and the members of ZIP-based formats), never from
the file name or the browser's claimed content type.
"""

from __future__ import annotations

import io
import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .models import Document

PDF = "application/pdf"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

ALLOWED_TYPES = {
    PDF: ".pdf",
    DOC: ".doc",
    DOCX: ".docx",
    ODT: ".odt",
    XLSX: ".xlsx",
}

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
# The name of the main stream of a Word 97-2003 file, as stored (UTF-16) in the OLE2 directory.
WORD_STREAM = "WordDocument".encode("utf-16-le")


@dataclass(frozen=True)
class Detected:
    content_type: str | None  # one of ALLOWED_TYPES, or None when refused
    description: str  # what the bytes are, for the error message


def _describe_other(head: bytes) -> str:
    signatures = [
        (b"\x89PNG\r\n\x1a\n", _("a PNG image")),
        (b"\xff\xd8\xff", _("a JPEG image")),
        (b"GIF8", _("a GIF image")),
        (b"{\\rtf", _("an RTF document")),
        (b"\x7fELF", _("a Linux program")),
        (b"MZ", _("a Windows program")),
        (b"\x1f\x8b", _("a gzip archive")),
        (b"Rar!", _("a RAR archive")),
        (b"7z\xbc\xaf\x27\x1c", _("a 7-Zip archive")),
        (b"%!PS", _("a PostScript file")),
    ]
    for magic, label in signatures:
        if head.startswith(magic):
            return label
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")):
        return _("an HTML, SVG or XML file")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("unrecognized binary data")
    return _("a plain text file")


def _inspect_zip(fileobj) -> Detected:
    try:
        archive = zipfile.ZipFile(fileobj)
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return Detected(None, _("a damaged ZIP archive"))
    with archive:
        if "mimetype" in names:
            with archive.open("mimetype") as member:
                declared = member.read(100).decode("ascii", "replace").strip()
            if declared == ODT:
                return Detected(ODT, _("an OpenDocument text (ODT)"))
            if declared.startswith("application/vnd.oasis.opendocument."):
                kind = declared.rsplit(".", 1)[-1]
                return Detected(None, _("an OpenDocument %(kind)s file") % {"kind": kind})
            return Detected(None, _("a ZIP archive"))
        if "[Content_Types].xml" in names:
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return Detected(None, _("an Office document with macros"))
            if any(n.startswith("word/") for n in names):
                return Detected(DOCX, _("a Word document (DOCX)"))
            if any(n.startswith("xl/") for n in names):
                return Detected(XLSX, _("an Excel workbook (XLSX)"))
            if any(n.startswith("ppt/") for n in names):
                return Detected(None, _("a PowerPoint presentation"))
            return Detected(None, _("an unrecognized Office document"))
    return Detected(None, _("a ZIP archive"))


def detect(fileobj) -> Detected:
    """What a file is, from its bytes. The file position is left at the start."""
    fileobj.seek(0)
    head = fileobj.read(4096)
    fileobj.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return Detected(PDF, _("a PDF document"))
        if head.startswith(OLE2_MAGIC):
            # Word, Excel, PowerPoint and Outlook 97-2003 share this container: look for
            # Word's main stream in the directory.
            data = fileobj.read()
            if WORD_STREAM in data:
                return Detected(DOC, _("a Word 97-2003 document (DOC)"))
            return Detected(None, _("an Office 97-2003 file that is not a Word document"))
        if head.startswith(ZIP_MAGIC):
            return _inspect_zip(fileobj)
        return Detected(None, _describe_other(head))
    finally:
        fileobj.seek(0)


def safe_filename(name: str, content_type: str) -> str:
    """The user's file name without any path, control characters or misleading extension."""
    name = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/")))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    extension = ALLOWED_TYPES.get(content_type, "")
    stem, ext = os.path.splitext(name)
    if ext.lower() != extension:
        stem = name
    stem = stem[: 200 - len(extension)].strip(" .") or _("document")
    return stem + extension


def max_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))


class DocumentLinkWidget(forms.Widget):
    """An existing document shown as a download link: the file cannot be swapped in place."""

    def render(self, name, value, attrs=None, renderer=None):
        document = getattr(value, "instance", None)
        if document is None or document.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("document_download", args=[document.pk]),
            document.original_name or _("document"),
        )

    def value_from_datadict(self, data, files, name):
        return None


class DocumentForm(forms.ModelForm):
    """Upload one file: its type is detected from its content, its size is limited."""

    class Meta:
        model = Document
        fields = ["file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.detected: Detected | None = None
        field = self.fields["file"]
        if self.instance.pk is not None:
            # Documents are kept as uploaded: delete one and upload another to replace it.
            field.disabled = True
            field.widget = DocumentLinkWidget()
        else:
            field.help_text = _(
                "PDF, Word (DOC, DOCX), OpenDocument text (ODT) or Excel (XLSX), at most %(size)s."
            ) % {"size": filesizeformat(max_bytes())}
            field.widget.attrs["accept"] = ",".join([*ALLOWED_TYPES.values(), *ALLOWED_TYPES])

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload
        limit = max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("“%(name)s” is %(size)s; files may be at most %(limit)s."),
                code="too_large",
                params={
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(limit),
                },
            )
        if upload.size == 0:
            raise forms.ValidationError(
                _("“%(name)s” is empty."), code="empty", params={"name": upload.name}
            )
        detected = detect(upload)
        if detected.content_type not in ALLOWED_TYPES:
            raise forms.ValidationError(
                _(
                    "“%(name)s” is %(what)s, whatever its name says. Accepted: PDF, Word "
                    "(DOC, DOCX), OpenDocument text (ODT) and Excel (XLSX)."
                ),
                code="file_type",
                params={"name": upload.name, "what": detected.description},
            )
        self.detected = detected
        return upload

    def save(self, commit=True):
        document = super().save(commit=False)
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile) and self.detected is not None:
            document.content_type = self.detected.content_type
            document.original_name = safe_filename(upload.name, document.content_type)
            document.size = upload.size
        if commit:
            document.save()
        return document


@require_safe
def document_download(request, pk):
    """A document, as an attachment, with the type its content was checked to be."""
    document = get_object_or_404(Document, pk=pk)
    content_type = document.content_type if document.content_type in ALLOWED_TYPES else None
    if content_type is None:
        raise Http404(_("This document is not available."))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("This document's file is missing.")) from exc
    filename = safe_filename(document.original_name or "", content_type)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def detect_bytes(data: bytes) -> Detected:
    """Convenience for tests and scripts."""
    return detect(io.BytesIO(data))
