"""Backups that are proven: one consistent snapshot of the database, the uploaded documents,
and an inventory to check a restore against.

``take_backup`` opens a REPEATABLE READ transaction, exports its snapshot and runs pg_dump on
that very snapshot, then computes the inventory (rows per model, every mandate's status as of
the backup day) in the same transaction: the dump and the inventory describe the same state,
even while editors keep writing. The documents under MEDIA_ROOT go in a tar archive beside the
dump. ``restore_into`` loads a dump into a fresh database; ``compare`` lists every difference.

A backup is a directory:

    mandates-20261130-110500Z/
        database.dump   pg_dump custom format (pg_restore)
        media.tar.gz    MEDIA_ROOT (uploaded documents)
        manifest.json   created, as_of, counts per model, statuses, media files
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.utils.translation import gettext as _

from .models import Document, Mandate, today

DUMP, MEDIA, MANIFEST = "database.dump", "media.tar.gz", "manifest.json"


class BackupError(Exception):
    pass


def libpq_env(alias: str = "default", database: str | None = None) -> dict[str, str]:
    """The environment pg_dump/pg_restore need to reach a configured database (the password
    never appears on a command line)."""
    config = connections[alias].settings_dict
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            _("Backups need PostgreSQL (DATABASE_URL=postgres://…); this database is %(engine)s.")
            % {"engine": config["ENGINE"].rsplit(".", 1)[-1]}
        )
    env = dict(os.environ)
    for key, value in {
        "PGHOST": config.get("HOST"),
        "PGPORT": config.get("PORT"),
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGDATABASE": database or config.get("NAME"),
    }.items():
        if value:
            env[key] = str(value)
    return env


def run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(
            _("%(program)s is not installed (apt-get install postgresql-client).")
            % {"program": command[0]}
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def inventory(alias: str, as_of: datetime.date) -> dict:
    """Rows per model (join tables and history included) and every mandate's status."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        counts[model._meta.label] = model._base_manager.using(alias).count()
    statuses = {
        f"{symbol} ¶{label}": [status, met_late, due and due.isoformat()]
        for symbol, label, status, met_late, due in Mandate.objects.using(alias)
        .with_status(as_of)
        .order_by("pk")
        .values_list("resolution__symbol", "label", "status", "met_late", "next_due_on")
    }
    documents = sorted(Document.objects.using(alias).values_list("file", flat=True))
    return {"counts": counts, "statuses": statuses, "documents": documents}


def media_files(root: Path) -> dict[str, int]:
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): path.stat().st_size
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def take_backup(directory: Path, alias: str = "default") -> Path:
    """Write a backup into a new directory under ``directory``; return its path."""
    env = libpq_env(alias)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%SZ")
    target = directory / f"mandates-{stamp}"
    partial = directory / f".mandates-{stamp}.partial"
    directory.mkdir(parents=True, exist_ok=True)
    partial.mkdir()
    try:
        as_of = today()
        connection = connections[alias]
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            run(
                [
                    os.environ.get("PG_DUMP", "pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={partial / DUMP}",
                ],
                env,
            )
            content = inventory(alias, as_of)
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(partial / MEDIA, "w:gz") as archive:
            if media_root.exists():
                archive.add(media_root, arcname="media")
        manifest = {
            "created": stamp,
            "as_of": as_of.isoformat(),
            "database": connection.settings_dict["NAME"],
            **content,
            "media": media_files(media_root),
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial.rename(target)  # complete, or not there at all
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def restore_into(backup: Path, database: str, alias: str = "default") -> None:
    """Create ``database`` on the server of ``alias`` and load the dump into it."""
    with connections[alias].cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{database}"')
    run(
        [
            os.environ.get("PG_RESTORE", "pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={database}",
            str(backup / DUMP),
        ],
        libpq_env(alias, database),
    )


def drop_database(database: str, alias: str = "default") -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def extract_media(backup: Path, destination: Path) -> dict[str, int]:
    with tarfile.open(backup / MEDIA, "r:gz") as archive:
        archive.extractall(destination, filter="data")
    return media_files(destination / "media")


def compare(expected: dict, restored: dict, media: dict[str, int]) -> list[str]:
    """Every difference between the manifest and what was restored, in words."""
    problems = []
    for label in sorted(set(expected["counts"]) | set(restored["counts"])):
        before, after = expected["counts"].get(label), restored["counts"].get(label)
        if before != after:
            problems.append(f"{label}: {before} rows in the backup, {after} restored")
    for key in sorted(set(expected["statuses"]) | set(restored["statuses"])):
        before, after = expected["statuses"].get(key), restored["statuses"].get(key)
        if before != after:
            problems.append(f"{key}: status {before} in the backup, {after} restored")
    if expected["media"] != media:
        missing = sorted(set(expected["media"]) - set(media))
        changed = sorted(
            k for k in expected["media"] if k in media and media[k] != expected["media"][k]
        )
        problems.append(f"media: missing {missing[:5]}, different size {changed[:5]}")
    for name in restored["documents"]:
        if name not in media:
            problems.append(f"document {name}: in the database but not in the media archive")
    return problems
