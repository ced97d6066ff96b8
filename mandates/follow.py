"""Following the tracker: a page that explains the Atom and iCalendar feeds and gives their
addresses, and e-mail subscriptions to one resolution's or one organ's changes.

E-mail subscriptions are double opt-in: the address asks, a signed link is mailed, the
subscription counts only once that link is followed and confirmed. Every update mail has a
one-click unsubscribe link (also as ``List-Unsubscribe`` with ``List-Unsubscribe-Post`` for
mail programs, RFC 8058). Updates are sent by ``send_subscription_updates``, which the daily
reminder job (``send_deadline_reminders``) runs too: the progress records entered since the
last mail, and the paragraphs whose status changed since then (read through
``Mandate.objects.with_status``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Mandate, Organ, ParagraphOrgan, ProgressRecord, Resolution, Subscription, today

CONFIRM_SALT = "mandates.follow.confirm"
UNSUBSCRIBE_SALT = "mandates.follow.unsubscribe"
# A confirmation link works for a week; an unsubscribe link always.
CONFIRM_MAX_AGE = 7 * 24 * 3600
# A confirmation mail is sent again for the same address and subject after this long only.
RESEND_AFTER = datetime.timedelta(minutes=10)


@dataclass
class Followed:
    """What a follow page is about: everything, one resolution or one organ."""

    resolution: Resolution | None = None
    organ: Organ | None = None

    @property
    def subject(self):
        return self.resolution or self.organ

    @property
    def name(self) -> str:
        if self.resolution is not None:
            return self.resolution.symbol
        if self.organ is not None:
            return self.organ.display_name
        return settings.SITE_NAME

    def page_url(self) -> str:
        subject = self.subject
        return subject.get_absolute_url() if subject is not None else reverse("home")

    def follow_url(self) -> str:
        if self.resolution is not None:
            return reverse("follow_resolution", args=[self.resolution.slug])
        if self.organ is not None:
            return reverse("follow_organ", args=[self.organ.key])
        return reverse("follow")

    def atom_url(self) -> str:
        if self.resolution is not None:
            return reverse("feed_resolution_progress", args=[self.resolution.slug])
        if self.organ is not None:
            return reverse("feed_organ_progress", args=[self.organ.key])
        return reverse("feed_progress")

    def ical_url(self) -> str:
        if self.resolution is not None:
            return reverse("ical_resolution_deadlines", args=[self.resolution.slug])
        if self.organ is not None:
            return reverse("ical_organ_deadlines", args=[self.organ.key])
        return reverse("ical_deadlines")

    # --- What an e-mail update covers ---

    def paragraphs(self):
        """The operative paragraphs followed (sub-paragraphs are rolled up into them)."""
        if self.resolution is not None:
            return Mandate.objects.filter(resolution=self.resolution, parent__isnull=True)
        return Mandate.objects.filter(pk__in=ParagraphOrgan.objects.of(self.organ))

    def records(self):
        """Progress records on the followed paragraphs and their sub-paragraphs."""
        if self.resolution is not None:
            return ProgressRecord.objects.filter(mandate__resolution=self.resolution)
        ids = ParagraphOrgan.objects.of(self.organ)
        return ProgressRecord.objects.filter(
            Q(mandate__in=ids) | Q(mandate__parent__in=ids) | Q(mandate__parent__parent__in=ids)
        )


def followed_of(subscription: Subscription) -> Followed:
    return Followed(resolution=subscription.resolution, organ=subscription.organ)


def absolute(request, path: str) -> str:
    """A full address for mails and copy-paste: SITE_URL when set, else this request's host."""
    base = getattr(settings, "SITE_URL", "")
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return "http://localhost:8000" + path


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


# --- Pages ---------------------------------------------------------------------------------


