#!/usr/bin/env python
"""Benchmark the consultant portfolio and the dealer home on a large data set.

Seeds 2,000 dealerships (``--dealerships 20000`` for a national network) with 5 submitted
assessments each (results with real engine snapshots of the five personas, reports,
reviews, roadmap statuses, a draft for one dealership in four) with ``bulk_create``, then
rebuilds the peer statistics, requests the pages through Django's test ``Client`` in
this process and prints the median and 95th-percentile server times and the SQL query
count of each. The consultant follows 2,000 dealerships (all of them when there are
fewer), the staff member sees every one.

Then the staff member's CSV and XLSX exports of every dealership, each in a child process
of its own: its peak resident memory (RSS) against the same process before the export,
which must not grow with the number of rows (streamed CSV, write-only XLSX in a
temporary file).

Aim: 95th percentile under 300 ms for a page of 50 on a 2-core machine with
PostgreSQL. Run it against a database of its own, for example::

    createdb -h 127.0.0.1 -U postgres bench_dashboard
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dashboard \\
        .venv/bin/python bench/dashboard.py

The script migrates the database, seeds it once (a second run reuses the data; ``--reseed``
starts again) and refuses to touch a database holding anything but its own data (names
"Bench ...", e-mails "@bench.invalid") unless given ``--force``.

Times are server times as the test client sees them (middleware, view, template, SQL),
without a network or a WSGI server in front; ``DEBUG`` is switched off for the run so
that neither SQL logging nor template debugging inflates them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per login
# The bench's staff and consultant have no TOTP device: the pages, not the 2FA setup.
os.environ.setdefault("MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS", "0")

BENCH_DOMAIN = "@bench.invalid"
BENCH_PREFIX = "Bench "
FOLLOWED = 2000  # the consultant's portfolio
BRANDS = ["Peugeot", "Renault", "Citroën", "Toyota", "Kia", "Volkswagen", "DS", "Dacia"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dealerships", type=int, default=2000)
    parser.add_argument("--assessments", type=int, default=5, help="submitted, per dealership")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument("--reseed", action="store_true", help="delete the bench data first")
    parser.add_argument(
        "--force", action="store_true", help="run even if the database holds other data"
    )
    parser.add_argument("--seed", type=int, default=6, help="random seed")
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- seeding ------------------------------------------------------------------------------


def persona_results() -> list[dict]:
    """The four personas scored by the real engine: realistic snapshots to reuse."""
    from maturity.demo.personas import load_personas
    from maturity.questionnaire.services import questionnaire_current
    from maturity.results.services import result_snapshot

    definition = questionnaire_current().definition
    return [result_snapshot(definition, dict(p.answers)) for p in load_personas()]


def seed(*, dealerships: int, assessments: int, rng: random.Random) -> dict[str, object]:
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
        Assessment,
        AssessmentResult,
        AssessmentReview,
        Report,
        RoadmapActionStatus,
    )
    from maturity.questionnaire.services import questionnaire_current

    started = time.perf_counter()
    version = questionnaire_current()
    snapshots = persona_results()
    now = timezone.now()
    regions = [r.value for r in Region]
    sizes = [s.value for s in SizeBand]

    with transaction.atomic():
        brands = [Brand.objects.get_or_create(name=name)[0] for name in BRANDS]
        groups = DealerGroup.objects.bulk_create(
            DealerGroup(name=f"{BENCH_PREFIX}Groupe {n:02}") for n in range(20)
        )
        shops = Dealership.objects.bulk_create(
            (
                Dealership(
                    name=f"{BENCH_PREFIX}{n:04}",
                    city=f"Ville {n % 300:03}",
                    region=regions[n % len(regions)],
                    size_band=sizes[n % len(sizes)],
                    profile="brand_dealer",  # the answers pool is the brand dealer's
                    group=groups[n % 20] if n % 10 == 0 else None,
                )
                for n in range(dealerships)
            ),
            batch_size=1000,
        )
        through = Dealership.brands.through
        links = []
        for shop in shops:
            for brand in rng.sample(brands, rng.choice((1, 1, 2))):
                links.append(through(dealership_id=shop.pk, brand_id=brand.pk))
        through.objects.bulk_create(links, batch_size=5000)

        password = "bench-password-not-secret"  # noqa: S105 - local benchmark accounts
        User.objects.create_user(f"staff{BENCH_DOMAIN}", password, is_staff=True)
        consultant = User.objects.create_user(
            f"consultant{BENCH_DOMAIN}", password, is_consultant=True
        )
        small = User.objects.create_user(f"small{BENCH_DOMAIN}", password, is_consultant=True)
        owner = User.objects.create_user(f"owner{BENCH_DOMAIN}", password)
        Assignment.objects.bulk_create(
            [Assignment(consultant=consultant, dealership=s) for s in shops[:FOLLOWED]]
            + [Assignment(consultant=small, dealership=s) for s in shops[:150]],
            batch_size=5000,
        )
        Membership.objects.create(user=owner, dealership=shops[0], role=Membership.Role.OWNER)

        rows = []
        for n, shop in enumerate(shops):
            # Roughly yearly, the latest within the last 16 months: some are overdue.
            latest_age = rng.randint(5, 480)
            for k in range(assessments):
                age = latest_age + (assessments - 1 - k) * 365 + rng.randint(-20, 20)
                rows.append(
                    Assessment(
                        dealership=shop,
                        version=version,
                        status=Assessment.Status.SUBMITTED,
                        created_by=owner,
                        submitted_by=owner,
                        submitted_at=now - timedelta(days=age),
                    )
                )
            if n % 4 == 0:
                rows.append(Assessment(dealership=shop, version=version, created_by=owner))
        created = Assessment.objects.bulk_create(rows, batch_size=2000)
        submitted = [a for a in created if a.status == Assessment.Status.SUBMITTED]

        results = []
        for assessment in submitted:
            snapshot = rng.choice(snapshots)
            # Personal variation around the persona, so that the heat map, the sorting and
            # the drop alerts have something to work on (the snapshot stays the persona's).
            area_scores = {
                a["key"]: round(min(100.0, max(0.0, a["score"] + rng.uniform(-12, 12))), 1)
                for a in snapshot["areas"]
            }
            results.append(
                AssessmentResult(
                    assessment=assessment,
                    engine_version=snapshot["engine_version"],
                    rung=snapshot["rung"],
                    overall_score=round(sum(area_scores.values()) / len(area_scores), 1),
                    area_scores=area_scores,
                    snapshot=snapshot,
                )
            )
        AssessmentResult.objects.bulk_create(results, batch_size=1000)

        latest_ones = submitted[assessments - 1 :: assessments]
        Report.objects.bulk_create(
            (
                Report(
                    assessment=a,
                    status=rng.choice(list(Report.Status.values)),
                    fingerprint=f"{a.pk:064x}",
                )
                for a in latest_ones[::2]
            ),
            batch_size=2000,
        )
        AssessmentReview.objects.bulk_create(
            (AssessmentReview(assessment=a, reviewed_at=now) for a in latest_ones[::3]),
            batch_size=2000,
        )
        statuses = RoadmapActionStatus.objects.bulk_create(
            (
                RoadmapActionStatus(dealership=shop, action_key=key, status="planned")
                for shop in shops[::2]
                for key in ("website_mobile", "social_reply_routine", "crm_log_web_leads")
            ),
            batch_size=5000,
        )
        # Half of those roadmaps moved recently, the other half not for months.
        RoadmapActionStatus.objects.filter(pk__in=[s.pk for s in statuses[::2]]).update(
            updated_at=now - timedelta(days=120)
        )
    return {
        "seconds": time.perf_counter() - started,
        "dealerships": len(shops),
        "assessments": len(created),
    }


# --- timing -------------------------------------------------------------------------------


def measure(client, url: str, runs: int) -> tuple[float, float, float, float, int, int]:
    """``(cold ms, median ms, p95 ms, median CPU ms, queries, bytes)`` of ``runs`` requests.

    "Cold" is one request on an empty cache (the first visit after a change of the data:
    alerts, reference median and heat map are computed); the ``runs`` timed requests
    follow two warm-ups. The CPU time is this process's only (Python: middleware, view,
    template; not PostgreSQL's): next to the wall time it shows how much of a slow figure
    is waiting, for the database or for a busy machine's CPU.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return body

    get()  # connection, translations, templates: what any first request pays once
    cache.clear()
    started = time.perf_counter()
    get()
    cold = (time.perf_counter() - started) * 1000
    for _ in range(2):
        get()
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        body = get()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        get()
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if runs > 1 else times[0]
    return cold, statistics.median(times), p95, statistics.median(cpu), len(queries), len(body)


