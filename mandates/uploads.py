"""Upload size limits enforced while the request body is read, not after.

``SizeLimitUploadHandler`` runs first among FILE_UPLOAD_HANDLERS. It counts each file's bytes
as they arrive; past the limit it stops handing them on, so neither memory nor a temporary file
holds more than the limit, and the file reaches the form as an empty ``OversizedUpload`` that
still knows its real size. The forms' own size checks then refuse it with their usual message
("… is 48.2 MB; files may be at most 20.0 MB"), and nothing is stored.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


def upload_limit() -> int:
    """The largest file any form accepts: documents (and the importer's smaller limit)."""
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))


class OversizedUpload(UploadedFile):
    """A file refused while it was arriving: no content, its real size."""

    def __init__(self, name, content_type, size, charset=None):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = upload_limit()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the handlers after this one (memory, temporary file) get no more
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizedUpload(self.file_name, self.content_type, self.received)
        return None  # let the next handler build the file
