"""The status engine (`Mandate.objects.with_status(as_of)`) on the AG/RES. 2289 fixture."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from mandates.models import Deadline, Mandate, ProgressRecord, Session

from .factories import deadline_of, make_record, mandate_2289, statuses

D = datetime.date
OVERDUE_TODAY = {"11", "12", "14", "15", "20", "20.c", "23"}

pytestmark = pytest.mark.usefixtures("default_data")


def overdue(as_of):
    return {label for label, status in statuses(as_of).items() if status == "overdue"}


def test_fixture_has_23_paragraphs_and_20abc():
    labels = list(
        Mandate.objects.filter(resolution__slug="ag-res-2289-xxxvii-o-07")
        .order_by("order")
        .values_list("label", flat=True)
    )
    top = [label for label in labels if "." not in label]
    assert top == [str(n) for n in range(1, 24)]
    assert labels[labels.index("20") + 1 : labels.index("21")] == ["20.a", "20.b", "20.c"]


@pytest.mark.parametrize(
    "as_of, expected",
    [
        (D(2026, 11, 22), OVERDUE_TODAY),
        (D(2008, 1, 1), set()),
        # The 38th session opens June 1, 2008: due that day, not yet overdue on it.
        (D(2008, 6, 1), set()),
        (D(2008, 6, 2), {"15", "20", "20.c", "23"}),
        (D(2008, 6, 30), {"15", "20", "20.c", "23"}),
        (D(2008, 7, 1), {"14", "15", "20", "20.c", "23"}),
        (D(2009, 12, 31), {"14", "15", "20", "20.c", "23"}),
        (D(2010, 1, 1), OVERDUE_TODAY),
    ],
)
def test_overdue_set_without_progress(as_of, expected):
    assert overdue(as_of) == expected
    # Everything else is pending (nothing is met with no progress recorded), or has no status:
    # the declaratory paragraphs and those calling on states.
    assert set(statuses(as_of).values()) <= {"pending", "overdue", None}
    untracked = {label for label, status in statuses(as_of).items() if status is None}
    assert untracked == {"1", "2", "3", "4", "5", "6", "7", "8", "9", "13", "22"}


def test_counts_of_operative_paragraphs_today():
    counts = (
        Mandate.objects.filter(resolution__slug="ag-res-2289-xxxvii-o-07")
        .top_level()
        .with_status(D(2026, 11, 22))
        .status_counts()
    )
    # 23 operative paragraphs; 11 are not tracked (2 declaratory, 9 calling on states).
    assert counts == {
        "overdue": 6,
        "pending": 6,
        "met": 0,
        "tracked": 12,
        "declaratory": 2,
        "calls_on_states": 9,
        "untracked": 11,
        "total": 23,
    }


def test_fulfilled_on_time_then_met():
    m23 = mandate_2289("23")
    make_record(m23, D(2008, 5, 30), fulfils=[deadline_of("23", "thirty-eighth")])
    make_record(m23, D(2009, 6, 1), fulfils=[deadline_of("23", "thirty-ninth")])
    assert statuses(D(2008, 6, 2))["23"] == "pending"  # one of two met, the next not yet due
    row = Mandate.objects.with_status(D(2008, 6, 2)).get(pk=m23.pk)
    assert row.next_due_on == D(2009, 6, 2) and row.missed_due_on is None
    row = Mandate.objects.with_status(D(2026, 11, 22)).get(pk=m23.pk)
    assert (row.status, row.met_late) == ("met", False)


def test_record_on_the_deadline_day_is_on_time():
    m11 = mandate_2289("11")
    make_record(m11, D(2009, 12, 31), fulfils=[deadline_of("11", "biennium")])
    row = Mandate.objects.with_status(D(2010, 1, 1)).get(pk=m11.pk)
    assert (row.status, row.met_late) == ("met", False)


def test_fulfilled_late():
    m11 = mandate_2289("11")
    make_record(m11, D(2010, 2, 1), fulfils=[deadline_of("11", "biennium")])
    assert statuses(D(2010, 1, 31))["11"] == "overdue"
    row = Mandate.objects.with_status(D(2010, 2, 1)).get(pk=m11.pk)
    assert (row.status, row.met_late) == ("met", True)
    state = Deadline.objects.with_state(D(2010, 2, 1)).get(mandate=m11)
    assert (state.state, state.fulfilled_on) == ("fulfilled_late", D(2010, 2, 1))


def test_partly_fulfilled_one_of_two_deadlines():
    m14 = mandate_2289("14")
    make_record(
        m14, D(2008, 5, 15), kind="meeting", fulfils=[deadline_of("14", "2008")], title="CAJP"
    )
    assert statuses(D(2008, 7, 1))["14"] == "pending"
    row = Mandate.objects.with_status(D(2009, 7, 1)).get(pk=m14.pk)
    assert row.status == "overdue"
    assert (row.missed_due_on, row.missed_due_wording) == (
        D(2009, 6, 30),
        "in the first half of 2009",
    )


def test_records_dated_after_as_of_do_not_count():
    m11 = mandate_2289("11")
    make_record(m11, D(2009, 3, 1), fulfils=[deadline_of("11", "biennium")])
    assert statuses(D(2009, 2, 28))["11"] == "pending"
    assert statuses(D(2009, 3, 1))["11"] == "met"


def test_sub_paragraphs_roll_up_into_their_paragraph():
    c = mandate_2289("20.c")
    make_record(c, D(2008, 5, 20), fulfils=[deadline_of("20.c", "thirty-eighth")])
    make_record(c, D(2009, 5, 20), fulfils=[deadline_of("20.c", "thirty-ninth")])
    as_of = D(2009, 7, 1)
    assert statuses(as_of)["20.c"] == "met"
    # 20.a and 20.b have no deadline and were not completed: the paragraph is not met yet.
    assert statuses(as_of)["20"] == "pending"
    make_record(mandate_2289("20.a"), D(2009, 1, 10), completes=True)
    make_record(mandate_2289("20.b"), D(2009, 1, 12), completes=True)
    assert statuses(as_of)["20"] == "met"
    assert statuses(D(2009, 1, 11))["20"] == "pending"


def test_overdue_sub_paragraph_makes_its_paragraph_overdue():
    assert statuses(D(2008, 6, 2))["20"] == "overdue"
    assert statuses(D(2008, 6, 2))["20.a"] == "pending"


def test_mandate_without_deadline_is_met_once_completed():
    m17 = mandate_2289("17")
    make_record(m17, D(2008, 3, 1), kind="decision", completes=True, title="Fund established")
    assert statuses(D(2008, 2, 29))["17"] == "pending"
    assert statuses(D(2008, 3, 1))["17"] == "met"


def test_a_record_that_completes_nothing_changes_nothing():
    make_record(mandate_2289("17"), D(2008, 3, 1), title="Meeting on the fund")
    assert statuses(D(2026, 11, 22))["17"] == "pending"


def test_session_anchor_without_a_date_stays_pending_until_the_date_is_known():
    session = Session.objects.create(ordinal=45)  # no opening date known yet
    m10 = mandate_2289("10")
    Deadline.objects.create(
        mandate=m10, wording="at its forty-fifth regular session", session=session
    )
    row = Mandate.objects.with_status(D(2030, 1, 1)).get(pk=m10.pk)
    assert (row.status, row.next_due_on, row.missed_due_on) == ("pending", None, None)
    session.start_date = D(2015, 6, 15)
    session.save()
    assert statuses(D(2015, 6, 16))["10"] == "overdue"
    assert statuses(D(2015, 6, 15))["10"] == "pending"


def test_a_date_changed_in_the_database_since_the_session_was_read_is_not_its_own_edit():
    """Staff's copy of a session is read again (another transaction set the date since):
    clearing the date then is a change, and the deadlines anchored to it follow."""
    session = Session.objects.create(ordinal=45)
    m10 = mandate_2289("10")
    Deadline.objects.create(mandate=m10, wording="at its forty-fifth session", session=session)
    Session.objects.filter(pk=session.pk).update(start_date=D(2015, 6, 15))  # elsewhere
    assert statuses(D(2015, 6, 16))["10"] == "overdue"
    session.refresh_from_db()
    session.start_date = None  # back to "not known yet"
    session.save()
    row = Mandate.objects.with_status(D(2030, 1, 1)).get(pk=m10.pk)
    assert (row.status, row.next_due_on, row.missed_due_on) == ("pending", None, None)


def test_filtering_and_counting_happen_in_sql(django_assert_num_queries):
    qs = Mandate.objects.with_status(D(2026, 11, 22))
    with django_assert_num_queries(1):
        assert qs.filter(status="overdue", resolution__slug="ag-res-2289-xxxvii-o-07").count() == 7
    with django_assert_num_queries(1):
        qs.top_level().status_counts()


# --- validation: what staff are told when they enter something impossible -----------------


def test_record_dated_before_adoption_is_refused():
    record = ProgressRecord(mandate=mandate_2289("23"), date=D(2007, 1, 1), title="Too early")
    with pytest.raises(ValidationError) as err:
        record.full_clean()
    assert "before AG/RES. 2289 (XXXVII-O/07) was adopted on 2007-06-05" in str(err.value)


def test_deadline_before_adoption_is_refused():
    deadline = Deadline(mandate=mandate_2289("23"), wording="last year", due_on=D(2006, 12, 31))
    with pytest.raises(ValidationError) as err:
        deadline.full_clean()
    assert "falls before the resolution was adopted" in str(err.value)


def test_sub_paragraph_under_the_wrong_parent_is_refused():
    wrong = Mandate(
        resolution=mandate_2289("20").resolution,
        parent=mandate_2289("19"),
        label="20.d",
        order=1,
        text="Something else.",
    )
    with pytest.raises(ValidationError) as err:
        wrong.full_clean()
    assert "must be labelled 19.<letter>" in str(err.value)


def test_record_cannot_fulfil_another_paragraphs_deadline():
    record = ProgressRecord(mandate=mandate_2289("23"), date=D(2008, 5, 1), title="x")
    with pytest.raises(ValidationError) as err:
        record.clean_fulfils([deadline_of("11", "biennium")])
    assert "is a deadline of another paragraph" in str(err.value)


@pytest.mark.django_db
def test_check_status_finds_drift_made_behind_its_back_and_repairs_it(default_data):
    """Raw SQL is the one write path that escapes the recompute: check_status sees it."""
    import io

    from django.core.management import CommandError, call_command
    from django.db import connection

    call_command("check_status", stdout=io.StringIO())  # 0 differences: no error
    m14 = mandate_2289("14")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE mandates_statusperiod SET status = 'met' WHERE mandate_id = %s", [m14.pk]
        )
    assert Mandate.objects.with_status(D(2026, 11, 22)).get(pk=m14.pk).status == "met"
    with pytest.raises(CommandError, match="differences"):
        call_command("check_status", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_status", "--repair", stdout=out)
    assert "0 differences remain" in out.getvalue()
    assert Mandate.objects.with_status(D(2026, 11, 22)).get(pk=m14.pk).status == "overdue"


@pytest.mark.django_db
def test_the_timeline_is_written_in_paragraph_order(default_data):
    """Recomputing writes the periods paragraph by paragraph, whatever order the trees were
    read in: the same facts give the same rows and ids (a dump or a backup compares equal)."""
    from mandates import status
    from mandates.models import StatusPeriod

    status.recompute(list(Mandate.objects.values_list("pk", flat=True)))
    written = list(StatusPeriod.objects.order_by("pk").values_list("mandate_id", flat=True))
    assert written == sorted(written)
    assert len(set(written)) == Mandate.objects.count()
