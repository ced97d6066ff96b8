"""Reads from a streaming replica: public pages yes; admin, writes and staff sessions never."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from mandates import replica
from mandates.models import Mandate
from tests.ops_support import AppServer, Browser, acknowledged


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def request_as(method, path, user=None, session=True):
    request = getattr(RequestFactory(), method.lower())(path)
    if session:
        request.COOKIES["sessionid"] = "x"
    request.user = user or AnonymousUser()
    return request


@pytest.mark.django_db
def test_who_reads_the_replica(with_replica, django_user_model):
    staff = django_user_model(username="editor", is_staff=True)
    member = django_user_model(username="reader", is_staff=False)
    assert replica.may_read_replica(request_as("GET", "/mandates/?status=overdue", session=False))
    assert replica.may_read_replica(request_as("HEAD", "/resolutions/", session=False))
    assert replica.may_read_replica(request_as("GET", "/organs/", member))
    assert not replica.may_read_replica(request_as("GET", "/organs/", staff))
    assert not replica.may_read_replica(request_as("GET", "/admin/mandates/mandate/", member))
    assert not replica.may_read_replica(request_as("POST", "/admin/login/", session=False))


def test_no_replica_configured_means_the_primary_for_everyone():
    assert not replica.may_read_replica(request_as("GET", "/", session=False))


def test_the_router_follows_the_decision_and_never_writes_the_replica(with_replica):
    router = replica.ReplicaRouter()
    assert router.db_for_read(Mandate) is None
    token = replica._reads_from_replica.set(True)
    try:
        assert router.db_for_read(Mandate) == "replica"
        assert router.db_for_write(Mandate) == "default"
    finally:
        replica._reads_from_replica.reset(token)
    assert router.allow_migrate("replica", "mandates") is False
    assert router.allow_migrate("default", "mandates") is True


# --- A real streaming replica (pg_basebackup -R) behind a real gunicorn --------------------


def wait_for(condition, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.postgres_server
def test_public_pages_read_the_replica_staff_read_their_own_writes(private_stack):
    primary = private_stack.pg
    standby = primary.replica()
    app = None
    try:
        # The standby's WAL receiver connects a moment after it starts (longer on a busy machine).
        streaming = "SELECT count(*) FROM pg_stat_replication"
        wait_for(lambda: primary.psql(streaming) == "1", what="the standby to stream")
        assert standby.psql("SELECT pg_is_in_recovery()") == "t"
        env = {**private_stack.env, "DATABASE_REPLICA_URL": standby.url("mandates")}
        app = AppServer(env).start()
        visitor, staff = Browser(app.base), Browser(app.base)
        staff.login(*private_stack.staff)  # a write on the primary (session, axes) from a POST
        mandate_id, slug, label = primary.psql(
            "SELECT m.id, r.slug, m.label FROM mandates_mandate m JOIN mandates_resolution r "
            "ON r.id = m.resolution_id WHERE m.label = '3' ORDER BY m.id LIMIT 1",
            "mandates",
        ).split("|")
        page = f"/resolutions/{slug}/{label}/"
        ready = visitor.get("/readyz")
        assert ready.status == 200 and '"replica": "ok"' in ready.text

        # In normal times the replica follows within moments.
        saved = staff.add_progress_record(int(mandate_id), "Report streamed", "2020-02-03")
        assert acknowledged(saved)
        wait_for(lambda: "Report streamed" in visitor.get(page).text, what="replication")

        # The replica lags (replay paused): visitors see the page as it was, staff see the
        # primary, including their own new record, at once.
        standby.psql("SELECT pg_wal_replay_pause()")
        saved = staff.add_progress_record(int(mandate_id), "Report while lagging", "2020-02-04")
        assert acknowledged(saved)
        assert "Report while lagging" in staff.get(page).text
        stale = visitor.get(page)
        assert stale.status == 200
        assert "Report streamed" in stale.text and "Report while lagging" not in stale.text
        admin_list = staff.get("/admin/mandates/progressrecord/?q=lagging")
        assert "Report while lagging" in admin_list.text

        standby.psql("SELECT pg_wal_replay_resume()")
        wait_for(lambda: "Report while lagging" in visitor.get(page).text, what="catching up")
        assert "Traceback" not in app.log()
    finally:
        if app is not None:
            app.stop()
        standby.destroy()
