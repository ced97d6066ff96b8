"""Following without coming back (issue 11, point 8): a page that explains the feeds and
gives their addresses, Atom feeds a browser can show, and e-mail subscriptions to a
resolution's or an organ's changes (double opt-in, one-click unsubscribe, sent by the daily
reminder job)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from mandates.follow import send_updates, unsubscribe_url
from mandates.models import Subscription
from tests.factories import SLUG_2289, make_record, mandate_2289

pytestmark = pytest.mark.usefixtures("default_data")

FOLLOW_2289 = f"/follow/resolutions/{SLUG_2289}/"


def link_in(message, pattern: str) -> str:
    match = re.search(rf"https?://[^/\s]+(/follow/{pattern}/[^/\s]+/)", message.body)
    assert match, message.body
    return match[1]


def subscribe(client, email="delegate@example.org", url=FOLLOW_2289) -> Subscription:
    client.post(url, {"email": email})
    subscription = Subscription.objects.get(email=email)
    path = link_in(mail.outbox[-1], "confirm")
    client.post(path)
    subscription.refresh_from_db()
    return subscription


# --- The follow page and the feeds -----------------------------------------------------------


def test_the_follow_page_explains_each_way_and_gives_each_address():
    response = Client().get(FOLLOW_2289)
    assertContains(response, "Follow AG/RES. 2289 (XXXVII-O/07)")
    assertContains(response, "An Atom feed is a list of the latest changes that a feed reader")
    atom = reverse("feed_resolution_progress", args=[SLUG_2289])
    ical = reverse("ical_resolution_deadlines", args=[SLUG_2289])
    assertContains(response, f'value="http://testserver{atom}"')
    assertContains(response, f'value="http://testserver{ical}"')
    assertContains(response, f'href="webcal://testserver{ical}"')
    assertContains(response, "Google Calendar: Other calendars")
    assertContains(response, "Your e-mail address")
    general = Client().get("/follow/")
    assertContains(general, f'value="http://testserver{reverse("feed_progress")}"')
    assertNotContains(general, "Your e-mail address")  # e-mail: per resolution or organ


def test_the_follow_pages_are_linked_wherever_feeds_are_announced():
    client = Client()
    assertContains(client.get("/"), 'href="/follow/"')
    assertContains(client.get(f"/resolutions/{SLUG_2289}/"), f'href="{FOLLOW_2289}"')
    organ = client.get("/organs/CAJP/")
    assertContains(organ, 'href="/follow/organs/CAJP/"')
    assertContains(client.get("/follow/organs/CAJP/"), "Committee on Juridical and Political")


def test_an_atom_feed_carries_a_stylesheet_and_a_link_to_the_follow_page():
    feed = Client().get(reverse("feed_resolution_progress", args=[SLUG_2289])).content.decode()
    assert '<?xml-stylesheet href="/feeds/atom.xsl" media="screen" type="text/xsl"?>' in feed
    assert f'<link href="http://testserver{FOLLOW_2289}" rel="related"/>' in feed
    xsl = Client().get("/feeds/atom.xsl")
    assert xsl["Content-Type"] == "text/xsl; charset=utf-8"
    text = xsl.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert "This is an Atom feed," in text and "atom:link[@rel='related']/@href" in text


# --- E-mail: double opt-in ------------------------------------------------------------------


def test_subscribing_asks_for_confirmation_and_sends_nothing_before():
    client = Client()
    response = client.post(FOLLOW_2289, {"email": "delegate@example.org"})
    assertContains(response, "We have sent a message to delegate@example.org.")
    (message,) = mail.outbox
    assert message.to == ["delegate@example.org"]
    assert message.subject == "Confirm: follow AG/RES. 2289 (XXXVII-O/07) by e-mail"
    subscription = Subscription.objects.get(email="delegate@example.org")
    assert subscription.confirmed_at is None
    # Unconfirmed: progress recorded now is not mailed.
    make_record(mandate_2289("14"), datetime.date(2008, 4, 29), title="CAJP report")
    assert send_updates() == (0, [])
    # Following the link shows a button; a mail scanner's GET confirms nothing.
    path = link_in(message, "confirm")
    page = client.get(path)
    assertContains(page, "Yes, subscribe")
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    confirmed = client.post(path)
    assertContains(confirmed, "Confirmed: delegate@example.org will receive a message")
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_a_bad_address_or_link_says_why_and_changes_nothing():
    response = Client().post(FOLLOW_2289, {"email": "not-an-address"})
    assertContains(response, "Enter a valid email address.", status_code=400)
    assert Subscription.objects.count() == 0 and mail.outbox == []
    bad = Client().get("/follow/confirm/forged-token/")
    assertContains(bad, "This confirmation link is not valid.", status_code=404)
    assert Client().get("/follow/stop/forged-token/").status_code == 404


def test_asking_twice_keeps_one_subscription_and_never_says_who_follows():
    client = Client()
    subscribe(client)
    mail.outbox.clear()
    response = client.post(FOLLOW_2289, {"email": "delegate@example.org"})
    assertContains(response, "We have sent a message to delegate@example.org.")
    assert Subscription.objects.count() == 1 and mail.outbox == []  # already confirmed


# --- E-mail: the updates, sent by the reminder job ----------------------------------------


def test_the_reminder_job_mails_new_progress_with_a_one_click_unsubscribe():
    client = Client()
    subscribe(client)
    mail.outbox.clear()
    make_record(
        mandate_2289("14"),
        datetime.date(2008, 4, 29),
        title="CAJP report on migrant workers",
        document_symbol="CP/doc.4300/08",
    )
    call_command("send_deadline_reminders", stdout=open("/dev/null", "w"))
    (message,) = mail.outbox
    assert message.to == ["delegate@example.org"]
    assert message.subject == "AG/RES. 2289 (XXXVII-O/07): what changed"
    assert "AG/RES. 2289 (XXXVII-O/07) ¶14" in message.body
    assert "CAJP report on migrant workers (CP/doc.4300/08)" in message.body
    stop = link_in(message, "stop")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://localhost:8000{stop}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Nothing new: nothing sent.
    mail.outbox.clear()
    call_command("send_subscription_updates", stdout=open("/dev/null", "w"))
    assert mail.outbox == []
    # One click ends it.
    response = Client().get(stop)
    assertContains(response, "You will receive no more messages about AG/RES. 2289")
    assert Subscription.objects.count() == 0
    make_record(mandate_2289("15"), datetime.date(2008, 5, 1), title="Another report")
    assert send_updates() == (0, [])


def test_mail_programs_unsubscribe_by_post_without_a_cookie():
    subscription = subscribe(Client())
    stop = unsubscribe_url(subscription).removeprefix("http://localhost:8000")
    response = Client(enforce_csrf_checks=True).post(stop, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_an_update_names_the_paragraphs_whose_status_changed():
    subscription = subscribe(Client(), url="/follow/organs/PC/")
    # As if the last mail went out on 31 May 2008: the ¶20.c report to the Permanent Council
    # was due 1 June 2008, so ¶20 became overdue on 2 June; ¶14 (the CAJP's, under the PC) too
    # for 30 June.
    last = timezone.make_aware(datetime.datetime(2008, 5, 31, 6, 0))
    Subscription.objects.filter(pk=subscription.pk).update(notified_until=last)
    mail.outbox.clear()
    sent, failures = send_updates(as_of=datetime.date(2008, 7, 2))
    assert (sent, failures) == (1, [])
    body = mail.outbox[0].body
    assert "Permanent Council" in mail.outbox[0].subject
    assert "AG/RES. 2289 (XXXVII-O/07) ¶14: pending → overdue" in body
    assert "AG/RES. 2289 (XXXVII-O/07) ¶20: pending → overdue" not in body  # the IACHR's


def test_the_form_cannot_flood_a_mailbox_and_unconfirmed_addresses_are_forgotten():
    client = Client()
    for _ in range(3):
        client.post(FOLLOW_2289, {"email": "someone@example.org"})
    assert len(mail.outbox) == 1  # one confirmation mail per address every few minutes
    subscription = Subscription.objects.get(email="someone@example.org")
    # Ten minutes later, asking again mails the link again.
    earlier = timezone.now() - datetime.timedelta(minutes=11)
    Subscription.objects.filter(pk=subscription.pk).update(asked_at=earlier)
    client.post(FOLLOW_2289, {"email": "someone@example.org"})
    assert len(mail.outbox) == 2
    # Never confirmed within the link's week: the address is deleted by the daily job.
    Subscription.objects.filter(pk=subscription.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    send_updates()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
