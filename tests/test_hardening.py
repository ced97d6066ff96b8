"""Deployment hardening: check --deploy, CSP and other headers, login lockout."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests import snapshot
from tests.trust_helpers import EDITORS, PASSWORD, SLUG_2289, admin_url, logged_in, make_user

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "EMAIL_")) and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        DJANGO_SETTINGS_MODULE="tracker.settings",
        **extra,
    )
    return env


@pytest.fixture
def data(db):
    snapshot.default_data()


def test_check_deploy_passes_at_warning_level():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_on_https_protections():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER[0], "
        "s.X_FRAME_OPTIONS)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["31536000", "True", "True", "True", "True", "HTTP_X_FORWARDED_PROTO", "DENY"]


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PUBLIC_PAGES = [
    "/",
    "/resolutions/",
    f"/resolutions/{SLUG_2289}/",
    f"/resolutions/{SLUG_2289}/20.c/",
    "/mandates/",
    "/organs/",
    "/organs/CAJP/",
    "/no-such-page/",
    "/feeds/progress.atom",
    "/feeds/deadlines.ics",
    "/admin/login/",
]

CSP = re.compile(r"default-src 'self'.*script-src 'self'")


def inline_code(html: str, styles=True) -> list[str]:
    """Inline scripts, event handler attributes (and style attributes) in a page."""
    problems = []
    for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I):
        if "src=" not in tag and "application/json" not in tag:
            problems.append(tag)
    problems += re.findall(r"<[^>]+\son[a-z]+\s*=", html, flags=re.I)
    if styles:
        problems += re.findall(r"<[^>]+\sstyle\s*=", html, flags=re.I)
    problems += re.findall(r"javascript:", html, flags=re.I)
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_has_a_strict_csp_and_no_inline_code(data, url):
    response = Client().get(url)
    assert response.status_code < 500
    assert CSP.search(response["Content-Security-Policy"])
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Permissions-Policy" in response
    if response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_admin_pages_work_under_the_csp(data):
    client = logged_in(Client(), make_user("editor", EDITORS))
    from mandates.models import Mandate, ProgressRecord

    target = Mandate.objects.get(resolution__slug=SLUG_2289, label="20.c")
    for url in [
        "/admin/",
        admin_url(Mandate),
        admin_url(target, "change"),
        admin_url(ProgressRecord, "add"),
        admin_url(target, "history"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert CSP.search(response["Content-Security-Policy"])
        # (simple_history's history list has one cosmetic style attribute, which the CSP
        # blocks: a border on its paginator. No script is inline.)
        assert inline_code(response.content.decode(), styles=False) == [], url


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_header_over_https(data):
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_nul_bytes_in_the_address_are_a_bad_request(data):
    client = Client()
    assert client.get("/organs/%00/").status_code == 400
    assert client.get("/mandates/", {"q": "a\x00b"}).status_code == 400
    response = client.get("/mandates/?resolution=%00")
    assert response.status_code == 400
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(data, settings):
    make_user("secretary", EDITORS)
    client = Client()
    url = "/admin/login/?next=/admin/"
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "secretary", "password": f"wrong-{attempt}"})
        assert response.status_code == 200  # the login form again
    response = client.post(url, {"username": "secretary", "password": "wrong-last"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Account locked" in page
    assert f"locked after {settings.AXES_FAILURE_LIMIT} failed login attempts" in page
    assert "try again after 1:00:00" in page
    assert CSP.search(response["Content-Security-Policy"])
    # Even the right password is refused while locked.
    response = client.post(url, {"username": "secretary", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked (username + IP pairs).
    make_user("colleague", EDITORS)
    response = client.post(url, {"username": "colleague", "password": PASSWORD})
    assert response.status_code == 302
