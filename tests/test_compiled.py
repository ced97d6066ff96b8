"""Kept SQL (mandates/models/compiled.py) gives what the querysets give, and the rows of a
page (mandates/rows.py) what `prefetch_related` gave: the same SQL, the same objects."""

import datetime
import random

import pytest
from django.db import connection
from django.db.models import Prefetch

from mandates import citations, rows, series, views
from mandates.models import (
    Compiled,
    Deadline,
    Document,
    Mandate,
    ProgressRecord,
    Responsibility,
)
from mandates.models import compiled as compiled_module
from mandates.views import mandate_rows

from .factories import SLUG_2289, make_record

KEPT = {
    "paragraphs": rows.PARAGRAPHS,
    "page of paragraphs": rows.PAGE_OF_PARAGRAPHS,
    "responsibilities": rows.RESPONSIBILITIES,
    "deadlines": rows.DEADLINES,
    "records": rows.RECORDS,
    "responsibilities of a resolution": rows.RESOLUTION_RESPONSIBILITIES,
    "deadlines of a resolution": rows.RESOLUTION_DEADLINES,
    "records of a resolution": rows.RESOLUTION_RECORDS,
    "fulfils": rows.FULFILS,
    "documents": rows.DOCUMENTS,
    "cites": citations.CITES,
    "citing": citations.CITING,
    "resolution page": views.RESOLUTION_PAGE,
    "series": series.MEMBERS,
}


def some_values(compiled, rng):
    values = {}
    for name, kind in compiled.kinds.items():
        if kind is datetime.date:
            values[name] = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(9000))
        elif kind is int:
            values[name] = rng.randrange(1, 10**9)
        elif kind is str:
            values[name] = rng.choice(["AG/RES. 2289 (XXXVII-O/07)", "x", "", "ñ'; --"])
        else:
            values[name] = [rng.randrange(1, 10**6) for _ in range(rng.randrange(0, 60))]
    return values


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(KEPT))
def test_the_kept_sql_is_the_sql_of_the_queryset_built_with_the_values(name):
    compiled, rng = KEPT[name], random.Random(name)
    sql, placeholders = compiled.sql()
    for _ in range(20):
        values = some_values(compiled, rng)
        expected = compiled.build(**values).query.get_compiler(connection=connection).as_sql()
        params = list(placeholders)
        for index, value_name in compiled.sql_slots():
            params[index] = values[value_name]
        assert (sql, params) == (expected[0], list(expected[1]))


@pytest.mark.django_db
def test_a_value_computed_from_a_placeholder_is_refused():
    compiled = Compiled(
        lambda as_of: Deadline.objects.filter(due__lt=as_of + datetime.timedelta(days=1)),
        as_of=datetime.date,
    )
    with pytest.raises(ValueError, match="computed from a value"):
        compiled.sql()


@pytest.mark.django_db
def test_a_list_whose_length_shapes_the_sql_is_refused():
    compiled = Compiled(lambda ids: Deadline.objects.filter(mandate_id__in=ids), ids=list)
    with pytest.raises(ValueError):
        compiled.sql()


@pytest.mark.django_db
def test_a_value_the_query_never_uses_is_refused():
    compiled = Compiled(lambda ids, as_of: Deadline.objects.filter(mandate_id__any=ids), ids=list)
    with pytest.raises(TypeError):
        compiled(ids=[1])
    compiled = Compiled(
        lambda ids, as_of: Deadline.objects.filter(mandate_id__any=ids),
        ids=list,
        as_of=datetime.date,
    )
    with pytest.raises(ValueError, match="never uses"):
        compiled.sql()


@pytest.mark.django_db
def test_any_with_no_values_finds_nothing_and_values_give_dicts(default_data):
    assert rows.DEADLINES(as_of=datetime.date(2010, 1, 1), ids=[]) == []
    pks = list(Mandate.objects.filter(resolution__slug=SLUG_2289).values_list("pk", flat=True))
    labels = Compiled(
        lambda ids: Mandate.objects.filter(pk__any=ids).order_by("order").values("label"),
        ids=list,
    )
    found = labels(ids=pks[:3])
    assert found == [{"label": "1"}, {"label": "2"}, {"label": "3"}]


