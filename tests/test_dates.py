"""Dates as each language writes them (issue 13, point 4): French writes the first day of a
month as an ordinal, "1er juin 2008", and every other day as a number, "2 juin 2008"; pages,
PDFs and Python code all go through `mandates.dates.format_date`."""

import datetime

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from mandates.dates import format_date

from .factories import SLUG_2289
from .test_pdf import flat, get_pdf, pdf_text

D = datetime.date
TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "language, day, pattern, written",
    [
        ("fr", D(2008, 6, 1), "DATE_FORMAT", "1er juin 2008"),
        ("fr", D(2008, 6, 2), "DATE_FORMAT", "2 juin 2008"),
        ("fr", D(2008, 6, 11), "DATE_FORMAT", "11 juin 2008"),
        ("fr", D(2008, 6, 21), "DATE_FORMAT", "21 juin 2008"),
        ("fr", D(2008, 6, 1), "SHORT_DATE_FORMAT", "1er juin 2008"),
        ("fr", D(2008, 6, 1), "YEAR_MONTH_FORMAT", "juin 2008"),
        ("fr", D(2008, 6, 1), "Y-m-d", "2008-06-01"),  # a literal pattern is left alone
        ("fr", datetime.datetime(2008, 6, 1, 9, 30), "DATETIME_FORMAT", "1er juin 2008, 09:30 EDT"),
        ("en", D(2008, 6, 1), "DATE_FORMAT", "June 1, 2008"),
        ("es", D(2008, 6, 1), "DATE_FORMAT", "1 de junio de 2008"),
        ("pt", D(2008, 6, 1), "DATE_FORMAT", "1 de junho de 2008"),
    ],
)
def test_day_one_in_each_language(language, day, pattern, written):
    with translation.override(language):
        assert format_date(day, pattern) == written


def test_the_date_filter_writes_day_one_in_french():
    template = Template('{{ first|date:"DATE_FORMAT" }} · {{ second|date:"DATE_FORMAT" }}')
    with translation.override("fr"):
        html = template.render(Context({"first": D(2008, 6, 1), "second": D(2008, 6, 2)}))
    assert html == "1er juin 2008 · 2 juin 2008"


@pytest.fixture
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_french_pages_and_pdfs_write_the_first_of_june(client, default_data, frozen_today):
    # ¶20.c of AG/RES. 2289 missed its deadline of June 1, 2008.
    html = client.get(f"/fr/resolutions/{SLUG_2289}/").content.decode()
    assert "1er juin 2008" in html
    assert "1 juin 2008" not in html
    text = flat(pdf_text(get_pdf(client, f"/fr/resolutions/{SLUG_2289}/summary.pdf")))
    assert flat("1er juin 2008") in text
    assert flat(" 1 juin 2008") not in text
    english = client.get(f"/resolutions/{SLUG_2289}/").content.decode()
    assert "June 1, 2008" in english
