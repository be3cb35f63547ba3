#!/usr/bin/env python
"""Benchmark the "Generate PDF" POST: CPU per request against the floor, in one run.

    .venv/bin/python bench/pdf_request.py [--peers 2000] [--runs 40]

Seeds the reference assessment of ``bench/pdf.py`` (persona D, a review, an earlier
assessment) and ``--peers`` dealerships of its region with a submitted result each (bulk),
rebuilds the peer statistics, then, through Django's test ``Client`` in this process,
alternates the POST of "Generate the PDF" (the reuse path: the content's fingerprint is
computed on every request, which is what it costs) with the cheapest authenticated page
(the floor of ``bench/load.py``). Prints the median and 95th percentile CPU time of this
process per request, the SQL query count, and for comparison the CPU time of the peer
quartiles computed live over the region (what each POST paid before they were
precomputed). Aim: the POST at most 30 ms of CPU.

A throwaway SQLite database unless ``DATABASE_URL`` names an empty, disposable one.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if "VAR_DIR" not in os.environ:
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="bench-pdf-request-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("REPORTS_EMAIL_WHEN_READY", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

FLOOR_PATH = "/accounts/password_change/done/"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peers", type=int, default=2000, help="dealerships of the region")
    parser.add_argument("--runs", type=int, default=40, help="timed requests of each kind")
    return parser.parse_args()


def seed_peers(count: int, region: str) -> None:
    from django.utils import timezone

    from dealers.models import Dealership
    from maturity.models import Assessment, AssessmentResult
    from maturity.questionnaire.services import questionnaire_current
    from tests.factories import AREA_KEYS

    version = questionnaire_current()
    shops = Dealership.objects.bulk_create(
        (Dealership(name=f"Bench peer {n:05}", city="Ville", region=region) for n in range(count)),
        batch_size=2000,
    )
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        (
            Assessment(dealership=s, version=version, status="submitted", submitted_at=now)
            for s in shops
        ),
        batch_size=2000,
    )
    AssessmentResult.objects.bulk_create(
        (
            AssessmentResult(
                assessment=a,
                engine_version="bench",
                rung=1 + n % 5,
                overall_score=float(n % 97),
                area_scores={k: float((n * 7 + i * 13) % 100) for i, k in enumerate(AREA_KEYS)},
                snapshot={},
            )
            for n, a in enumerate(assessments)
        ),
        batch_size=2000,
    )


def cpu_ms(fn, runs: int) -> list[float]:
    """This process's CPU time of each of ``runs`` calls of ``fn``, in ms."""
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.process_time()
        fn()
        times.append((time.process_time() - started) * 1000)
    return times


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.pdf import seed
    from maturity.models import Assessment, Report
    from maturity.peers.services import peer_statistics_rebuild
    from maturity.results.benchmarks import benchmark_of, peer_dealerships

    settings.DEBUG = False
    assessment = Assessment.objects.select_related("dealership").get(pk=seed())
    dealership = assessment.dealership
    started = time.perf_counter()
    seed_peers(args.peers, dealership.region)
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    groups = peer_statistics_rebuild()
    rebuilt = time.perf_counter() - started
    print(f"database: {connection.vendor}; {args.peers} peers seeded in {seeded:.1f} s")
    print(f"peer statistics rebuilt: {groups} groups in {rebuilt:.2f} s")

    owner = dealership.memberships.get().user
    client = Client()
    client.force_login(owner)
    url = reverse("report_create", args=[dealership.pk, assessment.pk])

    def post() -> None:
        response = client.post(url, {"language": "fr"})
        if response.status_code != 302:
            raise SystemExit(f"POST answered {response.status_code}")

    def floor() -> None:
        if client.get(FLOOR_PATH).status_code != 200:
            raise SystemExit("the floor page did not answer 200")

    def live_peers() -> None:
        peers = peer_dealerships(dealership=dealership, group_by="region")
        benchmark_of(dealerships=peers, group_by="region", label="")

    for _ in range(3):
        post(), floor()  # warm-up: templates, translations, connections
    # Interleaved, so that the load of the (shared) machine weighs on both alike.
    posts, floors = [], []
    for _ in range(args.runs):
        posts += cpu_ms(post, 1)
        floors += cpu_ms(floor, 1)
    with CaptureQueriesContext(connection) as post_queries:
        post()
    with CaptureQueriesContext(connection) as floor_queries:
        floor()
    live_median = statistics.median(cpu_ms(live_peers, max(5, args.runs // 4)))
    reports = Report.objects.filter(assessment=assessment).count()

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20, method="inclusive")[18]

    post_median, floor_median = statistics.median(posts), statistics.median(floors)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"\n{'request':<44} {'cpu median':>11} {'cpu p95':>9} {'queries':>8}")
    print(
        f"{'POST Generate the PDF (reuse path)':<44} {post_median:>9.1f}ms"
        f" {p95(posts):>7.1f}ms {len(post_queries):>8}"
    )
    print(
        f"{'floor: ' + FLOOR_PATH:<44} {floor_median:>9.1f}ms"
        f" {p95(floors):>7.1f}ms {len(floor_queries):>8}"
    )
    print(f"{'(before: peer quartiles computed live)':<44} {live_median:>9.1f}ms")
    verdict = "ok" if post_median <= 30 else "ABOVE the 30 ms aim"
    print(
        f"\nPOST median CPU {post_median:.1f} ms = {post_median / floor_median:.1f} x the floor"
        f" ({verdict}); {args.runs} runs each, interleaved; {reports} report row(s)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
