#!/usr/bin/env python
"""`make bench`: the public pages over HTTP, side by side with a Django hello-world view.

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres \
        .venv/bin/python scripts/bench.py

1. Default data (database `bench_default`, recreated): hello-world and each public page, cold
   (gunicorn started with PAGE_CACHE=0) and warm (PAGE_CACHE=1, after priming), as requests/s,
   as a percentage of hello-world's requests/s, and p50/p95 latency; then the PDF summaries.
2. The generated corpus (database `bench_100k`, generated with `generate_corpus --mandates
   100000 --seed 1` when absent or outdated, reused otherwise): EXPLAIN (ANALYZE, BUFFERS) of the
   status filter and the home counts, then (after one unmeasured request per gunicorn worker)
   50 sequential requests per page, cold, p50/p95 marked
   OK or OVER against 150 ms, and the gunicorn workers' peak memory (VmHWM).
3. The importer's parse of the AG/RES. 2289 seed text.

Environment: BENCH_MANDATES (corpus size, default 100000; the database is then bench_<N/1000>k),
BENCH_SECONDS (time per default-data row, default 4), BENCH_REQUESTS (requests per corpus row,
default 50), BENCH_TIMEOUT (client timeout per request, default 30 s), BENCH_PIDFILE (where the
running gunicorn's pid is kept, for the shell's trap).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

from bench_http import HELLO, PY, ROOT, TIMEOUT, Row, Server, measure, prime

MANDATES = int(os.environ.get("BENCH_MANDATES", "100000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
URL_BUDGET = 90.0  # seconds at most per corpus row, so a slow engine cannot stall the run
TARGET_P95_MS = 150.0
SLUG_2289 = "ag-res-2289-xxxvii-o-07"
DEFAULT_PAGES = [
    "/",
    "/resolutions/",
    f"/resolutions/{SLUG_2289}/",
    f"/resolutions/{SLUG_2289}/20/",
    "/mandates/",
    "/mandates/?status=overdue",
    "/organs/",
    "/organs/PC/",
    "/meetings/",
    "/feeds/progress.atom",
    "/feeds/deadlines.ics",
]
PDFS = [f"/resolutions/{SLUG_2289}/summary.pdf", "/mandates/summary.pdf?organ=PC"]


# --------------------------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------------------------


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL") or "postgres://postgres:postgres@127.0.0.1:5432/postgres"
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}", query=""))


def maintenance(statement: str) -> list:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


def database_exists(name: str) -> bool:
    return bool(maintenance(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))


def recreate_database(name: str) -> None:
    maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    maintenance(f'CREATE DATABASE "{name}"')


def manage(db: str, *args: str, capture: bool = False) -> str:
    env = dict(os.environ, DATABASE_URL=database_url(db), DJANGO_SETTINGS_MODULE="tracker.settings")
    result = subprocess.run(
        [PY, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=False,
        text=True,
        capture_output=capture,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr or ''}")
    return result.stdout or ""


def bench_db(db: str, command: str) -> str:
    result = subprocess.run(
        [PY, str(ROOT / "scripts" / "bench_db.py"), command],
        env=dict(os.environ, DATABASE_URL=database_url(db)),
        check=True,
        text=True,
        capture_output=True,
    )
    return result.stdout


def ensure_corpus(db: str) -> None:
    """Reuse the corpus when it is there, made by this version of the generator with the same
    size and the schema is up to date (no migration pending); else generate it afresh."""
    if database_exists(db):
        pending = subprocess.run(
            [PY, str(ROOT / "manage.py"), "migrate", "--check"],
            env=dict(os.environ, DATABASE_URL=database_url(db)),
            cwd=ROOT,
            capture_output=True,
        ).returncode
        if not pending:
            found = json.loads(bench_db(db, "state"))
            if found["generated"] == MANDATES and not found["others"]:
                print(f"Reusing the {MANDATES:,}-mandate corpus in database {db}.")
                return
        print(f"Database {db} is outdated or holds other data: generating it again.")
    recreate_database(db)
    manage(db, "migrate", "--noinput", "-v0")
    print(f"Generating {MANDATES:,} mandates into database {db}…", flush=True)
    print(manage(db, "generate_corpus", "--mandates", str(MANDATES), "--seed", "1", capture=True))


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def fmt(value: float, digits: int = 1) -> str:
    return "-" if value != value else f"{value:,.{digits}f}"  # NaN -> "-"


class Table:
    HEAD = (
        f"{'':<58} {'------ cold: PAGE_CACHE=0 ------':>34}   "
        f"{'------ warm: PAGE_CACHE=1 ------':>34}\n"
        f"{'page':<58} {'req/s':>8} {'%hello':>7} {'p50 ms':>8} {'p95 ms':>8}   "
        f"{'req/s':>8} {'%hello':>7} {'p50 ms':>8} {'p95 ms':>8}   note"
    )

    def __init__(self):
        self.lines: list[str] = []

    def section(self, title: str) -> None:
        self.lines += ["", f"== {title}"]

    def add(self, name: str, cold: Row | None, warm: Row | None, hello: tuple, note=""):
        cells = []
        for row, reference in ((cold, hello[0]), (warm, hello[1])):
            if row is None:
                cells.append(f"{'':>34}")
            elif row.error and not row.latencies:
                cells.append(f"{row.error:>34}")
            else:
                share = 100 * row.rps / reference.rps if reference and reference.rps else None
                cells.append(
                    f"{fmt(row.rps):>8} {fmt(share if share else float('nan'), 1):>7} "
                    f"{fmt(row.percentile(50)):>8} {fmt(row.percentile(95)):>8}"
                )
        errors = "; ".join(
            r.error for r in (cold, warm) if r is not None and r.error and r.error not in note
        )
        note = "; ".join(x for x in (note, errors) if x)
        self.lines.append(f"{name[:58]:<58} {cells[0]}   {cells[1]}   {note}".rstrip())
        print(self.lines[-1], flush=True)

    def text(self) -> str:
        return self.HEAD + "\n" + "\n".join(self.lines)


def default_data_section(table: Table, static_root: str) -> None:
    db = "bench_default"
    recreate_database(db)
    manage(db, "migrate", "--noinput", "-v0")
    manage(db, "load_default_data", capture=True)
    results: dict[tuple[str, bool], Row] = {}
    for page_cache in (False, True):
        with Server(database_url(db), page_cache, static_root) as server:
            for path in [HELLO, *DEFAULT_PAGES]:
                # Unmeasured requests first, enough to reach both workers: cold means no page
                # cache, not a worker's first sight of the page (templates to compile,
                # statements to prepare); warm, they also fill each worker's cache.
                prime(server.port, path, 6)
                results[path, page_cache] = measure(server.port, path, seconds=SECONDS)
            if not page_cache:
                for path in PDFS:
                    measure(server.port, path, requests=1)  # warm-up (fonts, templates)
                    results[path, False] = measure(server.port, path, requests=5, budget=60)
    hello = (results[HELLO, False], results[HELLO, True])
    table.section(f"default data (database {db}), sequential requests for {SECONDS:g} s each")
    for path in [HELLO, *DEFAULT_PAGES]:
        note = "target: >= 10 % cold, >= 50 % warm" if path == f"/resolutions/{SLUG_2289}/" else ""
        table.add(path, results[path, False], results[path, True], hello, note)
    table.section("PDF summaries (default data, cold, 5 requests after a warm-up)")
    for path in PDFS:
        table.add(path, results[path, False], None, hello)


def corpus_verdict(row: Row) -> str:
    if row.error == "TIMEOUT":
        note = f"TIMEOUT (no answer within {TIMEOUT:.0f} s)"
    elif row.error:
        note = f"FAILED ({row.error})"
    else:
        verdict = "OK" if row.percentile(95) < TARGET_P95_MS else "OVER"
        note = f"{verdict} (p95 < {TARGET_P95_MS:.0f} ms)"
    return note + (f", after {row.n} requests" if row.n < REQUESTS else "")


def corpus_section(table: Table, static_root: str) -> None:
    db = f"bench_{MANDATES // 1000}k" if MANDATES % 1000 == 0 else f"bench_{MANDATES}"
    ensure_corpus(db)
    found = json.loads(bench_db(db, "lookup"))
    today = datetime.date.today()
    ten_years_ago = today.replace(year=today.year - 10, day=min(today.day, 28))
    organ, resolution = found["organ"], found["resolution"]
    pages = [
        "/mandates/?status=overdue",
        f"/mandates/?status=met&organ={organ}",
        f"/mandates/?status=pending&as_of={ten_years_ago.isoformat()}",
        "/",
        f"/organs/{organ}/",
        f"/resolutions/{resolution}/" if resolution else None,
        "/mandates/",
        "/resolutions/",
        "/organs/",
        "/feeds/deadlines.ics",
    ]
    print(
        f"\nCorpus {db}: {found['mandates']:,} mandates; busiest organ {organ} "
        f"({found['organ_mandates']:,} mandates); resolution {resolution} "
        f"({found['resolution_paragraphs']} paragraphs)\n",
        flush=True,
    )
    print(bench_db(db, "explain"), flush=True)
    table.section(
        f"{found['mandates']:,} mandates (database {db}), cold, {REQUESTS} sequential requests "
        f"each (at most {URL_BUDGET:.0f} s; statement_timeout {TIMEOUT:.0f} s)"
    )
    print(table.lines[-1], flush=True)
    with Server(database_url(db), False, static_root, statement_timeout=TIMEOUT) as server:
        for path in filter(None, pages):
            # Cold means no page cache, not a worker's first sight of a template: one
            # unmeasured request per worker first.
            prime(server.port, path, times=2)
            row = measure(server.port, path, requests=REQUESTS, budget=URL_BUDGET)
            table.add(path, row, None, (None, None), corpus_verdict(row))
            if row.error:
                server.restart()
        peak = server.peak_mb()
    verdict = "OK" if peak < 300 else "OVER"
    table.lines.append(f"peak RSS of a gunicorn worker over this section: {peak:.0f} MB ({verdict}"
                       " against 300 MB)")  # fmt: skip
    print(table.lines[-1], flush=True)


def importer_section(table: Table) -> None:
    seed = next(
        (p for p in (ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" / "seeds")
         if (p / f"{SLUG_2289}.txt").exists()),
        None,
    )  # fmt: skip
    table.section("importer")
    if seed is None:
        table.lines.append("parse of the AG/RES. 2289 seed: seed text not found, skipped")
        return
    result = subprocess.run(
        [PY, str(ROOT / "scripts" / "bench_import.py"), str(seed / f"{SLUG_2289}.txt")],
        capture_output=True,
        text=True,
        env=dict(os.environ, DATABASE_URL=database_url("bench_default")),
    )
    match = re.search(r"parse median ([\d.]+) ms over (\d+) runs \(slowest ([\d.]+) ms\)",
                      result.stdout)  # fmt: skip
    if not match:
        table.lines.append(f"parse of the AG/RES. 2289 seed: failed\n{result.stderr[-2000:]}")
        return
    table.lines.append(
        f"{'parse of the AG/RES. 2289 seed text':<58} {'':>8} {'':>7} {float(match[1]):>8.1f} "
        f"{'':>8}   median of {match[2]} runs, slowest {match[3]} ms (target < 200 ms)"
    )


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that gunicorn is stopped
    started = time.perf_counter()
    print(
        "Method: one sequential client on 127.0.0.1 (Python http.client); requests/s = completed "
        "requests / wall time; the same for hello-world and pages. gunicorn, 2 sync workers, "
        "--timeout 60, DEBUG=0, same settings and middleware for all; %hello = a page's "
        "requests/s as a share of hello-world's on the same server.\n",
        flush=True,
    )
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    subprocess.run(
        [PY, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=dict(os.environ, STATIC_ROOT=static_root, DEBUG="0", SECRET_KEY="collect",
                 ALLOWED_HOSTS="localhost"),
        check=True,
    )  # fmt: skip
    table = Table()
    print(Table.HEAD, flush=True)
    default_data_section(table, static_root)
    corpus_section(table, static_root)
    importer_section(table)
    print("\n" + "=" * 40 + " Summary " + "=" * 40)
    print(table.text())
    print(f"\nTotal time: {(time.perf_counter() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
