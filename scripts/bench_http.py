"""HTTP side of `make bench` (scripts/bench.py): gunicorn, its workers' memory, the client."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "30"))
HELLO = "/_bench/hello/"


# --------------------------------------------------------------------------------------------
# gunicorn and its memory
# --------------------------------------------------------------------------------------------


class Server:
    """gunicorn with production settings on 127.0.0.1, two sync workers, --timeout 60."""

    def __init__(
        self, database_url: str, page_cache: bool, static_root: str, statement_timeout=None
    ):
        self.port = free_port()
        self.base_env = dict(
            os.environ,
            DATABASE_URL=database_url,
            DJANGO_SETTINGS_MODULE="bench_settings",
            PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'scripts'}",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(40),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            PAGE_CACHE="1" if page_cache else "0",
            STATIC_ROOT=static_root,
            LOG_LEVEL="ERROR",
        )
        if statement_timeout:
            # A query that outlives the client is cancelled rather than left running on the
            # server after its worker is restarted (libpq reads PGOPTIONS).
            self.base_env["PGOPTIONS"] = f"-c statement_timeout={statement_timeout * 1000:.0f}"
        self.peaks: dict[int, int] = {}
        self.process = None
        self.watching = False

    def __enter__(self):
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log")
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "tracker.wsgi:application", "--workers", "2", "--timeout",
             "60", "--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT)],
            env=self.base_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: master and workers stop together
        )  # fmt: skip
        pidfile = os.environ.get("BENCH_PIDFILE")
        if pidfile:
            Path(pidfile).write_text(str(self.process.pid))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if Client(self.port).get(HELLO)[0] == 200:
                    break
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        else:
            self.__exit__()
            raise RuntimeError("gunicorn did not answer within 60 s")
        if self.process.poll() is not None:
            self.log.seek(0)
            raise RuntimeError(f"gunicorn exited:\n{self.log.read()[-3000:]}")
        self.watching = True
        threading.Thread(target=self._watch_memory, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.watching = False
        if self.process and self.process.poll() is None:
            # SIGINT is gunicorn's quick shutdown: no waiting for a request stuck in the database.
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        pidfile = os.environ.get("BENCH_PIDFILE")
        if pidfile:
            Path(pidfile).write_text("")
        self.log.close()

    def restart(self) -> None:
        """After a timeout both workers may still be busy: start afresh (peaks are kept)."""
        self.__exit__()
        self.__enter__()

    def workers(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    stat = (entry / "stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                        found.append(int(entry.name))
        return found

    def _watch_memory(self):
        """Peak resident memory of each worker (VmHWM), workers replaced after a timeout too."""
        while self.watching:
            for pid in self.workers():
                with contextlib.suppress(OSError):
                    status = Path(f"/proc/{pid}/status").read_text()
                    match = re.search(r"VmHWM:\s+(\d+) kB", status)
                    if match:
                        self.peaks[pid] = max(self.peaks.get(pid, 0), int(match.group(1)))
            time.sleep(0.25)

    def peak_mb(self) -> float:
        return max(self.peaks.values(), default=0) / 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------------
# The client and the measurements
# --------------------------------------------------------------------------------------------


class Client:
    """One sequential HTTP/1.1 client. It keeps the connection alive when the server does;
    gunicorn's sync workers close it after each response, so it reconnects (on loopback)."""

    def __init__(self, port: int):
        self.port = port
        # A little over TIMEOUT, so that a page stopped by statement_timeout shows as such.
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT + 5)

    def get(self, path: str) -> tuple[int, int]:
        for attempt in (1, 2):
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                return response.status, len(response.read())
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


class Row:
    def __init__(self, n=0, seconds=0.0, latencies=(), error=""):
        self.n, self.seconds, self.latencies, self.error = n, seconds, list(latencies), error

    @property
    def rps(self) -> float:
        return self.n / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0]
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1]


def measure(port: int, path: str, *, seconds=None, requests=None, budget=None) -> Row:
    """Sequential GETs: for `seconds` (at least 5 requests) or exactly `requests` (stopping
    early after `budget` seconds). requests/s = completed requests / wall time."""
    client, latencies, started = Client(port), [], time.perf_counter()
    while True:
        begun = time.perf_counter()
        try:
            status, _size = client.get(path)
        except TimeoutError:
            return Row(len(latencies), time.perf_counter() - started, latencies, "TIMEOUT")
        except OSError as exc:
            return Row(len(latencies), time.perf_counter() - started, latencies, f"error {exc}")
        now = time.perf_counter()
        if status != 200:
            error = "TIMEOUT" if now - begun >= TIMEOUT else f"HTTP {status}"
            return Row(len(latencies), now - started, latencies, error)
        latencies.append((now - begun) * 1000)
        elapsed = now - started
        if requests is not None:
            if len(latencies) >= requests or (budget and elapsed > budget):
                return Row(len(latencies), elapsed, latencies)
        elif elapsed >= seconds and len(latencies) >= 5:
            return Row(len(latencies), elapsed, latencies)


def prime(port: int, path: str, times: int = 6) -> None:
    """Warm both workers up (and fill their page caches: each may have its own). The requests
    go in concurrent pairs: one client's sequential requests can all reach the same worker,
    leaving the other's first request (templates to compile, statements to prepare) to be
    measured; while one worker is busy with a pair's first request, the other takes the
    second."""

    def get() -> None:
        with contextlib.suppress(OSError, http.client.HTTPException):
            Client(port).get(path)

    for _ in range(max(times // 2, 1)):
        pair = [threading.Thread(target=get) for _ in range(2)]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join()
