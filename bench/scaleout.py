#!/usr/bin/env python
"""Scale-out: two application hosts sharing PostgreSQL, Redis and an S3 bucket.

    sudo .venv/bin/python bench/scaleout.py [--pdfs 300] [--concurrency 1] [--drop-database]

Runs as root (``ip netns``). In one run:

1. builds two "hosts" as network namespaces (``dmso-app1``, ``dmso-app2``), each joined
   by a veth pair to a bridge of this machine (``dmso-br0``, 10.231.7.1/24; the hosts are
   .11 and .12). PostgreSQL and Redis listen on 127.0.0.1 only, so a small TCP relay
   forwards 10.231.7.1:5432 and :6379 to them; moto's S3 server listens on the bridge.
   Each host runs gunicorn and a Celery worker with production settings (``DEBUG=0``,
   ``STORAGE_BACKEND=s3``, the Redis broker in database 6, the cache and task results in
   7); one beat (the sweeper) runs beside them, as the compose file's single ``beat``;
2. migrates and seeds the database ``bench_scaleout`` (``--pdfs`` dealerships with a
   submitted assessment each, followed by one consultant);
3. campaign 1: the consultant asks for ``--pdfs`` PDFs, the requests spread over both
   web servers (one browser session, one site name, as behind a load balancer), with
   one worker host; campaign 2: the same with both worker hosts; prints both throughputs
   (PDFs per minute, first request to last PDF ready) and their ratio (aim: 1.7 or more);
   every PDF is then downloaded through each host and compared with the bucket's object;
4. campaign 3, both hosts: once a third of the PDFs are ready, host 2's worker and web
   server are killed (SIGKILL); the requests go to host 1 from then on (a load balancer's
   health check would do the same). Every report must end ready exactly once (one
   "ready" notification each, one object in the bucket that the row points to), and once
   host 2's web server is started again, every PDF is downloadable through either host;
5. stops everything, deletes the namespaces, the links and the bridge, flushes Redis
   databases 6 and 7 (``--drop-database`` drops ``bench_scaleout`` too), on failure and
   on Ctrl-C as well. Logs go to ``var/bench-scaleout/run-*/``.

The machine's cores are shared by both "hosts", PostgreSQL, Redis, moto and whatever else
runs: the load average is printed before each campaign, as the ratio depends on it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench-scaleout"
PYTHON = sys.executable
BIN = Path(PYTHON).parent

PREFIX = "Scaleout "
DOMAIN = "@scaleout.invalid"
PASSWORD = "scaleout-bench-password-not-secret"  # noqa: S105 - local benchmark account
SITE = "app.scaleout.test"  # the one site name both hosts answer to (the load balancer's)
BRIDGE = "dmso-br0"
BRIDGE_IP = "10.231.7.1"
HOSTS = {"app1": "10.231.7.11", "app2": "10.231.7.12"}
WEB_PORT = 8000
DATABASE = "bench_scaleout"
ADMIN_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_PORT = 6379
PG_PORT = 5432
BROKER_DB, CACHE_DB = 6, 7
BUCKET = "scaleout-reports"
S3_KEYS = {"S3_ACCESS_KEY_ID": "scaleout-key", "S3_SECRET_ACCESS_KEY": "scaleout-secret-not-real"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--pdfs", type=int, default=300, help="PDFs per campaign")
    add("--concurrency", type=int, default=1, help="Celery processes per worker host")
    add("--web-workers", type=int, default=2, help="gunicorn workers per host")
    add("--timeout", type=float, default=1800, help="seconds a campaign may take at most")
    add("--kill-at", type=float, default=1 / 3, help="share of campaign 3 ready at the kill")
    add("--drop-database", action="store_true", help=f"drop {DATABASE} at the end")
    add("--force", action="store_true", help="seed even if the database holds other data")
    add("--internal-relay", help=argparse.SUPPRESS)  # "listen_ip:port=target_port,..."
    return parser.parse_args(argv)


# =========================================================================================
# The TCP relay (a process of its own): bridge address -> 127.0.0.1
# =========================================================================================


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def _relay(spec: str) -> None:
    servers = []
    for item in spec.split(","):
        listen, target = item.split("=")
        host, port = listen.rsplit(":", 1)

        async def handle(reader, writer, target_port=int(target)) -> None:
            try:
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target_port)
            except OSError:
                writer.close()
                return
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

        servers.append(await asyncio.start_server(handle, host, int(port)))
    print(f"relay listening: {spec}", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


# =========================================================================================
# Network namespaces
# =========================================================================================


def ip(*arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *arguments], check=check, capture_output=True, text=True)


def network_down() -> None:
    """Remove our namespaces, links and bridge (only ours: the ``dmso-`` names)."""
    for name in HOSTS:
        ip("netns", "delete", f"dmso-{name}", check=False)
        ip("link", "delete", f"dmso-{name}-h", check=False)
    ip("link", "delete", BRIDGE, check=False)


def network_up() -> None:
    network_down()  # leftovers of a run killed before its clean-up
    if any(BRIDGE_IP + "/" in line for line in ip("-br", "addr").stdout.splitlines()):
        raise SystemExit(f"{BRIDGE_IP} is already used on this machine")
    ip("link", "add", BRIDGE, "type", "bridge")
    ip("addr", "add", f"{BRIDGE_IP}/24", "dev", BRIDGE)
    ip("link", "set", BRIDGE, "up")
    for name, address in HOSTS.items():
        namespace, outside, inside = f"dmso-{name}", f"dmso-{name}-h", f"dmso-{name}-n"
        ip("netns", "add", namespace)
        ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        ip("link", "set", inside, "netns", namespace)
        ip("link", "set", outside, "master", BRIDGE)
        ip("link", "set", outside, "up")
        ip("-n", namespace, "addr", "add", f"{address}/24", "dev", inside)
        ip("-n", namespace, "link", "set", inside, "up")
        ip("-n", namespace, "link", "set", "lo", "up")
        ip("-n", namespace, "route", "add", "default", "via", BRIDGE_IP)


# =========================================================================================
# Processes
# =========================================================================================


@dataclass
class Stack:
    run_dir: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, command: list[str], namespace: str | None = None) -> None:
        if namespace:
            command = ["ip", "netns", "exec", namespace, *command]
        with (self.run_dir / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own group, stopped or killed by its id
            )

    def signal(self, name: str, signum: int) -> None:
        process = self.processes.get(name)
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signum)

    def stop(self, name: str, grace: float = 20) -> None:
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        self.signal(name, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.signal(name, signal.SIGKILL)
            process.wait(timeout=10)

    def kill(self, name: str) -> None:
        process = self.processes.get(name)
        if process is None:
            return
        self.signal(name, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)

    def web(self, host: str) -> None:
        self.start(
            f"web-{host}",
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                f"--bind={HOSTS[host]}:{WEB_PORT}",
                f"--workers={self.env['BENCH_WEB_WORKERS']}",
                "--timeout=60",
                "--graceful-timeout=5",
                "--worker-tmp-dir=/dev/shm",
                "--log-level=warning",
            ],
            namespace=f"dmso-{host}",
        )

    def worker(self, host: str) -> None:
        self.start(
            f"worker-{host}",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                f"--concurrency={self.env['BENCH_CONCURRENCY']}",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=scaleout-{host}@%h",
            ],
            namespace=f"dmso-{host}",
        )


def wait_port(address: str, port: int, stack: Stack, names: list[str], limit: float = 90) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        for name in names:
            process = stack.processes[name]
            if process.poll() is not None:
                raise SystemExit(f"{name} exited ({process.returncode}): see {stack.run_dir}")
        try:
            with socket.create_connection((address, port), timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{address}:{port} not listening after {limit:.0f} s: see {stack.run_dir}")


def wait_web(host: str, stack: Stack) -> None:
    wait_port(HOSTS[host], WEB_PORT, stack, [f"web-{host}"])
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            status, _headers, _body = Browser().fetch(host, "GET", "/healthz")
            if status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{host}'s /healthz does not answer 200: see {stack.run_dir}")


# =========================================================================================
# The browser: one session, one site name, either host
# =========================================================================================


class Browser:
    """A person's browser behind a load balancer: its cookies are sent to whichever host
    serves the request, with the one site name both answer to."""

    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def fetch(
        self, host: str, method: str, path: str, data: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(HOSTS[host], WEB_PORT, timeout=30)
        headers = {"Host": SITE, "Accept-Language": "fr", "User-Agent": "bench-scaleout"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{SITE}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return response.status, dict(response.headers.items()), content
        finally:
            connection.close()

    def login(self, host: str, email: str) -> None:
        _status, _headers, page = self.fetch(host, "GET", "/accounts/login/")
        token = self.TOKEN.search(page.decode())
        if token is None:
            raise SystemExit("no CSRF token on the login page")
        status, headers, _ = self.fetch(
            host,
            "POST",
            "/accounts/login/",
            {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        )
        if status != 302 or "/accounts/login" in headers.get("Location", ""):
            raise SystemExit(f"login refused ({status})")

    def ask_pdf(self, host: str, dealership: int, assessment: int) -> int:
        status, headers, _ = self.fetch(
            host,
            "POST",
            f"/dealerships/{dealership}/assessments/{assessment}/report/",
            {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), "language": "fr"},
        )
        found = re.search(r"/reports/(\d+)/$", headers.get("Location", ""))
        if status != 302 or not found:
            raise RuntimeError(f"generate: {status} {headers.get('Location')}")
        return int(found.group(1))


# =========================================================================================
# Database: seed, campaigns, checks (this process, on 127.0.0.1)
# =========================================================================================


def ensure_database(drop_first: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True, connect_timeout=5) as connection:
        name = sql.Identifier(DATABASE)
        if drop_first:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            return
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def setup_database(args: argparse.Namespace) -> dict:
    """Migrate and seed; returns the consultant and the campaign's targets."""
    import random

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from bench.benchdata import BenchData
    from bench.load import answer_pool
    from dealers.models import Assignment, Dealership, Membership, Region, SizeBand, User
    from maturity.models import Answer, Assessment, AssessmentResult, Report
    from maturity.questionnaire.services import questionnaire_current

    call_command("migrate", verbosity=0, interactive=False)
    # Minutes on a busy machine (hashing and compressing every file): only when a static
    # file changed since the last run's manifest.
    manifest = BENCH_DIR / "static" / "staticfiles.json"
    newest = max(p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file())
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        call_command("collectstatic", verbosity=0, interactive=False)
    bench = BenchData(prefix=PREFIX, domain=DOMAIN)
    if not args.force and (problems := bench.foreign_data()):
        raise SystemExit("Refusing to seed a database with other data: " + "; ".join(problems))
    Report.objects.all().delete()
    have = bench.dealerships().count()
    if have != args.pdfs:
        bench.delete()
        rng = random.Random(7)
        version = questionnaire_current()
        pool = answer_pool(version.definition, rng, 20)
        with transaction.atomic():
            consultant = User.objects.create(
                email=f"consultant{DOMAIN}",
                full_name="Consultant Scaleout",
                password=make_password(PASSWORD),
                is_consultant=True,
            )
            owner = User.objects.create(
                email=f"owner{DOMAIN}", full_name="Owner", password=make_password(PASSWORD)
            )
            shops = Dealership.objects.bulk_create(
                Dealership(
                    name=f"{PREFIX}Concession {n:04}",
                    city="Nantes",
                    region=list(Region)[n % len(Region)].value,
                    size_band=list(SizeBand)[n % len(SizeBand)].value,
                    profile="brand_dealer",  # the answers pool is the brand dealer's
                )
                for n in range(args.pdfs)
            )
            Assignment.objects.bulk_create(
                Assignment(consultant=consultant, dealership=s) for s in shops
            )
            Membership.objects.bulk_create(
                Membership(user=owner, dealership=s, role=Membership.Role.OWNER) for s in shops
            )
            assessments = Assessment.objects.bulk_create(
                Assessment(
                    dealership=s,
                    version=version,
                    status=Assessment.Status.SUBMITTED,
                    created_by=owner,
                    submitted_by=owner,
                    submitted_at=timezone.now(),
                )
                for s in shops
            )
            answers, results = [], []
            for assessment in assessments:
                values, snapshot = rng.choice(pool)
                answers += [
                    Answer(assessment=assessment, question_key=k, value=v, updated_by=owner)
                    for k, v in values.items()
                ]
                results.append(
                    AssessmentResult(
                        assessment=assessment,
                        engine_version=snapshot["engine_version"],
                        rung=snapshot["rung"],
                        overall_score=snapshot["overall_score"],
                        area_scores={a["key"]: a["score"] for a in snapshot["areas"]},
                        snapshot=snapshot,
                    )
                )
            Answer.objects.bulk_create(answers, batch_size=5000)
            AssessmentResult.objects.bulk_create(results, batch_size=1000)
        print(f"seeded {args.pdfs} dealerships with a submitted assessment each", flush=True)
    targets = list(
        Assessment.objects.filter(dealership__in=bench.dealerships())
        .order_by("dealership_id")
        .values_list("dealership_id", "pk")
    )
    return {"email": f"consultant{DOMAIN}", "targets": targets}


