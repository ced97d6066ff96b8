"""manage.py restore_check: restore a backup into a fresh database and prove it complete.

Without --backup, takes a backup first (into a temporary directory). Restores it into a new
database on the same server, extracts the documents, then compares with the backup's manifest:
rows per model, every mandate's status as of the backup day, the document files. Exits
non-zero on any difference. The restored database is dropped afterwards unless --keep.
"""

import datetime
import json
import os
import shutil
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from mandates import backup as backups

ALIAS = "restore_check"


class Command(BaseCommand):
    help = (
        "Restore a backup (or a fresh one) into a new database and compare it with the "
        "backup's manifest; fail on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backup", help="A backup directory written by manage.py backup.")
        parser.add_argument(
            "--keep", action="store_true", help="Keep the restored database for inspection."
        )

    def handle(self, *args, **options):
        try:
            backups.libpq_env()  # PostgreSQL only: refuse before creating anything
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        workdir = Path(tempfile.mkdtemp(prefix="mandates-restore-check-"))
        source = connections["default"].settings_dict
        database = f"{source['NAME']}_restore_check_{os.getpid()}"
        try:
            if options["backup"]:
                backup = Path(options["backup"])
                if not (backup / backups.MANIFEST).exists():
                    raise CommandError(f"{backup} is not a backup directory (no manifest.json).")
            else:
                backup = backups.take_backup(workdir)
                self.stdout.write(f"Backup taken: {backup.name}")
            manifest = json.loads((backup / backups.MANIFEST).read_text())
            as_of = datetime.date.fromisoformat(manifest["as_of"])
            backups.restore_into(backup, database)
            connections.settings[ALIAS] = {**source, "NAME": database}
            try:
                restored = backups.inventory(ALIAS, as_of)
            finally:
                connections[ALIAS].close()
                del connections[ALIAS]
                del connections.settings[ALIAS]
            media = backups.extract_media(backup, workdir / "restored")
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if not options["keep"]:
                backups.drop_database(database)
            shutil.rmtree(workdir, ignore_errors=True)

        problems = backups.compare(manifest, restored, media)
        rows = sum(manifest["counts"].values())
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Restore check FAILED: {len(problems)} difference(s) between the backup and "
                "its restored copy."
            )
        self.stdout.write(
            f"Restore check passed: {rows} rows in {len(manifest['counts'])} tables, "
            f"{len(manifest['statuses'])} mandate statuses as of {manifest['as_of']} and "
            f"{len(manifest['media'])} media files identical after restore"
            + (f" (kept as database {database})." if options["keep"] else ".")
        )