def prefetched(queryset, as_of):
    """The rows as `prefetch_related` loaded them before mandates/rows.py (the reference)."""
    return queryset.prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("organ"),
            to_attr="prefetched_responsibilities",
        ),
        Prefetch(
            "deadlines",
            queryset=Deadline.objects.with_state(as_of).select_related("session"),
            to_attr="prefetched_deadlines",
        ),
        Prefetch(
            "progress_records",
            queryset=ProgressRecord.objects.as_of(as_of)
            .latest_first()
            .select_related("proposal__citing_resolution")
            .prefetch_related(
                Prefetch("fulfils", to_attr="prefetched_fulfils"),
                Prefetch("documents", to_attr="prefetched_documents"),
            ),
            to_attr="prefetched_records",
        ),
    )


def shown(mandates) -> list:
    """Everything a row reads of its related objects, and their links back."""
    return [
        (
            mandate.pk,
            mandate.status,
            [
                (r.pk, r.role, r.organ.pk, r.organ.acronym, r.mandate is mandate)
                for r in mandate.responsibility_list
            ],
            [
                (d.pk, d.state, d.fulfilled_on, d.due, d.session_id and d.session.ordinal)
                for d in mandate.deadline_list
            ],
            [
                (
                    p.pk,
                    p.date,
                    p.title,
                    [d.pk for d in p.fulfils_list],
                    [(doc.pk, doc.original_name) for doc in p.document_list],
                    getattr(p, "proposal", None),
                    p.mandate is mandate,
                )
                for p in mandate.record_list
            ],
        )
        for mandate in mandates
    ]


@pytest.mark.django_db
def test_a_page_of_rows_holds_what_prefetch_related_loaded(
    default_data, django_assert_max_num_queries
):
    rng = random.Random(2289)
    paragraphs = list(Mandate.objects.filter(resolution__slug=SLUG_2289))
    for n in range(12):
        mandate = rng.choice(paragraphs)
        fulfils = list(mandate.deadlines.all())[: rng.randrange(3)]
        record = make_record(mandate, datetime.date(2007, 7, 1) + datetime.timedelta(days=90 * n))
        record.fulfils.set(fulfils)
        for i in range(rng.randrange(3)):
            Document.objects.create(
                progress_record=record,
                file=f"documents/{n}-{i}.pdf",
                original_name=f"report {n}-{i}.pdf",
                content_type="application/pdf",
                size=3,
            )
    queryset = Mandate.objects.filter(resolution__slug=SLUG_2289).order_by("order", "pk")
    for as_of in [datetime.date(2007, 6, 5), datetime.date(2008, 6, 30), datetime.date(2030, 1, 1)]:
        expected = shown(prefetched(queryset.with_status(as_of), as_of))
        # Paragraphs, organs, deadlines, trail, what each record fulfils, documents.
        with django_assert_max_num_queries(6):
            got = list(mandate_rows(queryset, as_of))
        assert shown(got) == expected
        # A resolution's page: all its rows, or a page of them (with their sub-paragraphs).
        resolution = got[0].resolution
        with django_assert_max_num_queries(6):
            assert shown(rows.of_resolution(resolution, as_of)) == expected
        top = [m.pk for m in got if m.parent_id is None]
        page = [row for row in expected if _under(got, row[0], top[18:])]  # ¶ 19-23, 20.a-c
        assert len(page) == 8
        assert shown(rows.of_resolution(resolution, as_of, top[18:])) == page


def _under(mandates, pk, tops) -> bool:
    by_pk = {m.pk: m for m in mandates}
    while by_pk[pk].parent_id is not None:
        pk = by_pk[pk].parent_id
    return pk in tops


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.django_db
def test_kept_queries_are_prepared_once_per_connection(default_data):
    as_of, ids = datetime.date(2010, 1, 1), [1, 2, 3]
    before = len(prepared_statements())
    rows.DEADLINES(as_of=as_of, ids=ids)
    statements = prepared_statements()
    assert len(statements) == before + 1
    assert "mandates_deadline" in statements[-1] or any(
        "mandates_deadline" in s for s in statements
    )
    rows.DEADLINES(as_of=datetime.date(2020, 1, 1), ids=[4, 5])  # the same statement again
    assert len(prepared_statements()) == before + 1


