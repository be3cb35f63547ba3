"""Private PostgreSQL, Redis, gunicorn and Celery processes for the fault tests.

Other developers and CI use the machine's PostgreSQL (5432) and Redis (6379) at the
same time, so these tests never touch them: every service they stop or kill is one they
started, on a free port, with its files in a temporary directory. The web server and the
worker run as in production (``DEBUG=0``, gunicorn with ``docker/gunicorn.conf.py``,
``celery worker``), in their own processes, pointed at the private services.
"""

from __future__ import annotations

import ctypes
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SECRET_KEY = secrets.token_urlsafe(50)

T = TypeVar("T")


# --- small tools -------------------------------------------------------------------------


def wait_for(
    check: Callable[[], T],
    *,
    timeout: float,
    what: str,
    interval: float = 0.05,
    details: Callable[[], str] | None = None,
) -> T:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            extra = f"\n{details()}" if details else ""
            raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}.{extra}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Process ids of ``pid``'s children, grandchildren... (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (command) state ppid ...": the command may contain spaces and parentheses.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found.extend(children)
        todo.extend(children)
    return found


def _stat(pid: int) -> list[str] | None:
    """Fields 3... of /proc/<pid>/stat (state, ppid, ..., starttime at index 19)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def pid_alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def started_at(pid: int) -> str | None:
    """When the process started (clock ticks since boot): tells a reused pid apart."""
    fields = _stat(pid)
    return fields[19] if fields else None


def tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"({path.name}: no log)"
    return f"--- {path.name} (last {lines} lines) ---\n" + "\n".join(text.splitlines()[-lines:])


def _die_with_parent() -> None:
    """In the child, before exec: SIGKILL it if the test process dies (Linux), so that a
    killed test run (a CI timeout) leaves no server running."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Process:
    """A child process with its output in a log file (a pipe nobody reads can fill up)."""

    def __init__(self, name: str, args: list[str], *, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.args = args
        self.env = env
        self.log = log
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as output:
            self.popen = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM, then SIGKILL for it and whatever it left behind (ours only, by id)."""
        if self.popen is None:
            return
        # (A process already reaped has no family to look for: its pid may be reused.)
        alive = self.running()
        family = [(pid, started_at(pid)) for pid in descendants(self.pid)] if alive else []
        if alive:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        for pid, start in family:
            # Only if it is still the same process (not a reused pid).
            if pid_alive(pid) and started_at(pid) == start:
                os.kill(pid, signal.SIGKILL)


# --- Redis --------------------------------------------------------------------------------


class PrivateRedis:
    """``redis-server`` on a free port, without persistence; stop and start it at will."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: Process | None = None
        self.starts = 0
        self.frozen = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        redis_server = shutil.which("redis-server") or "redis-server"
        self.process = Process(
            "redis",
            [
                redis_server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.directory),
                "--maxmemory-policy",
                "noeviction",
            ],
            env=dict(os.environ),
            log=self.directory / f"redis-{self.starts}.log",
        ).start()
        wait_for(self.ping, timeout=15, what="the private Redis", details=self.logs)

    def stop(self) -> None:
        self.thaw()
        if self.process is not None:
            self.process.stop(timeout=10)
        wait_for(lambda: not self.ping(), timeout=5, what="the private Redis to stop")

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts connections (the kernel's backlog), nothing
        answers: a Redis stuck (swapping, a huge command) or a network that drops replies."""
        assert self.process is not None and self.process.running()
        os.kill(self.process.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        if self.frozen and self.process is not None and self.process.running():
            os.kill(self.process.pid, signal.SIGCONT)
        self.frozen = False

    def logs(self) -> str:
        return "\n".join(tail(log) for log in sorted(self.directory.glob("redis-*.log")))


# --- PostgreSQL -------------------------------------------------------------------------


def postgres_bin_dir() -> Path | None:
    """The newest server binaries (Debian keeps them out of PATH), or initdb on PATH."""

    def version(path: Path) -> float:
        try:
            return float(path.parent.parent.name)
        except ValueError:
            return 0.0

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


CLUSTER_PREFIX = "faults-pg-"


class PrivateCluster:
    """A PostgreSQL cluster of our own: ``initdb`` in a temporary directory, free port.

    initdb and the server refuse to run as root: as root, they run as the ``postgres``
    system user (``runuser``), in a directory that user owns.
    """

    def __init__(self, bin_dir: Path, base: Path | None = None) -> None:
        self.bin_dir = bin_dir
        self.as_root = os.geteuid() == 0
        if base is None:
            base = Path(tempfile.mkdtemp(prefix=CLUSTER_PREFIX))
            # pg_ctl detaches the server from us: say whose it is, for remove_orphans().
            (base / "owner.pid").write_text(str(os.getpid()))
            if self.as_root:
                shutil.chown(base, "postgres", "postgres")
        self.base = base
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self.port = free_port()

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command,
            cwd=self.base,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return result

    def _check(self, *args: str, timeout: float = 60) -> None:
        result = self._run(*args, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args[:2])} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}\n{tail(self.log)}"
            )

    def init(self) -> None:
        self._check(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
            timeout=120,
        )

    def start(self) -> None:
        # fsync off: the tests stop the server process, never the machine; what a
        # committed transaction wrote is in the kernel's cache and survives a crash of
        # PostgreSQL itself (crash recovery replays the WAL).
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=50"
        )
        self._check(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60",
            "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """``fast``: a clean shutdown; ``immediate``: the server dies (crash recovery next)."""
        self._check("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status").returncode == 0

    def destroy(self) -> None:
        try:
            if self.data.exists() and self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    @classmethod
    def remove_orphans(cls, bin_dir: Path) -> None:
        """Stop and delete the clusters of earlier runs whose test process was killed
        (never another run's: its owner is alive)."""
        for base in Path(tempfile.gettempdir()).glob(f"{CLUSTER_PREFIX}*"):
            try:
                owner = int((base / "owner.pid").read_text())
            except (OSError, ValueError):
                continue
            if pid_alive(owner):
                continue
            cls(bin_dir, base).destroy()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=database,
            autocommit=True,
            connect_timeout=5,
        )

    def execute(self, sql: str, database: str = "postgres") -> None:
        with self.connect(database) as conn:
            conn.execute(sql)


# --- the application's processes ---------------------------------------------------------

# Variables of the outer environment that must not leak into the private stack (CI sets
# DATABASE_URL and CELERY_BROKER_URL to the machine's services; tests.pytest_env sets the
# filesystem broker's folders).
_OWN_PREFIXES = (
    "DATABASE_",
    "CACHE_",
    "CELERY_",
    "REPORTS_",
    "DJANGO_",
    "SECURE_",
    "SESSION_",
    "EMAIL_",
    "GUNICORN_",
    "STORAGE_",
    "S3_",
)
_OWN_NAMES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "VAR_DIR",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "WEB_CONCURRENCY",
    "LOG_LEVEL",
    "PROXY_COUNT",
}


