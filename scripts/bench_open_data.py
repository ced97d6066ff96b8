"""Time search, the API and the exports on the default data plus N extra mandates.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mandate_tracker \\
        .venv/bin/python scripts/bench_open_data.py [N]

Creates (and drops) a throwaway test database next to DATABASE_URL's; prints, for each URL,
the median time of a few runs after a warm-up, its query count and the response size, and
whether PostgreSQL plans the text search on the GIN index.
"""

import datetime
import os
import random
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

RUNS = 5
WORDS = (
    "report migrant workers families human rights commission council program fund voluntary "
    "meeting experts session assembly secretariat cooperation study informe trabajadores "
    "migratorios derechos humanos comisión consejo programa reunión migración"
).split()


class QueryCounter(list):
    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def make_rows(extra: int) -> None:
    from mandates.models import Deadline, Mandate, Resolution

    rng = random.Random(14)
    resolution = Resolution.objects.create(
        symbol="AG/RES. 9000 (XL-O/10)", title="Benchmark", adopted_on=datetime.date(2010, 6, 8)
    )
    mandates = Mandate.objects.bulk_create(
        Mandate(
            resolution=resolution,
            label=str(i),
            order=i * 10,
            text="To " + " ".join(rng.choice(WORDS) for _ in range(60)) + ".",
        )
        for i in range(1, extra + 1)
    )
    Deadline.objects.bulk_create(
        Deadline(
            mandate=m,
            wording="by then",
            due_on=datetime.date(2010, 1, 1) + datetime.timedelta(days=i),
        )
        for i, m in enumerate(mandates)
    )


def measure(client, url):
    def fetch():
        response = client.get(url, HTTP_ACCEPT="application/json")
        size = (
            sum(len(chunk) for chunk in response.streaming_content)
            if response.streaming
            else len(response.content)
        )
        assert response.status_code == 200, (url, response.status_code)
        return size

    fetch()
    times = []
    for _ in range(RUNS):
        counter = QueryCounter()
        start = time.perf_counter()
        with connection.execute_wrapper(counter):
            size = fetch()
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(counter), size


def main(extra: int) -> None:
    from mandates.loading import load_default_data
    from mandates.models import Mandate
    from mandates.search import text_query

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_default_data()
        make_rows(extra)
        total = Mandate.objects.count()
        print(f"{total} mandates")
        client = Client()
        for url in [
            "/mandates/?q=migrant+workers",
            "/mandates/?q=trabajador",
            "/mandates/?q=2289",
            "/api/v1/mandates/",
            "/api/v1/mandates/?q=voluntary+fund&as_of=2010-06-01",
            "/api/v1/deadlines/",
            "/mandates/export.csv",
            "/mandates/export.json",
        ]:
            seconds, queries, size = measure(client, url)
            print(
                f"{url:55} {seconds * 1000:8.1f} ms  {queries:3d} queries  {size / 1024:9.0f} KiB"
            )
        sql, params = Mandate.objects.filter(
            search_vector=text_query("migrant")
        ).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print("text search uses the GIN index:", "mandates_mandate_search_gin" in plan)
        print(plan)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
