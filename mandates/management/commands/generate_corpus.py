import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from mandates import corpus_db, status
from mandates.corpus import CORPUS_END, build_corpus
from mandates.models import Mandate


class Command(BaseCommand):
    help = _(
        "Fill the database with a deterministic synthetic corpus (resolutions, paragraphs, "
        "organs, deadlines, progress records) for measuring the tracker at scale. The same "
        "--seed gives the same data. A corpus generated before is replaced; a database holding "
        "other resolutions is refused unless --force (then the corpus is added alongside)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--mandates", type=int, default=100_000, help=_("paragraphs to generate")
        )
        parser.add_argument("--seed", type=int, default=1, help=_("random seed (default 1)"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("add the corpus even though the database holds other resolutions"),
        )

    def handle(self, *args, mandates, seed, force, verbosity, **options):
        if mandates < 1 or mandates > 2_000_000:
            raise CommandError(_("--mandates must be between 1 and 2,000,000."))
        resolutions, paragraphs = corpus_db.foreign_data_counts()
        if (resolutions or paragraphs) and not force:
            raise CommandError(
                _(
                    "Nothing was written: the database already holds %(r)d resolutions and "
                    "%(m)d mandates that generate_corpus did not make. Use an empty database "
                    "(e.g. DATABASE_URL=postgres://…/bench_100k after migrate), or --force "
                    "to add the corpus alongside them."
                )
                % {"r": resolutions, "m": paragraphs}
            )
        timings = {}
        started = time.perf_counter()
        try:
            with transaction.atomic():
                corpus = self._generate(mandates, seed, timings)
        except ProtectedError as exc:
            raise CommandError(
                _("Nothing was written: the previous corpus cannot be deleted: %(e)s")
                % {"e": exc.args[0]}
            ) from exc
        clock = time.perf_counter()
        corpus_db.analyze()
        timings[_("commit, VACUUM and ANALYZE")] = time.perf_counter() - clock
        timings[_("total")] = time.perf_counter() - started
        self._report(corpus, seed, timings)

    def _generate(self, mandates, seed, timings):
        clock = time.perf_counter()

        def lap(name):
            nonlocal clock
            now = time.perf_counter()
            timings[name] = now - clock
            clock = now

        corpus_db.lock_tables()
        self.deleted = corpus_db.delete_generated()
        organs = corpus_db.ensure_organs()
        sessions = corpus_db.ensure_sessions()
        bases = corpus_db.first_free_ids()
        taken = corpus_db.taken_symbols()
        lap(_("preparation (previous corpus deleted, organs, sessions)"))
        corpus = build_corpus(seed, mandates, organs, sessions, bases, taken)
        lap(_("generation in Python"))
        with corpus_db.foreign_keys_checked_once():
            for key, rows in (
                ("resolution", corpus.resolutions),
                ("mandate", corpus.mandates),
                ("responsibility", corpus.responsibilities),
                ("deadline", corpus.deadlines),
                ("record", corpus.records),
                ("fulfils", corpus.fulfils),
            ):
                corpus_db.write_rows(key, rows)
            lap(_("writing (COPY)") if corpus_db.is_postgresql() else _("writing (INSERT)"))
        corpus_db.reset_sequences()
        lap(_("checking foreign keys"))
        # The stored status timeline, deadlines' derived dates and organ paths, in the same
        # transaction as the rows they derive from.
        status.rebuild_all()
        status.bump_data_version()
        lap(_("derived status rebuild"))
        # The mix as the status engine says it (not a second copy of the rule).
        generated = Mandate.objects.filter(resolution_id__in=[row[0] for row in corpus.resolutions])
        corpus.status_mix = generated.paragraph_counts(CORPUS_END)
        return corpus

    def _report(self, corpus, seed, timings):
        write = self.stdout.write
        if self.deleted:
            write(
                _("Replaced a previous generated corpus (%(n)d resolutions).") % {"n": self.deleted}
            )
        write(_("Generated with --seed %(seed)d:") % {"seed": seed})
        for label, rows in (
            (_("resolutions"), corpus.resolutions),
            (_("mandates (paragraphs and sub-paragraphs)"), corpus.mandates),
            (_("responsibilities"), corpus.responsibilities),
            (_("deadlines"), corpus.deadlines),
            (_("progress records"), corpus.records),
            (_("records fulfilling deadlines (links)"), corpus.fulfils),
        ):
            write(f"  {len(rows):>9,}  {label}")
        mix, top = corpus.status_mix, corpus.top_level or 1
        write(
            _("Status of the %(n)s top-level paragraphs as of %(date)s:")
            % {"n": f"{corpus.top_level:,}", "date": CORPUS_END.isoformat()}
        )
        for name in ("met", "overdue", "pending"):
            write(f"  {mix[name]:>9,}  {name} ({100 * mix[name] / top:.0f} %)")
        write(_("Timings:"))
        for name, seconds in timings.items():
            write(f"  {seconds:>8.1f} s  {name}")
        self.stdout.write(self.style.SUCCESS(_("Done.")))