def app_environment(
    *, database_url: str, broker_url: str, directory: Path, cache_url: str = ""
) -> dict[str, str]:
    """Production settings (``DEBUG=0``) pointed at the private services."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_OWN_PREFIXES) and key not in _OWN_NAMES
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP to gunicorn: no TLS proxy in front of it here.
            "SECURE_SSL_REDIRECT": "0",
            # The seeded consultant logs in with a password only (no authenticator app).
            "MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS": "0",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "CACHE_URL": cache_url,
            "VAR_DIR": str(directory / "var"),
            "MEDIA_ROOT": str(directory / "media"),
            "STATIC_ROOT": str(directory / "static"),
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if broker_url.startswith("memory://"):
        # Seeding submits assessments, which queue a peer-statistics refresh: Celery needs a
        # result backend it can name ("memory" is only a broker transport).
        env["CELERY_RESULT_BACKEND"] = "cache+memory://"
    return env


def run_python(
    args: Iterable[str], *, env: dict[str, str], timeout: float = 90
) -> subprocess.CompletedProcess:
    args = list(args)
    result = subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"python {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n"
            f"{result.stderr}"
        )
    return result


@dataclass
class Stack:
    """One test's private world: its database (in the shared private cluster), its
    Redis, its media folder, and the web and worker processes started on demand."""

    cluster: PrivateCluster
    database: str
    redis: PrivateRedis
    directory: Path
    seed: dict[str, Any]
    processes: list[Process] = field(default_factory=list)
    web_port: int = 0

    @property
    def media_root(self) -> Path:
        return self.directory / "media"

    def env(self, **extra: str) -> dict[str, str]:
        env = app_environment(
            database_url=self.cluster.url(self.database),
            broker_url=self.redis.url,
            # As in .env.example: the cache in another database of the same Redis.
            cache_url=self.redis.url.rsplit("/", 1)[0] + "/2",
            directory=self.directory,
        )
        env["SITE_URL"] = self.base_url
        env.update(extra)
        return env

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    # processes

    def start_web(self, *, workers: int = 1, threads: int = 4) -> Process:
        """gunicorn with the production configuration file, on a free loopback port."""
        self.web_port = free_port()
        env = self.env(
            WEB_CONCURRENCY=str(workers), GUNICORN_THREADS=str(threads), GUNICORN_TIMEOUT="30"
        )
        web = Process(
            "web",
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--config",
                "docker/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--no-control-socket",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            log=self.directory / "web.log",
        ).start()
        self.processes.append(web)

        def answers() -> bool:
            if not web.running():
                raise AssertionError(f"gunicorn exited early.\n{tail(web.log)}")
            try:
                # Our own gunicorn on the loopback.
                login = f"{self.base_url}/accounts/login/"
                with urllib.request.urlopen(login, timeout=2) as r:  # noqa: S310
                    return r.status == 200
            except (OSError, http.client.HTTPException):
                return False

        wait_for(answers, timeout=45, interval=0.2, what="gunicorn", details=self.logs)
        return web

    def start_worker(self, name: str = "worker", *, wait: bool = True, **extra_env: str) -> Process:
        """``celery worker`` as in production (prefork pool), one process in its pool."""
        worker = Process(
            name,
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency=1",
                "--loglevel=INFO",
                f"--hostname={name}-{secrets.token_hex(3)}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            env=self.env(**extra_env),
            log=self.directory / f"{name}.log",
        ).start()
        self.processes.append(worker)
        if wait:
            self.wait_worker_ready(worker)
        return worker

    def start_beat(self) -> Process:
        """``celery beat`` as in production: the schedule of ``config/settings.py``."""
        schedule = self.directory / "var" / "celerybeat-schedule"
        schedule.parent.mkdir(parents=True, exist_ok=True)
        beat = Process(
            "beat",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                f"--schedule={schedule}",
            ],
            env=self.env(),
            log=self.directory / "beat.log",
        ).start()
        self.processes.append(beat)
        return beat

    def wait_worker_ready(self, worker: Process) -> None:
        def ready() -> bool:
            if not worker.running():
                raise AssertionError(f"The worker exited early.\n{tail(worker.log)}")
            return " ready." in worker.log_text()

        wait_for(ready, timeout=45, interval=0.2, what="the Celery worker", details=self.logs)

    def pool_children(self, worker: Process) -> list[int]:
        return [pid for pid in descendants(worker.pid) if pid_alive(pid)]

    def python(self, *args: str, timeout: float = 90, **extra_env: str) -> str:
        """Run ``python <args>`` (e.g. ``manage.py ...``) with the stack's environment."""
        return run_python(args, env=self.env(**extra_env), timeout=timeout).stdout

    def sweep_reports(self, **extra_env: str) -> dict[str, int]:
        """One run of the periodic sweeper, as beat would start it (but now)."""
        out = self.python(
            "manage.py",
            "shell",
            "-c",
            "import json; from maturity.reports.tasks import sweep_reports; "
            "print(json.dumps(sweep_reports()))",
            **extra_env,
        )
        return json.loads(out.strip().splitlines()[-1])

    # the database, read directly (not through the application)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.cluster.connect(self.database) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def report(self, report_id: int) -> dict[str, Any]:
        rows = self.query(
            "SELECT status, attempts, file, error FROM maturity_report WHERE id = %s",
            (report_id,),
        )
        assert rows, f"report {report_id} not found"
        status, attempts, file, error = rows[0]
        return {"status": status, "attempts": attempts, "file": file, "error": error}

    def media_files(self) -> list[Path]:
        if not self.media_root.exists():
            return []
        return sorted(p for p in self.media_root.rglob("*") if p.is_file())

    # diagnostics

    def logs(self) -> str:
        parts = [tail(p.log) for p in self.processes]
        parts.append(self.redis.logs())
        parts.append(tail(self.cluster.log, 30))
        return "\n".join(parts)

    def close(self) -> None:
        """Stop everything this stack started, each even if stopping another failed."""
        self.redis.thaw()  # else a worker or a request waiting on it holds up the stop
        errors = []
        for stop in [p.stop for p in reversed(self.processes)] + [self.redis.stop]:
            try:
                stop()
            except Exception as error:  # raised below, once the others are stopped
                errors.append(error)
        if errors:
            raise errors[0]


