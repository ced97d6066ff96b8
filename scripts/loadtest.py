"""Load and fault test: gunicorn (DEBUG=0) on a private PostgreSQL, restarted once mid-run.

    make loadtest                                   # 60 s, 6 readers, 2 staff writers
    .venv/bin/python scripts/loadtest.py --duration 90 --readers 8 --outage-mode immediate

Readers fetch the public pages with random filters and as-of dates; staff writers record
progress through the admin's add form. At --outage-at of the run the database is stopped for
--outage-seconds, then started again (gunicorn keeps running). Everything is on loopback and
bounded by --duration and --max-requests. Redis is used for the cache when REDIS_URL is set.

Prints requests per second, latency p50/p95/p99 per page, non-2xx counts per phase (before,
during and after the outage), the recovery time, and writes acknowledged to a client against
rows present afterwards. Exits 1 if an acknowledged write is missing or a traceback was logged.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.ops_support import (  # noqa: E402
    AppServer,
    Browser,
    PrivatePostgres,
    acknowledged,
    collect_static,
    manage,
    production_env,
)

STATUSES = ["", "pending", "met", "overdue"]


class Recorder:
    """Every request: when it was sent, which page, status, latency. Thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows: list[tuple[float, str, int, float]] = []
        self.outage_start = self.outage_end = None  # monotonic times

    def add(self, page: str, status: int, elapsed: float) -> None:
        # Filed under the time the request was sent: its phase is when it was asked.
        with self.lock:
            self.rows.append((time.monotonic() - elapsed, page, status, elapsed))

    def phase(self, at: float) -> str:
        if self.outage_start is None or at < self.outage_start:
            return "before"
        if self.outage_end is None or at < self.outage_end:
            return "during"
        return "after"


def random_date(rng: random.Random) -> str:
    start = datetime.date(1998, 1, 1)
    return (start + datetime.timedelta(days=rng.randrange(0, 365 * 32))).isoformat()


def reader_paths(rng: random.Random, site: dict) -> tuple[str, str]:
    """(page name, path) with random filters."""
    choice = rng.random()
    as_of = random_date(rng)
    if choice < 0.35:
        params = [f"as_of={as_of}"]
        if rng.random() < 0.5:
            params.append(f"status={rng.choice(STATUSES)}")
        if rng.random() < 0.4:
            params.append(f"organ={rng.choice(site['organs'])}")
        if rng.random() < 0.3:
            params.append(f"resolution={rng.choice(site['slugs'])}")
        if rng.random() < 0.2:
            params.append(f"due_after={random_date(rng)}")
        return "mandate_list", "/mandates/?" + "&".join(params)
    if choice < 0.55:
        return "resolution_detail", f"/resolutions/{rng.choice(site['slugs'])}/?as_of={as_of}"
    if choice < 0.65:
        slug, label = rng.choice(site["mandates"])
        return "mandate_detail", f"/resolutions/{slug}/{label}/?as_of={as_of}"
    if choice < 0.75:
        return "home", "/" if rng.random() < 0.5 else f"/?as_of={as_of}"
    if choice < 0.82:
        return "organ_list", f"/organs/?as_of={as_of}"
    if choice < 0.88:
        return "organ_detail", f"/organs/{rng.choice(site['organs'])}/?as_of={as_of}"
    if choice < 0.93:
        return "resolution_list", "/resolutions/"
    if choice < 0.97:
        return "feed_atom", "/feeds/progress.atom"
    return "ical", "/feeds/deadlines.ics"


def reader(base, site, recorder, stop, budget, seed):
    rng = random.Random(seed)
    browser = Browser(base)
    while not stop.is_set() and budget.take():
        page, path = reader_paths(rng, site)
        try:
            response = browser.get(path)
            recorder.add(page, response.status, response.elapsed)
        except OSError:
            recorder.add(page, 0, 0.0)  # connection refused/reset: counted as a failure
            time.sleep(0.05)


