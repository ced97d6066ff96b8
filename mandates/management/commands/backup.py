"""manage.py backup: the database (pg_dump, one snapshot) and the uploaded documents."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mandates.backup import BackupError, take_backup


class Command(BaseCommand):
    help = (
        "Write a backup directory (database.dump for pg_restore, media.tar.gz with the uploaded "
        "documents, manifest.json to check a restore against) under --output-dir."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=os.environ.get("BACKUP_DIR") or str(Path(settings.BASE_DIR) / "backups"),
            help="Where to create the backup directory (default: $BACKUP_DIR or ./backups).",
        )

    def handle(self, *args, **options):
        try:
            target = take_backup(Path(options["output_dir"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(p.stat().st_size for p in target.iterdir())
        self.stdout.write(f"Backup written to {target} ({size / 1_000_000:.1f} MB).")
        self.stdout.write(
            "Check that it restores with: manage.py restore_check --backup " + str(target)
        )