def rss_kib(field: str = "VmRSS") -> int:
    """This process's resident memory (``VmRSS``) or its peak (``VmHWM``), in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def export_child(url: str) -> None:
    """In a fresh process: warm up, then download ``url`` as the staff member; prints
    ``rows bytes seconds rss_before_kib peak_kib``."""
    from django.conf import settings
    from django.test import Client

    from dealers.models import User

    settings.DEBUG = False
    client = Client()
    client.force_login(User.objects.get(email=f"staff{BENCH_DOMAIN}"))
    client.get(url + "&q=zzz-nothing")  # imports, templates, translations: not the rows
    before = rss_kib()
    # The peak so far is reset, so VmHWM is the peak of the export alone (Linux >= 4.0).
    # Unless refused: then the peak includes the warm-up, an upper bound.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    started = time.perf_counter()
    response = client.get(url)
    size = lines = 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    print(lines, size, f"{elapsed:.2f}", before, rss_kib("VmHWM"))


def measure_exports() -> None:
    """The staff member's exports of every dealership, each in a child process."""
    import subprocess

    from django.urls import reverse

    from dealers.models import Dealership

    rows = Dealership.objects.count()
    print(
        f"\n{'export (staff, every dealership)':<46} {'rows':>7} {'MB':>6} {'time':>7}"
        f" {'RSS before':>11} {'peak RSS':>9}"
    )
    for label, name in (
        ("CSV (streamed)", "portfolio_export_csv"),
        ("XLSX (write-only, temporary file)", "portfolio_export_xlsx"),
    ):
        url = reverse(name) + "?sort=name"
        out = subprocess.run(
            [sys.executable, __file__, "--export-child", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        _lines, size, seconds, before, peak = out[-5:]
        print(
            f"{label:<46} {rows:>7} {int(size) / 1e6:>6.1f} {float(seconds):>6.1f}s"
            f" {int(before) / 1024:>9.0f}MB {int(peak) / 1024:>7.0f}MB"
        )


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    if args.export_child:
        export_child(args.export_child)
        return
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.benchdata import BenchData
    from dealers.models import Dealership, User
    from maturity.models import Assessment

    # Production-like: no SQL logging, no template debugging (set before the first render).
    settings.DEBUG = False
    database = connection.settings_dict
    print(f"database: {connection.vendor} {database.get('NAME')}")
    call_command("migrate", verbosity=0)

    # Our rows are "Bench ..." and "...@bench.invalid": anything else is someone's data.
    bench = BenchData(prefix=BENCH_PREFIX, domain=BENCH_DOMAIN)
    if not args.force and (problems := bench.foreign_data()):
        raise SystemExit(
            "Refusing to seed a database with other data: "
            + "; ".join(problems)
            + ". Use a database of its own (see the docstring) or --force."
        )
    if args.reseed:
        bench.delete()
    have = bench.dealerships().count()
    want = args.dealerships
    if have and have != want:
        raise SystemExit(f"{have} bench dealerships exist, {want} asked: use --reseed.")
    if not have:
        info = seed(dealerships=want, assessments=args.assessments, rng=random.Random(args.seed))
        print(
            f"seeded {info['dealerships']} dealerships, {info['assessments']} assessments "
            f"in {info['seconds']:.1f} s"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # As autovacuum would after a bulk load: statistics for the planner and a
                # visibility map, so that counts are index-only scans.
                cursor.execute("VACUUM ANALYZE")
    from maturity.models import DealershipStanding, PeerStatistic
    from maturity.peers.services import peer_statistics_rebuild
    from maturity.standing.services import standings_rebuild

    if args.reseed or not have or not DealershipStanding.objects.exists():
        # ``bulk_create`` sends no signals: the portfolio's per-dealership standings.
        started = time.perf_counter()
        count = standings_rebuild()
        print(f"standings rebuilt: {count} in {time.perf_counter() - started:.1f} s")

    if args.reseed or not have or not PeerStatistic.objects.exists():
        started = time.perf_counter()
        groups = peer_statistics_rebuild()
        print(f"peer statistics rebuilt: {groups} groups in {time.perf_counter() - started:.1f} s")
    else:
        count = Assessment.objects.filter(dealership__name__startswith=BENCH_PREFIX).count()
        print(f"reusing {have} bench dealerships, {count} assessments")

    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=BENCH_DOMAIN)}
    home_dealership = Dealership.objects.filter(memberships__user=users["owner"]).get()
    portfolio = reverse("portfolio")
    csv_url = reverse("portfolio_export_csv")
    home = reverse("dealership_detail", args=[home_dealership.pk])
    scenarios = [
        ("portfolio, consultant of 2,000, by name", "consultant", portfolio, args.runs),
        ("portfolio, staff, by score desc", "staff", f"{portfolio}?sort=-score", args.runs),
        (
            "portfolio, consultant, by score desc",
            "consultant",
            f"{portfolio}?sort=-score",
            args.runs,
        ),
        (
            "portfolio, consultant, by change, page 20",
            "consultant",
            portfolio + "?sort=-change&page=20",
            args.runs,
        ),
        (
            "portfolio, consultant, region+status filters",
            "consultant",
            portfolio + "?region=bre&status=submitted&sort=-submitted",
            args.runs,
        ),
        (
            "portfolio, consultant, alert=overdue",
            "consultant",
            portfolio + "?alert=overdue",
            args.runs,
        ),
        ("portfolio, consultant of 150", "small", portfolio, args.runs),
        ("portfolio, staff (everything)", "staff", portfolio, args.runs),
        ("dealer home, owner (5 assessments)", "owner", home, args.runs),
        ("dealer home, consultant", "consultant", home, args.runs),
        ("dealer home, peers = all", "owner", home + "?peers=all", args.runs),
        ("CSV export, consultant, 2,000 rows", "consultant", csv_url, max(3, args.runs // 6)),
    ]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print(
        f"\n{'page':<46} {'cold':>7} {'median':>8} {'p95':>8} {'cpu':>7} {'queries':>8} {'KB':>5}"
    )
    worst_page = 0.0
    for label, who, url, runs in scenarios:
        client = Client()
        client.force_login(users[who])
        cold, median, p95, cpu, queries, size = measure(client, url, runs)
        if not url.startswith(csv_url):
            worst_page = max(worst_page, p95)
        print(
            f"{label:<46} {cold:>5.0f}ms {median:>6.0f}ms {p95:>6.0f}ms {cpu:>5.0f}ms"
            f" {queries:>8} {size / 1024:>5.0f}"
        )
    verdict = "OK" if worst_page < 300 else "ABOVE the 300 ms aim"
    print(f"\nworst page p95: {worst_page:.0f} ms ({verdict}); runs per page: {args.runs}")
    measure_exports()
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
