#!/usr/bin/env python
"""Load test: gunicorn workers on PostgreSQL and a Celery worker, driven by Locust over loopback.

    .venv/bin/python bench/load.py [--dealers 200] [--consultants 20] [--pdfs 100] [--duration 60]

In one run:

1. creates the database of ``--database-url`` if it does not exist (default
   ``postgres://postgres@127.0.0.1:5432/bench_load``), migrates it, collects the static
   files and seeds it (a second run reuses the data; ``--reseed`` starts again): one
   dealer account per dealership, each with a draft assessment; consultants whose
   portfolios hold those dealerships and a few hundred more with two submitted
   assessments each (answers, results from the real engine, reviews, roadmap statuses);
2. starts gunicorn (``--workers`` sync workers by default) with production settings
   (``DEBUG=0``) and one Celery worker for the PDFs, on 127.0.0.1 only;
3. runs ``bench/locustfile.py`` with Locust, headless, in a process of its own, with CSV
   statistics in the run folder: everybody logs in (not measured), then for
   ``--duration`` seconds dealers answer their questionnaire as the wizard does (one htmx
   autosave per answer, with the revision the page showed, think times, then "Next"
   posts the step), consultants browse their portfolio (filters, sorting, pages),
   dealership pages and results pages, a campaign asks for ``--pdfs`` PDFs and follows
   each to ready (status polled as the page does) and downloads it, and a "floor" user
   requests the cheapest authenticated page of the product
   (``/accounts/password_change/done/``: login check, session, middleware, a template);
4. prints, from Locust's CSV, requests per second, p50 and p95 per endpoint, the errors,
   the floor's p95 in the same run and the autosave p95 / floor p95 ratio (aim: at most
   3), how many PDFs were ready in the window, where the machine's CPU went, and per
   endpoint what each request cost inside gunicorn (CPU time of its thread, SQL queries
   and their time, from gunicorn hooks written to the run folder); stops Locust,
   gunicorn and the worker on exit, Ctrl-C included.

The machine's cores are shared by the load generator, gunicorn, PostgreSQL and the
Celery worker, and by whatever else runs: the report shows how busy the machine was, and
the CPU time per request does not depend on it (latencies do). ``--wait-quiet 300``
waits up to 5 minutes for the machine to calm down before starting. Logs of the run
(gunicorn, Celery, Locust and its CSV files) go to ``var/bench-load/run-*/``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench-load"
PYTHON = sys.executable

PREFIX = "Load "
DOMAIN = "@load.invalid"
PASSWORD = "load-bench-password-not-secret"  # noqa: S105 - local benchmark accounts
HOST = "127.0.0.1"  # the only address the clients ever talk to
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_load"
DEFAULT_BROKER = "redis://127.0.0.1:6379/3"
# Endpoint labels shared with bench/locustfile.py (its request names).
AUTOSAVE = "dealer: autosave (htmx POST)"
FLOOR = "floor: authenticated page (GET)"
FLOOR_PATH = "/accounts/password_change/done/"
BRANDS = ["Peugeot", "Renault", "Citroën", "Toyota", "Kia", "Volkswagen", "DS", "Dacia"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--dealers", type=int, default=200, help="simulated dealers (one dealership each)")
    add("--consultants", type=int, default=20, help="simulated consultants")
    add("--extra", type=int, default=400, help="more dealerships, with submitted results")
    add("--duration", type=float, default=60, help="measured seconds (at most 900)")
    add("--ramp-up", type=float, default=20, help="seconds to log everyone in (not measured)")
    add("--login-concurrency", type=int, default=2, help="logins in flight at once")
    add("--wait-quiet", type=float, default=0, help="wait up to this long for an idle machine")
    add("--dealer-think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    add("--consultant-think", type=float, nargs=2, default=(1.0, 4.0), metavar=("MIN", "MAX"))
    add("--floor-interval", type=float, default=0.25, help="seconds between floor requests")
    add("--pdfs", type=int, default=100, help="PDFs the campaign asks for (one per assessment)")
    add("--pdf-interval", type=float, default=0.3, help="seconds between two PDF requests")
    add("--pdf-timeout", type=float, default=600, help="stop following the PDFs after")
    add("--celery-concurrency", type=int, default=1, help="Celery worker processes (PDFs)")
    add("--workers", type=int, default=4, help="gunicorn workers")
    add("--worker-class", default="sync", choices=["sync", "gthread"])
    add("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    add("--port", type=int, default=0, help="gunicorn port on 127.0.0.1 (0: a free one)")
    add("--database-url", default=DEFAULT_DATABASE)
    add("--broker", default=DEFAULT_BROKER, help="a redis:// URL, or 'filesystem'")
    add("--reseed", action="store_true", help="delete the bench data and seed again")
    add("--force", action="store_true", help="run even if the database holds other data")
    add("--seed", type=int, default=7, help="random seed")
    add("--internal-setup", metavar="MANIFEST", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.duration = min(max(args.duration, 1.0), 900.0)
    args.ramp_up = min(max(args.ramp_up, 0.0), 300.0)
    if args.dealers < 1 or args.consultants < 1 or args.pdfs < 1:
        parser.error("at least one dealer, one consultant and one PDF")
    return args


# =========================================================================================
# Setup: runs in a child process with the server's environment (Django, the bench database)
# =========================================================================================


def answer_pool(definition, rng: random.Random, size: int) -> list[tuple[dict, dict]]:
    """``size`` complete answer sets (visible questions only) and their engine results."""
    from maturity.assessments.progress import visible_keys
    from maturity.engine.answers import random_answers
    from maturity.results.services import result_snapshot

    pool = []
    for _ in range(size):
        answers = random_answers(definition, rng, optional_rate=0.5)
        visible = visible_keys(definition, answers)
        answers = {k: v for k, v in answers.items() if k in visible}
        pool.append((answers, result_snapshot(definition, answers)))
    return pool


def seed(args: argparse.Namespace) -> None:
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from dealers.models import (
        Assignment,
        Brand,
        DealerGroup,
        Dealership,
        Membership,
        Region,
        SizeBand,
        User,
    )
    from maturity.models import (
        Answer,
        Assessment,
        AssessmentResult,
        AssessmentReview,
        RoadmapActionStatus,
    )
    from maturity.questionnaire.services import questionnaire_current
    from maturity.standing.services import standings_rebuild

    started = time.perf_counter()
    rng = random.Random(args.seed)
    version = questionnaire_current()
    pool = answer_pool(version.definition, rng, 40)
    now = timezone.now()
    regions = [r.value for r in Region]
    sizes = [s.value for s in SizeBand]
    hashed = make_password(PASSWORD)  # one hash for all: PBKDF2 is slow on purpose

    def shop(name: str, n: int) -> Dealership:
        return Dealership(
            name=name,
            city=f"Ville {n % 150:03}",
            region=regions[n % len(regions)],
            size_band=sizes[n % len(sizes)],
            profile="brand_dealer",  # the answers pool is the brand dealer's
            group=groups[n % len(groups)] if n % 8 == 0 else None,
        )

    with transaction.atomic():
        brands = [Brand.objects.get_or_create(name=name)[0] for name in BRANDS]
        groups = DealerGroup.objects.bulk_create(
            DealerGroup(name=f"{PREFIX}Groupe {n:02}") for n in range(12)
        )
        dealer_shops = Dealership.objects.bulk_create(
            shop(f"{PREFIX}Concession {n:03}", n) for n in range(args.dealers)
        )
        extra_shops = Dealership.objects.bulk_create(
            (shop(f"{PREFIX}{n:04}", n + args.dealers) for n in range(args.extra)),
            batch_size=1000,
        )
        through = Dealership.brands.through
        through.objects.bulk_create(
            (
                through(dealership_id=s.pk, brand_id=b.pk)
                for s in dealer_shops + extra_shops
                for b in rng.sample(brands, rng.choice((1, 1, 2)))
            ),
            batch_size=5000,
        )

        dealers = User.objects.bulk_create(
            User(email=f"dealer{n:03}{DOMAIN}", full_name=f"Dealer {n:03}", password=hashed)
            for n in range(args.dealers)
        )
        consultants = User.objects.bulk_create(
            User(
                email=f"consultant{n}{DOMAIN}",
                full_name=f"Consultant {n}",
                password=hashed,
                is_consultant=True,
            )
            for n in range(args.consultants)
        )
        User.objects.create(email=f"floor{DOMAIN}", full_name="Floor", password=hashed)
        Membership.objects.bulk_create(
            Membership(user=u, dealership=s, role=Membership.Role.OWNER)
            for u, s in zip(dealers, dealer_shops, strict=True)
        )
        # Each consultant: their share of the dealers' dealerships, and half of the others
        # (overlapping, as consultants of neighbouring areas share some dealerships).
        assignments = []
        for n, consultant in enumerate(consultants):
            mine = [s for i, s in enumerate(dealer_shops) if i % args.consultants == n]
            mine += rng.sample(extra_shops, k=len(extra_shops) // 2)
            assignments += [Assignment(consultant=consultant, dealership=s) for s in mine]
        Assignment.objects.bulk_create(assignments, batch_size=5000)

        author = consultants[0]
        older, latest = [], []
        for shop_ in extra_shops:
            age = rng.randint(5, 420)  # some are overdue for their yearly re-assessment
            for bucket, days in ((older, age + 365 + rng.randint(-20, 20)), (latest, age)):
                bucket.append(
                    Assessment(
                        dealership=shop_,
                        version=version,
                        status=Assessment.Status.SUBMITTED,
                        created_by=author,
                        submitted_by=author,
                        submitted_at=now - timedelta(days=days),
                    )
                )
        Assessment.objects.bulk_create(older, batch_size=2000)
        for before, after in zip(older, latest, strict=True):
            after.previous = before
        Assessment.objects.bulk_create(latest, batch_size=2000)

        answers, results = [], []
        for assessment in older + latest:
            values, snapshot = rng.choice(pool)
            answers += [
                Answer(assessment=assessment, question_key=k, value=v, updated_by=author)
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
        AssessmentReview.objects.bulk_create(
            AssessmentReview(assessment=a, reviewed_by=author, reviewed_at=now) for a in latest[::3]
        )
        RoadmapActionStatus.objects.bulk_create(
            RoadmapActionStatus(dealership=s, action_key=key, status="planned")
            for s in extra_shops[::2]
            for key in ("website_mobile", "social_reply_routine", "crm_log_web_leads")
        )
        # The dealers' drafts (empty: the clients answer them), and a few more drafts.
        Assessment.objects.bulk_create(
            Assessment(dealership=s, version=version, created_by=u)
            for u, s in zip(dealers, dealer_shops, strict=True)
        )
        Assessment.objects.bulk_create(
            Assessment(dealership=s, version=version, created_by=author) for s in extra_shops[::5]
        )
        # ``bulk_create`` sends no signals: the portfolio's per-dealership standings.
        standings_rebuild()
    print(
        f"seeded {len(dealer_shops) + len(extra_shops)} dealerships, "
        f"{len(older) * 2} submitted assessments, {len(answers)} answers "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def manifest(args: argparse.Namespace) -> dict:
    """Who logs in and what they open: written for the client process."""
    from django.db.models import Max

    from dealers.models import Assignment, Membership, Region
    from maturity.models import Assessment
    from maturity.portfolio.selectors import PAGE_SIZE, SORT_KEYS

    drafts = Assessment.objects.filter(status=Assessment.Status.DRAFT)
    dealers = []
    versions: dict[str, object] = {}
    for m in (
        Membership.objects.filter(user__email__endswith=DOMAIN)
        .select_related("user")
        .order_by("user__email")
    ):
        draft = drafts.select_related("version").get(dealership_id=m.dealership_id)
        versions.setdefault(str(draft.version_id), draft.version.content)
        dealers.append(
            {
                "email": m.user.email,
                "dealership": m.dealership_id,
                "assessment": draft.pk,
                "version": str(draft.version_id),
            }
        )
    latest = dict(
        Assessment.objects.filter(
            status=Assessment.Status.SUBMITTED, dealership__name__startswith=PREFIX
        )
        .values("dealership")
        .annotate(last=Max("pk"))
        .values_list("dealership", "last")
    )
    consultants = []
    for email in sorted(
        Assignment.objects.filter(consultant__email__endswith=DOMAIN)
        .values_list("consultant__email", flat=True)
        .distinct()
    ):
        ids = list(
            Assignment.objects.filter(consultant__email=email)
            .order_by("dealership_id")
            .values_list("dealership_id", flat=True)
        )
        consultants.append(
            {
                "email": email,
                "dealerships": ids,
                "results": [[d, latest[d]] for d in ids if d in latest],
            }
        )
    first = consultants[0]
    if len(first["results"]) < args.pdfs:
        raise SystemExit(
            f"{first['email']} follows {len(first['results'])} submitted assessments, fewer "
            f"than --pdfs {args.pdfs}: raise --extra"
        )
    return {
        "password": PASSWORD,
        "dealers": dealers,
        "consultants": consultants,
        "floor": f"floor{DOMAIN}",
        "pdf": {"email": first["email"], "targets": first["results"][: args.pdfs]},
        "versions": versions,
        "regions": [r.value for r in Region],
        "sort_keys": list(SORT_KEYS),
        "page_size": PAGE_SIZE,
    }


def run_setup(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connection

    from bench.benchdata import BenchData
    from dealers.models import Dealership, User
    from maturity.models import Report

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    bench = BenchData(prefix=PREFIX, domain=DOMAIN)
    if not args.force and (problems := bench.foreign_data()):
        raise SystemExit(
            "Refusing to seed a database with other data: "
            + "; ".join(problems)
            + ". Use a database of its own (the default bench_load) or --force."
        )
    shops = Dealership.objects.filter(name__startswith=PREFIX)
    have = (
        shops.filter(name__startswith=f"{PREFIX}Concession ").count(),
        User.objects.filter(email__endswith=DOMAIN, is_consultant=True).count(),
        shops.exclude(name__startswith=f"{PREFIX}Concession ").count(),
    )
    want = (args.dealers, args.consultants, args.extra)
    if args.reseed or have != want:
        if any(have):
            print(f"bench data {have} != wanted {want} (or --reseed): seeding again", flush=True)
        bench.delete()
        seed(args)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        print(
            f"reusing the bench data: {want[0]} dealers' dealerships, {want[1]} consultants, "
            f"{want[2]} other dealerships",
            flush=True,
        )
    # A clean start: no lockout left by an interrupted run, no sessions of earlier runs.
    AccessAttempt.objects.filter(username__endswith=DOMAIN).delete()
    Session.objects.all().delete()
    # And no PDF of an earlier run: the campaign asks for each again (a fresh MEDIA_ROOT).
    Report.objects.filter(assessment__dealership__name__startswith=PREFIX).delete()
    Path(args.internal_setup).write_text(json.dumps(manifest(args)))


# =========================================================================================
# Clients: bench/locustfile.py, run by Locust (headless) in a process of its own
# =========================================================================================

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def locust_command(config: dict, csv_prefix: Path, users: int) -> list[str]:
    """Locust headless on ``config["base"]``: every user spawned at once (logins are
    throttled inside), CSV statistics under ``csv_prefix``; the locustfile ends the run."""
    limit = config["ramp_up"] + 120 + config["duration"] + 60  # a backstop only
    return [
        str(Path(PYTHON).parent / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        f"--host={config['base']}",
        f"--users={users}",
        f"--spawn-rate={max(1, users)}",
        f"--run-time={int(limit)}s",
        f"--csv={csv_prefix}",
        "--only-summary",
        "--stop-timeout=5",
        "--loglevel=WARNING",
        "--exit-code-on-error=0",
    ]


def read_stats(csv_prefix: Path) -> tuple[list[dict], list[dict]]:
    """Locust's per-endpoint rows (``Aggregated`` left out) and its failures."""
    import csv

    stats_file = Path(f"{csv_prefix}_stats.csv")
    failures_file = Path(f"{csv_prefix}_failures.csv")
    stats = list(csv.DictReader(stats_file.open())) if stats_file.exists() else []
    failures = list(csv.DictReader(failures_file.open())) if failures_file.exists() else []
    return [r for r in stats if r["Name"] != "Aggregated"], failures