def reset_reports() -> None:
    """A campaign renders every PDF again: no ready row to reuse, an empty bucket."""
    from django.core.files.storage import default_storage

    from maturity.models import Notification, Report

    Report.objects.all().delete()
    Notification.objects.filter(kind=Notification.Kind.REPORT_READY).delete()
    for item in default_storage.bucket.objects.all():
        item.delete()


def counts(ids: list[int]) -> dict[str, int]:
    from django.db.models import Count

    from maturity.models import Report

    rows = Report.objects.filter(pk__in=ids).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


@dataclass
class Campaign:
    ids: list[int]
    seconds: float
    requests_seconds: float
    failovers: int = 0


def campaign(
    browser: Browser,
    targets: list[tuple[int, int]],
    hosts: list[str],
    *,
    timeout: float,
    on_progress=None,  # called with the ready count; returns hosts to use from then on
) -> Campaign:
    """Ask for every PDF (round robin over ``hosts``), then wait until all are ready."""
    started = time.monotonic()
    ids: list[int] = []
    failovers = 0
    live = list(hosts)
    for n, (dealership, assessment) in enumerate(targets):
        for attempt in range(len(live) + 1):
            host = live[(n + attempt) % len(live)]
            try:
                ids.append(browser.ask_pdf(host, dealership, assessment))
                break
            except (OSError, http.client.HTTPException, RuntimeError):
                failovers += 1  # the load balancer tries the next host
        else:
            raise SystemExit(f"no host took the request for assessment {assessment}")
        if on_progress and n % 10 == 0:
            live = on_progress(counts(ids).get("ready", 0)) or live
    requests_seconds = time.monotonic() - started
    end = started + timeout
    while time.monotonic() < end:
        state = counts(ids)
        if on_progress:
            live = on_progress(state.get("ready", 0)) or live
        if state.get("ready", 0) + state.get("failed", 0) == len(ids):
            break
        time.sleep(0.25)
    else:
        raise SystemExit(f"campaign not finished after {timeout:.0f} s: {counts(ids)}")
    return Campaign(ids, time.monotonic() - started, requests_seconds, failovers)


