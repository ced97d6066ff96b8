"""`manage.py send_deadline_reminders`: before a deadline, when it is missed, never twice."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from mandates.models import Deadline, ProgressRecord, ReminderLog
from tests import snapshot
from tests.trust_helpers import FOCAL_POINTS, make_user, mandate

# AG/RES. 2289 ¶14 (CAJP): "first half of 2008" (June 30, 2008) and June 30, 2009.
CAJP_DUE = datetime.date(2008, 6, 30)


@pytest.fixture
def data(db):
    snapshot.default_data()


@pytest.fixture
def cajp(data):
    return make_user("cajp", FOCAL_POINTS, organs=["CAJP"], first_name="Carla")


def run(*args):
    out = StringIO()
    call_command("send_deadline_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_upcoming_deadline_is_reminded_once(cajp):
    as_of = (CAJP_DUE - datetime.timedelta(days=10)).isoformat()
    run("--days", "30", "--as-of", as_of)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cajp@example.org"]
    assert "coming up" in message.subject
    assert "AG/RES. 2289 (XXXVII-O/07) ¶14" in message.body
    assert "in 10 days" in message.body
    assert "/resolutions/ag-res-2289-xxxvii-o-07/14/" in message.body

    run("--days", "30", "--as-of", as_of)
    assert len(mail.outbox) == 1, "running twice sends nothing twice"
    assert ReminderLog.objects.filter(recipient=cajp, kind="upcoming").count() == 1


@pytest.mark.django_db
def test_nothing_before_the_window(cajp):
    run("--days", "30", "--as-of", (CAJP_DUE - datetime.timedelta(days=31)).isoformat())
    assert mail.outbox == []


@pytest.mark.django_db
def test_missed_deadline_is_reminded_once_when_it_becomes_overdue(cajp):
    run("--days", "30", "--as-of", (CAJP_DUE - datetime.timedelta(days=5)).isoformat())
    run("--days", "30", "--as-of", CAJP_DUE.isoformat())  # due today: not overdue yet
    assert len(mail.outbox) == 1
    day_after = (CAJP_DUE + datetime.timedelta(days=1)).isoformat()
    run("--days", "30", "--as-of", day_after)
    assert len(mail.outbox) == 2
    assert "missed" in mail.outbox[1].subject
    assert "Was due on June 30, 2008" in mail.outbox[1].body
    run("--days", "30", "--as-of", day_after)
    run("--days", "30", "--as-of", (CAJP_DUE + datetime.timedelta(days=3)).isoformat())
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_fulfilled_deadline_is_not_reminded(cajp):
    target = mandate("14")
    deadline = Deadline.objects.get(mandate=target, due=CAJP_DUE)
    record = ProgressRecord.objects.create(
        mandate=target, date=datetime.date(2008, 4, 1), title="CAJP meeting held"
    )
    record.fulfils.add(deadline)
    run("--days", "30", "--as-of", (CAJP_DUE - datetime.timedelta(days=10)).isoformat())
    assert mail.outbox == []


@pytest.mark.django_db
def test_parent_organs_focal_point_is_reminded_and_users_without_email_are_not(cajp):
    pc = make_user("pc", FOCAL_POINTS, organs=["PC"])
    make_user("cim", FOCAL_POINTS, organs=["CIM"])
    make_user("silent", FOCAL_POINTS, organs=["CAJP"], email="")
    run("--days", "30", "--as-of", (CAJP_DUE - datetime.timedelta(days=10)).isoformat())
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([cajp.email, pc.email])


@pytest.mark.django_db
def test_old_overdue_deadlines_are_left_alone_unless_asked(cajp):
    run("--days", "30", "--as-of", "2012-01-01")
    assert mail.outbox == []
    run("--days", "30", "--as-of", "2012-01-01", "--all-overdue")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body.count("AG/RES. 2289 (XXXVII-O/07) ¶14") == 2  # both deadlines


@pytest.mark.django_db
def test_a_failed_sending_records_nothing_and_is_retried(cajp):
    as_of = (CAJP_DUE - datetime.timedelta(days=10)).isoformat()
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("SMTP down")):
        with pytest.raises(CommandError):
            run("--days", "30", "--as-of", as_of)
    assert not ReminderLog.objects.exists()
    run("--days", "30", "--as-of", as_of)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_days_default_comes_from_settings_and_dry_run_sends_nothing(cajp, settings):
    settings.REMINDER_DAYS_BEFORE = 5
    out = run("--as-of", (CAJP_DUE - datetime.timedelta(days=10)).isoformat())
    assert mail.outbox == [] and "Sent 0 e-mails" in out
    out = run("--days", "30", "--dry-run", "--as-of", "2008-06-20")
    assert "cajp@example.org" in out and mail.outbox == []
    assert not ReminderLog.objects.exists()


def test_console_backend_by_default_and_smtp_from_environment():
    import os
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    base = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env = {**base, "DJANGO_SETTINGS_MODULE": "tracker.settings"}
    cmd = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "django.core.mail.backends.console.EmailBackend"
    env["EMAIL_HOST"] = "smtp.example.org"
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.django_db
def test_reminders_in_another_language(cajp):
    """--language es: subject, body, dates and the link in Spanish."""
    run(
        "--days",
        "30",
        "--as-of",
        (CAJP_DUE + datetime.timedelta(days=1)).isoformat(),
        "--language",
        "es",
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("[Seguimiento de Mandatos] 1 plazo vencido")
    assert "Vencía el 30 de junio de 2008." in message.body
    assert "Responsables: CAJP" in message.body
    assert "/es/resolutions/ag-res-2289-xxxvii-o-07/14/" in message.body
    assert "Was due on" not in message.body
