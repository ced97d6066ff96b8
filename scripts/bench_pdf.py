#!/usr/bin/env python
"""Benchmark of the PDF compliance summaries, over real HTTP.

    .venv/bin/python scripts/bench_pdf.py            # PostgreSQL database mandates_bench
    .venv/bin/python scripts/bench_pdf.py --sqlite   # SQLite file in /tmp instead

What it does:
1. creates a throwaway database (PostgreSQL `mandates_bench` on the server of $DATABASE_URL,
   default postgres://postgres:postgres@127.0.0.1:5432; or a SQLite file in /tmp), migrates
   it and loads the default fixtures (`load_default_data()`);
2. adds 20 synthetic resolutions of 25 paragraphs each (500 mandates, with organs, deadlines
   and progress records), titled "Synthetic benchmark resolution …";
3. serves the site on 127.0.0.1 (Django's WSGI server, in this process) and fetches, with a
   warm-up first, the AG/RES. 2289 summary (target: median under 1.5 s) and the filtered
   summary /mandates/summary.pdf?q=Synthetic+benchmark (500 mandates; target under 10 s);
4. prints the medians, then where the time goes (queries + template vs. WeasyPrint layout
   vs. PDF writing), and drops the database.

Nothing here needs the network beyond 127.0.0.1: the PDFs are rendered with the project's
no-network URL fetcher.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "mandates_bench"
URL_2289 = "/resolutions/ag-res-2289-xxxvii-o-07/summary.pdf"
URL_500 = "/mandates/summary.pdf?q=Synthetic+benchmark"
TARGETS = {URL_2289: 1.5, URL_500: 10.0}


# --------------------------------------------------------------------------------------------
# The throwaway database
# --------------------------------------------------------------------------------------------


def postgres_urls(base: str) -> tuple[str, str]:
    """(maintenance URL on database "postgres", URL of the bench database) on base's server."""
    parts = urlsplit(base)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        parts = urlsplit("postgres://postgres:postgres@127.0.0.1:5432/postgres")
    return (
        urlunsplit(parts._replace(path="/postgres", query="")),
        urlunsplit(parts._replace(path=f"/{BENCH_DB}", query="")),
    )


@contextmanager
def throwaway_database(use_sqlite: bool, keep: bool):
    if use_sqlite:
        directory = tempfile.mkdtemp(prefix="mandates-bench-")
        path = Path(directory) / "bench.sqlite3"
        yield f"sqlite:///{path}"
        if not keep:
            path.unlink(missing_ok=True)
            os.rmdir(directory)
        return

    import psycopg
    from psycopg import sql

    maintenance, bench_url = postgres_urls(os.environ.get("DATABASE_URL", ""))

    def run(statement):
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(statement)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB))
    run(drop)
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))
    try:
        yield bench_url
    finally:
        if not keep:
            from django.db import connections

            connections.close_all()
            run(drop)


# --------------------------------------------------------------------------------------------
# 500 synthetic mandates
# --------------------------------------------------------------------------------------------


def synthetic_instruments(count=20, paragraphs=20, children=5, seed=2289) -> list[dict]:
    """`count` instruments of `paragraphs` paragraphs, the last with `children` sub-paragraphs:
    count * (paragraphs + children) mandates, in the loader's format."""
    from mandates.loading import read_fixture

    rng = random.Random(seed)
    texts = []

    def collect(items):
        for item in items:
            texts.append(item["text"])
            collect(item.get("children", []))

    collect(read_fixture("ag-res-2289-xxxvii-o-07.json")["paragraphs"])
    organs = ["GS", "PC", "CAJP", "IACHR", "OAE", "MS", "CIDI", "IACD", "DIL", "CJI", "CIM"]

    def paragraph(label: str) -> dict:
        wordings, deadlines, progress = [], [], []
        for i in range(rng.choice([0, 0, 1, 1, 2])):
            if rng.random() < 0.3:
                wording = f"at its {['thirty-eighth', 'thirty-ninth', 'fortieth'][i]} session"
                deadlines.append({"wording": wording, "session": 38 + i})
            else:
                due = f"{rng.choice([2008, 2009, 2010, 2011, 2030])}-{rng.randint(1, 12):02d}-15"
                wording = f"by {due} (item {i + 1})"
                deadlines.append({"wording": wording, "due_on": due})
            wordings.append(wording)
        for _ in range(rng.choice([0, 0, 1, 2])):
            fulfils = [w for w in wordings if rng.random() < 0.5]
            progress.append(
                {
                    "date": f"{rng.randint(2008, 2012)}-{rng.randint(1, 12):02d}-01",
                    "kind": "report",
                    "title": "Report presented to the Permanent Council on the matter",
                    "document_symbol": f"CP/doc.{rng.randint(4000, 4900)}/0{rng.randint(8, 9)}",
                    "fulfils": fulfils,
                    "completes_mandate": not wordings and rng.random() < 0.5,
                }
            )
        return {
            "label": label,
            "text": rng.choice(texts),
            "organs": rng.sample(organs, rng.randint(1, 3)),
            "deadlines": deadlines,
            "progress": progress,
        }

    instruments = []
    for n in range(1, count + 1):
        items = [paragraph(str(p)) for p in range(1, paragraphs + 1)]
        items[-1]["children"] = [
            paragraph(f"{paragraphs}.{chr(ord('a') + c)}") for c in range(children)
        ]
        instruments.append(
            {
                "kind": "ga_resolution",
                "symbol": f"AG/RES. {9000 + n} (XXXVII-O/07)",
                "title": f"Synthetic benchmark resolution {n}",
                "session": 37,
                "adopted_on": "2007-06-05",
                "paragraphs": items,
            }
        )
    return instruments


