"""`manage.py check_status [--repair]`: recompute every stored status from the facts and compare."""

from django.core.management.base import BaseCommand, CommandError

from mandates import status


class Command(BaseCommand):
    help = (
        "Recompute every paragraph's stored status timeline, the deadlines' derived dates and "
        "the organ hierarchy from the recorded facts, and report any difference from what is "
        "stored. With --repair, store the recomputed values."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Store the recomputed values (one transaction)."
        )

    def handle(self, *args, repair=False, **options):
        differences = status.check()
        for difference in differences[:50]:
            where = f"mandate {difference.mandate_id}: " if difference.mandate_id else ""
            self.stdout.write(f"  differs: {where}{difference.what}")
        if len(differences) > 50:
            self.stdout.write(f"  … and {len(differences) - 50} more")
        if not differences:
            self.stdout.write(
                self.style.SUCCESS("Stored status agrees with the facts: 0 differences.")
            )
            return
        if repair:
            count = status.rebuild_all()
            status.bump_data_version()
            left = status.check()
            self.stdout.write(
                f"Repaired: recomputed {count} paragraphs; {len(left)} differences remain."
            )
            if left:
                raise CommandError("Differences remain after the repair.")
            return
        raise CommandError(
            f"{len(differences)} differences between the stored status and the facts; "
            "run with --repair to recompute."
        )
