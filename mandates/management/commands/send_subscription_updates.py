"""E-mail the public's confirmed subscriptions what changed about their resolution or organ
since their last message (mandates/follow.py). ``send_deadline_reminders`` runs this too, so
the daily job needs nothing more; this command sends the updates alone."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mandates.follow import send_updates


class Command(BaseCommand):
    help = "E-mail subscribers what changed since their last message."

    def handle(self, *args, **options):
        sent, failures = send_updates()
        self.stdout.write(
            ngettext("Sent %(n)d subscription update.", "Sent %(n)d subscription updates.", sent)
            % {"n": sent}
        )
        if failures:
            raise CommandError(
                _("Sending failed for %(emails)s.") % {"emails": ", ".join(failures)}
            )
