"""The default data for tests, loaded once per pytest session and copied in afterwards.

`load_default_data()` costs seconds and ~1,450 queries (per-row saves, history, the status
timeline, citations, the series' import and evidence), and half the suite needs its result.
`default_data()` below runs the real loader the first time, inside the test's transaction,
and captures what it left: the full contents of every table it wrote (PostgreSQL `COPY ... TO
STDOUT`, into memory) and the values of their sequences. Later calls put the same rows back
with `COPY ... FROM STDIN` and move the sequences past them, so rows a test creates get fresh
ids, as after the real loader.

When the copy is exact: the loader's output depends only on
- the rows of the tables it reads or writes: found from PostgreSQL's per-transaction table
  statistics (`pg_stat_xact_user_tables`) while it runs, and fingerprinted (row count and a
  hash of every row) before it runs. A test whose database differs there (organizations
  recreated with new ids after a `transaction=True` test flushed the tables, a test that
  created an organ first) gets a fresh real load, captured under its own fingerprint;
- today's date (deadlines, evidence) and the clock: part of the key; the timestamps the load
  wrote (`created_at`, `updated_at`, history dates, the data version's time) are moved
  together so that the last of them is now: as after a real load, they are older than
  anything the test writes next (history in order) and as far apart as they were;
- the code and the files under fixtures/: fixed for a session (the snapshots live in memory
  only), plus the loader's module settings, which a test could monkeypatch, in the key.
Nothing outside the database is written by the loader (no cache, file or module-level memo;
the page cache is cleared before each test by conftest's `fresh_page_cache`).

Tests of the loader itself (idempotence, its report, the `data` target, subprocesses against
private databases) call `mandates.loading.load_default_data` directly, never this.
"""

from __future__ import annotations

import copy
import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mandates import loading, series
from mandates.loading import LoadReport

# Never captured or fingerprinted: bookkeeping that no loader reads.
IGNORED_TABLES = {"django_migrations"}
TIMESTAMP_TYPES = {"timestamp with time zone", "timestamp without time zone"}


@dataclass
class _Table:
    name: str
    columns: list[str]
    timestamp_columns: list[int]  # positions in `columns` of the ones the clock fills
    data: bytes  # COPY text format
    had_rows: bool  # rows before the load: deleted before the copy goes in


@dataclass
class _Snapshot:
    key_tables: tuple[str, ...]  # the tables read or written, whose rows the key covers
    fingerprint: dict[str, str]
    tables: list[_Table]
    sequences: dict[str, int]  # sequence name -> its last value after the load
    sequences_before: dict[str, int | None]  # ... and before it (None: never used)
    started: datetime.datetime  # the clock around the load: timestamps between them move
    finished: datetime.datetime
    report: LoadReport
    rows: int = 0


@dataclass
class _Stats:
    captures: int = 0
    restores: int = 0
    snapshots: dict[tuple, list[_Snapshot]] = field(default_factory=dict)
    last: _Snapshot | None = None  # the one the last call used (tests/test_snapshot.py)


_state = _Stats()


def default_data(names: list[str] | None = None) -> LoadReport:
    """What `load_default_data(names)` leaves in the database, from a snapshot when one
    matches."""
    if connection.vendor != "postgresql":
        return loading.load_default_data(names)
    key = (tuple(names) if names else None, *_static_key())
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor: COPY is not in Django's API
        candidates = _state.snapshots.setdefault(key, [])
        fingerprints: dict[tuple[str, ...], dict[str, str]] = {}
        for snapshot in candidates:
            if snapshot.key_tables not in fingerprints:
                fingerprints[snapshot.key_tables] = _fingerprint(cursor, snapshot.key_tables)
            if fingerprints[snapshot.key_tables] == snapshot.fingerprint:
                _restore(cursor, snapshot)
                _state.restores += 1
                _state.last = snapshot
                return copy.deepcopy(snapshot.report)
        snapshot = _capture(cursor, names)
        candidates.append(snapshot)
        _state.captures += 1
        _state.last = snapshot
        return copy.deepcopy(snapshot.report)


def _static_key() -> tuple:
    now = timezone.now()
    return (
        connection.settings_dict["NAME"],
        # Status, deadlines and evidence read today's date; the loader's inputs can be
        # monkeypatched by a test.
        datetime.date.today(),
        timezone.localdate(now),
        str(loading.FIXTURES_DIR),
        tuple(loading.DEFAULT_FIXTURES),
        str(series.SERIES_DIR),
        tuple(map(tuple, settings.LANGUAGES)),
        settings.LANGUAGE_CODE,
        settings.TIME_ZONE,
    )


def _user_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT relname FROM pg_stat_xact_user_tables WHERE schemaname = current_schema()"
    )
    return sorted(name for (name,) in cursor.fetchall() if name not in IGNORED_TABLES)


def _fingerprint(cursor, tables) -> dict[str, str]:
    """Each table's row count and a hash of its rows (in a fixed order), in one query."""
    if not tables:
        return {}
    parts = [
        f"SELECT %s, count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
        f" FROM {_quote(name)} t"
        for name in tables
    ]
    cursor.execute(" UNION ALL ".join(parts), list(tables))
    return {name: f"{count}:{digest}" for name, count, digest in cursor.fetchall()}


