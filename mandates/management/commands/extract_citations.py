"""`manage.py extract_citations [--dry-run]`: read the citations of the resolutions already in
the database from their stored preamble and paragraphs, and store them."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from mandates import status
from mandates.citations import extract
from mandates.models import Citation, Mandate, Resolution


def _key(row: dict) -> tuple:
    return (row["cited_symbol"], row["part"], row["clause"], row["label"], row["snippet"])


class Command(BaseCommand):
    help = (
        "Read which resolutions each resolution cites, from its stored preamble and operative "
        "paragraphs, and store them (replacing those stored). With --dry-run, only say what "
        "would change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; write nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        stored: dict[int, set] = {}
        for row in Citation.objects.values(
            "citing_id", "cited_symbol", "part", "clause", "label", "snippet"
        ):
            stored.setdefault(row["citing_id"], set()).add(_key(row))
        paragraphs: dict[int, list[tuple[str, str]]] = {}
        for resolution_id, label, text in Mandate.objects.order_by(
            "resolution_id", "order", "pk"
        ).values_list("resolution_id", "label", "text"):
            paragraphs.setdefault(resolution_id, []).append((label, text))
        changed: dict[int, list[dict]] = {}
        total = 0
        for resolution in Resolution.objects.only("pk", "symbol", "preamble").order_by("symbol"):
            rows = extract(
                resolution.symbol, resolution.preamble, paragraphs.get(resolution.pk, [])
            )
            total += len(rows)
            if {_key(row) for row in rows} != stored.get(resolution.pk, set()):
                changed[resolution.pk] = rows
                self.stdout.write(
                    "  "
                    + _("%(symbol)s: %(before)d citations stored, %(after)d read from its text")
                    % {
                        "symbol": resolution.symbol,
                        "before": len(stored.get(resolution.pk, ())),
                        "after": len(rows),
                    }
                )
        if dry_run or not changed:
            message = _(
                "Citations read: %(total)d; resolutions whose citations would change: "
                "%(changed)d. Nothing was written."
            )
            if not changed:
                message = _("Citations read: %(total)d; the stored ones agree with the texts.")
            self.stdout.write(message % {"total": total, "changed": len(changed)})
            return
        with transaction.atomic():
            Citation.objects.filter(citing_id__in=list(changed)).delete()
            Citation.objects.bulk_create(
                Citation(citing_id=pk, **row) for pk, rows in changed.items() for row in rows
            )
            status.bump_data_version()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Citations read: %(total)d; resolutions whose citations were replaced: "
                    "%(changed)d."
                )
                % {"total": total, "changed": len(changed)}
            )
        )
