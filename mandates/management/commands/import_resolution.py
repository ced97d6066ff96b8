import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from mandates.importer import ImportFailed, parse_text, read_file
from mandates.loading import LoadError, replace_instrument, save_instrument
from mandates.models import Resolution


class Command(BaseCommand):
    help = _(
        "Import a resolution from its published text (.txt in UTF-8, a PDF with a text layer, "
        "or .docx): its paragraphs, responsible organs and deadlines. --json prints the parse "
        "on standard output; --dry-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The resolution's text: .txt, .pdf or .docx."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Parse and check, but write nothing.")
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help=_("Print the parse as JSON on standard output; messages go to standard error."),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_(
                "Update a resolution that exists already: unchanged paragraphs keep their "
                "progress records."
            ),
        )

    def handle(self, *args, **options):
        # With --json, standard output carries the JSON and nothing else.
        out = self.stderr if options["json"] else self.stdout
        path = Path(options["file"])
        try:
            result = parse_text(read_file(path))
        except ImportFailed as exc:
            raise CommandError(
                _("Nothing was imported from %(file)s. %(error)s") % {"file": path, "error": exc}
            ) from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(_("Warning: %(w)s") % {"w": warning}))
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

        names = {"symbol": _("symbol"), "title": _("title"), "adopted_on": _("adoption date")}
        missing = [label for key, label in names.items() if not result.get(key)]
        if missing:
            raise CommandError(
                _(
                    "%(file)s cannot be imported: no %(fields)s was found in the text (see the "
                    "warnings); correct the text and import again."
                )
                % {"file": path, "fields": ", ".join(missing)}
            )
        symbol = result["symbol"]
        exists = Resolution.objects.filter(symbol=symbol).exists()
        if exists and not options["replace"] and options["dry_run"]:
            self.stderr.write(
                self.style.WARNING(
                    _("%(symbol)s is already in the database: a real import needs --replace.")
                    % {"symbol": symbol}
                )
            )
        elif exists and not options["replace"]:
            raise CommandError(
                _(
                    "%(symbol)s is already in the database; nothing was imported. Use --replace "
                    "to update it (progress records of unchanged paragraphs are kept)."
                )
                % {"symbol": symbol}
            )
        count = sum(1 for _item in _walk(result["paragraphs"]))
        if options["dry_run"]:
            out.write(
                _("Dry run: %(symbol)s parsed, %(count)d paragraphs; nothing was written.")
                % {"symbol": symbol, "count": count}
            )
            return
        data = result.to_instrument(source=path.name)
        try:
            with transaction.atomic():
                if exists:
                    report = replace_instrument(data)
                else:
                    save_instrument(data)
                    report = None
        except LoadError as exc:
            raise CommandError(_("Nothing was imported: %(error)s") % {"error": exc}) from exc
        if report is None:
            out.write(
                self.style.SUCCESS(
                    _("Imported %(symbol)s: %(count)d paragraphs.")
                    % {"symbol": symbol, "count": count}
                )
            )
            return
        out.write(
            self.style.SUCCESS(
                _(
                    "Replaced %(symbol)s: %(kept)d paragraphs unchanged, %(updated)d with new "
                    "organs or deadlines, %(added)d added or rewritten, %(removed)d removed."
                )
                % {
                    "symbol": symbol,
                    "kept": len(report.kept),
                    "updated": len(report.updated),
                    "added": len(report.added),
                    "removed": len(report.removed),
                }
            )
        )
        for label, records in report.lost_records.items():
            self.stderr.write(
                self.style.WARNING(
                    _("¶%(label)s changed: its %(n)d progress records were removed with it.")
                    % {"label": label, "n": records}
                )
            )
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))


def _walk(paragraphs):
    for item in paragraphs:
        yield item
        yield from _walk(item.get("children", []))
