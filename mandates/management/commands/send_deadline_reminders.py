"""E-mail organ focal points about deadlines coming up and deadlines just missed.

Run it daily (cron, systemd timer). Each reminder is recorded in ReminderLog, unique per
(deadline, recipient, kind, due date), and the log rows are written in the same transaction
as the sending: running the command twice sends nothing twice, and a failed sending records
nothing (the next run tries again). A deadline moved to another date is reminded again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mandates.language import site_name
from mandates.models import Deadline, FocalPoint, Mandate, Organ, ReminderLog, today


@dataclass
class Reminder:
    deadline: Deadline
    kind: str  # ReminderLog.Kind
    due: datetime.date
    days_left: int
    organs: str = ""
    url: str = ""


def site_url(path: str) -> str:
    base = getattr(settings, "SITE_URL", "") or "http://localhost:8000"
    return base.rstrip("/") + path


def responsible_organs(mandate: Mandate) -> list[Organ]:
    """The mandate's organs; a sub-paragraph addressed to nobody takes its parent's."""
    current: Mandate | None = mandate
    while current is not None:
        organs = [r.organ for r in current.responsibilities.all()]
        if organs:
            return organs
        current = current.parent
    return []


def recipients_for(organs: list[Organ], focal_points_by_organ) -> set:
    """Focal points of these organs and of the organs they are part of (up to two levels:
    the PC's focal point hears about the CAJP's deadlines)."""
    users = set()
    for organ in organs:
        node, depth = organ, 0
        while node is not None and depth < 3:
            users.update(focal_points_by_organ.get(node.pk, ()))
            node, depth = node.parent, depth + 1
    return {u for u in users if u.is_active and u.email}


class Command(BaseCommand):
    help = (
        "E-mail organ focal points about deadlines falling due within N days and deadlines "
        "that became overdue in the last N days. Sends each reminder once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=_(
                "Remind this many days before a deadline; overdue reminders go out for "
                "deadlines missed in as many days (default: the REMINDER_DAYS_BEFORE setting)."
            ),
        )
        parser.add_argument(
            "--as-of",
            dest="as_of",
            default=None,
            help=_("Run as if today were this date (YYYY-MM-DD). Default: today."),
        )
        parser.add_argument(
            "--all-overdue",
            action="store_true",
            help=_("Also remind about deadlines that became overdue more than N days ago."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Say what would be sent; send and record nothing."),
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=None,
            help=_("The language of the e-mails (en, es, fr, pt; default: LANGUAGE_CODE)."),
        )

    def handle(self, *args, **options):
        # The e-mails, their subjects and the command's messages in the chosen language.
        with translation.override(options.get("language") or settings.LANGUAGE_CODE):
            return self.remind(**options)

    def remind(self, *args, days=None, as_of=None, all_overdue=False, dry_run=False, **options):
        days = settings.REMINDER_DAYS_BEFORE if days is None else days
        if days < 0:
            raise CommandError(_("--days must be zero or more."))
        simulated = as_of is not None  # "as if today were": no real-time subscription mail
        try:
            as_of = datetime.date.fromisoformat(as_of) if as_of else today()
        except ValueError as exc:
            raise CommandError(_("--as-of must be a date written YYYY-MM-DD.")) from exc

        by_recipient = self.collect(as_of, days, all_overdue)
        sent_messages = sent_reminders = 0
        failures = []
        for user, reminders in sorted(by_recipient.items(), key=lambda kv: kv[0].pk):
            if dry_run:
                for r in reminders:
                    self.stdout.write(f"{user.email}: {r.kind} {r.deadline.mandate} ({r.due})")
                continue
            try:
                count = self.send(user, reminders, as_of, days)
            except Exception as exc:  # noqa: BLE001 - one bad address must not stop the rest
                failures.append(user.email)
                self.stderr.write(
                    _("Could not send to %(email)s (will retry next run): %(error)s")
                    % {"email": user.email, "error": exc}
                )
                continue
            if count:
                sent_messages += 1
                sent_reminders += count
        if not dry_run:
            self.stdout.write(
                ngettext(
                    "Sent %(messages)d e-mail (%(reminders)d new reminders).",
                    "Sent %(messages)d e-mails (%(reminders)d new reminders).",
                    sent_messages,
                )
                % {"messages": sent_messages, "reminders": sent_reminders}
            )
        if not dry_run and not simulated:
            # The public's e-mail subscriptions ride on the same daily job (mandates/follow.py).
            from mandates.follow import send_updates

            updates, update_failures = send_updates()
            failures += update_failures
            self.stdout.write(
                ngettext(
                    "Sent %(n)d subscription update.",
                    "Sent %(n)d subscription updates.",
                    updates,
                )
                % {"n": updates}
            )
        if failures:
            raise CommandError(
                _("Sending failed for %(emails)s.") % {"emails": ", ".join(failures)}
            )

    def collect(self, as_of, days, all_overdue) -> dict:
        """{user: [Reminder, ...]} of everything due to be reminded, sent or not yet."""
        deadlines = (
            Deadline.objects.of_tracked_paragraphs()
            .with_state(as_of)
            .filter(fulfilled_on__isnull=True, due__isnull=False)
            .filter(due__lte=as_of + datetime.timedelta(days=days))
            .select_related("mandate__resolution", "mandate__parent")
            .prefetch_related(
                "mandate__responsibilities__organ__parent__parent",
                "mandate__parent__responsibilities__organ__parent__parent",
                "mandate__parent__parent__responsibilities__organ__parent__parent",
            )
            .order_by("due", "pk")
        )
        if not all_overdue:
            deadlines = deadlines.filter(due__gte=as_of - datetime.timedelta(days=days))
        focal_points_by_organ = defaultdict(set)
        for focal_point in FocalPoint.objects.select_related("user").prefetch_related("organs"):
            for organ in focal_point.organs.all():
                focal_points_by_organ[organ.pk].add(focal_point.user)

        by_recipient: dict = defaultdict(list)
        for deadline in deadlines:
            overdue = deadline.due < as_of
            organs = responsible_organs(deadline.mandate)
            reminder = Reminder(
                deadline=deadline,
                kind=ReminderLog.Kind.OVERDUE if overdue else ReminderLog.Kind.UPCOMING,
                due=deadline.due,
                days_left=(deadline.due - as_of).days,
                organs=", ".join(o.local_acronym for o in organs) or "—",
                url=site_url(deadline.mandate.get_absolute_url()),
            )
            for user in recipients_for(organs, focal_points_by_organ):
                by_recipient[user].append(reminder)
        return by_recipient

    def send(self, user, reminders, as_of, days) -> int:
        """Record and send this user's new reminders in one transaction; return how many."""
        with transaction.atomic():
            new = []
            for reminder in reminders:
                _log, created = ReminderLog.objects.get_or_create(
                    deadline=reminder.deadline,
                    recipient=user,
                    kind=reminder.kind,
                    due=reminder.due,
                )
                if created:
                    new.append(reminder)
            if not new:
                return 0
            overdue = [r for r in new if r.kind == ReminderLog.Kind.OVERDUE]
            upcoming = [r for r in new if r.kind == ReminderLog.Kind.UPCOMING]
            if overdue:
                subject = ngettext(
                    "%(n)d deadline missed",
                    "%(n)d deadlines missed",
                    len(overdue),
                ) % {"n": len(overdue)}
                if upcoming:
                    subject += ", " + ngettext(
                        "%(n)d coming up", "%(n)d coming up", len(upcoming)
                    ) % {"n": len(upcoming)}
            else:
                subject = ngettext(
                    "%(n)d deadline coming up",
                    "%(n)d deadlines coming up",
                    len(upcoming),
                ) % {"n": len(upcoming)}
            body = render_to_string(
                "email/deadline_reminder.txt",
                {
                    "recipient": user,
                    "overdue": overdue,
                    "upcoming": upcoming,
                    "days": days,
                    "as_of": as_of,
                    "site_name": site_name(),
                    "admin_url": site_url(reverse("admin:index")),
                },
            )
            EmailMessage(
                subject=f"[{site_name()}] {subject}",
                body=body,
                to=[user.email],
            ).send()
        return len(new)
