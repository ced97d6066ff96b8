"""Writing the synthetic corpus (`mandates.corpus`) fast: COPY on PostgreSQL, executemany
elsewhere, ids allocated up front, no per-row signals (so no history rows either).

Callers run all of this inside one transaction.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, models
from django.utils import timezone

from .corpus import SOURCE_PREFIX, extra_organ_rows, session_rows
from .loading import read_fixture
from .models import (
    Deadline,
    Mandate,
    Organ,
    ProgressRecord,
    Resolution,
    Responsibility,
    Session,
)

FULFILS = ProgressRecord.fulfils.through

# Table key (as used by mandates.corpus) -> model and the fields the generator fills, in the
# order of its tuples. Any other column a later version adds gets its field's default.
TABLES = {
    "resolution": (
        Resolution,
        ["id", "version", "updated_at", "kind", "symbol", "title", "slug", "session",
         "adopted_on", "adoption_note", "preamble", "source"],
    ),
    "mandate": (
        Mandate,
        ["id", "version", "updated_at", "resolution", "parent", "label", "order", "text",
         "kind", "track_status"],
    ),
    "responsibility": (Responsibility, ["id", "mandate", "organ", "role", "order"]),
    "deadline": (
        Deadline,
        ["id", "version", "updated_at", "mandate", "wording", "due_on", "session", "order"],
    ),
    "record": (
        ProgressRecord,
        ["id", "version", "updated_at", "mandate", "date", "date_precision", "kind", "title",
         "summary", "document_symbol", "url", "completes_mandate", "created_by", "created_at"],
    ),
    "fulfils": (FULFILS, ["id", "progressrecord", "deadline"]),
}  # fmt: skip


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def generated_resolutions():
    return Resolution.objects.filter(source__startswith=SOURCE_PREFIX)


def foreign_data_counts() -> tuple[int, int]:
    """(resolutions, mandates) in the database that the generator did not make."""
    resolutions = Resolution.objects.exclude(source__startswith=SOURCE_PREFIX)
    mandates = Mandate.objects.exclude(resolution__source__startswith=SOURCE_PREFIX)
    return resolutions.count(), mandates.count()


def ensure_organs() -> dict[str, int]:
    """The real directory (fixtures/organs.json) completed with generated organs; existing
    organs are kept as they are. Returns {key: id}."""
    rows = read_fixture("organs.json") + extra_organ_rows()
    existing = set(Organ.objects.values_list("key", flat=True))
    missing = [row for row in rows if row["acronym"] not in existing]
    Organ.objects.bulk_create(
        Organ(
            acronym=row["acronym"],
            key=row["acronym"],
            name=row["name"],
            kind=row.get("kind", Organ.Kind.ORGAN),
            aliases="\n".join(row.get("aliases", [])),
        )
        for row in missing
    )
    ids = dict(Organ.objects.values_list("key", "id"))
    for row in missing:
        if row.get("parent") in ids:
            Organ.objects.filter(pk=ids[row["acronym"]]).update(parent_id=ids[row["parent"]])
    return ids


def ensure_sessions() -> dict[int, tuple]:
    """Regular sessions the corpus anchors to; existing ones (with their dates) are kept.
    Returns {ordinal: (id, opening date)}."""
    existing = set(
        Session.objects.filter(kind=Session.Kind.REGULAR).values_list("ordinal", flat=True)
    )
    Session.objects.bulk_create(
        Session(kind=Session.Kind.REGULAR, **row)
        for row in session_rows()
        if row["ordinal"] not in existing
    )
    return {
        ordinal: (pk, start)
        for ordinal, pk, start in Session.objects.filter(kind=Session.Kind.REGULAR).values_list(
            "ordinal", "id", "start_date"
        )
    }


def lock_tables() -> None:
    """Keep other writers out while ids are allocated by hand (readers are not blocked)."""
    if is_postgresql():
        tables = ", ".join(_quote(model._meta.db_table) for model, _ in TABLES.values())
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


@contextmanager
def foreign_keys_checked_once():
    """Check the written tables' foreign keys with one query per constraint at the end, as
    pg_restore does, instead of one deferred check per row at commit (which took longer than
    writing the rows). The constraints are dropped and re-added inside the transaction: if
    anything fails they come back with the rollback."""
    if not is_postgresql():
        yield
        return
    tables = [model._meta.db_table for model, _ in TABLES.values()]
    with connection.cursor() as cursor:
        # Run the checks queued so far (deletions, organs): ALTER TABLE refuses pending ones.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        constraints = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_quote(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {_quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def analyze() -> None:
    """Fresh planner statistics for the tables just filled (run after the commit): the COPYed
    facts and the data derived from them (status timeline, deadlines' due dates, organ paths).
    Without them the planner takes 35,000 current periods for 16 rows and nests loops."""
    if is_postgresql():
        with connection.cursor() as cursor:
            # VACUUM too (outside a transaction only): it sets the visibility map, without
            # which the index-only scans of counts and lists fetch every row from the table.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def first_free_ids() -> dict[str, int]:
    bases = {}
    with connection.cursor() as cursor:
        for key, (model, _fields) in TABLES.items():
            table = _quote(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            bases[key] = cursor.fetchone()[0] + 1
            if is_postgresql():
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
                bases[key] = max(bases[key], cursor.fetchone()[0])
    return bases


def reset_sequences() -> None:
    """Move each id sequence past the ids written by hand."""
    if not is_postgresql():
        return  # SQLite's AUTOINCREMENT follows the largest id by itself
    with connection.cursor() as cursor:
        for model, _fields in TABLES.values():
            table = _quote(model._meta.db_table)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f"GREATEST((SELECT MAX(id) FROM {table}), 1))",
                [table],
            )


def _default(field):
    """A column the generator does not fill: the field's default; "now" for timestamps that
    Django sets on save (auto_now), which have none."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


def write_rows(key: str, rows: list[tuple]) -> None:
    model, field_names = TABLES[key]
    fields = [model._meta.get_field(name) for name in field_names]
    others = [f for f in model._meta.concrete_fields if f not in fields]
    columns = [f.column for f in fields + others]
    defaults = tuple(f.get_db_prep_save(_default(f), connection) for f in others)
    table = _quote(model._meta.db_table)
    column_list = ", ".join(_quote(c) for c in columns)
    with connection.cursor() as cursor:
        if is_postgresql():
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + defaults if defaults else row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({marks})"
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, [row + defaults for row in rows[start : start + 5000]])