# --- a browser without JavaScript: urllib, cookies, forms ---------------------------------


class _PlainHttpCookies(DefaultCookiePolicy):
    """Send the ``Secure`` cookies of DEBUG=0 over the tests' plain HTTP to gunicorn
    (in production a TLS proxy sits in front)."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Response:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes
    elapsed: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = CookieJar(policy=_PlainHttpCookies())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def request(
        self,
        method: str,
        path: str,
        data: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        follow: bool = True,
        timeout: float = 15,
    ) -> Response:
        """One request (and its redirects when ``follow``); 4xx/5xx are answers, not errors."""
        url = urllib.parse.urljoin(self.base_url, path)
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if method == "POST" else None
        started = time.monotonic()
        for _hop in range(10):
            request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
                url, data=body, method=method, headers=headers or {}
            )
            try:
                with self.opener.open(request, timeout=timeout) as raw:
                    response = Response(
                        raw.status, url, dict(raw.headers), raw.read(), time.monotonic() - started
                    )
            except urllib.error.HTTPError as error:
                response = Response(
                    error.code, url, dict(error.headers), error.read(), time.monotonic() - started
                )
            location = response.headers.get("Location")
            if not follow or response.status not in (301, 302, 303, 307, 308) or not location:
                return response
            url = urllib.parse.urljoin(url, location)
            if response.status in (301, 302, 303):
                method, body = "GET", None
        raise AssertionError(f"Too many redirects from {path}")

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict[str, Any], **kwargs: Any) -> Response:
        """A form post, with the CSRF token every form of the product carries."""
        data = {"csrfmiddlewaretoken": self.cookie("csrftoken") or "", **data}
        return self.request("POST", path, data, **kwargs)

    def login(self, email: str, password: str) -> None:
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert page.status == 200 and token, f"no login form ({page.status})"
        answer = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": email, "password": password},
            follow=False,
        )
        assert answer.status == 302, f"login refused ({answer.status}): {answer.text[:500]}"
        assert self.cookie("sessionid"), "no session cookie after login"
