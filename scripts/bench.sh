#!/usr/bin/env bash
# `make bench`: run scripts/bench.py and make sure no gunicorn it started outlives it, whether
# it ends normally, fails or is interrupted (Ctrl-C).
set -euo pipefail
PY=${PY:-.venv/bin/python}
BENCH_PIDFILE=$(mktemp)
export BENCH_PIDFILE
stop() {
  pid=$(cat "$BENCH_PIDFILE" 2>/dev/null || true)
  # gunicorn runs in its own process group (its pid): SIGINT is its quick shutdown.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -INT -- "-$pid"; fi
  rm -f "$BENCH_PIDFILE"
}
trap stop EXIT INT TERM
"$PY" scripts/bench.py
