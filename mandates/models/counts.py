"""Counts of operative paragraphs by status, read from the stored status timeline alone (an
index-only scan at any scale): as of one day, by resolution or organ, and over time. The
methods of `MandateQuerySet` (`ParagraphCounts`), and the one shape every count has
(`empty_counts`)."""

from __future__ import annotations

import datetime

from django.db import connection, connections, models

from .base import ParagraphKind, Status, today
from .compiled import Statement, fetch_all
from .derived import ParagraphOrgan, StatusPeriod

UNTRACKED_KINDS = (ParagraphKind.DECLARATORY, ParagraphKind.CALLS_ON_STATES)


def empty_counts() -> dict:
    """The shape of every count of paragraphs: by status ("pending", "met", "overdue", and
    "tracked", their sum), the paragraphs not tracked by kind ("declaratory",
    "calls_on_states"; "untracked", their sum; a calls-on-states paragraph staff track is
    counted by its status), and "total", all of them."""
    counts = {s.value: 0 for s in Status} | {"tracked": 0, "untracked": 0, "total": 0}
    return counts | {kind.value: 0 for kind in UNTRACKED_KINDS}


def add_to_counts(counts: dict, status: str | None, kind: str, n: int) -> None:
    if status is None:  # not tracked: counted by kind
        counts[kind] += n
        counts["untracked"] += n
    else:
        counts[status] += n
        counts["tracked"] += n
    counts["total"] += n


