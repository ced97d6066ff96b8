"""Querysets compiled to SQL once per process, then run with other values.

Django builds and compiles a queryset with a few joins and CASE expressions in about a
millisecond: more than PostgreSQL takes to run it for a page of rows, and a page runs several.
A `Compiled` query is built from placeholder values, compiled, and its SQL kept; each run puts
the real values in the placeholders' places in the parameter list. The SQL, the rows and the
model instances (`select_related` included) are those of the queryset built with the real
values (tests/test_compiled.py) — the rules stay written once, in the querysets.

A value the SQL depends on other than as a parameter (a list's length in `IN (…)`, a date
computed from a placeholder) would make the kept SQL wrong: compiling twice with different
placeholders proves it doesn't happen, and refuses the query if it does. Lists go in as one
array (`field__any=[…]`), so their length never shapes the SQL.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import functools
import json
import threading
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.db import connections, models, router
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators


class Any(models.Lookup):
    """`field__any=[1, 2, 3]`: the field equals one of the values, given as one array
    parameter (`= ANY(%s)`), whatever their number."""

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        values = [json.dumps(value) for value in rhs_params]
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", (*lhs_params, *values)


models.Field.register_lookup(Any)
models.ForeignObject.register_lookup(Any)  # foreign keys have lookups of their own


def _placeholder(kind: type, n: int):
    """A value of `kind` that no real query uses, different for each `n`."""
    if kind is datetime.date:
        return datetime.date(1001, 1, 1) + datetime.timedelta(days=n)
    if kind is int:
        return -(10**15) - n
    if kind is str:
        return f"\x00compiled placeholder {n}"
    if kind is list:
        return [-(10**15) - n]
    raise TypeError(f"Compiled queries take date, int, str or list values, not {kind}.")


class _Entry:
    """One database's compiled form of a query."""

    def __init__(self, compiler, sql: str, params: list, slots: list[tuple[int, str]]):
        self.compiler, self.sql, self.params, self.slots = compiler, sql, params, slots
        self.reader = None  # how rows become results (`Compiled._reader`), made on first use


