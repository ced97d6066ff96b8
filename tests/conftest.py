import os

import pytest

from tests import snapshot

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous, so Django's async-safety guard would be a false alarm.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SLUG_2289 = "ag-res-2289-xxxvii-o-07"


@pytest.fixture
def default_data(db):
    """The organ directory, GA sessions, AG/RES. 2289 and the Santiago plan, as `make run`
    loads them: the real loader's rows, copied from a snapshot after the first load
    (tests/snapshot.py)."""
    return snapshot.default_data()


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        "editor", "editor@example.org", "a-long-password-1", is_staff=True, is_superuser=True
    )


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts with an empty page cache: data versions repeat across rolled-back
    tests, so an entry from another test could otherwise match."""
    from django.core.cache import cache

    cache.clear()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(snapshot.summary())


# --- Private PostgreSQL + gunicorn for the operations tests (tests/ops_support.py) ----------


@pytest.fixture(scope="session")
def private_stack(tmp_path_factory):
    """A private PostgreSQL server with the tracker migrated, the default data loaded and a
    staff account, plus collected static files for a DEBUG=0 gunicorn. Tests may stop and
    start the server (they must leave it running) and may stream a replica from it."""
    from types import SimpleNamespace

    from tests import ops_support

    pg = ops_support.PrivatePostgres("primary").initdb().start()
    try:
        url = pg.create_database("mandates")
        env = ops_support.production_env(url)
        # Collecting static files takes as long as migrating: cached, or overlapped.
        static_root, collecting = ops_support.cached_static_root(env)
        env["STATIC_ROOT"] = str(static_root)
        ops_support.manage(env, "migrate", "--noinput", "-v", "0")
        ops_support.manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": "ops-password-1"},
            "shell", "-c",
            "from django.core.management import call_command; "
            "call_command('load_default_data'); "
            "call_command('createsuperuser', interactive=False, username='ops-editor', "
            "email='ops@example.org')",
        )  # fmt: skip
        if collecting is not None:
            collecting.wait()
        yield SimpleNamespace(pg=pg, env=env, url=url, staff=("ops-editor", "ops-password-1"))
    finally:
        pg.destroy()
