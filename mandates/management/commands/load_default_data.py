from django.core.management.base import BaseCommand

from mandates.loading import LoadError, load_default_data


class Command(BaseCommand):
    help = (
        "Load the organ directory, the General Assembly sessions and the default instruments "
        "from fixtures/. What exists already is left untouched, so running it twice changes "
        "nothing."
    )

    def handle(self, *args, **options):
        try:
            report = load_default_data()
        except LoadError as exc:
            self.stderr.write(self.style.ERROR(f"Nothing was loaded: {exc}"))
            raise SystemExit(1) from exc
        if report.created:
            self.stdout.write(self.style.SUCCESS(f"Loaded {len(report.created)} new items."))
        self.stdout.write(
            f"{len(report.skipped)} items were already there and were left as they are."
        )
