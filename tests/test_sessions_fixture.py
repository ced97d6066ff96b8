"""fixtures/sessions.json: the OAS General Assembly's sessions, each with the source of its
facts; loading it twice changes nothing and never undoes a staff edit."""

import datetime
import json

from mandates.loading import FIXTURES_DIR, load_default_data
from mandates.models import Session

ROWS = json.loads((FIXTURES_DIR / "sessions.json").read_text(encoding="utf-8"))
TODAY = datetime.date(2026, 11, 30)  # when the list was last checked against its sources


def regular(rows=ROWS):
    return [r for r in rows if r["kind"] == "regular" and (r.get("organization") or "oas") == "oas"]


def test_every_regular_session_from_the_first_to_the_latest_is_listed_with_a_source():
    numbers = [r["ordinal"] for r in regular()]
    assert numbers == list(range(1, max(numbers) + 1))
    # One a year since 1971: the latest held before the list was checked is the 56th (2026).
    assert max(numbers) == TODAY.year - 1970
    assert [r["ordinal"] for r in regular() if not r.get("source", "").startswith("http")] == []
    assert [r for r in ROWS if not r.get("source", "").startswith("http")] == []


def test_known_dates_are_plausible_and_no_two_sessions_overlap():
    dated = sorted(
        (datetime.date.fromisoformat(r["start_date"]), r.get("end_date"), r["kind"], r["ordinal"])
        for r in ROWS
        if r.get("start_date") and (r.get("organization") or "oas") == "oas"
    )
    for start, end, kind, number in dated:
        assert start < TODAY, (kind, number)
        if end:
            assert start <= datetime.date.fromisoformat(end), (kind, number)
    for (start, end, *first), (next_start, _end, *second) in zip(dated, dated[1:], strict=False):
        assert (datetime.date.fromisoformat(end) if end else start) < next_start, (first, second)
    # Regular sessions in order: a later number never opens earlier.
    starts = [datetime.date.fromisoformat(r["start_date"]) for r in regular() if r["start_date"]]
    assert starts == sorted(starts)


def test_the_first_entries_from_memory_agree_with_the_sources():
    by_number = {r["ordinal"]: r for r in regular()}
    assert [(by_number[n]["start_date"], by_number[n]["end_date"]) for n in (35, 36, 40, 41)] == [
        ("2005-06-05", "2005-06-07"),
        ("2006-06-04", "2006-06-06"),
        ("2010-06-06", "2010-06-08"),
        ("2011-06-05", "2011-06-07"),
    ]


def test_the_un_sessions_the_corpus_names_are_listed_with_a_source():
    un = {r["ordinal"]: r for r in ROWS if r.get("organization") == "un"}
    assert {n: un[n]["start_date"] for n in un} == {73: "2018-09-18", 78: "2023-09-05"}


def test_loading_twice_changes_nothing_and_keeps_staff_edits(db):
    load_default_data(["organs.json", "sessions.json"])
    count = Session.objects.count()
    # Staff corrected one session and learnt the opening date of another.
    Session.objects.filter(kind="regular", ordinal=38).update(place="Medellín (Antioquia)")
    Session.objects.filter(kind="regular", ordinal=55).update(start_date=datetime.date(2025, 6, 26))
    # A session created from the import review before its facts were known gets them.
    Session.objects.filter(kind="regular", ordinal=53).update(place="", start_date=None)

    report = load_default_data(["organs.json", "sessions.json"])

    assert Session.objects.count() == count
    s38, s53, s55 = (Session.objects.get(kind="regular", ordinal=n) for n in (38, 53, 55))
    assert s38.place == "Medellín (Antioquia)"
    assert s55.start_date == datetime.date(2025, 6, 26)  # not the fixture's 25 June
    assert (s53.place, s53.start_date) == (
        "Washington, D.C., United States",
        datetime.date(2023, 6, 21),
    )
    assert "session 53 (regular): place, start_date" in report.created
    load_default_data(["organs.json", "sessions.json"])
    assert Session.objects.get(kind="regular", ordinal=53).start_date == datetime.date(2023, 6, 21)
