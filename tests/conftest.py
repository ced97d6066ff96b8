import os

import pytest

from mandates.loading import load_default_data

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous, so Django's async-safety guard would be a false alarm.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SLUG_2289 = "ag-res-2289-xxxvii-o-07"


@pytest.fixture
def default_data(db):
    """The organ directory, GA sessions, AG/RES. 2289 and the Santiago plan, as `make run`
    loads them."""
    load_default_data()


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