def _as_date(value) -> datetime.date:
    """A date column read by raw SQL (SQLite gives the text)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


class ParagraphCounts:
    """The counting methods of `MandateQuerySet`."""

    def status_counts(self) -> dict[str, int]:
        """`empty_counts()` filled over an annotated queryset (untracked rows by kind)."""
        counts = empty_counts()
        for row in self.order_by().values("status", "kind").annotate(n=models.Count("pk")):
            add_to_counts(counts, row["status"], row["kind"], row["n"])
        return counts

    def paragraph_counts(
        self, as_of: datetime.date | None = None, by: str | None = None, organ=None
    ):
        """Counts by status as of `as_of` of the operative paragraphs among these mandates
        (sub-paragraphs are rolled up into their paragraph's status, not counted apart), and
        of the paragraphs not tracked, by kind (`empty_counts`).

        Without `by`: that dict. With `by` ("resolution" or "organs"): {resolution or organ
        id: that dict}. Read from the stored status timeline alone (an index-only scan), so it
        stays fast over the whole registry. `organ`: only the paragraphs `addressed_to` that
        organ (read from `ParagraphOrgan`, without touching the paragraphs themselves).
        """
        as_of = as_of or today()
        if by == "organs":
            return self._paragraph_counts_by_organ(as_of)
        group = {None: None, "resolution": "resolution_id"}[by]
        table: dict = {}
        for row in self.paragraph_count_rows(as_of, group, organ):
            entry = table.setdefault(row.get(group), empty_counts())
            add_to_counts(entry, row["status"], row["kind"], row["n"])
        if group is None:
            return table.get(None, empty_counts())
        return table

    def paragraph_count_rows(self, as_of: datetime.date, group: str | None = None, organ=None):
        """The query behind `paragraph_counts`: rows of (group,) status, kind, n, read from the
        status timeline (and `ParagraphOrgan` for an organ) alone."""
        periods = StatusPeriod.objects.filter(
            top_level=True, starts_on__lte=as_of, ends_on__gt=as_of
        ).order_by()
        if self.query.where:
            periods = periods.filter(mandate__in=self.order_by().values("pk"))
        if organ is not None:
            periods = periods.filter(mandate__in=ParagraphOrgan.objects.of(organ))
        fields = ["status", "kind"] if group is None else [group, "status", "kind"]
        # One period per paragraph contains any day (check_status proves it): a plain count.
        return periods.values(*fields).annotate(n=models.Count("*"))  # index-only

    def paragraph_counts_over_time(self, days, organ=None, resolution=None) -> dict:
        """{day: `empty_counts()` filled} for each of `days`: for every day the same numbers as
        `paragraph_counts(day)`, read in one pass over the days the stored timelines change (a
        period counts from its first day until its end). `resolution`: only its paragraphs,
        read from the timeline's own copy of their resolution (no subquery to build)."""
        days = sorted(set(days))
        if not days:
            return {}
        statement = self.counts_over_time_statement(days, organ=organ, resolution=resolution)
        rows = fetch_all(connections[statement.db], statement.sql, statement.params)
        events = [(_as_date(day), *rest) for day, *rest in rows]
        events.sort(key=lambda event: event[0])
        running = empty_counts()
        table, i = {}, 0
        for day in days:
            while i < len(events) and events[i][0] <= day:
                add_to_counts(running, *events[i][1:])
                i += 1
            table[day] = dict(running)
        return table

    def counts_over_time_statement(self, days, organ=None, resolution=None) -> Statement:
        """The statement `paragraph_counts_over_time` runs (for `read_ahead`)."""
        days = sorted(set(days))
        # One statement (the ORM built two, and took longer to build them than PostgreSQL
        # to run them): the periods starting, then those ending, within the days.
        sql = """
            WITH period AS NOT MATERIALIZED (
                SELECT starts_on, ends_on, status, kind FROM mandates_statusperiod
                WHERE top_level AND ends_on > %s AND starts_on <= %s {where}
            )
            SELECT starts_on, status, kind, COUNT(*) FROM period GROUP BY 1, 2, 3
            UNION ALL
            SELECT ends_on, status, kind, -COUNT(*) FROM period WHERE ends_on <= %s
            GROUP BY 1, 2, 3
        """
        where, params = "", [days[0], days[-1]]
        if resolution is not None:
            where, params = " AND resolution_id = %s", [*params, resolution.pk]
        subqueries = []
        if self.query.where:
            subqueries.append(self.order_by().values("pk"))
        if organ is not None:
            subqueries.append(ParagraphOrgan.objects.of(organ))
        for subquery in subqueries:
            inner, inner_params = subquery.query.sql_with_params()
            where += f" AND mandate_id IN ({inner})"
            params += inner_params
        return Statement(self.db, sql.format(where=where), [*params, days[-1]])

    def _paragraph_counts_by_organ(self, as_of: datetime.date) -> dict:
        """{organ id: counts} where an organ "has" an operative paragraph when it, or an organ
        under it, is responsible (lead or supporting, never as report recipient) for the
        paragraph or one of its sub-paragraphs: the rule of `addressed_to`, for every organ in
        one query. Each paragraph counts once per organ, in its rolled-up status."""
        # Each paragraph's period as of D first (one per top-level paragraph, read from the
        # index), hashed, then the ~190,000 pairs at 100,000 mandates probe it and are grouped
        # by organ. OFFSET 0 keeps the subquery apart: flattened, the planner merge-joined in
        # paragraph order after an external sort of the periods (twice as slow). What a
        # paragraph is counted by travels as a small number, not as (status, kind) strings:
        # less to hash and group (a fifth of the query's time). A plain cursor, planned for its
        # date: as a prepared statement, the generic plan was a nested loop, 4x slower.
        classes = [(status, None) for status in Status.values]
        classes += [(None, kind) for kind in ParagraphKind.values]  # not tracked: by kind
        whens, params = [], []
        for number, (status, kind) in enumerate(classes):
            whens.append(
                f"WHEN status {'= %s' if status else 'IS NULL AND kind = %s'} THEN {number}"
            )
            params.append(status or kind)
        params += [as_of, as_of]
        where = ""
        if self.query.where:
            inner, inner_params = self.order_by().values("pk").query.sql_with_params()
            where = f"AND mandates_statusperiod.mandate_id IN ({inner})"
            params += list(inner_params)
        # PostgreSQL's optimisation fence; the embedded SQLite has no OFFSET without LIMIT.
        fence = "OFFSET 0" if connection.vendor == "postgresql" else ""
        sql = f"""
            SELECT po.organ_id, period.class, COUNT(*)
            FROM mandates_paragraphorgan po
            JOIN (
                SELECT mandate_id, CASE {" ".join(whens)} END AS class
                FROM mandates_statusperiod
                WHERE top_level AND starts_on <= %s AND ends_on > %s {where}
                {fence}
            ) period ON period.mandate_id = po.paragraph_id
            GROUP BY po.organ_id, period.class
        """
        table: dict = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for organ_id, number, n in cursor.fetchall():
                status, kind = classes[number]
                add_to_counts(table.setdefault(organ_id, empty_counts()), status, kind, n)
        return table
