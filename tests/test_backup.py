"""manage.py backup and restore_check: a backup is proven by restoring it and comparing."""

import datetime
import io
import json
import shutil
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from mandates.backup import compare
from mandates.models import Document, Mandate, ProgressRecord
from tests.factories import SLUG_2289, make_record
from tests.test_settings import manage

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def committed_data(transactional_db, settings, tmp_path):
    """Default data plus a stored document, committed (pg_dump reads from its own session)."""
    from tests import snapshot

    settings.MEDIA_ROOT = tmp_path / "media"
    snapshot.default_data()
    record = ProgressRecord.objects.order_by("pk").first()
    document = Document.objects.create(
        progress_record=record,
        file=ContentFile(PDF_BYTES, name="report.pdf"),
        original_name="report.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    return document


def test_backup_writes_the_dump_the_documents_and_a_manifest(committed_data, tmp_path):
    out = io.StringIO()
    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=out)
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.name.startswith("mandates-")
    assert f"Backup written to {backup}" in out.getvalue()
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]
    assert (backup / "database.dump").read_bytes().startswith(b"PGDMP")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["counts"]["mandates.ProgressRecord"] == ProgressRecord.objects.count()
    assert manifest["counts"]["mandates.Mandate"] == Mandate.objects.count()
    assert manifest["media"] == {committed_data.file.name: len(PDF_BYTES)}
    assert len(manifest["statuses"]) == Mandate.objects.count()
    with tarfile.open(backup / "media.tar.gz") as archive:
        stored = archive.extractfile(f"media/{committed_data.file.name}").read()
    assert stored == PDF_BYTES


def database_url_of_tests():
    config = connection.settings_dict
    return (
        f"postgres://{config['USER']}:{config['PASSWORD']}@{config['HOST'] or '127.0.0.1'}:"
        f"{config['PORT'] or 5432}/{config['NAME']}"
    )


def run_command(*args, media_root):
    """In its own process, as an operator runs it (it opens a second database alias)."""
    return manage(*args, DATABASE_URL=database_url_of_tests(), MEDIA_ROOT=str(media_root))


def test_restore_check_restores_into_a_fresh_database_and_finds_it_identical(
    committed_data, settings
):
    result = run_command("restore_check", media_root=settings.MEDIA_ROOT)
    assert result.returncode == 0, result.stderr
    assert "Restore check passed" in result.stdout
    assert f"{Mandate.objects.count()} mandate statuses as of" in result.stdout
    assert "1 media files identical" in result.stdout
    # The restored copy is dropped afterwards.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE '%restore_check%'")
        assert cursor.fetchone()[0] == 0


def test_restore_check_fails_when_the_dump_lacks_what_was_there(committed_data, settings, tmp_path):
    """A backup whose dump misses rows (here: a dump taken after progress was deleted, put
    beside the manifest of the full state) is reported difference by difference."""
    # A tracked paragraph (¶1 is declaratory: no status to lose) with no deadline of its own.
    plain = (
        Mandate.objects.tracked()
        .filter(resolution__slug=SLUG_2289, deadlines__isnull=True, children__isnull=True)
        .order_by("order")
        .first()
    )
    make_record(plain, datetime.date(2008, 3, 1), completes=True, title="Carried out")
    call_command("backup", output_dir=str(tmp_path / "full"), stdout=io.StringIO())
    ProgressRecord.objects.all().delete()
    call_command("backup", output_dir=str(tmp_path / "emptied"), stdout=io.StringIO())
    (full,) = (tmp_path / "full").iterdir()
    (emptied,) = (tmp_path / "emptied").iterdir()
    shutil.copy(emptied / "database.dump", full / "database.dump")
    count = json.loads((full / "manifest.json").read_text())["counts"]["mandates.ProgressRecord"]

    result = run_command("restore_check", "--backup", str(full), media_root=settings.MEDIA_ROOT)
    assert result.returncode != 0
    assert "Restore check FAILED" in result.stderr
    assert f"mandates.ProgressRecord: {count} rows in the backup, 0 restored" in result.stderr
    # Without its record, the paragraph carried out is pending again: named, with both statuses.
    assert f"{plain}: status ['met', False, None] in the backup, ['pending'" in result.stderr


def test_restore_check_refuses_a_directory_that_is_no_backup(tmp_path, settings, transactional_db):
    result = run_command("restore_check", "--backup", str(tmp_path), media_root=tmp_path)
    assert result.returncode != 0
    assert "is not a backup directory (no manifest.json)" in result.stderr


def test_compare_names_missing_and_changed_media_files():
    manifest = {
        "counts": {"mandates.Document": 2},
        "statuses": {},
        "media": {"documents/a": 10, "documents/b": 20},
    }
    restored = {"counts": {"mandates.Document": 2}, "statuses": {}, "documents": ["documents/a"]}
    (problem,) = compare(manifest, restored, {"documents/a": 9})
    assert "missing ['documents/b']" in problem
    assert "different size ['documents/a']" in problem


def test_backup_refuses_sqlite_with_a_clear_message(tmp_path):
    result = manage("backup", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert result.returncode != 0
    assert "Backups need PostgreSQL" in result.stderr