def _ms(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def cpu_snapshot(groups: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far: the machine (busy), each process group, PostgreSQL, us."""
    ticks = os.sysconf("SC_CLK_TCK")
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in fields]
    idle = values[3] + values[4]
    out = {"machine busy": (sum(values) - idle) / ticks, "machine total": sum(values) / ticks}
    by_group = {pgid: name for name, pgid in groups.items()}
    for name in [*groups, "postgres (all databases)"]:
        out[name] = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        rest = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(rest[11]) + int(rest[12])) / ticks
        pgrp = int(rest[2])
        if pgrp in by_group:
            out[by_group[pgrp]] += seconds
        elif comm == "postgres":
            out["postgres (all databases)"] += seconds
    out["load generator (client process)"] = time.process_time()
    return out


# =========================================================================================
# Orchestration: the database, the servers, the client process, the report
# =========================================================================================


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or not name:
        raise SystemExit(f"--database-url must be a PostgreSQL URL with a database: {url}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def broker_url(requested: str, run_dir: Path) -> tuple[str, dict[str, str]]:
    """The broker to use, and extra environment; Redis if it answers, else the filesystem."""
    if requested.startswith("redis://"):
        parts = urllib.parse.urlsplit(requested)
        try:
            with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return requested, {}
        except OSError:
            pass
        print(f"Redis at {parts.hostname}:{parts.port} does not answer: filesystem broker")
    folder = run_dir / "broker"
    return "filesystem://", {
        "CELERY_BROKER_DIR": str(folder),
        "CELERY_RESULT_BACKEND_DIR": str(run_dir / "results"),
    }


def machine_busy(seconds: float) -> float:
    """Share of all cores busy over ``seconds`` (from /proc/stat), 0..1."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(values), values[3] + values[4]

    total, idle = sample()
    time.sleep(seconds)
    total2, idle2 = sample()
    return 1 - (idle2 - idle) / max(1, total2 - total)


def wait_quiet(limit: float) -> float:
    """Wait up to ``limit`` seconds for the machine to be under 30 % busy; the last figure."""
    end = time.monotonic() + limit
    busy = machine_busy(3)
    while busy > 0.3 and time.monotonic() < end:
        print(f"machine {busy:.0%} busy with other work: waiting (--wait-quiet)", flush=True)
        time.sleep(10)
        busy = machine_busy(3)
    return busy


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """A server in its own process group (stopped as a group, by its id, on exit)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def stop(process: subprocess.Popen, name: str, grace: float) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop in {grace:.0f} s: killing it")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def wait_ready(url: str, processes: dict[str, subprocess.Popen], logs: Path) -> None:
    limit = time.monotonic() + 60
    while time.monotonic() < limit:
        for name, process in processes.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited ({process.returncode}): see {logs}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} not ready after 60 s: see {logs}")


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


ORDER = [
    "dealer: resume draft (302)",
    "dealer: step page (GET)",
    AUTOSAVE,
    "dealer: step save + next (POST)",
    "dealer: review page (GET)",
    "consultant: portfolio (GET)",
    "consultant: dealership page (GET)",
    "consultant: results page (GET)",
    "pdf: generate (POST)",
    "pdf: status page (GET)",
    "pdf: status poll (htmx GET)",
    "pdf: download (GET)",
    "floor: authenticated page (GET)",
]


OUTSIDE = {"login form (GET)", "login (POST)"}


def report(results: dict, stats: list[dict], failures: list[dict], logs: Path) -> int:
    """The measured window as Locust saw it; returns the error count."""
    notes = results.get("notes", {})
    window = notes.get("window") or 0.0
    print(
        f"\n=== measured window: {window:.1f} s, after {notes.get('ramp_up', 0):.1f} s "
        f"of logins (not measured) ==="
    )
    print(
        f"{'endpoint':<40} {'count':>6} {'req/s':>7} {'p50':>8} {'p95':>8} {'max':>8} {'errors':>6}"
    )
    rows = {r["Name"]: r for r in stats}
    errors = 0
    total = 0
    for name in sorted(rows, key=lambda x: [*ORDER, x].index(x)):
        row = rows[name]
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        errors += failed
        if not count and not failed:
            continue  # the logins, all before the window
        if name not in OUTSIDE and row["Type"] != "CHECK":
            total += count
        print(
            f"{name:<40} {count:>6} {count / window if window else 0:>7.1f} "
            f"{_ms(row['50%']):>6.0f}ms {_ms(row['95%']):>6.0f}ms "
            f"{_ms(row['Max Response Time']):>6.0f}ms {failed:>6}"
        )
    print(f"{'all requests':<40} {total:>6} {total / window if window else 0:>7.1f}")
    login_failures = int(notes.get("login_failures", 0))
    print(f"errors: {errors + login_failures} (requests {errors}, logins {login_failures})")
    for failure in failures[:10]:
        print(f"  {failure['Occurrences']} x {failure['Name']}: {failure['Error'][:160]}")

    pdf = results.get("pdf") or {}
    if pdf:
        seconds = pdf.get("seconds") or []
        line = (
            f"\nPDF campaign: {pdf.get('requested', 0)} asked for in "
            f"{pdf.get('requests_seconds', '?')} s, {pdf.get('queued', 0)} queued, "
            f"{pdf.get('ready', 0)} ready and downloaded within the window, "
            f"{pdf.get('failed', 0)} failed"
        )
        if seconds:
            line += (
                f"; time to ready p50 {statistics.median(seconds):.0f} s, "
                f"max {max(seconds):.0f} s (polled every 2 s, oldest first)"
            )
        print(line)
        if pdf.get("ready") and window:
            print(f"  throughput: {pdf['ready'] / window * 60:.1f} PDFs per minute")

    autosave, floor_row = rows.get(AUTOSAVE), rows.get(FLOOR)
    if autosave and floor_row:
        a95, f95 = _ms(autosave["95%"]), _ms(floor_row["95%"])
        ratio = a95 / f95 if f95 else float("nan")
        verdict = "OK" if ratio <= 3 else "ABOVE the aim of 3"
        print(
            f"autosave p95 {a95:.0f} ms; floor p95 {f95:.0f} ms, same run; "
            f"ratio {ratio:.1f} ({verdict})"
        )

    cpu = notes.get("cpu", {})
    if "start" in cpu and "end" in cpu and window:
        start, end = cpu["start"], cpu["end"]
        wall = end["machine total"] - start["machine total"]
        cores = os.cpu_count() or 1
        busy = (end["machine busy"] - start["machine busy"]) / wall * 100 if wall else 0
        print(f"\nCPU over the window ({cores} cores; 100 % = one core): machine busy {busy:.0f} %")
        ours = 0.0
        for name in start:
            if name.startswith("machine"):
                continue
            used = (end[name] - start[name]) / window * 100
            ours += used
            print(f"  {name:<36} {used:>5.0f} %")
        other = max(0.0, busy * cores - ours)
        print(f"  {'everything else on the machine':<36} {other:>5.0f} %")
        web = end["gunicorn (master + workers)"] - start["gunicorn (master + workers)"]
        if total and web > 0:
            print(
                f"gunicorn CPU per request (mix of the window): {web / total * 1000:.0f} ms"
                f" -> at most ~{total / web * cores:.0f} req/s on {cores} free cores"
            )
    print(
        f"\nLocust ran in a separate process on the same {os.cpu_count()}-core machine: it "
        "competes with gunicorn, PostgreSQL and the Celery worker for CPU, so the figures "
        f"are pessimistic for the server alone. Logs and Locust's CSV: {logs}"
    )
    return errors + login_failures


# Gunicorn hooks (written to the run folder, loaded with --config): the CPU time of the
# thread serving each request, its SQL queries and their time, one line per request. CPU
# time does not grow when other programs take the cores: it is what a request costs.
GUNICORN_HOOKS = """
import os
import threading
import time

_files = {}
_lock = threading.Lock()


class _Queries:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def pre_request(worker, req):
    from django.db import connection

    queries = _Queries()
    connection.execute_wrappers.append(queries)
    req.bench = (time.thread_time(), time.perf_counter(), queries)


def post_request(worker, req, environ, resp):
    from django.db import connection

    cpu, wall, queries = req.bench
    if queries in connection.execute_wrappers:
        connection.execute_wrappers.remove(queries)
    out = _files.get(os.getpid())
    if out is None:
        path = os.path.join(os.environ["BENCH_LOAD_DIR"], f"server-{os.getpid()}.tsv")
        out = _files[os.getpid()] = open(path, "a", buffering=1)
    status = str(getattr(resp, "status", "0")).split()[0]
    with _lock:
        out.write(
            f"{time.time():.3f}\\t{req.method}\\t{req.path}\\t{status}\\t"
            f"{(time.thread_time() - cpu) * 1000:.2f}\\t"
            f"{(time.perf_counter() - wall) * 1000:.2f}\\t"
            f"{queries.count}\\t{queries.seconds * 1000:.2f}\\n"
        )
"""

SERVER_LABELS = [
    ("POST", r"/answers/[^/]+/$", AUTOSAVE),
    ("GET", r"/assessments/\d+/steps/[^/]+/$", "dealer: step page (GET)"),
    ("POST", r"/assessments/\d+/steps/[^/]+/$", "dealer: step save + next (POST)"),
    ("GET", r"^/dealerships/\d+/assessments/\d+/$", "dealer: resume draft (302)"),
    ("GET", r"/review/$", "dealer: review page (GET)"),
    ("GET", r"^/portfolio/$", "consultant: portfolio (GET)"),
    ("GET", r"^/dealerships/\d+/$", "consultant: dealership page (GET)"),
    ("GET", r"^/assessments/\d+/results/$", "consultant: results page (GET)"),
    ("POST", r"/report/$", "pdf: generate (POST)"),
    ("GET", r"/reports/\d+/$", "pdf: status page (GET)"),
    ("GET", r"/reports/\d+/status/$", "pdf: status poll (htmx GET)"),
    ("GET", r"/reports/\d+/download/$", "pdf: download (GET)"),
    ("GET", "^" + re.escape(FLOOR_PATH) + "$", "floor: authenticated page (GET)"),
    ("GET", r"^/accounts/login/$", "login form (GET)"),
    ("POST", r"^/accounts/login/$", "login (POST)"),
]


def server_side(logs: Path) -> None:
    """Per endpoint, from the gunicorn hooks: CPU, queries and SQL time of each request."""
    rows: dict[str, list[tuple[float, float, int, float]]] = {}
    for path in logs.glob("server-*.tsv"):
        for line in path.read_text().splitlines():
            _t, method, url, _status, cpu, wall, queries, sql_ms = line.split("\t")
            label = next(
                (
                    name
                    for m, pattern, name in SERVER_LABELS
                    if m == method and re.search(pattern, url)
                ),
                None,
            )
            if label is not None:
                rows.setdefault(label, []).append(
                    (float(cpu), float(wall), int(queries), float(sql_ms))
                )
    if not rows:
        return
    print(
        f"\n--- server side, every request of the run (gunicorn hooks) ---\n"
        f"{'endpoint':<40} {'count':>6} {'CPU med':>8} {'CPU p95':>8} {'queries':>8} "
        f"{'SQL med':>8} {'wall med':>9}"
    )
    for label in sorted(rows, key=lambda x: [*ORDER, x].index(x)):
        mine = rows[label]
        cpu = [r[0] for r in mine]
        print(
            f"{label:<40} {len(mine):>6} {statistics.median(cpu):>6.1f}ms "
            f"{percentile(cpu, 95):>6.1f}ms {statistics.median(r[2] for r in mine):>8.0f} "
            f"{statistics.median(r[3] for r in mine):>6.1f}ms "
            f"{statistics.median(r[1] for r in mine):>7.0f}ms"
        )
    print(
        "CPU: time on the CPU of the thread serving the request (what it costs, whatever "
        "else runs);\nSQL: time spent in the database calls; wall: inside gunicorn, "
        "queueing at the socket excluded."
    )


def log_sizes(logs: Path) -> dict[str, int]:
    return {log.name: log.stat().st_size for log in logs.glob("*.log")}


def server_errors(logs: Path, upto: dict[str, int]) -> int:
    """Tracebacks in the servers' logs up to ``upto`` (the sizes before the servers were
    stopped: a PDF cut by the stop at the end is not an error of the run)."""
    count = 0
    for log in logs.glob("*.log"):
        if log.name == "locust.log":
            continue
        with log.open("rb") as handle:
            text = handle.read(upto.get(log.name, 0)).decode(errors="replace")
        count += text.count("Traceback (most recent call last)")
    return count


def orchestrate(args: argparse.Namespace) -> int:
    run_dir = BENCH_DIR / f"run-{datetime.now():%Y%m%d-%H%M%S}"
    run_dir.mkdir(parents=True, exist_ok=True)
    ensure_database(args.database_url)
    broker, broker_env = broker_url(args.broker, run_dir)
    port = args.port or free_port()
    base = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        **broker_env,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SITE_URL": base,
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": broker,
        "VAR_DIR": str(run_dir),
        "MEDIA_ROOT": str(run_dir / "media"),  # a fresh one: the PDF is rendered every run
        "STATIC_ROOT": str(BENCH_DIR / "static"),
        "REPORTS_EMAIL_WHEN_READY": "0",
        # The simulated consultants log in with a password only (no authenticator app).
        "MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "BENCH_LOAD_DIR": str(run_dir),
    }
    env.pop("CELERY_RESULT_BACKEND", None)
    print(
        f"database {args.database_url}; broker {broker}; gunicorn {args.workers} "
        f"{args.worker_class} worker(s) x {args.threads} thread(s) on {base}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before the start"
    )
    manifest_path = run_dir / "manifest.json"
    setup = [PYTHON, str(Path(__file__).resolve()), "--internal-setup", str(manifest_path)]
    setup += [f"--dealers={args.dealers}", f"--consultants={args.consultants}"]
    setup += [f"--extra={args.extra}", f"--seed={args.seed}", f"--pdfs={args.pdfs}"]
    setup += ["--reseed"] * args.reseed + ["--force"] * args.force
    started = time.monotonic()
    subprocess.run(setup, cwd=ROOT, env=env, check=True, timeout=1800)
    print(f"database ready in {time.monotonic() - started:.0f} s")
    manifest_data = json.loads(manifest_path.read_text())

    servers: dict[str, subprocess.Popen] = {}
    clients: subprocess.Popen | None = None
    csv_prefix = run_dir / "locust"
    celery = str(Path(PYTHON).parent / "celery")
    # PDFs still queued by an earlier run (stopped before they were rendered) go.
    subprocess.run(
        [celery, "-A", "config", "purge", "-f"],
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
        capture_output=True,
    )
    try:
        servers["celery worker"] = start(
            [
                celery,
                "-A",
                "config",
                "worker",
                f"--concurrency={args.celery_concurrency}",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=bench-load-{os.getpid()}@%h",
            ],
            env,
            run_dir / "celery.log",
        )
        hooks_file = run_dir / "gunicorn_bench_hooks.py"
        hooks_file.write_text(GUNICORN_HOOKS)
        servers["gunicorn"] = start(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "config.wsgi:application",
                f"--bind={HOST}:{port}",
                f"--workers={args.workers}",
                f"--worker-class={args.worker_class}",
                f"--threads={args.threads}",
                "--timeout=60",
                "--graceful-timeout=10",
                "--worker-tmp-dir=/dev/shm",
                "--log-level=warning",
                f"--config={hooks_file}",
            ],
            env,
            run_dir / "gunicorn.log",
        )
        wait_ready(f"{base}/healthz", servers, run_dir)
        busy = wait_quiet(args.wait_quiet)
        print(
            f"machine {busy:.0%} busy with other work just before the clients start; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        config = {
            "base": base,
            "manifest": manifest_data,
            "dealers": args.dealers,
            "consultants": args.consultants,
            "pdfs": args.pdfs,
            "pdf_interval": args.pdf_interval,
            "pdf_timeout": args.pdf_timeout,
            "duration": args.duration,
            "ramp_up": args.ramp_up,
            "login_concurrency": max(1, args.login_concurrency),
            "dealer_think": args.dealer_think,
            "consultant_think": args.consultant_think,
            "floor_interval": args.floor_interval,
            "seed": args.seed,
            "results": str(run_dir / "results.json"),
            "groups": {
                "gunicorn (master + workers)": servers["gunicorn"].pid,
                "celery worker (PDF)": servers["celery worker"].pid,
            },
        }
        config_path = run_dir / "clients.json"
        config_path.write_text(json.dumps(config))
        users = args.dealers + args.consultants + 2
        print(
            f"locust: {args.dealers} dealers, {args.consultants} consultants, a campaign of "
            f"{args.pdfs} PDFs, 1 floor user; logins first, then a {args.duration:.0f} s "
            "window ..."
        )
        with (run_dir / "locust.log").open("ab") as log:
            clients = subprocess.Popen(
                locust_command(config, csv_prefix, users),
                cwd=ROOT,
                env={**os.environ, "PYTHONUNBUFFERED": "1", "BENCH_LOAD_CONFIG": str(config_path)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            clients.wait(timeout=args.ramp_up + args.duration + 300)
        results_path = run_dir / "results.json"
        if not results_path.exists():
            raise SystemExit(f"locust ended without results ({clients.returncode}): see {run_dir}")
        results = json.loads(results_path.read_text())
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the servers")
        return 130
    finally:
        sizes = log_sizes(run_dir)
        # A second Ctrl-C must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if clients is not None:
            stop(clients, "locust", grace=15)
        for name, process in reversed(servers.items()):
            stop(process, name, grace=30)
    stats, failures = read_stats(csv_prefix)
    errors = report(results, stats, failures, run_dir)
    server_side(run_dir)
    if crashes := server_errors(run_dir, sizes):
        print(f"server logs hold {crashes} traceback(s): see {run_dir}")
    if aborted := results["notes"].get("aborted"):
        print(f"run aborted: {aborted}")
    return 1 if errors or crashes else 0


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    args = parse_args()
    # Ctrl-C and SIGTERM both end the run through the ``finally`` blocks that stop the
    # servers, even when SIGINT was inherited as ignored (a job started with ``&``).
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    if args.internal_setup:
        run_setup(args)
    else:
        sys.exit(orchestrate(args))


if __name__ == "__main__":
    main()
