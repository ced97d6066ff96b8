"""Settings come from the environment, with safe defaults and clear refusals."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_secret_key_and_hosts_stops_with_a_clear_message():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "DEBUG=0 needs SECRET_KEY and ALLOWED_HOSTS set in the environment" in result.stderr


def test_a_malformed_boolean_is_refused():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be 1/0, true/false, yes/no or on/off, not 'maybe'" in result.stderr


@pytest.mark.parametrize(
    "url, engine",
    [
        ("sqlite:////tmp/mandate-tracker-settings-test.sqlite3", "django.db.backends.sqlite3"),
        ("postgres://postgres@127.0.0.1:5432/anything", "django.db.backends.postgresql"),
    ],
)
def test_database_url_selects_the_database(url, engine):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL=url,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == engine


def test_no_environment_at_all_runs_on_an_embedded_sqlite_file():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(ROOT / "db.sqlite3")


@pytest.mark.parametrize("value, threshold", [(None, "5"), ("1", "5"), ("0", "None")])
def test_prepared_statements_can_be_turned_off_for_a_pooler(value, threshold):
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/anything"}
    if value is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = value
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == threshold