def writer(base, site, staff, recorder, stop, budget, run_id, number, acked, attempted):
    rng = random.Random(1000 + number)
    browser = Browser(base)
    while not stop.is_set():
        try:
            browser.login(*staff)
            break
        except (OSError, RuntimeError):
            time.sleep(0.5)
    sequence = 0
    while not stop.is_set() and budget.take(2):
        sequence += 1
        title = f"loadtest-{run_id}-{number}-{sequence}"
        mandate_id = rng.choice(site["mandate_ids"])
        started = time.monotonic()
        try:
            form = browser.progress_record_form(
                mandate_id, title, datetime.date.today().isoformat()
            )
        except RuntimeError:
            recorder.add("admin_add_form", 503, time.monotonic() - started)
            time.sleep(0.2)
            continue
        except OSError:
            recorder.add("admin_add_form", 0, 0.0)
            continue
        recorder.add("admin_add_form", 200, time.monotonic() - started)
        attempted.append(title)
        try:
            response = browser.post("/admin/mandates/progressrecord/add/", form)
        except OSError:
            recorder.add("admin_save", 0, 0.0)
            continue
        ok = acknowledged(response)
        recorder.add("admin_save", 302 if ok else response.status, response.elapsed)
        if ok:
            acked.append(title)


class Budget:
    """At most N requests in all."""

    def __init__(self, limit: int):
        self.left, self.lock = limit, threading.Lock()

    def take(self, n: int = 1) -> bool:
        with self.lock:
            if self.left < n:
                return False
            self.left -= n
            return True


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def report(recorder: Recorder, started: float, finished: float, restart_done: float) -> None:
    rows = recorder.rows
    total_time = finished - started
    print(f"\nRequests: {len(rows)} in {total_time:.1f} s = {len(rows) / total_time:.1f} req/s")
    print(f"\n{'page':<20}{'requests':>9}{'2xx/3xx':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    pages = collections.defaultdict(list)
    for _at, page, status, elapsed in rows:
        pages[page].append((status, elapsed))
    for page in sorted(pages):
        ok = [e * 1000 for s, e in pages[page] if 200 <= s < 400]
        print(
            f"{page:<20}{len(pages[page]):>9}{len(ok):>9}{percentile(ok, 50):>9.0f}"
            f"{percentile(ok, 95):>9.0f}{percentile(ok, 99):>9.0f}"
        )
    print("\nPer phase (before / during / after the database outage):")
    for phase in ("before", "during", "after"):
        in_phase = [r for r in rows if recorder.phase(r[0]) == phase]
        if phase == "before":
            span = recorder.outage_start - started
        elif phase == "during":
            span = recorder.outage_end - recorder.outage_start
        else:
            span = finished - recorder.outage_end
        bad = collections.Counter(r[2] for r in in_phase if not 200 <= r[2] < 400)
        detail = ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(bad.items())) or "none"
        rate = len(in_phase) / span if span > 0 else 0
        print(
            f"  {phase:<7} {span:6.1f} s  {len(in_phase):6d} requests  {rate:7.1f} req/s  "
            f"non-2xx: {sum(bad.values())} ({detail})"
        )
    after = [r for r in rows if r[0] >= restart_done]
    first_ok = next((r[0] for r in after if 200 <= r[2] < 400), None)
    last_bad = max((r[0] for r in after if not 200 <= r[2] < 400), default=None)
    first_ok_ms = ((first_ok or restart_done) - restart_done) * 1000
    print(
        f"\nDatabase down for {recorder.outage_end - recorder.outage_start:.1f} s "
        f"(stop + start). Recovery: first success {first_ok_ms:.0f} ms "
        "after PostgreSQL accepted connections again; "
        + (
            f"last failure {(last_bad - restart_done) * 1000:.0f} ms after it."
            if last_bad
            else "no failure after it."
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--max-requests", type=int, default=50000, help="hard bound (50000)")
    parser.add_argument("--outage-at", type=float, default=0.4, help="fraction of the run")
    parser.add_argument("--outage-seconds", type=float, default=5)
    parser.add_argument(
        "--outage-mode",
        choices=["fast", "immediate"],
        default="fast",
        help="pg_ctl stop mode: fast (clean restart) or immediate (crash, WAL recovery)",
    )
    args = parser.parse_args()

    run_id = datetime.datetime.now().strftime("%H%M%S")
    print("Setting up a private PostgreSQL (fsync on), the schema, the default data…", flush=True)
    pg = PrivatePostgres("loadtest", fsync=True).initdb().start()
    static_root = Path(tempfile.mkdtemp(prefix="mt-static-"))
    app = None
    try:
        url = pg.create_database("mandates")
        extra = {"STATIC_ROOT": str(static_root)}
        if os.environ.get("REDIS_URL"):
            extra["REDIS_URL"] = os.environ["REDIS_URL"]
        env = production_env(url, **extra)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_default_data")
        manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": "load-test-password-1"},
            "createsuperuser", "--noinput", "--username", "loadtest", "--email", "lt@example.org",
        )  # fmt: skip
        collect_static(static_root, env)
        rows = pg.psql(
            "SELECT r.slug, m.label, m.id FROM mandates_mandate m "
            "JOIN mandates_resolution r ON r.id = m.resolution_id",
            "mandates",
        ).splitlines()
        mandates = [row.split("|") for row in rows]
        site = {
            "slugs": sorted({m[0] for m in mandates}),
            "mandates": [(m[0], m[1]) for m in mandates if "/" not in m[1]],
            "mandate_ids": [int(m[2]) for m in mandates],
            "organs": [
                a for a in pg.psql("SELECT acronym FROM mandates_organ", "mandates").splitlines()
                if "/" not in a and " " not in a
            ],
        }  # fmt: skip
        app = AppServer(env, workers=args.workers).start()
        print(
            f"gunicorn ({args.workers} workers) at {app.base}, PostgreSQL on port {pg.port}, "
            f"cache: {'Redis' if 'REDIS_URL' in extra else 'local memory'}; "
            f"{args.readers} readers + {args.writers} writers for {args.duration:.0f} s, "
            f"outage ({args.outage_mode}) at {args.outage_at:.0%} for {args.outage_seconds:.0f} s",
            flush=True,
        )

        recorder, stop, budget = Recorder(), threading.Event(), Budget(args.max_requests)
        acked, attempted = [], []
        staff = ("loadtest", "load-test-password-1")
        threads = [
            threading.Thread(target=reader, args=(app.base, site, recorder, stop, budget, i))
            for i in range(args.readers)
        ] + [
            threading.Thread(
                target=writer,
                args=(app.base, site, staff, recorder, stop, budget, run_id, i, acked, attempted),
            )
            for i in range(args.writers)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.duration * args.outage_at)
        recorder.outage_start = time.monotonic()
        pg.stop(args.outage_mode)
        time.sleep(args.outage_seconds)
        pg.start()
        restart_done = recorder.outage_end = time.monotonic()
        remaining = started + args.duration - time.monotonic()
        if remaining > 0:
            time.sleep(remaining)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        finished = time.monotonic()

        report(recorder, started, finished, restart_done)
        present = set(
            pg.psql(
                f"SELECT title FROM mandates_progressrecord WHERE title LIKE 'loadtest-{run_id}-%'",
                "mandates",
            ).splitlines()
        )
        lost = set(acked) - present
        unacknowledged = present - set(acked)
        print(
            f"\nWrites: {len(attempted)} attempted, {len(acked)} acknowledged to the client, "
            f"{len(present)} rows present afterwards; acknowledged but missing: {len(lost)}; "
            f"present but not acknowledged (commit whose answer was lost): {len(unacknowledged)}"
        )
        tracebacks = app.log().count("Traceback")
        print(f"Tracebacks in the gunicorn log: {tracebacks}")
        return 1 if lost or tracebacks else 0
    finally:
        if app is not None:
            app.stop()
        pg.destroy()
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
