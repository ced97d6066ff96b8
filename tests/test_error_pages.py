"""The site's own 404 and 500 pages, also with DEBUG on as `make run` serves them."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db


class Crash:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise ZeroDivisionError("a bug")


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_address_gets_the_sites_404_page(settings, debug):
    settings.DEBUG = debug
    response = Client().get("/no-such-page/")
    assertContains(response, "There is nothing at this address.", status_code=404)
    assertContains(response, "Browse the resolutions", status_code=404)
    assertNotContains(response, "Using the URLconf", status_code=404)


def test_a_missing_object_gets_the_sites_404_page_with_its_reason(settings):
    settings.DEBUG = True
    response = Client().get("/resolutions/no-such-resolution/")
    assert response.status_code == 404
    assertContains(response, "Browse the resolutions", status_code=404)
    assertNotContains(response, "technical_404", status_code=404)
    assertNotContains(response, "Django tried these URL patterns", status_code=404)


@pytest.mark.parametrize("debug", [True, False])
def test_a_crash_gets_the_sites_500_page(settings, debug):
    settings.DEBUG = debug
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_error_pages.Crash"]
    response = Client(raise_request_exception=False).get("/organs/")
    assertContains(response, "Something went wrong on our side", status_code=500)
    assertNotContains(response, "ZeroDivisionError", status_code=500)


def test_site_error_pages_off_gives_djangos_debug_pages(settings):
    settings.DEBUG = True
    settings.SITE_ERROR_PAGES = False
    assertContains(Client().get("/no-such-page/"), "Using the URLconf", status_code=404)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_error_pages.Crash"]
    response = Client(raise_request_exception=False).get("/organs/")
    assertContains(response, "ZeroDivisionError", status_code=500)
