"""`manage.py generate_corpus`: the synthetic corpus for measuring the tracker at scale."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from mandates.corpus import CORPUS_END, SOURCE_PREFIX
from mandates.loading import load_default_data
from mandates.models import (
    MAX_DEPTH,
    Deadline,
    Mandate,
    Organ,
    ProgressRecord,
    Resolution,
    Responsibility,
    Session,
    normalize_symbol,
)

pytestmark = pytest.mark.django_db


def generate(*args, **options) -> str:
    out = StringIO()
    call_command("generate_corpus", *args, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    """What a reader of the corpus sees, without database ids."""
    return {
        "resolutions": list(
            Resolution.objects.order_by("symbol").values_list(
                "symbol", "slug", "kind", "title", "adopted_on", "session__ordinal"
            )
        ),
        "mandates": list(
            Mandate.objects.order_by("resolution__symbol", "order").values_list(
                "resolution__symbol", "label", "parent__label", "order", "text"
            )
        ),
        "organs": list(
            Responsibility.objects.order_by(
                "mandate__resolution__symbol", "mandate__order", "order"
            ).values_list("mandate__label", "organ__acronym", "role")
        ),
        "deadlines": list(
            Deadline.objects.order_by("mandate__resolution__symbol", "mandate__order", "order")
            .values_list("mandate__label", "wording", "due_on", "session__ordinal")
        ),
        "records": sorted(
            ProgressRecord.objects.values_list(
                "mandate__resolution__symbol", "mandate__label", "date", "date_precision",
                "kind", "title", "document_symbol", "completes_mandate",
            )
        ),
        "fulfils": sorted(
            ProgressRecord.fulfils.through.objects.values_list(
                "progressrecord__date", "progressrecord__title", "deadline__wording",
                "deadline__mandate__label",
            )
        ),
    }  # fmt: skip


def test_a_small_corpus_has_the_expected_shape_and_says_what_it_made():
    output = generate("--mandates", "500", "--seed", "1")

    assert Mandate.objects.count() == 500
    resolutions = Resolution.objects.count()
    assert 2 <= resolutions <= 30
    assert set(Resolution.objects.values_list("source", flat=True)) == {f"{SOURCE_PREFIX} --seed 1"}
    assert 1.0 <= Deadline.objects.count() / 500 <= 1.5
    assert Deadline.objects.filter(session__isnull=False).exists()
    assert Deadline.objects.filter(session__start_date__isnull=True).exists()
    assert 2.4 <= ProgressRecord.objects.count() / 500 <= 3.6
    assert ProgressRecord.objects.filter(completes_mandate=True).exists()
    assert 0.2 <= Mandate.objects.filter(parent__isnull=False).count() / 500 <= 0.5
    assert Organ.objects.count() >= 55
    assert Organ.objects.filter(parent__parent__isnull=False).exists()  # three levels deep
    # Every paragraph has one lead organ; the General Secretariat carries the most.
    assert Responsibility.objects.filter(role="lead").count() == 500
    busiest = Responsibility.objects.values("organ__acronym").annotate(n=Count("pk")).order_by("-n")
    assert busiest[0]["organ__acronym"] == "GS"

    assert "500  mandates (paragraphs and sub-paragraphs)" in output
    assert f"{resolutions:>9,}  resolutions" in output
    assert "writing (COPY)" in output
    assert "Done." in output


def test_the_printed_status_mix_is_what_the_status_engine_says():
    output = generate("--mandates", "500", "--seed", "1")

    counts = Mandate.objects.top_level().with_status(CORPUS_END).status_counts()
    assert f"Status of the {counts['total']:,} top-level paragraphs as of 2026-11-30:" in output
    for status in ("met", "overdue", "pending"):
        assert f"{counts[status]:>9,}  {status} (" in output
        assert counts[status] > 0.1 * counts["total"], (status, counts)


def test_same_seed_same_corpus_and_a_rerun_replaces_it():
    generate("--mandates", "500", "--seed", "7")
    first = snapshot()
    output = generate("--mandates", "500", "--seed", "7")

    assert "Replaced a previous generated corpus" in output
    assert Mandate.objects.count() == 500
    assert snapshot() == first
    generate("--mandates", "500", "--seed", "8")
    assert snapshot()["mandates"] != first["mandates"]


def test_refuses_a_database_with_other_resolutions_and_writes_nothing():
    load_default_data()
    before = {
        model: model.objects.count()
        for model in (Resolution, Mandate, Deadline, ProgressRecord, Organ, Session)
    }

    with pytest.raises(CommandError) as refusal:
        generate("--mandates", "500")

    assert "Nothing was written" in str(refusal.value)
    assert f"{before[Resolution]} resolutions and {before[Mandate]} mandates" in str(refusal.value)
    assert "--force" in str(refusal.value)
    assert {model: model.objects.count() for model in before} == before


def test_force_adds_the_corpus_alongside_and_a_rerun_keeps_the_other_data():
    load_default_data()
    own = Mandate.objects.count()
    own_symbols = set(Resolution.objects.values_list("symbol", flat=True))

    generate("--mandates", "500", "--force")
    generate("--mandates", "500", "--force")

    assert Mandate.objects.count() == own + 500
    assert own_symbols <= set(Resolution.objects.values_list("symbol", flat=True))
    assert Mandate.objects.filter(resolution__slug="ag-res-2289-xxxvii-o-07").count() == 26


def test_paragraph_labels_and_parents_are_valid():
    generate("--mandates", "500", "--seed", "3")

    mandates = Mandate.objects.select_related("parent__parent", "resolution")
    assert mandates.filter(label__contains=".").exists()
    for mandate in mandates:
        mandate.clean()  # raises on a bad parent, label or depth
        assert mandate.label.count(".") < MAX_DEPTH
        if mandate.parent is not None:
            assert mandate.parent.resolution_id == mandate.resolution_id
            assert mandate.label.startswith(mandate.parent.label + ".")
    for resolution in Resolution.objects.all():
        assert normalize_symbol(resolution.symbol) == resolution.symbol


def test_records_fulfil_deadlines_of_their_own_paragraph_after_adoption():
    generate("--mandates", "500", "--seed", "4")

    links = ProgressRecord.fulfils.through.objects
    assert links.count() > 100
    assert not links.exclude(progressrecord__mandate=F("deadline__mandate")).exists()
    adopted = F("mandate__resolution__adopted_on")
    assert not Deadline.objects.filter(due__lt=adopted).exists()
    assert not ProgressRecord.objects.filter(date__lt=adopted).exists()
    assert not ProgressRecord.objects.filter(date__gt=CORPUS_END).exists()
    completing = ProgressRecord.objects.filter(completes_mandate=True)
    assert not completing.filter(mandate__deadlines__isnull=False).exists()
    assert not completing.filter(mandate__children__isnull=False).exists()


def test_the_id_sequences_continue_after_the_corpus():
    generate("--mandates", "500", "--seed", "5")
    resolution = Resolution.objects.filter(source__startswith=SOURCE_PREFIX).first()

    mandate = Mandate.objects.create(resolution=resolution, label="999", text="Added by hand.")

    assert mandate.pk > Mandate.objects.exclude(pk=mandate.pk).order_by("-pk").first().pk


def test_rejects_a_size_out_of_range():
    with pytest.raises(CommandError, match="--mandates must be between"):
        generate("--mandates", "0")
    assert not Resolution.objects.exists()