def _table_stats(cursor) -> dict[str, tuple[int, int]]:
    """Per table, (rows written, scans) so far in this transaction."""
    cursor.execute(
        "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del,"
        " coalesce(seq_scan, 0) + coalesce(idx_scan, 0)"
        " FROM pg_stat_xact_user_tables WHERE schemaname = current_schema()"
    )
    return {name: (written, scans) for name, written, scans in cursor.fetchall()}


def _capture(cursor, names: list[str] | None) -> _Snapshot:
    tables = _user_tables(cursor)
    before = _fingerprint(cursor, tables)
    stats_before = _table_stats(cursor)
    sequences_before = _sequence_values(cursor, tables, include_unused=True)
    started = timezone.now()
    report = loading.load_default_data(names)
    finished = timezone.now()
    stats_after = _table_stats(cursor)

    def delta(name, i):
        return stats_after.get(name, (0, 0))[i] - stats_before.get(name, (0, 0))[i]

    written = [name for name in tables if delta(name, 0)]
    read = [name for name in tables if delta(name, 1)]
    key_tables = tuple(sorted(set(written) | set(read)))
    columns = _columns(cursor, written)
    captured = []
    rows = 0
    for name in written:
        names = [column for column, _type in columns[name]]
        buffer = io.BytesIO()
        with cursor.copy(f"COPY {_quote(name)} ({_column_list(names)}) TO STDOUT") as out:
            for chunk in out:
                buffer.write(chunk)
        data = buffer.getvalue()
        rows += data.count(b"\n")
        captured.append(
            _Table(
                name=name,
                columns=names,
                timestamp_columns=[
                    i for i, (_c, kind) in enumerate(columns[name]) if kind in TIMESTAMP_TYPES
                ],
                data=data,
                had_rows=not before[name].startswith("0:"),
            )
        )
    sequences = _sequence_values(cursor, written)
    return _Snapshot(
        key_tables=key_tables,
        fingerprint={name: before[name] for name in key_tables},
        tables=captured,
        sequences=sequences,
        sequences_before={name: sequences_before.get(name) for name in sequences},
        started=started,
        finished=finished,
        report=copy.deepcopy(report),
        rows=rows,
    )


def _restore(cursor, snapshot: _Snapshot) -> None:
    # Not `now - started`: the last stamps would then lie in the future, after the test's own.
    shift = timezone.now() - snapshot.finished
    # Django's foreign keys are DEFERRABLE: tables go in in any order.
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for table in snapshot.tables:
        if table.had_rows:
            cursor.execute(f"DELETE FROM {_quote(table.name)}")
        data = table.data
        if shift and table.timestamp_columns:
            data = _shifted(data, table.timestamp_columns, snapshot, shift)
        if not data:
            continue
        with cursor.copy(
            f"COPY {_quote(table.name)} ({_column_list(table.columns)}) FROM STDIN"
        ) as into:
            into.write(data)
    if snapshot.sequences:
        names, values = zip(*snapshot.sequences.items(), strict=True)
        # Never backwards: ids already handed out in this session (rolled back) stay used.
        cursor.execute(
            "SELECT setval(s::regclass, GREATEST(v, coalesce(pg_sequence_last_value(s::regclass),"
            " 0))) FROM unnest(%s::text[], %s::bigint[]) AS x(s, v)",
            [list(names), list(values)],
        )


def _shifted(data: bytes, positions: list[int], snapshot: _Snapshot, shift) -> bytes:
    """The rows with each timestamp the load wrote moved by `shift`. In COPY's text format a
    tab inside a value is escaped, so splitting on tabs finds the fields."""
    lines = data.decode().split("\n")
    for n, line in enumerate(lines):
        if not line:
            continue
        fields = line.split("\t")
        for i in positions:
            if fields[i] == r"\N":
                continue
            moment = datetime.datetime.fromisoformat(fields[i])
            if snapshot.started <= moment <= snapshot.finished:
                fields[i] = (moment + shift).isoformat(sep=" ")
        lines[n] = "\t".join(fields)
    return "\n".join(lines).encode()


def _columns(cursor, tables) -> dict[str, list[tuple[str, str]]]:
    cursor.execute(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(%s)"
        " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
        " ORDER BY c.relname, a.attnum",
        [list(tables)],
    )
    columns: dict[str, list[tuple[str, str]]] = {name: [] for name in tables}
    for table, column, kind in cursor.fetchall():
        columns[table].append((column, kind))
    return columns


def _sequence_values(cursor, tables, include_unused=False) -> dict[str, int | None]:
    """The sequences owned by these tables' columns (serial or identity), as they stand."""
    cursor.execute(
        "SELECT s.oid::regclass::text, pg_sequence_last_value(s.oid)"
        " FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
        " JOIN pg_class t ON t.oid = d.refobjid"
        " WHERE d.deptype IN ('a', 'i') AND t.relnamespace = current_schema()::regnamespace"
        " AND t.relname = ANY(%s)",
        [list(tables)],
    )
    return {name: value for name, value in cursor.fetchall() if include_unused or value is not None}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _column_list(names) -> str:
    return ", ".join(_quote(name) for name in names)


def summary() -> str:
    """One line for the end of the session: how often the real loader ran."""
    sizes = [s.rows for group in _state.snapshots.values() for s in group]
    return (
        f"default data: {_state.captures} real load(s), {_state.restores} restored from "
        f"snapshots ({max(sizes, default=0)} rows)"
    )