class Compiled:
    """`build(**values)` → queryset, compiled once per database, run as `compiled(**values)`.

    `kinds` names the values and their types: `Compiled(build, as_of=datetime.date,
    ids=list)`. A run returns what listing the queryset would: model instances, or dicts for
    `.values()`. Only PostgreSQL keeps compiled SQL (the embedded SQLite builds each time).
    """

    def __init__(self, build: Callable[..., models.QuerySet], **kinds: type):
        self.build, self.kinds = build, kinds
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def __call__(self, *, using: str | None = None, **values) -> list:
        """The rows, read from `using` (default: where the router sends reads)."""
        db = self._db(using, values)
        connection = connections[db]
        if connection.vendor != "postgresql":
            return list(self.build(**values).using(db))
        entry = self._entries.get(db) or self._compile(db)
        params = _filled(entry, values)
        compiler = _connection_compiler(entry, connection, db)
        rows = fetch_all(connection, entry.sql, params)
        return self._results(compiler, rows, db, entry)

    def statement(self, *, using: str | None = None, **values) -> Statement | None:
        """What calling it with these values would send (for `read_ahead`); None where the
        database keeps no compiled SQL (the embedded SQLite)."""
        db = self._db(using, values)
        if connections[db].vendor != "postgresql":
            return None
        entry = self._entries.get(db) or self._compile(db)
        return Statement(db, entry.sql, _filled(entry, values))

    def _db(self, using: str | None, values: dict) -> str:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"Expected values for {sorted(self.kinds)}, got {sorted(values)}.")
        return using or router.db_for_read(self._model()) or "default"

    def sql(self, db: str = "default") -> tuple[str, list]:
        """The kept SQL and parameter list, placeholders in (for tests and EXPLAIN)."""
        entry = self._entries.get(db) or self._compile(db)
        return entry.sql, list(entry.params)

    def sql_slots(self, db: str = "default") -> list[tuple[int, str]]:
        """Where each value goes in the parameter list: (position, name)."""
        entry = self._entries.get(db) or self._compile(db)
        return list(entry.slots)

    def _model(self):
        model = getattr(self, "_model_cls", None)
        if model is None:
            model = self._model_cls = self.build(**self._placeholders(0)).model
        return model

    def _placeholders(self, offset: int) -> dict:
        kinds = enumerate(self.kinds.items())
        return {name: _placeholder(kind, offset + i) for i, (name, kind) in kinds}

    def _compile_with(self, db: str, offset: int):
        placeholders = self._placeholders(offset)
        queryset = self.build(**placeholders)
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        return queryset, compiler, sql, list(params), placeholders

    def _compile(self, db: str) -> _Entry:
        with self._lock:
            if db in self._entries:
                return self._entries[db]
            queryset, compiler, sql, params, first = self._compile_with(db, 0)
            _, _, sql_again, params_again, second = self._compile_with(db, 1000)
            if sql != sql_again or len(params) != len(params_again):
                raise ValueError("The query's SQL depends on its values: it cannot be kept.")
            names = {_key(value): name for name, value in first.items()}
            slots = []
            for index, (one, other) in enumerate(zip(params, params_again, strict=True)):
                name = names.get(_key(one))
                if name is not None and _key(other) == _key(second[name]):
                    slots.append((index, name))
                elif _key(one) != _key(other):
                    raise ValueError(
                        f"Parameter {index} of the query is computed from a value: it cannot "
                        "be kept (pass what it is computed from as it is used)."
                    )
            missing = set(self.kinds) - {name for _, name in slots}
            if missing:
                raise ValueError(f"The query never uses {sorted(missing)}.")
            compiler.iterable_class = queryset._iterable_class
            entry = self._entries[db] = _Entry(compiler, sql, params, slots)
            return entry

    def _results(self, compiler, rows: list, db: str, entry: _Entry) -> list:
        reader = entry.reader
        if reader is None:
            reader = entry.reader = self._reader(compiler, db)
        # Converters are read per connection (a backend's are its own methods).
        converters = connection_converters(compiler, reader)
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        if reader.names is not None:
            names = reader.names
            return [dict(zip(names, row, strict=True)) for row in rows]
        model_cls, init_list, start, end = reader.model, reader.init_list, reader.start, reader.end
        populators, annotations = reader.populators, reader.annotations
        objects = []
        for row in rows:
            obj = model_cls.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _reader(self, compiler, db: str) -> _Reader:
        """What turns this query's rows into results, worked out once: the columns, and the
        model, fields and related populators (`ModelIterable`'s), or the `.values()` names."""
        reader = _Reader()
        reader.fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if compiler.iterable_class is ValuesIterable:
            query = compiler.query
            names = list(query.selected or ())
            names = names or [*query.extra_select, *query.values_select, *query.annotation_select]
            reader.names = names
            return reader
        if compiler.iterable_class is not ModelIterable:
            raise TypeError("Compiled queries return model instances or .values() dicts.")
        select, klass_info = compiler.select, compiler.klass_info
        select_fields = klass_info["select_fields"]
        reader.model = klass_info["model"]
        reader.start, reader.end = select_fields[0], select_fields[-1] + 1
        reader.init_list = [
            column[0].target.attname for column in select[reader.start : reader.end]
        ]
        reader.populators = get_related_populators(klass_info, select, db)
        reader.annotations = list(compiler.annotation_col_map.items())
        return reader


def _filled(entry: _Entry, values: dict) -> list:
    params = list(entry.params)
    for index, name in entry.slots:
        params[index] = values[name]
    return params


class _Reader:
    names = None  # `.values()` keys, else model instances
    fields = model = init_list = start = end = populators = annotations = None


def _connection_compiler(entry: _Entry, connection, db: str):
    """The entry's compiler for `connection` (one per thread), made once: what turns its rows
    into results reads the connection's converters."""
    known = connection.__dict__.setdefault("_compiled_compilers", {})
    compiler = known.get(entry)
    if compiler is None:
        compiler = known[entry] = copy.copy(entry.compiler)
        compiler.connection, compiler.using = connection, db
    return compiler