def _follow_page(request, followed: Followed):
    form = SubscribeForm()
    sent_to = None
    if request.method == "POST" and followed.subject is not None:
        form = SubscribeForm(request.POST)
        if form.is_valid():
            sent_to = form.cleaned_data["email"]
            ask(request, followed, sent_to)
            form = SubscribeForm()
    atom, ical = absolute(request, followed.atom_url()), absolute(request, followed.ical_url())
    return render(
        request,
        "mandates/follow.html",
        {
            "followed": followed,
            "form": form,
            "sent_to": sent_to,
            "atom_url": atom,
            "ical_url": ical,
            "webcal_url": "webcal://" + ical.split("://", 1)[-1],
            "everything": Followed() if followed.subject is not None else None,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD"])
def follow(request):
    return _follow_page(request, Followed())


@require_http_methods(["GET", "HEAD", "POST"])
def follow_resolution(request, slug):
    return _follow_page(request, Followed(resolution=get_object_or_404(Resolution, slug=slug)))


@require_http_methods(["GET", "HEAD", "POST"])
def follow_organ(request, key):
    return _follow_page(request, Followed(organ=get_object_or_404(Organ, key=key)))


def ask(request, followed: Followed, email: str) -> None:
    """Record an unconfirmed subscription and mail its confirmation link. The page says the
    same whether or not the address already follows (no one learns who subscribes)."""
    lookup = {"email__iexact": email, "resolution": followed.resolution, "organ": followed.organ}
    subscription = Subscription.objects.filter(**lookup).first()
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    email=email, resolution=followed.resolution, organ=followed.organ
                )
        except IntegrityError:  # the same address asked twice at once
            subscription = Subscription.objects.filter(**lookup).first()
    if subscription is None or subscription.confirmed_at is not None:
        return
    # One confirmation mail per address and subject every RESEND_AFTER: the form cannot be
    # used to flood someone's mailbox.
    last = subscription.asked_at
    if last is not None and timezone.now() - last < RESEND_AFTER:
        return
    Subscription.objects.filter(pk=subscription.pk).update(asked_at=timezone.now())
    token = signing.dumps({"s": subscription.pk, "e": subscription.email}, salt=CONFIRM_SALT)
    context = {
        "followed": followed,
        "confirm_url": absolute(request, reverse("follow_confirm", args=[token])),
        "site_name": settings.SITE_NAME,
    }
    EmailMessage(
        subject=_("Confirm: follow %(name)s by e-mail") % {"name": followed.name},
        body=render_to_string("email/subscription_confirm.txt", context),
        to=[subscription.email],
    ).send()


def _confirmed_subscription(token) -> Subscription:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise Http404(
            _("This confirmation link has expired: ask again from the follow page.")
        ) from exc
    except signing.BadSignature as exc:
        raise Http404(_("This confirmation link is not valid.")) from exc
    subscription = Subscription.objects.filter(pk=data.get("s"), email=data.get("e")).first()
    if subscription is None:
        raise Http404(_("This subscription no longer exists: ask again from the follow page."))
    return subscription


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners follow links: they must not subscribe anyone);
    POST confirms."""
    subscription = _confirmed_subscription(token)
    followed = followed_of(subscription)
    if request.method == "POST" and subscription.confirmed_at is None:
        now = timezone.now()
        subscription.confirmed_at = now
        subscription.notified_until = now  # updates cover what changes from now on
        subscription.save(update_fields=["confirmed_at", "notified_until"])
    return render(
        request,
        "mandates/follow_confirm.html",
        {"subscription": subscription, "followed": followed},
    )


def unsubscribe_url(subscription: Subscription, request=None) -> str:
    token = signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)
    return absolute(request, reverse("follow_unsubscribe", args=[token]))


@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" with no cookie.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """One click: following the link ends the subscription."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise Http404(_("This unsubscribe link is not valid.")) from exc
    subscription = Subscription.objects.filter(pk=pk).select_related("resolution", "organ").first()
    followed = followed_of(subscription) if subscription is not None else None
    if subscription is not None and request.method != "HEAD":
        subscription.delete()
    return render(request, "mandates/follow_unsubscribed.html", {"followed": followed})


# --- Update mails --------------------------------------------------------------------------


@dataclass
class StatusChange:
    paragraph: Mandate
    before: str
    after: str
    url: str


def changes_since(
    followed: Followed, since: datetime.datetime, until: datetime.datetime, as_of: datetime.date
):
    """(status changes, records entered) between two moments, for one subscription."""
    since_day = timezone.localdate(since)
    # A status can have changed only where the period containing today began after the last
    # mail: the candidates come from the timeline's index, then their old status is read.
    now_rows = {
        p.pk: p
        for p in followed.paragraphs()
        .with_status(as_of)
        .filter(status_since__gt=since_day)
        .select_related("resolution")
    }
    before = dict(
        Mandate.objects.filter(pk__in=list(now_rows))
        .with_status(since_day)
        .values_list("pk", "status")
    )
    changes = [
        StatusChange(p, before[p.pk], p.status, p.get_absolute_url())
        for p in sorted(now_rows.values(), key=lambda p: (p.resolution_symbol, p.order, p.pk))
        if p.pk in before and before[p.pk] != p.status
    ]
    records = list(
        followed.records()
        .filter(created_at__gt=since, created_at__lte=until)
        .select_related("mandate__resolution")
        .order_by("created_at", "pk")
    )
    return changes, records


def send_updates(
    as_of: datetime.date | None = None, now: datetime.datetime | None = None
) -> tuple[int, list[str]]:
    """Mail every confirmed subscription what changed since its last mail. Returns the number
    of mails sent and the addresses that failed (tried again next run: their last-mail time
    is kept). A subscription with nothing new gets nothing."""
    as_of = as_of or today()
    now = now or timezone.now()
    sent, failures = 0, []
    # Asked, never confirmed, and the link has expired: forget the address.
    expired = now - datetime.timedelta(seconds=CONFIRM_MAX_AGE)
    Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=expired).delete()
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False).select_related(
        "resolution", "organ"
    )
    for subscription in subscriptions.order_by("pk"):
        followed = followed_of(subscription)
        since = subscription.notified_until or subscription.confirmed_at
        changes, records = changes_since(followed, since, now, as_of)
        if changes or records:
            try:
                update_message(subscription, followed, since, changes, records).send()
            except Exception:  # noqa: BLE001 - one bad address must not stop the rest
                failures.append(subscription.email)
                continue
            sent += 1
        Subscription.objects.filter(pk=subscription.pk).update(notified_until=now)
    return sent, failures


def update_message(subscription, followed, since, changes, records) -> EmailMessage:
    unsubscribe = unsubscribe_url(subscription)
    context = {
        "followed": followed,
        "since": timezone.localtime(since),
        "changes": changes,
        "records": records,
        "site": absolute(None, ""),
        "page_url": absolute(None, followed.page_url()),
        "unsubscribe_url": unsubscribe,
        "site_name": settings.SITE_NAME,
    }
    return EmailMessage(
        subject=_("%(name)s: what changed") % {"name": followed.name},
        body=render_to_string("email/subscription_update.txt", context),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