def check_exactly_once(ids: list[int], settle: float = 30) -> list[str]:
    """Every report ready, once: one ready notification, its object in the bucket.

    The notification is written just after the row turns ready: it is waited for (up to
    ``settle`` seconds) before being counted.
    """
    from django.core.files.storage import default_storage

    from maturity.models import Notification, Report

    problems = []
    reports = list(Report.objects.filter(pk__in=ids).select_related("assessment"))
    if len(reports) != len(ids):
        problems.append(f"{len(ids) - len(reports)} report rows missing")
    urls = {r.pk: f"/dealerships/{r.assessment.dealership_id}/reports/{r.pk}/" for r in reports}
    end = time.monotonic() + settle
    while True:
        notified: dict[str, int] = {}
        for url in Notification.objects.filter(kind=Notification.Kind.REPORT_READY).values_list(
            "url", flat=True
        ):
            notified[url] = notified.get(url, 0) + 1
        if all(notified.get(u) for u in urls.values()) or time.monotonic() > end:
            break
        time.sleep(0.5)
    stored = {o.key for o in default_storage.bucket.objects.all()}
    for report in reports:
        if report.status != Report.Status.READY:
            problems.append(f"report {report.pk} is {report.status}: {report.error}")
        elif report.file.name not in stored:
            problems.append(f"report {report.pk}: {report.file.name} is not in the bucket")
        if notified.get(urls[report.pk], 0) != 1:
            problems.append(
                f"report {report.pk}: {notified.get(urls[report.pk], 0)} ready notifications"
            )
    return problems


