"""Plain helpers that make rows for tests (no factory library: the models are small)."""

import datetime

from mandates.models import Deadline, Mandate, ProgressRecord, Resolution, Session

SLUG_2289 = "ag-res-2289-xxxvii-o-07"


def mandate_2289(label: str) -> Mandate:
    return Mandate.objects.get(resolution__slug=SLUG_2289, label=label)


def deadline_of(label: str, wording_part: str) -> Deadline:
    return mandate_2289(label).deadlines.get(wording__contains=wording_part)


def make_record(mandate, date, *, fulfils=(), completes=False, title="Report presented", **kw):
    record = ProgressRecord.objects.create(
        mandate=mandate,
        date=date,
        title=title,
        completes_mandate=completes,
        kind=kw.pop("kind", ProgressRecord.Kind.REPORT),
        **kw,
    )
    record.fulfils.set(fulfils)
    return record


def make_resolution(n_paragraphs: int, *, symbol="AG/RES. 9999 (XL-O/10)", deadline=None):
    """A resolution with n plain paragraphs, each with one dated deadline (if given)."""
    resolution = Resolution.objects.create(
        symbol=symbol, title="A test resolution", adopted_on=datetime.date(2010, 6, 8)
    )
    for i in range(1, n_paragraphs + 1):
        mandate = Mandate.objects.create(
            resolution=resolution, label=str(i), order=i * 10, text=f"To do thing {i}."
        )
        if deadline:
            Deadline.objects.create(mandate=mandate, wording="by then", due_on=deadline)
    return resolution


def statuses(as_of, slug=SLUG_2289) -> dict[str, str]:
    return dict(
        Mandate.objects.filter(resolution__slug=slug)
        .with_status(as_of)
        .values_list("label", "status")
    )


def make_session(ordinal, start=None):
    return Session.objects.create(ordinal=ordinal, start_date=start)