@pytest.mark.django_db
def test_without_prepared_statements_kept_queries_still_run(default_data):
    """DATABASE_PREPARED_STATEMENTS=0 connects with prepare_threshold=None: nothing is
    prepared, the same rows come back."""
    connection.ensure_connection()
    raw = connection.connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        before = prepared_statements()
        resolution = Mandate.objects.filter(resolution__slug=SLUG_2289).first().resolution_id
        found = rows.PARAGRAPHS(resolution=resolution, as_of=datetime.date(2010, 1, 1))
        assert len(found) == 26 and prepared_statements() == before
        as_of = datetime.date(2010, 1, 1)
        statements = [
            rows.PARAGRAPHS.statement(resolution=resolution, as_of=as_of),
            rows.RESOLUTION_DEADLINES.statement(resolution=resolution, as_of=as_of),
        ]
        with compiled_module.read_ahead(statements):  # sent together, unprepared too
            assert len(rows.PARAGRAPHS(resolution=resolution, as_of=as_of)) == 26
            assert rows.RESOLUTION_DEADLINES(resolution=resolution, as_of=as_of)
        assert prepared_statements() == before
    finally:
        raw.prepare_threshold = threshold


@pytest.mark.django_db
@pytest.mark.parametrize("deferred", [(), ("version", "updated_at")])
def test_instances_are_those_django_makes(default_data, deferred, monkeypatch):
    """`quick_from_db` (every versioned model's `from_db`) makes the instance Django's
    `Model.from_db` makes: the same field values, the same deferred fields, the same state."""
    from mandates.models import Organ, Resolution, base

    for model in (Mandate, Responsibility, Deadline, ProgressRecord, Organ, Resolution):
        if model is ProgressRecord and not model.objects.exists():
            make_record(Mandate.objects.first(), datetime.date(2008, 1, 1))
        queryset = model.objects.order_by("pk").defer(*deferred)[:5]
        quick = list(queryset)
        with monkeypatch.context() as patched:
            patched.setattr(base, "_plain_columns", lambda cls: None)  # Django's own path
            plain = list(queryset.all())
        assert quick and len(quick) == len(plain)
        for a, b in zip(quick, plain, strict=True):
            assert type(a) is type(b)
            assert {k: v for k, v in vars(a).items() if k != "_state"} == {
                k: v for k, v in vars(b).items() if k != "_state"
            }
            assert a.get_deferred_fields() == b.get_deferred_fields() == set(deferred)
            assert (a._state.db, a._state.adding) == (b._state.db, b._state.adding)


# --- Statements read ahead (`read_ahead`): one round trip, the same rows


def plain(objects) -> list:
    """What a run returned, comparable: each instance's class and loaded values (with the
    related instances `select_related` attached), or the dicts of `.values()`."""
    out = []
    for obj in objects:
        if obj is None or isinstance(obj, dict):
            out.append(obj)
            continue
        related = {name: plain([value]) for name, value in obj._state.fields_cache.items()}
        values = {k: v for k, v in vars(obj).items() if not k.startswith("_")}
        out.append((type(obj), values, related))
    return out


def page_statements(resolution, as_of):
    """A resolution page's kept queries with the values the page gives them."""
    ids = list(resolution.mandates.values_list("pk", flat=True))
    return [
        (rows.PARAGRAPHS, {"resolution": resolution.pk, "as_of": as_of}),
        (rows.RESPONSIBILITIES, {"ids": ids}),
        (rows.DEADLINES, {"as_of": as_of, "ids": ids}),
        (rows.RECORDS, {"as_of": as_of, "ids": ids}),
        (rows.RESOLUTION_RESPONSIBILITIES, {"resolution": resolution.pk}),
        (rows.RESOLUTION_DEADLINES, {"as_of": as_of, "resolution": resolution.pk}),
        (rows.RESOLUTION_RECORDS, {"as_of": as_of, "resolution": resolution.pk}),
        (citations.CITES, {"citing": resolution.pk}),
        (citations.CITING, {"symbol": resolution.symbol}),
        (series.MEMBERS, {"series": resolution.series}),
    ]