def delete_generated() -> int:
    """Delete the generated resolutions and everything that hangs off them, in SQL: the ORM
    would load every row and write a history row for each deletion. Tables added later that
    point at these rows are followed through the models' relations. Returns the count."""
    ids_sql = f"SELECT id FROM {_quote(Resolution._meta.db_table)} WHERE source LIKE %s"
    params = [SOURCE_PREFIX + "%"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({ids_sql}) AS generated", params)
        count = cursor.fetchone()[0]
        if count and is_postgresql() and foreign_data_counts() == (0, 0):
            # Only generated data: emptying the tables is much faster than deleting 100,000
            # rows and leaves no dead rows behind to slow down the COPY that follows. CASCADE
            # empties what refers to these rows (derived status, reminders sent, agendas).
            tables = ", ".join(_quote(model._meta.db_table) for model, _ in TABLES.values())
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        elif count:
            _delete_cascade(cursor, Resolution, ids_sql, params)
    return count


def _delete_cascade(cursor, model, ids_sql: str, params: list, depth: int = 0) -> None:
    """Delete the rows of `model` whose ids `ids_sql` selects, children first."""
    table = _quote(model._meta.db_table)
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete) or not relation.one_to_many:
            continue  # only reverse foreign keys (M2M tables appear as their own foreign keys)
        on_delete = relation.on_delete
        if on_delete is models.DO_NOTHING:
            continue  # a join without a column of its own (citations met by symbol)
        child = relation.related_model
        child_table = _quote(child._meta.db_table)
        column = _quote(relation.field.column)
        where = f"{column} IN ({ids_sql})"
        if on_delete is models.CASCADE:
            if child is model:
                continue  # self-reference (sub-paragraphs): deleted with their parents below
            child_ids = f"SELECT id FROM {child_table} WHERE {where}"
            _delete_cascade(cursor, child, child_ids, params, depth + 1)
        elif on_delete is models.SET_NULL:
            cursor.execute(f"UPDATE {child_table} SET {column} = NULL WHERE {where}", params)
        elif on_delete is models.PROTECT:
            cursor.execute(f"SELECT COUNT(*) FROM {child_table} WHERE {where}", params)
            if cursor.fetchone()[0]:
                raise models.ProtectedError(
                    f"{child._meta.verbose_name_plural} refer to generated rows", set()
                )
    cursor.execute(f"DELETE FROM {table} WHERE id IN ({ids_sql})", params)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def taken_symbols() -> set[str]:
    """Symbols and slugs already used, which generated resolutions must not repeat."""
    taken = set()
    for symbol, slug in Resolution.objects.values_list("symbol", "slug"):
        taken.update({symbol, slug})
    return taken
