"""Real servers for the operations tests and `make loadtest`: private PostgreSQL instances,
gunicorn with production settings, and a small HTTP client that logs into the admin.

A private instance lives in its own temporary directory on a free port, so stopping it (or
making it a primary with a streaming replica) never touches the system's PostgreSQL. Running
as root, the PostgreSQL programs run as the ``postgres`` user (they refuse root).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent


def postgres_bin() -> Path:
    """The directory of initdb/pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/*/bin."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not found:
        raise RuntimeError(
            "PostgreSQL server programs not found under /usr/lib/postgresql/*/bin "
            "(apt-get install postgresql, or set PG_BIN)."
        )
    return found[-1].parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _chown_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


class PrivatePostgres:
    """A throw-away PostgreSQL server: trust authentication, loopback only."""

    def __init__(self, name: str = "pg", fsync: bool = False):
        self.root = Path(tempfile.mkdtemp(prefix=f"mt-{name}-"))
        self.root.chmod(0o755)
        _chown_to_postgres(self.root)
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.fsync = fsync
        self.bin = postgres_bin()

    def _run(self, program: str, *args: str, check: bool = True, timeout: float = 120):
        command = _as_postgres([str(self.bin / program), *args])
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"{program} failed ({result.returncode}): {result.stderr}")
        return result

    def initdb(self) -> PrivatePostgres:
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        return self

    def start(self) -> PrivatePostgres:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
            f" -c fsync={'on' if self.fsync else 'off'} -c max_connections=60"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options,
            "start",
        )  # fmt: skip
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def is_running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
            "-v", "ON_ERROR_STOP=1", "-Atc", sql,
        )  # fmt: skip
        return result.stdout.strip()

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def replica(self, name: str = "replica") -> PrivatePostgres:
        """A streaming replica of this (running) server, in its own directory, started."""
        replica = PrivatePostgres(name, fsync=self.fsync)
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-D", str(replica.data), "-R", "-X", "stream", "--no-sync", "-c", "fast",
        )  # fmt: skip
        return replica.start()

    def destroy(self) -> None:
        if self.data.exists() and self.is_running():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)


# --- The application under production settings -------------------------------------------------


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production gunicorn (DEBUG=0), plain http on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "DEBUG", "LOG_FORMAT"}
        and not key.startswith(("PYTEST", "DJANGO_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed: {result.stderr[-3000:]}")
    return result.stdout


def collect_static(static_root: Path, env: dict[str, str]) -> None:
    """DEBUG=0 serves hashed static names from WhiteNoise's manifest: collect them once."""
    manage({**env, "STATIC_ROOT": str(static_root)}, "collectstatic", "--noinput", "-v", "0")


def static_fingerprint() -> str:
    """Changes whenever a file collectstatic would collect changes (needs Django set up)."""
    import hashlib

    from django.contrib.staticfiles import finders

    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def cached_static_root(env: dict[str, str]) -> tuple[Path, subprocess.Popen | None]:
    """Collected static files reused across runs while the sources are unchanged (collecting
    and compressing them takes half a minute on a busy 2-core machine). Returns the directory
    and the collectstatic process still filling it, if any."""
    root = Path(tempfile.gettempdir()) / f"mt-static-{static_fingerprint()}"
    if (root / "staticfiles.json").exists():
        return root, None
    partial = Path(tempfile.mkdtemp(prefix="mt-static-partial-"))
    process = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=REPO,
        env={**env, "STATIC_ROOT": str(partial)},
        stderr=subprocess.PIPE,
    )
    return root, _Finisher(process, partial, root)


class _Finisher:
    """Wait for collectstatic, then move its result into place (first one wins)."""

    def __init__(self, process, partial: Path, root: Path):
        self.process, self.partial, self.root = process, partial, root

    def wait(self, timeout: float = 300) -> int:
        code = self.process.wait(timeout=timeout)
        if code != 0:
            raise RuntimeError(f"collectstatic failed: {self.process.stderr.read().decode()}")
        self.partial.chmod(0o755)
        try:
            self.partial.rename(self.root)
        except OSError:  # another run got there first
            shutil.rmtree(self.partial, ignore_errors=True)
        return code


def _no_control_socket() -> list[str]:
    """Newer gunicorns open a control socket at a fixed path: several servers would share it."""
    from gunicorn.config import KNOWN_SETTINGS

    return (
        ["--no-control-socket"]
        if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS)
        else []
    )


class AppServer:
    """gunicorn serving tracker.wsgi on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int = 1, threads: int = 1):
        self.env = env
        self.port = free_port()
        self.workers = workers
        self.threads = threads
        self.log_path = Path(tempfile.mkstemp(prefix="mt-gunicorn-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> AppServer:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", "tracker.wsgi:application",
                    "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                    "--threads", str(self.threads), "--timeout", "60", "--graceful-timeout", "5",
                    *_no_control_socket(),
                ],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log()[-3000:]}")
            try:
                if Browser(self.base).get("/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz: {self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_path.unlink(missing_ok=True)


# --- A client with cookies and CSRF, that does not follow redirects ----------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str
    elapsed: float

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Browser:
    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        host, port = self.base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=self.timeout)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        for value in raw.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        headers_out = {k.lower(): v for k, v in raw.getheaders()}
        return Response(raw.status, headers_out, text, elapsed)

    def get(self, path: str, headers=None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data, headers=None) -> Response:
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        if "csrftoken" in self.cookies:
            fields.append(("csrfmiddlewaretoken", self.cookies["csrftoken"]))
        body = urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, body=body, headers=headers)

    def login(self, username: str, password: str) -> None:
        self.get("/admin/login/")
        response = self.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
        )
        if response.status != 302:
            raise RuntimeError(f"admin login failed: {response.status} {response.text[:500]}")

    def progress_record_form(self, mandate_id: int, title: str, date: str) -> list[tuple]:
        """The admin's add form for a progress record, filled in as a secretariat member does."""
        page = self.get(PROGRESS_ADD)
        if page.status != 200:
            raise RuntimeError(f"progress record form: {page.status}")
        data = [
            ("mandate", str(mandate_id)),
            ("date", date),
            ("date_precision", "day"),
            ("kind", "report"),
            ("title", title),
            ("summary", "Recorded by the operations test."),
            ("document_symbol", ""),
            ("url", ""),
            ("_save", "Save"),
        ]
        for prefix in re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page.text):
            data += [
                (f"{prefix}-TOTAL_FORMS", "0"),
                (f"{prefix}-INITIAL_FORMS", "0"),
                (f"{prefix}-MIN_NUM_FORMS", "0"),
                (f"{prefix}-MAX_NUM_FORMS", "1000"),
            ]
        return data

    def add_progress_record(self, mandate_id: int, title: str, date: str) -> Response:
        """Fill in and save; a 302 away from the form is the acknowledgement."""
        return self.post(PROGRESS_ADD, self.progress_record_form(mandate_id, title, date))


PROGRESS_ADD = "/admin/mandates/progressrecord/add/"


def acknowledged(response: Response) -> bool:
    """The admin confirms a save by redirecting away from the form."""
    return response.status == 302 and "/add/" not in (response.header("location") or "")
