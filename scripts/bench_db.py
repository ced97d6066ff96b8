"""Database side of `make bench`, run with DATABASE_URL set to the database to look at.

python scripts/bench_db.py lookup    # JSON: the busiest organ, a ~200-paragraph resolution
python scripts/bench_db.py explain   # EXPLAIN (ANALYZE, BUFFERS) of the overdue list's first
                                     # page and of the home page's counts
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import OperationalError, connection  # noqa: E402
from django.db.models import Count, F, Func  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from mandates.models import Mandate, Organ, Resolution, today  # noqa: E402

STATEMENT_TIMEOUT = os.environ.get("BENCH_STATEMENT_TIMEOUT", "30s")


def lookup() -> dict:
    busiest = Organ.objects.annotate(n=Count("responsibilities")).order_by("-n", "acronym").first()
    around_200 = (
        Resolution.objects.annotate(n=Count("mandates"))
        .filter(n__gte=150, n__lte=250)
        .annotate(distance=Func(F("n") - 200, function="ABS"))
        .order_by("distance", "symbol")
        .first()
    )
    return {
        "organ": busiest.acronym if busiest else None,
        "organ_mandates": busiest.n if busiest else 0,
        "resolution": around_200.slug if around_200 else None,
        "resolution_paragraphs": around_200.n if around_200 else 0,
        "mandates": Mandate.objects.count(),
    }


def state() -> dict:
    """Is this database make bench's corpus, made by this version of the generator?"""
    from mandates.corpus import source_text

    generated = Mandate.objects.filter(resolution__source=source_text(1)).count()
    return {"generated": generated, "others": Mandate.objects.count() - generated}


def explain(title: str, queryset) -> None:
    print(f"--- EXPLAIN (ANALYZE, BUFFERS): {title}")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [STATEMENT_TIMEOUT])
        print(queryset.explain(analyze=True, buffers=True))
    except OperationalError as exc:
        if "statement timeout" not in str(exc):
            raise
        print(f"TIMEOUT: cancelled after statement_timeout = {STATEMENT_TIMEOUT}")
    print()


def first_page_ids(**params):
    """The ids query of a /mandates/ page (the view's own FilterSet and paging)."""
    from mandates.views import filtered_mandates

    request = RequestFactory().get("/mandates/", params)
    return filtered_mandates(request).selection.values_list("pk", flat=True)[:50]


def main(command: str) -> None:
    if command == "state":
        print(json.dumps(state()))
    elif command == "lookup":
        print(json.dumps(lookup()))
    elif command == "explain":
        as_of = today()
        found = lookup()
        explain("first page of /mandates/?status=overdue (ids)", first_page_ids(status="overdue"))
        explain(
            f"first page of /mandates/?status=met&organ={found['organ']} (ids)",
            first_page_ids(status="met", organ=found["organ"]),
        )
        explain(
            f"home page counts (operative paragraphs by status as of {as_of})",
            Mandate.objects.paragraph_count_rows(as_of),
        )
        organ = Organ.objects.get(acronym=found["organ"])
        explain(
            f"counts of the {organ.acronym} page (its paragraphs and those of the organs under it)",
            Mandate.objects.paragraph_count_rows(as_of, organ=organ),
        )
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
