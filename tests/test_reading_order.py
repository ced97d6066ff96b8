"""Reading order (oldest resolution first, then the order of the text) is read from each
paragraph's copy of its resolution's adoption date and symbol. The copy follows every write
that can change it, and check_status finds and mends any drift."""

import datetime

from django.core.management import call_command
from django.db import connection

from mandates import status
from mandates.models import Mandate, Resolution

from .factories import make_resolution


def reading(queryset=None) -> list[str]:
    queryset = Mandate.objects.all() if queryset is None else queryset
    return [f"{m.resolution.symbol} ¶{m.label}" for m in queryset.in_reading_order()]


def test_lists_follow_the_resolutions_dates_and_symbols(db):
    later = make_resolution(2, symbol="AG/RES. 2 (XL-O/10)")
    earlier = make_resolution(1, symbol="AG/RES. 1 (XL-O/10)")
    Resolution.objects.filter(pk=earlier.pk).update(adopted_on=datetime.date(2009, 6, 4))
    assert reading() == [
        "AG/RES. 1 (XL-O/10) ¶1",
        "AG/RES. 2 (XL-O/10) ¶1",
        "AG/RES. 2 (XL-O/10) ¶2",
    ]

    # A date corrected in the admin (a save) moves the resolution's paragraphs at once.
    earlier.adopted_on = datetime.date(2011, 6, 7)
    earlier.save()
    assert reading()[-1] == "AG/RES. 1 (XL-O/10) ¶1"

    # Same date: the symbol decides; a symbol corrected follows too.
    later.adopted_on = datetime.date(2011, 6, 7)
    later.symbol = "AG/RES. 3 (XL-O/10)"
    later.save()
    assert reading()[0] == "AG/RES. 1 (XL-O/10) ¶1"
    assert status.check() == []


def test_new_paragraphs_and_moved_paragraphs_take_their_resolutions_keys(db):
    first = make_resolution(1, symbol="AG/RES. 1 (XL-O/10)")
    second = make_resolution(1, symbol="AG/RES. 2 (XL-O/10)")
    Resolution.objects.filter(pk=second.pk).update(adopted_on=datetime.date(2001, 1, 1))
    Mandate.objects.bulk_create(
        [Mandate(resolution=first, label="9", order=90, text="Bulk-created.")]
    )
    Mandate.objects.filter(resolution=first, label="1").update(resolution=second, label="7")
    moved = Mandate.objects.get(label="7")
    assert (moved.resolution_adopted_on, moved.resolution_symbol) == (
        datetime.date(2001, 1, 1),
        "AG/RES. 2 (XL-O/10)",
    )
    # Both at order 10 in their resolution: the older row (the moved one) first.
    assert reading() == [
        "AG/RES. 2 (XL-O/10) ¶7",
        "AG/RES. 2 (XL-O/10) ¶1",
        "AG/RES. 1 (XL-O/10) ¶9",
    ]
    assert status.check() == []


def test_drift_is_found_and_repaired(db, capsys):
    make_resolution(2)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE mandates_mandate SET resolution_symbol = 'ZZZ'")
    assert {d.what for d in status.check()} == {"resolution's date and symbol (reading order)"}
    call_command("check_status", "--repair")
    assert status.check() == []
    assert set(Mandate.objects.values_list("resolution_symbol", flat=True)) == {
        "AG/RES. 9999 (XL-O/10)"
    }
