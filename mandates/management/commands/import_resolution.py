import argparse
import datetime
import json
from functools import partial

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mandates.importer import ImportFailed, parse_text, read_file
from mandates.importer.saving import expand, import_text
from mandates.translations import TranslationRefused, import_translation, language_name


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2009-06-03.")
            % {"value": value}
        ) from None


class Command(BaseCommand):
    help = _(
        "Import resolutions from their published text (.txt or .md in UTF-8, a PDF with a text "
        "layer, or .docx): paragraphs, responsible organs and deadlines. Give files or "
        "directories (a whole session at once); each file is imported in its own transaction "
        "and a summary says what was imported and what was refused, and why. --json prints "
        "each parse as one JSON line; --dry-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE_OR_DIR",
            help=_("Resolution texts (.txt, .md, .pdf, .docx), or directories of them."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Parse and check, but write nothing.")
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help=_(
                "Print each parse as one JSON object per line (JSON Lines) on standard output, "
                "with its file and warnings; messages go to standard error."
            ),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_(
                "Update a resolution that exists already: unchanged paragraphs keep their "
                "progress records."
            ),
        )
        parser.add_argument(
            "--organization",
            metavar="CODE",
            help=_("The organization (oas, un, …) when the text's header does not show it."),
        )
        parser.add_argument(
            "--symbol",
            help=_(
                "The resolution's symbol, when its header and title do not give it (one file "
                "only): the importer never takes one from the preamble."
            ),
        )
        parser.add_argument(
            "--title",
            help=_("The resolution's title, when the text does not give it (one file only)."),
        )
        parser.add_argument(
            "--adopted-on",
            type=iso_date,
            metavar="YYYY-MM-DD",
            help=_("The adoption date, when the text does not give it (one file only)."),
        )

        parser.add_argument(
            "--partial",
            action="store_true",
            help=_(
                "The text is known only in part (e.g. its opening): import the heading, "
                "preamble and whatever paragraphs are there, and mark the resolution as a "
                "partial text, instead of refusing a text with no operative part."
            ),
        )
        parser.add_argument(
            "--source",
            metavar="URL",
            help=_("Where the text comes from (its address), stored with the resolution."),
        )
        parser.add_argument(
            "--series",
            metavar="KEY",
            help=_("The annual series the resolution belongs to (e.g. oas-migrant-workers)."),
        )
        parser.add_argument(
            "--translation-of",
            metavar="SYMBOL",
            help=_(
                "The file is an official translation of this resolution (already imported): "
                "its title and paragraph texts are stored beside the original's, aligned by "
                "paragraph label (one file only)."
            ),
        )
        parser.add_argument(
            "--language",
            choices=["en", "es", "fr", "pt"],
            help=_("The translation's language (default: recognised from the text)."),
        )

    def handle(self, *args, **options):
        if options["translation_of"]:
            return self.handle_translation(options)
        if options["language"]:
            raise CommandError(_("--language goes with --translation-of."))
        # With --json, standard output carries the JSON and nothing else.
        out = self.stderr if options["json"] else self.stdout
        files = expand(options["files"])
        if not files:
            raise CommandError(_("No .txt, .md, .pdf or .docx file was found to import."))
        if options["symbol"] and len(files) > 1:
            raise CommandError(_("--symbol names one resolution: give one file with it."))
        for option, flag in (("title", "--title"), ("adopted_on", "--adopted-on")):
            if options[option] and len(files) > 1:
                raise CommandError(
                    _("%(option)s belongs to one resolution: give one file with it.")
                    % {"option": flag}
                )
        if options["source"] and len(files) > 1:
            raise CommandError(_("--source names one text's address: give one file with it."))
        parse = partial(
            parse_text,
            organization=options["organization"],
            symbol=options["symbol"],
            partial=options["partial"],
            title=options["title"],
            adopted_on=options["adopted_on"],
        )
        outcomes = []
        for path in files:
            try:
                text = read_file(path)
            except ImportFailed as exc:
                text = exc
            outcome = import_text(
                text,
                path.name,
                dry_run=options["dry_run"],
                replace=options["replace"],
                parse=parse,
                source=options["source"] or "",
                series=options["series"] or "",
            )
            outcomes.append(outcome)
            self.report(outcome, out, options["json"])
        refused = [o for o in outcomes if o.refused]
        if len(outcomes) == 1:
            if refused:
                raise CommandError(self.refusal(refused[0]))
            return
        done = len(outcomes) - len(refused)
        summary = (
            _("Summary: %(parsed)d parsed, %(refused)d refused; nothing was written.")
            if options["dry_run"]
            else _("Summary: %(parsed)d imported, %(refused)d refused.")
        ) % {"parsed": done, "refused": len(refused)}
        out.write(summary)
        for outcome in refused:
            out.write(f"  {self.refusal(outcome)}")
        if refused:
            raise CommandError(
                _("%(n)d of %(total)d files were refused (see the summary).")
                % {"n": len(refused), "total": len(outcomes)}
            )

    def handle_translation(self, options) -> None:
        files = expand(options["files"])
        if len(files) != 1:
            raise CommandError(_("--translation-of takes one file: the translated text."))
        if options["replace"] or options["symbol"] or options["json"]:
            raise CommandError(
                _("--translation-of cannot be combined with --replace, --symbol or --json.")
            )
        path = files[0]
        try:
            result = import_translation(
                read_file(path),
                options["translation_of"],
                options["language"],
                dry_run=options["dry_run"],
            )
        except (ImportFailed, TranslationRefused) as exc:
            raise CommandError(
                _("Nothing was imported from %(file)s. %(error)s")
                % {"file": path.name, "error": exc}
            ) from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(_("Warning: %(w)s") % {"w": warning}))
        values = {
            "file": path.name,
            "symbol": result.resolution.symbol,
            "language": language_name(result.language),
            "count": result.paragraphs,
        }
        if options["dry_run"]:
            message = _(
                "%(file)s: dry run: the %(language)s text of %(symbol)s matches its "
                "%(count)d paragraphs; nothing was written."
            )
        elif result.replaced:
            message = _(
                "%(file)s: the %(language)s text of %(symbol)s was replaced (%(count)d paragraphs)."
            )
        else:
            message = _("%(file)s: %(symbol)s in %(language)s: title and %(count)d paragraphs.")
        self.stdout.write(self.style.SUCCESS(message % values))

    def report(self, outcome, out, as_json: bool) -> None:
        for warning in outcome.warnings:
            self.stderr.write(
                self.style.WARNING(_("Warning: %(w)s") % {"w": warning}),
            )
        if as_json and outcome.result is not None:
            self.stdout.write(json.dumps(outcome.json(), ensure_ascii=False))
        if outcome.refused:
            self.stderr.write(self.style.ERROR(self.refusal(outcome)))
            return
        style = self.style.SUCCESS if outcome.status in {"imported", "replaced"} else str
        out.write(style(f"{outcome.file}: {outcome.message}"))
        for note in outcome.notes:
            self.stderr.write(self.style.WARNING(note))

    @staticmethod
    def refusal(outcome) -> str:
        return _("Nothing was imported from %(file)s. %(error)s") % {
            "file": outcome.file,
            "error": outcome.message,
        }