@pytest.mark.django_db
def test_statements_read_ahead_give_the_rows_each_would_read_once(
    default_data, django_assert_num_queries
):
    from mandates.charts import status_chart, status_chart_statement

    resolution = Mandate.objects.filter(resolution__slug=SLUG_2289).first().resolution
    make_record(resolution.mandates.first(), datetime.date(2008, 3, 1))
    as_of, start = datetime.date(2009, 1, 1), resolution.adopted_on
    calls = page_statements(resolution, as_of)
    expected = [plain(compiled(**values)) for compiled, values in calls]
    chart = status_chart(Mandate.objects.all(), start, as_of, resolution=resolution).rows
    assert any(expected) and any(row["total"] for row in chart)
    # A paragraph's rows read by its resolution are those read by the ids of all of them.
    assert expected[4:7] == expected[1:4] and all(expected[1:4])

    statements = [compiled.statement(**values) for compiled, values in calls]
    statements.append(
        status_chart_statement(Mandate.objects.all(), start, as_of, resolution=resolution)
    )
    # Each sent (and logged) once, and the two read again below.
    with django_assert_num_queries(len(statements) + 2):
        with compiled_module.read_ahead(statements):
            with django_assert_num_queries(0):  # already read
                got = [plain(compiled(**values)) for compiled, values in calls]
                columns = status_chart(
                    Mandate.objects.all(), start, as_of, resolution=resolution
                ).rows
            assert got == expected and columns == chart
            with django_assert_num_queries(1):  # once: a second run reads again
                assert plain(citations.CITES(citing=resolution.pk)) == expected[7]
            with django_assert_num_queries(1):  # other values: read then
                rows.DEADLINES(as_of=datetime.date(2030, 1, 1), ids=calls[2][1]["ids"])
    assert not connection.__dict__.get("_read_ahead")  # nothing left behind


@pytest.mark.django_db
def test_a_statement_not_read_in_the_block_is_forgotten(default_data, django_assert_num_queries):
    resolution = Mandate.objects.filter(resolution__slug=SLUG_2289).first().resolution
    statements = [
        citations.CITES.statement(citing=resolution.pk),
        citations.CITING.statement(symbol=resolution.symbol),
    ]
    with compiled_module.read_ahead(statements):
        pass
    with django_assert_num_queries(1):
        citations.CITES(citing=resolution.pk)


@pytest.mark.django_db(transaction=True)
def test_a_failing_statement_read_ahead_fails_the_page_and_leaves_the_connection_usable():
    from django.db import DatabaseError

    Statement = compiled_module.Statement
    statements = [Statement("default", "SELECT 1", []), Statement("default", "SELECT 1/0", [])]
    with pytest.raises(DatabaseError), compiled_module.read_ahead(statements):
        raise AssertionError("the block must not run")
    assert not connection.__dict__.get("_read_ahead")
    assert Mandate.objects.count() == 0  # the connection answers, out of pipeline mode


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """The number of statements of each group sent together."""
    groups = []
    run_together = compiled_module._run_together

    def counting(connection, group):
        groups.append(len(group))
        return run_together(connection, group)

    monkeypatch.setattr(compiled_module, "_run_together", counting)
    return groups


@pytest.mark.django_db
def test_the_resolution_page_reads_its_statements_in_two_round_trips(
    default_data, client, sent, django_assert_num_queries
):
    """The 2289 page (on one page): the resolution, then everything that depends only on it
    at once (chart, rows with their organs, deadlines and trail, series, citations), each
    statement sent once."""
    with django_assert_num_queries(10):  # data version, resolution, then the eight at once
        response = client.get(f"/resolutions/{SLUG_2289}/")
    assert response.status_code == 200
    assert sent == [8]
    assert b"The Human Rights of All Migrant Workers" in response.content
    assert response.content.count(b'<article class="paragraph') == 26


@pytest.mark.django_db
def test_statements_already_read_ahead_are_not_sent_again(default_data, sent):
    resolution = Mandate.objects.filter(resolution__slug=SLUG_2289).first().resolution
    as_of = datetime.date(2009, 1, 1)
    statements = rows.statements_of_resolution(resolution, as_of)
    with compiled_module.read_ahead(statements):
        found = rows.of_resolution(resolution, as_of)  # its own read-ahead: nothing left to send
    assert sent == [4] and len(found) == 26
    assert shown(found) == shown(prefetched(resolution.mandates.with_status(as_of), as_of))
