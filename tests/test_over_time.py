"""Status over time (issue 14, point 5): month-by-month counts read from the status timeline
equal the counts of each day computed the usual way; the chart and its table on the pages;
/changes/?since= lists the paragraphs whose status changed and the progress recorded."""

import datetime
import html
import re

import pytest

from mandates.charts import sample_days
from mandates.models import Mandate, Organ, Resolution
from tests import snapshot

from .factories import SLUG_2289, deadline_of, make_record, mandate_2289

D = datetime.date


@pytest.fixture
def data(db):
    snapshot.default_data()
    make_record(mandate_2289("14"), D(2008, 9, 15), fulfils=[deadline_of("14", "2008")])
    make_record(mandate_2289("20.a"), D(2009, 3, 2), title="Report on 20.a")


def test_sample_days_are_month_starts_then_the_last_day():
    days = sample_days(D(2007, 6, 5), D(2008, 1, 20))
    assert days == [D(2007, m, 1) for m in range(7, 13)] + [D(2008, 1, 1), D(2008, 1, 20)]
    long = sample_days(D(1990, 1, 1), D(2026, 11, 30))
    assert len(long) <= 61 and long[-1] == D(2026, 11, 30)
    assert sample_days(D(2010, 1, 1), D(2009, 1, 1)) == [D(2009, 1, 1)]


def test_counts_over_time_equal_each_days_counts(data):
    resolution = Mandate.objects.filter(resolution__slug=SLUG_2289)
    pc = Organ.objects.get(acronym="PC")
    days = sample_days(D(2007, 6, 5), D(2011, 3, 15)) + [D(2008, 7, 1), D(2008, 9, 15)]
    scopes = [(None, Mandate.objects.all()), (None, resolution), (pc, Mandate.objects.all())]
    for organ, queryset in scopes:
        table = queryset.paragraph_counts_over_time(days, organ=organ)
        for day in days:
            assert table[day] == queryset.paragraph_counts(day, organ=organ), (organ, day)
    # A resolution's chart reads the timeline's copy of the resolution: the same numbers.
    one = Resolution.objects.get(slug=SLUG_2289)
    assert Mandate.objects.paragraph_counts_over_time(days, resolution=one) == (
        resolution.paragraph_counts_over_time(days)
    )


def test_resolution_page_draws_the_chart_with_its_table(client, data):
    page = client.get(f"/resolutions/{SLUG_2289}/", {"as_of": "2010-01-01"}).content.decode()
    assert "<svg" in page and "Operative paragraphs met, pending and overdue" in page
    assert 'class="bar-overdue"' in page
    # The table's last row is the as-of date, with the page's own counts.
    rows = re.findall(r'<tr><th scope="row"><time datetime="([\d-]+)">.*?</time></th>'
                      r"<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", page)  # fmt: skip
    assert rows[0][0] == "2007-07-01" and rows[-1][0] == "2010-01-01"
    counts = Mandate.objects.filter(resolution__slug=SLUG_2289).paragraph_counts(D(2010, 1, 1))
    assert rows[-1][1:] == (str(counts["met"]), str(counts["pending"]), str(counts["overdue"]))


def test_over_time_page_for_the_registry_and_an_organ(client, data):
    page = client.get("/over-time/", {"as_of": "2009-06-30"}).content.decode()
    assert "Status over time" in page and "<svg" in page
    organ = client.get("/over-time/", {"organ": "PC"}).content.decode()
    assert "Permanent Council" in organ and "<svg" in organ
    bad = client.get("/over-time/", {"organ": "NOPE"})
    assert bad.status_code == 400
    assert "There is no organ with the acronym “NOPE”." in bad.content.decode()


def test_changes_lists_changes_of_status_and_progress(client, data):
    page = client.get("/changes/", {"since": "2008-06-01", "as_of": "2008-12-31"}).content.decode()
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    # ¶15, ¶20 and ¶23 fell overdue on 2 June 2008 (due at the thirty-eighth regular
    # session); ¶14 on 1 July 2008, pending again on 15 September 2008 (its 2008 meeting
    # held late, the 2009 one still ahead).
    assert "changes of status" in text
    for label in ["¶ 15", "¶ 20", "¶ 23"]:
        assert f"AG/RES. 2289 (XXXVII-O/07) {label} ○ Pending ⚠ Overdue" in text
    assert "¶ 14 ⚠ Overdue ○ Pending" in text
    assert "¶ 14 ○ Pending ⚠ Overdue" in text
    assert "1 progress record" in text and "Report presented" in text
    # A period that starts only because the explaining deadline changed is no change.
    assert text.count("⚠ Overdue ⚠ Overdue") == 0


@pytest.mark.parametrize(
    "params,message",
    [
        ({"since": "2008-13-01"}, "“since” must be a real date written YYYY-MM-DD."),
        ({"since": "2009-01-01", "as_of": "2008-01-01"}, "“since” must be before"),
    ],
)
def test_changes_refuses_bad_dates(client, db, params, message):
    response = client.get("/changes/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_resolution_summary_pdf_has_the_chart(client, data):
    from .test_pdf import get_pdf, pdf_text

    text = pdf_text(get_pdf(client, f"/resolutions/{SLUG_2289}/summary.pdf?as_of=2010-01-01"))
    flat = " ".join(text.split())
    assert "Status over time," in flat and "at the start of each month" in flat
    assert "2008" in flat  # a year on the chart's axis
