"""The `default_data` fixture's snapshot (tests/snapshot.py) gives the tests exactly what the
real loader gives them: the same rows in every table, with the same ids, the derived tables
(status timeline, ParagraphOrgan, search vectors, citations, history, data version) included."""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from mandates.loading import ensure_organizations, load_default_data
from mandates.models import DataVersion, Mandate, Organ, Organization, ProgressRecord
from tests import snapshot

pytestmark = pytest.mark.django_db

MASKED = "<timestamp>"


def dump() -> dict[str, list[tuple]]:
    """Every row of every table, timestamps masked (the clock moves between two loads)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema()"
            " AND relname <> 'django_migrations'"
        )
        tables = sorted(name for (name,) in cursor.fetchall())
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(
                (
                    tuple(MASKED if isinstance(v, datetime.datetime) else v for v in row)
                    for row in cursor.fetchall()
                ),
                key=repr,
            )
    return rows


def dump_after(load) -> dict[str, list[tuple]]:
    """The database after `load`, which is then undone."""
    with transaction.atomic():
        load()
        rows = dump()
        transaction.set_rollback(True)
    return rows


def rewind_sequences(values: dict[str, int | None]) -> None:
    """Sequences as they stood before the snapshot's own load, so the real loader hands out
    the same ids (a rollback does not take sequences back)."""
    with connection.cursor() as cursor:
        for name, value in values.items():
            if value is None:
                cursor.execute("SELECT setval(%s::regclass, 1, false)", [name])
            else:
                cursor.execute("SELECT setval(%s::regclass, %s)", [name, value])


def test_a_restored_snapshot_holds_the_very_rows_the_loader_writes():
    dump_after(snapshot.default_data)  # a snapshot for this database exists from here on
    restores = snapshot._state.restores
    restored = dump_after(snapshot.default_data)
    assert snapshot._state.restores == restores + 1
    used = snapshot._state.last
    after = {name: value for name, value in used.sequences.items()}

    rewind_sequences(used.sequences_before)
    try:
        real = dump_after(load_default_data)
    finally:
        rewind_sequences(after)

    assert real["mandates_mandate"], "the loader wrote paragraphs"
    assert restored.keys() == real.keys()
    # The status timeline's rows are numbered in the order the database returns paragraphs
    # (an unordered query), which differs between two real loads too; nothing refers to them.
    for rows in (restored, real):
        rows["mandates_statusperiod"] = sorted(
            (row[1:] for row in rows["mandates_statusperiod"]), key=repr
        )
    assert [table for table in real if restored[table] != real[table]] == []


def test_new_rows_get_ids_past_the_restored_ones(default_data):
    newest = Organ.objects.order_by("-pk").first()
    organ = Organ.objects.create(
        organization=Organization.objects.get(code="oas"), acronym="NEW", name="A new organ"
    )
    assert organ.pk > newest.pk


def test_restored_rows_date_from_just_before_what_the_test_does_next():
    dump_after(snapshot.default_data)  # a snapshot for this database exists from here on
    restores = snapshot._state.restores
    before = timezone.now()
    snapshot.default_data()
    after = timezone.now()
    assert snapshot._state.restores == restores + 1
    span = snapshot._state.last.finished - snapshot._state.last.started
    stamps = [DataVersion.current()[1], *Mandate.objects.values_list("updated_at", flat=True)]
    assert all(before - span <= stamp <= after for stamp in stamps)
    # An edit right after comes last in the record's history, as after the real loader.
    record = ProgressRecord.objects.order_by("pk").first()
    record.title = "Edited right after loading"
    record.save()
    assert record.history.order_by("history_date").last().title == record.title


def test_under_a_frozen_clock_restored_rows_carry_that_time():
    moment = datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC)
    restores = snapshot._state.restores
    with time_machine.travel(moment, tick=False):
        for _attempt in range(2):  # the second is a restore
            with transaction.atomic():
                snapshot.default_data()
                assert DataVersion.current()[1] == moment
                assert set(Mandate.objects.values_list("updated_at", flat=True)) == {moment}
                transaction.set_rollback(True)
    # The second at least (the first too when an earlier test froze the same moment).
    assert snapshot._state.restores >= restores + 1


def test_a_database_that_differs_where_the_loader_reads_gets_a_real_load():
    ensure_organizations()  # gone if a `transaction=True` test emptied the tables
    Organ.objects.create(
        organization=Organization.objects.get(code="oas"),
        acronym="CAJP",
        name="Committee on Juridical and Political Affairs (edited)",
    )
    captures = snapshot._state.captures
    snapshot.default_data()
    assert snapshot._state.captures == captures + 1
    # The loader never overwrites an edited organ; the copy of another database would have.
    assert Organ.objects.get(acronym="CAJP").name.endswith("(edited)")
    assert Mandate.objects.filter(resolution__symbol="AG/RES. 2289 (XXXVII-O/07)").exists()