def check_downloads(browser: Browser, ids: list[int], hosts: list[str]) -> list[str]:
    """Every PDF through every host, byte for byte the bucket's object."""
    from django.core.files.storage import default_storage

    from maturity.models import Report

    problems = []
    for report in Report.objects.filter(pk__in=ids).select_related("assessment"):
        with default_storage.open(report.file.name, "rb") as handle:
            expected = handle.read()
        path = f"/dealerships/{report.assessment.dealership_id}/reports/{report.pk}/download/"
        for host in hosts:
            status, _headers, body = browser.fetch(host, "GET", path)
            if status != 200 or body != expected or not body.startswith(b"%PDF-"):
                problems.append(f"report {report.pk} through {host}: {status}, {len(body)} bytes")
    return problems


def renders(ids: list[int]) -> dict[str, int]:
    """Attempts per report: more than one means a claim was taken over."""
    from maturity.models import Report

    attempts = Report.objects.filter(pk__in=ids).values_list("attempts", flat=True)
    return {"rendered again": sum(1 for a in attempts if a > 1)}


def orphans(ids: list[int]) -> int:
    from django.core.files.storage import default_storage

    from maturity.models import Report

    known = set(Report.objects.filter(pk__in=ids).values_list("file", flat=True))
    return sum(1 for o in default_storage.bucket.objects.all() if o.key not in known)


