"""Who is told about what: focal points, reminders sent, public e-mail subscriptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import (
    Q,
)
from django.utils.translation import gettext_lazy as _

from .organs import Organ
from .progress import Deadline
from .resolutions import Resolution


class FocalPoint(models.Model):
    """A staff user who records progress on behalf of one or more organs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="focal_point",
    )
    organs = models.ManyToManyField(Organ, verbose_name=_("organs"), related_name="focal_points")

    class Meta:
        verbose_name = _("organ focal point")
        verbose_name_plural = _("organ focal points")

    def __str__(self):
        return str(self.user)


class ReminderLog(models.Model):
    """One reminder sent, so that running the reminder command twice sends nothing twice."""

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", _("Deadline approaching")
        OVERDUE = "overdue", _("Deadline missed")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due = models.DateField(help_text=_("The due date the reminder was about."))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "recipient", "kind", "due"], name="unique_reminder"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.deadline} → {self.recipient}"


class Subscription(models.Model):
    """A member of the public who follows one resolution's or one organ's changes by e-mail.

    Double opt-in: the row is created unconfirmed and a signed link is mailed; only a
    confirmed subscription is ever sent updates (mandates/follow.py). Every update carries a
    one-click unsubscribe link, which deletes the row."""

    email = models.EmailField(_("e-mail address"))
    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    organ = models.ForeignKey(
        Organ,
        verbose_name=_("organ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    # When the last confirmation mail was sent (one per address and subject every few minutes).
    asked_at = models.DateTimeField(_("confirmation mailed on"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    # Changes made up to this moment have been mailed (or were there before confirmation).
    notified_until = models.DateTimeField(_("updates sent up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail subscription")
        verbose_name_plural = _("e-mail subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution__isnull=True, organ__isnull=False)
                | Q(resolution__isnull=False, organ__isnull=True),
                name="subscription_one_subject",
            ),
            models.UniqueConstraint(
                fields=["email", "resolution"],
                condition=Q(resolution__isnull=False),
                name="unique_subscription_resolution",
            ),
            models.UniqueConstraint(
                fields=["email", "organ"],
                condition=Q(organ__isnull=False),
                name="unique_subscription_organ",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.subject}"

    @property
    def subject(self) -> Resolution | Organ:
        return self.resolution or self.organ