def load_data() -> int:
    from django.db import transaction

    from mandates.loading import load_default_data, save_instrument
    from mandates.models import Mandate

    load_default_data()
    with transaction.atomic():
        for instrument in synthetic_instruments():
            save_instrument(instrument)
    return Mandate.objects.filter(resolution__title__startswith="Synthetic benchmark").count()


# --------------------------------------------------------------------------------------------
# HTTP and timing
# --------------------------------------------------------------------------------------------


def serve():
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    httpd = WSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    httpd.set_app(get_wsgi_application())
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def fetch(url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (127.0.0.1 only)
        body = response.read()
        if response.status != 200 or response.headers["Content-Type"] != "application/pdf":
            raise SystemExit(f"{url}: HTTP {response.status} {response.headers['Content-Type']}")
    return time.perf_counter() - started, body


def page_count(body: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(body)).pages)


def bench(base: str, path: str, runs: int, warmup: int) -> dict:
    for _ in range(warmup):
        fetch(base + path)
    times, body = [], b""
    for _ in range(runs):
        elapsed, body = fetch(base + path)
        times.append(elapsed)
    return {
        "path": path,
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "runs": runs,
        "pages": page_count(body),
        "kib": len(body) / 1024,
    }


def breakdown(path: str) -> dict[str, float]:
    """One in-process request, timed by phase: everything before WeasyPrint (queries and
    the HTML template), WeasyPrint's parse + layout, and writing the PDF."""
    from django.test import Client
    from weasyprint import HTML

    from mandates import pdf

    phases = {}
    original = pdf.render_pdf

    def timed_render_pdf(html: str) -> bytes:
        phases["html_chars"] = len(html)
        start = time.perf_counter()
        document = HTML(
            string=html, base_url=pdf.STATIC_DIR.as_uri() + "/", url_fetcher=pdf.NoNetworkFetcher()
        ).render(pdf_variant="pdf/ua-1")
        phases["layout"] = time.perf_counter() - start
        start = time.perf_counter()
        content = document.write_pdf(pdf_variant="pdf/ua-1")
        phases["write"] = time.perf_counter() - start
        return content

    pdf.render_pdf = timed_render_pdf
    try:
        start = time.perf_counter()
        response = Client().get(path)
        total = time.perf_counter() - start
    finally:
        pdf.render_pdf = original
    assert response.status_code == 200, response.status_code
    phases["total"] = total
    phases["queries_and_template"] = total - phases["layout"] - phases["write"]
    return phases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file in /tmp")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of the 2289 summary")
    parser.add_argument("--runs-500", type=int, default=3, help="timed runs of the 500 one")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    # Production-like settings, whatever the shell says.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # plain HTTP on 127.0.0.1
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

    with throwaway_database(args.sqlite, args.keep) as database_url:
        os.environ["DATABASE_URL"] = database_url
        import logging

        import django
        from django.core.management import call_command

        django.setup()
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("django.request").setLevel(logging.ERROR)

        engine = "SQLite" if args.sqlite else "PostgreSQL"
        print(f"Database: {engine} {database_url.rsplit('@', 1)[-1]} (throwaway)")
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        synthetic = load_data()
        print(
            f"Loaded the default fixtures and {synthetic} synthetic mandates "
            f"in {time.perf_counter() - started:.1f} s"
        )
        if synthetic != 500:
            print(f"warning: expected 500 synthetic mandates, got {synthetic}", file=sys.stderr)

        httpd, base = serve()
        try:
            results = [
                bench(base, URL_2289, args.runs, args.warmup),
                bench(base, URL_500, args.runs_500, 1),
            ]
        finally:
            httpd.shutdown()
            httpd.server_close()

        print()
        print(f"{'summary (HTTP GET)':<52} {'median':>8} {'min':>7} {'max':>7} {'pages':>6}")
        failed = False
        for r in results:
            target = TARGETS[r["path"]]
            verdict = "ok" if r["median"] < target else f"SLOWER than {target} s"
            failed |= r["median"] >= target
            print(
                f"{r['path']:<52} {r['median']:>7.2f}s {r['min']:>6.2f}s {r['max']:>6.2f}s "
                f"{r['pages']:>6}   {r['kib']:.0f} KiB, {r['runs']} runs, target < {target} s: "
                f"{verdict}"
            )
        print()
        print("Where the time goes (one in-process request each):")
        for path in (URL_2289, URL_500):
            b = breakdown(path)
            print(
                f"  {path:<50} total {b['total']:.2f}s = queries+template "
                f"{b['queries_and_template']:.2f}s + WeasyPrint layout {b['layout']:.2f}s + "
                f"PDF writing {b['write']:.2f}s ({b['html_chars'] / 1024:.0f} KiB of HTML)"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
