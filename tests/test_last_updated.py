"""“Last updated” on a resolution page is the last change to that resolution's data — its
paragraphs, organs, deadlines, progress records and documents, deletions included — not the
time the resolution row itself was loaded."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains

from mandates.models import (
    Deadline,
    Document,
    Mandate,
    ProgressRecord,
    Resolution,
    Responsibility,
)
from tests.factories import SLUG_2289, make_record, mandate_2289

pytestmark = pytest.mark.usefixtures("default_data")

LONG_AGO = timezone.make_aware(datetime.datetime(2010, 3, 4, 12, 0))


def age_everything():
    """As if every row and every history entry had been written on 4 March 2010."""
    for model in (Resolution, Mandate, Responsibility, Deadline, ProgressRecord):
        model.objects.all().update(updated_at=LONG_AGO)
        model.history.all().update(history_date=LONG_AGO)
    Document.history.all().update(history_date=LONG_AGO)


def last_updated(settings) -> str:
    settings.PAGE_CACHE = False
    response = Client().get(f"/resolutions/{SLUG_2289}/")
    text = response.content.decode()
    start = text.index("Last updated")
    return text[start : start + 200]


def written(moment) -> str:
    return date_format(timezone.localtime(moment).date(), "F j, Y")


def test_a_new_progress_record_is_the_last_update(settings):
    age_everything()
    assert written(LONG_AGO) in last_updated(settings)
    make_record(mandate_2289("14"), datetime.date(2008, 4, 29), title="Report")
    assert written(timezone.now()) in last_updated(settings)


def test_a_deleted_deadline_is_the_last_update(settings):
    age_everything()
    mandate_2289("14").deadlines.first().delete()
    assert written(timezone.now()) in last_updated(settings)


def test_another_resolutions_change_is_not(settings):
    age_everything()
    other = Resolution.objects.exclude(slug=SLUG_2289).filter(mandates__isnull=False).first()
    make_record(other.mandates.first(), other.adopted_on, title="Elsewhere")
    assert written(LONG_AGO) in last_updated(settings)
    response = Client().get(f"/resolutions/{SLUG_2289}/")
    assertContains(response, f'<time datetime="{LONG_AGO.isoformat()[:10]}')
