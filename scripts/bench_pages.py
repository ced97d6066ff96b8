"""Time the public pages and count their queries, on the default data plus N extra mandates.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mandate_tracker \\
        .venv/bin/python scripts/bench_pages.py [N]

Creates (and drops) a throwaway test database next to DATABASE_URL's; prints the median of 15 runs
after a warm-up for each page, with its query count.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mandate_tracker")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RUNS = 15


class QueryCounter(list):
    """A database execute wrapper that remembers every statement run through it."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def main(extra: int) -> None:
    from mandates.loading import load_default_data
    from mandates.models import Deadline, Mandate, Resolution

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_default_data()
        resolution = Resolution.objects.create(
            symbol="AG/RES. 9000 (XL-O/10)", title="Benchmark", adopted_on=datetime.date(2010, 6, 8)
        )
        for i in range(1, extra + 1):
            mandate = Mandate.objects.create(
                resolution=resolution, label=str(i), order=i * 10, text=f"To do thing {i}. " * 8
            )
            Deadline.objects.create(
                mandate=mandate,
                wording="by then",
                due_on=datetime.date(2010, 1, 1) + datetime.timedelta(days=i),
            )
        client = Client()
        pages = [
            "/",
            "/resolutions/",
            "/resolutions/ag-res-2289-xxxvii-o-07/",
            "/resolutions/ag-res-2289-xxxvii-o-07/20/",
            "/mandates/",
            "/mandates/?status=overdue&as_of=2012-01-01",
            "/organs/",
            "/organs/PC/",
        ]
        print(
            f"{Mandate.objects.count()} mandates in the database; "
            f"median of {RUNS} runs after a warm-up"
        )
        print(f"{'page':55} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for url in pages:
            client.get(url)
            executed = QueryCounter()
            with connection.execute_wrapper(executed):
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            print(f"{url:55} {statistics.median(times):10.1f} {max(times):8.1f} {len(executed):8d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
