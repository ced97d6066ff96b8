"""Status over time: the days a chart samples and the geometry of a server-side SVG chart
(stacked columns of met, pending and overdue operative paragraphs), so that templates only
draw what is computed here. The numbers come from `MandateQuerySet.paragraph_counts_over_time`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html import escape  # Django's escape is this, behind a lazy-string check

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from .dates import format_date
from .models import Status

# Bottom to top: met, then pending, then overdue on top where the eye lands first. Colours
# as the status labels (static/css/site.css); written on the shapes for the PDF as well.
STACK = (Status.MET, Status.PENDING, Status.OVERDUE)
FILL = {Status.MET: "#1d6b36", Status.PENDING: "#c99a00", Status.OVERDUE: "#a61b1b"}
WIDTH, HEIGHT, AXIS = 640, 180, 18
MAX_POINTS = 60


def sample_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of each month from `start`'s next month up to `end`, then `end` itself;
    every 3rd, 6th or 12th month when that would make more than MAX_POINTS columns."""
    if end < start:
        return [end]
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((s for s in (1, 3, 6, 12, 24, 60) if months / s <= MAX_POINTS), 120)
    days, n = [], step
    while n <= months:
        year, month = divmod(start.month - 1 + n, 12)
        days.append(datetime.date(start.year + year, month + 1, 1))
        n += step
    if not days or days[-1] != end:
        days.append(end)
    return days


@dataclass
class Chart:
    rows: list[dict]  # {"day", "pending", "met", "overdue", "total"} in date order
    width: int = WIDTH
    height: int = HEIGHT + AXIS
    bars: list[dict] = field(default_factory=list)
    ticks: list[dict] = field(default_factory=list)
    first: datetime.date | None = None
    last: datetime.date | None = None
    label_y: int = HEIGHT + AXIS - 4
    bars_height: int = HEIGHT

    def __post_init__(self):
        if not self.rows:
            return
        self.first, self.last = self.rows[0]["day"], self.rows[-1]["day"]
        top = max(row["total"] for row in self.rows) or 1
        slot = WIDTH / len(self.rows)
        bar = max(slot * 0.8, 1)
        year = None
        for i, row in enumerate(self.rows):
            x, base = i * slot, HEIGHT
            for status in STACK:
                h = row[status] * HEIGHT / top
                if h:
                    self.bars.append(
                        {"status": status.value, "fill": FILL[status], "x": f"{x:.1f}",
                         "y": f"{base - h:.1f}", "width": f"{bar:.1f}", "height": f"{h:.1f}"}
                    )  # fmt: skip
                base -= h
            if row["day"].year != year and (i == 0 or row["day"].month <= 3 or slot > 20):
                year = row["day"].year
                self.ticks.append(
                    {"x": f"{x:.1f}", "percent": f"{x * 100 / WIDTH:.2f}", "label": str(year)}
                )
        # A year's label needs four characters' room: none cut at the right edge, and every
        # other one kept until they no longer overlap.
        self.ticks = [tick for tick in self.ticks if float(tick["x"]) <= WIDTH - 30]
        while len(self.ticks) > 1 and WIDTH / len(self.ticks) < 36:
            self.ticks = self.ticks[::2]

    # The columns and the table's rows as markup, written here once: as template loops they
    # were hundreds of lookups, a good part of a resolution page's rendering. Plain string
    # building (format_html_join escaped every number): only the dates are text to escape.
    @property
    def bars_svg(self) -> SafeString:
        return mark_safe(  # noqa: S308 -- numbers and the fixed FILL colours only
            "".join(
                f'<rect class="bar-{b["status"]}" fill="{b["fill"]}" x="{b["x"]}" y="{b["y"]}" '
                f'width="{b["width"]}" height="{b["height"]}"/>'
                for b in self.bars
            )
        )

    @property
    def table_rows_html(self) -> SafeString:
        """The rows of "The numbers, as a table" (dates in the active language)."""
        numbers: dict[int, str] = {}  # a few distinct counts, each localized once

        def number(n: int) -> str:
            if n not in numbers:
                numbers[n] = escape(localize(n))
            return numbers[n]

        return mark_safe(  # noqa: S308 -- every text escaped
            "".join(
                f'<tr><th scope="row"><time datetime="{row["day"].isoformat()}">'
                f"{escape(format_date(row['day'], 'DATE_FORMAT'))}</time></th>"
                f"<td>{number(row['met'])}</td><td>{number(row['pending'])}</td>"
                f"<td>{number(row['overdue'])}</td></tr>"
                for row in self.rows
            )
        )

    def counts_on(self, day: datetime.date) -> dict | None:
        """The counts of a sampled day (`empty_counts()` shape): the same numbers as
        `paragraph_counts(day)` (tests/test_over_time.py), so a page that shows both asks once."""
        for row in reversed(self.rows):
            if row["day"] == day:
                return {key: value for key, value in row.items() if key != "day"}
        return None

    @property
    def period_label(self) -> str:
        return f"{format_date(self.first)} – {format_date(self.last)}" if self.rows else ""


def status_chart(
    queryset, start: datetime.date, end: datetime.date, organ=None, resolution=None
) -> Chart:
    """The chart of these paragraphs' statuses from `start` (e.g. the adoption date) to `end`
    (`organ`, `resolution`: of its paragraphs only)."""
    days = sample_days(start, end)
    table = queryset.paragraph_counts_over_time(days, organ=organ, resolution=resolution)
    return Chart([dict(table[day], day=day) for day in days])


def status_chart_statement(
    queryset, start: datetime.date, end: datetime.date, organ=None, resolution=None
):
    """The statement `status_chart` runs (for `read_ahead`)."""
    days = sample_days(start, end)
    return queryset.counts_over_time_statement(days, organ=organ, resolution=resolution)