# =========================================================================================
# The run
# =========================================================================================


def flush_redis() -> None:
    for db in (BROKER_DB, CACHE_DB):
        with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=5) as s:
            s.sendall(f"SELECT {db}\r\nFLUSHDB\r\n".encode())
            s.recv(64)


def free_port(address: str) -> int:
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def throughput(result: Campaign) -> float:
    return len(result.ids) / result.seconds


def orchestrate(args: argparse.Namespace) -> int:
    if os.geteuid() != 0:
        raise SystemExit("run as root: the hosts are network namespaces (ip netns)")
    run_dir = BENCH_DIR / f"run-{datetime.now():%Y%m%d-%H%M%S}"
    run_dir.mkdir(parents=True, exist_ok=True)
    flush_redis()
    ensure_database()
    stack: Stack | None = None
    failures: list[str] = []
    try:
        network_up()
        s3_port = free_port(BRIDGE_IP)
        endpoint = f"http://{BRIDGE_IP}:{s3_port}"
        database_url = f"postgres://postgres@{BRIDGE_IP}:{PG_PORT}/{DATABASE}"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("S3_", "STORAGE_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": SITE,
            "CSRF_TRUSTED_ORIGINS": f"http://{SITE}",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SITE_URL": f"http://{SITE}",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": f"redis://{BRIDGE_IP}:{REDIS_PORT}/{BROKER_DB}",
            "CELERY_RESULT_BACKEND": f"redis://{BRIDGE_IP}:{REDIS_PORT}/{CACHE_DB}",
            "CACHE_URL": f"redis://{BRIDGE_IP}:{REDIS_PORT}/{CACHE_DB}",
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1",
            **S3_KEYS,
            "VAR_DIR": str(run_dir),
            "MEDIA_ROOT": str(run_dir / "no-media"),  # must stay empty: the bucket holds all
            "STATIC_ROOT": str(BENCH_DIR / "static"),
            "REPORTS_EMAIL_WHEN_READY": "0",
            "REPORTS_HEARTBEAT_SECONDS": "3",
            "REPORTS_HEARTBEAT_STALE_AFTER": "15",
            "MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "BENCH_WEB_WORKERS": str(args.web_workers),
            "BENCH_CONCURRENCY": str(args.concurrency),
            "NO_PROXY": "*",
        }
        stack = Stack(run_dir, env)
        relay = f"{BRIDGE_IP}:{PG_PORT}={PG_PORT},{BRIDGE_IP}:{REDIS_PORT}={REDIS_PORT}"
        stack.start("relay", [PYTHON, str(Path(__file__).resolve()), "--internal-relay", relay])
        stack.start("s3", [str(BIN / "moto_server"), "-H", BRIDGE_IP, "-p", str(s3_port)])
        wait_port(BRIDGE_IP, PG_PORT, stack, ["relay"])
        wait_port(BRIDGE_IP, s3_port, stack, ["s3"])

        # This process reads the same database (directly) and the same bucket.
        os.environ.update(env)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"
        import boto3

        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_KEYS["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["S3_SECRET_ACCESS_KEY"],
        ).create_bucket(Bucket=BUCKET)
        started = time.monotonic()
        seeded = setup_database(args)
        print(f"database ready in {time.monotonic() - started:.0f} s", flush=True)

        for host in HOSTS:
            stack.web(host)
        stack.start(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "beat",
                "--loglevel=WARNING",
                f"--schedule={run_dir / 'celerybeat-schedule'}",
            ],
        )
        stack.worker("app1")
        for host in HOSTS:
            wait_web(host, stack)
        browser = Browser()
        browser.login("app1", seeded["email"])  # one session, served by either host
        targets = seeded["targets"]
        print(
            f"{len(targets)} PDFs per campaign; {os.cpu_count()} cores; hosts "
            f"{', '.join(f'{h} {a}' for h, a in HOSTS.items())}; S3 {endpoint}; "
            f"{args.concurrency} Celery process(es) per worker host",
            flush=True,
        )

        def warm_up(count: int) -> None:
            # Each worker process loads WeasyPrint on its first PDF (~2.5 s): not measured.
            reset_reports()
            campaign(browser, targets[:count], list(HOSTS), timeout=args.timeout)

        results: dict[str, Campaign] = {}
        for label, hosts in (("1 worker host", ["app1"]), ("2 worker hosts", list(HOSTS))):
            if len(hosts) == 2:
                stack.worker("app2")
            warm_up(2 * args.concurrency * len(hosts))
            reset_reports()
            print(f"campaign with {label}: load average {os.getloadavg()[0]:.1f} ...", flush=True)
            result = campaign(browser, targets, list(HOSTS), timeout=args.timeout)
            results[label] = result
            print(
                f"  {len(result.ids)} PDFs in {result.seconds:.1f} s (requests sent in "
                f"{result.requests_seconds:.1f} s): {throughput(result) * 60:.1f} PDF/min",
                flush=True,
            )
            failures += check_exactly_once(result.ids)
            failures += check_downloads(browser, result.ids, list(HOSTS))
        one, two = results["1 worker host"], results["2 worker hosts"]
        ratio = throughput(two) / throughput(one)
        print(
            f"throughput: {throughput(one) * 60:.1f} PDF/min with 1 worker host, "
            f"{throughput(two) * 60:.1f} PDF/min with 2: ratio {ratio:.2f} (aim: at least 1.7); "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )

        # Campaign 3: host 2 dies in the middle.
        reset_reports()
        killed_at: dict[str, float] = {}

        def kill_host_2(ready: int) -> list[str] | None:
            if killed_at:
                return ["app1"]
            if ready >= max(1, int(len(targets) * args.kill_at)):
                stack.kill("worker-app2")
                stack.kill("web-app2")
                killed_at["ready"] = ready
                killed_at["time"] = time.monotonic()
                print(f"  killed app2's worker and web server with {ready} PDFs ready", flush=True)
                return ["app1"]
            return None

        print(
            f"campaign with both hosts, app2 killed once {args.kill_at:.0%} are ready: "
            f"load average {os.getloadavg()[0]:.1f} ...",
            flush=True,
        )
        result = campaign(
            browser, targets, list(HOSTS), timeout=args.timeout, on_progress=kill_host_2
        )
        ended = time.monotonic()
        if not killed_at:
            failures.append("app2 was never killed (the campaign ended first)")
        after = ended - killed_at.get("time", ended)
        problems = check_exactly_once(result.ids)
        stack.web("app2")  # it comes back: it never had any PDF on its disk
        wait_web("app2", stack)
        problems += check_downloads(browser, result.ids, list(HOSTS))
        ready = counts(result.ids).get("ready", 0)
        print(
            f"  {ready}/{len(result.ids)} ready in {result.seconds:.1f} s "
            f"({max(after, 0):.1f} s after the kill; {result.failovers} request(s) failed over); "
            f"{renders(result.ids)['rendered again']} rendered again after the kill; "
            f"{orphans(result.ids)} orphan object(s) in the bucket (removed by retention)",
            flush=True,
        )
        print(
            "  every report ready exactly once, every PDF downloadable through either host: "
            + ("yes" if not problems else f"NO ({len(problems)} problems)"),
            flush=True,
        )
        failures += problems
        leftovers = list((run_dir / "no-media").rglob("*"))
        if leftovers:
            failures.append(f"{len(leftovers)} file(s) written to a host's disk")
    except KeyboardInterrupt:
        print("\ninterrupted: cleaning up", flush=True)
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if stack is not None:
            stack.stop_all()
        network_down()
        try:
            from django.db import connections

            connections.close_all()
        except ImportError:
            pass
        flush_redis()
        if args.drop_database:
            ensure_database(drop_first=True)
            print(f"dropped {DATABASE}")
        print(f"logs: {run_dir}")
    for problem in failures[:20]:
        print(f"PROBLEM: {problem}")
    return 1 if failures else 0


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    args = parse_args()
    if args.internal_relay:
        asyncio.run(_relay(args.internal_relay))
        return
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    sys.exit(orchestrate(args))


if __name__ == "__main__":
    main()