def connection_converters(compiler, reader: _Reader) -> dict:
    """`compiler.get_converters(reader.fields)`, remembered on its connection (one per
    thread), for as long as the reader's query is kept."""
    known = compiler.connection.__dict__.setdefault("_compiled_converters", {})
    if reader not in known:
        known[reader] = compiler.get_converters(reader.fields)
    return known[reader]


@functools.cache
def _preparing_cursors():
    # Imported on first use: the embedded SQLite never needs the PostgreSQL backend.
    from django.db.backends.postgresql.base import ServerBindingCursor

    class Preparing(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    class PreparingLogged(Preparing):
        """When queries are logged (DEBUG, tests): a prepared execution leaves no query
        text for Django's log to read; keep it."""

        def execute(self, query, params=None, **options):
            super().execute(query, params, **options)
            if self._query is None:
                self._query = self._convert_query(query, params)
            return self

    return Preparing, PreparingLogged


def prepared_cursor(connection):
    """A cursor of `connection` whose statements PostgreSQL parses and plans once per
    connection, then only executes: kept SQL is the same text on every request, and planning
    it again was most of what PostgreSQL spent on a page's queries. Wrapped like any Django
    cursor (errors, query logging, execute wrappers). Elsewhere a plain cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    connection.ensure_connection()
    with connection.wrap_database_errors:
        preparing, logged = _preparing_cursors()
        cursor = (logged if connection.queries_logged else preparing)(connection.connection)
        # As Django's own cursors: timestamps in the connection's time zone.
        loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if connection.timezone != loader.timezone:
            register_tzloader(connection.timezone, cursor)
    return connection._prepare_cursor(cursor)


# ------------------------------------------------------------------------------------------
# Statements sent together
# ------------------------------------------------------------------------------------------


class Statement(NamedTuple):
    """A statement a page will run: the database alias, the SQL and its parameters."""

    db: str
    sql: str
    params: list


def _statement_key(sql: str, params: list) -> tuple:
    return (sql, *(_key(value) for value in params))


def fetch_all(connection, sql: str, params: list) -> list[tuple]:
    """The rows of a prepared statement: those `read_ahead` already read for it, else read
    now."""
    ahead = connection.__dict__.get("_read_ahead")
    if ahead:
        rows = ahead.pop(_statement_key(sql, params), None)
        if rows is not None:
            return rows
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextlib.contextmanager
def read_ahead(statements: Iterable[Statement | None]):
    """Statements a page is about to run, independent of one another, sent to PostgreSQL
    together (one pipeline: one round trip and one snapshot, where each alone waits for the
    last); within the block, running one of them (`fetch_all`: a `Compiled` call) takes the
    rows already read, once. The same statements and rows: only when they travel changes.
    For reads before any write (a page); elsewhere, and alone, each runs when it is called."""
    by_db: dict[str, dict[tuple, Statement]] = {}
    for statement in statements:
        if statement is not None:
            key = _statement_key(statement.sql, statement.params)
            by_db.setdefault(statement.db, {})[key] = statement
    added = []
    try:
        for db, group in by_db.items():
            connection = connections[db]
            if connection.vendor != "postgresql":
                continue
            memo = connection.__dict__.setdefault("_read_ahead", {})
            keys = [key for key in group if key not in memo]  # not those already read ahead
            if len(keys) < 2:
                continue
            found = _run_together(connection, [group[key] for key in keys])
            for key, rows in zip(keys, found, strict=True):
                memo[key] = rows
                added.append((memo, key))
        yield
    finally:
        for memo, key in added:
            memo.pop(key, None)


def _run_together(connection, group: list[Statement]) -> list[list[tuple]]:
    connection.ensure_connection()
    cursors = []
    with connection.wrap_database_errors:
        with connection.connection.pipeline():
            for statement in group:
                cursor = prepared_cursor(connection)
                cursor.execute(statement.sql, statement.params)
                cursors.append(cursor)
        # Leaving the pipeline sent its end (Sync) after the statements and read every
        # result: one round trip. (Reading a result inside it first would cost a second.)
        results = [cursor.fetchall() for cursor in cursors]
    for cursor in cursors:
        cursor.close()
    return results


def _key(value):
    """Placeholders compared by value and type (a list is not hashable)."""
    return (type(value), tuple(value) if isinstance(value, list) else value)
