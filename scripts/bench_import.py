#!/usr/bin/env python
"""Benchmark of the resolution importer's parse of the seed text (target: under 200 ms).

    .venv/bin/python scripts/bench_import.py              # organs and sessions from fixtures/
    .venv/bin/python scripts/bench_import.py --db         # from the database of $DATABASE_URL
    .venv/bin/python scripts/bench_import.py FILE --runs 50

The organ directory and the sessions are read once, outside the timing, so that what is
timed is the parse itself (the regexes are compiled on the warm-up run). Prints the median
and the slowest run in milliseconds, and exits non-zero when the median is over the target.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "seeds").is_dir()),
    ROOT.parent / "shared",
)
SEED = SHARED / "seeds" / "ag-res-2289-xxxvii-o-07.txt"
TARGET_MS = 200.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(SEED), help="text, PDF or .docx")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--db", action="store_true", help="read organs and sessions from the database"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from mandates.importer import OrganDirectory, parse_text, read_file, sessions_map

    if args.db:
        organs, sessions = OrganDirectory.build(), sessions_map()
    else:
        fixtures = ROOT / "fixtures"
        organs = OrganDirectory.build(json.loads((fixtures / "organs.json").read_text("utf-8")))
        sessions = sessions_map(json.loads((fixtures / "sessions.json").read_text("utf-8")))
    text = read_file(args.file)

    result = parse_text(text, organs=organs, sessions=sessions)  # warm-up
    timings = []
    for _run in range(args.runs):
        started = time.perf_counter()
        parse_text(text, organs=organs, sessions=sessions)
        timings.append((time.perf_counter() - started) * 1000)

    median = statistics.median(timings)
    print(f"{result['symbol']}: {len(text)} characters, {len(result['paragraphs'])} paragraphs")
    print(f"parse median {median:.1f} ms over {args.runs} runs (slowest {max(timings):.1f} ms)")
    print(f"target under {TARGET_MS:.0f} ms: {'OK' if median < TARGET_MS else 'TOO SLOW'}")
    corpus_throughput(
        parse_text, organs if not args.db else None, sessions if not args.db else None
    )
    return 0 if median < TARGET_MS else 1


def corpus_throughput(parse_text, organs, sessions) -> None:
    """Parse every text of ../shared/corpus/un-ga-80 (front matter removed) and print the
    throughput. In memory (no --db) the UN's organs are not known, so organ matching does less."""
    corpus = SHARED / "corpus" / "un-ga-80"
    texts = [
        p.read_text(encoding="utf-8").split("---\n", 2)[2] for p in sorted(corpus.glob("*.md"))
    ]
    if not texts:
        print(f"corpus: no text under {corpus}")
        return
    started = time.perf_counter()
    paragraphs = 0
    for text in texts:
        paragraphs += len(parse_text(text, organs=organs, sessions=sessions)["paragraphs"])
    elapsed = time.perf_counter() - started
    characters = sum(len(text) for text in texts)
    print(
        f"corpus un-ga-80: {len(texts)} texts, {characters:,} characters, {paragraphs} paragraphs "
        f"parsed in {elapsed * 1000:.0f} ms ({len(texts) / elapsed:.1f} texts/s, "
        f"{characters / elapsed / 1000:.0f} k characters/s)"
    )


if __name__ == "__main__":
    sys.exit(main())
