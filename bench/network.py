#!/usr/bin/env python
"""Benchmark the network dashboard on a national network.

Seeds 2,000 dealerships (``--dealerships 20000`` for a national network) with 5
submitted assessments each, exactly as ``bench/dashboard.py`` does (and reusing its data
when the database already holds it), puts every one of them in one network and five of
them in another, adds three campaigns over a quarter of the network, then builds the
network aggregates (``maturity.network``: the rebuild beat runs, then the refresh one
submission asks for) and prints how long each took. Then it requests the pages through
Django's test ``Client`` in this process and prints the median and 95th-percentile
server times and the SQL query count of each: the network dashboard as its manager and
as staff, the same page for the network of five (the query count must be the same), the
staff's list of networks, and the "floor" (the cheapest authenticated page,
``bench/load.py``'s) in the same run.

Aim: 95th percentile under 500 ms at 20,000 dealerships on a 2-core machine with
PostgreSQL. Run it against a database of its own, for example::

    createdb -h 127.0.0.1 -U postgres bench_network
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_network \\
        .venv/bin/python bench/network.py --dealerships 20000

It migrates the database, seeds it once (``--reseed`` starts again) and refuses a
database holding anything but bench data (names "Bench ...", e-mails "@bench.invalid")
unless given ``--force``. Times are server times as the test client sees them, with
``DEBUG`` off.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Staff sign in with a second factor in production; a local bench logs in directly.
os.environ.setdefault("MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS", "0")

from bench.dashboard import BENCH_DOMAIN, BENCH_PREFIX, measure, seed  # noqa: E402

NETWORK = f"{BENCH_PREFIX}réseau national"
SMALL_NETWORK = f"{BENCH_PREFIX}réseau de cinq"
FLOOR_PATH = "/accounts/password_change/done/"  # bench/load.py's floor
AIM_MS = 500


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
    return parser.parse_args()


def seed_networks() -> dict[str, object]:
    """The two networks, their managers and three campaigns over the big one."""
    from django.db import transaction
    from django.utils import timezone

    from bench.benchdata import BenchData
    from dealers.models import Network, User
    from maturity.models import Assessment, Campaign, CampaignDealership

    bench = BenchData(prefix=BENCH_PREFIX, domain=BENCH_DOMAIN)
    shops = list(bench.dealerships().order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    password = "bench-password-not-secret"  # noqa: S105 - local benchmark accounts
    with transaction.atomic():
        big = Network.objects.create(name=NETWORK)
        small = Network.objects.create(name=SMALL_NETWORK)
        through = Network.dealerships.through
        through.objects.bulk_create(
            [through(network_id=big.pk, dealership_id=pk) for pk in shops]
            + [through(network_id=small.pk, dealership_id=pk) for pk in shops[:5]],
            batch_size=5000,
        )
        for email, network in (("network", big), ("network5", small)):
            User.objects.filter(email=f"{email}{BENCH_DOMAIN}").delete()
            User.objects.create_user(f"{email}{BENCH_DOMAIN}", password, network=network)
        consultant = User.objects.get(email=f"consultant{BENCH_DOMAIN}")
        # The drafts bench/dashboard.py seeded (one dealership in four) and the latest
        # submission of as many again: a campaign half answered.
        drafts = dict(
            Assessment.objects.filter(dealership_id__in=shops, status="draft").values_list(
                "dealership_id", "pk"
            )
        )
        quarter = len(shops) // 4
        for n, (title, offset) in enumerate(
            (("Printemps", 0), ("Été", quarter), ("Automne", 2 * quarter))
        ):
            campaign = Campaign.objects.create(
                title=f"Campagne nationale {title}",
                due_date=(now + timedelta(days=30 * n - 40)).date(),
                created_by=consultant,
                created_at=now - timedelta(days=90 - 30 * n),
            )
            CampaignDealership.objects.bulk_create(
                [
                    CampaignDealership(
                        campaign=campaign,
                        dealership_id=pk,
                        assessment_id=drafts.get(pk),
                        added_at=campaign.created_at,
                    )
                    for pk in shops[offset : offset + quarter]
                ],
                batch_size=5000,
            )
    return {"big": big, "small": small}


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.benchdata import BenchData
    from dealers.models import Network, User
    from maturity.network.services import network_aggregate_rebuild, network_aggregate_refresh

    settings.DEBUG = False
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    call_command("migrate", verbosity=0)
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
    if have and have != args.dealerships:
        raise SystemExit(f"{have} bench dealerships exist, {args.dealerships} asked: use --reseed.")
    if not have:
        info = seed(
            dealerships=args.dealerships,
            assessments=args.assessments,
            rng=random.Random(args.seed),
        )
        print(
            f"seeded {info['dealerships']} dealerships, {info['assessments']} assessments "
            f"in {info['seconds']:.1f} s"
        )
    if not bench.networks().exists():
        seed_networks()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    big = Network.objects.get(name=NETWORK)

    started = time.perf_counter()
    built = network_aggregate_rebuild()
    rebuild_s = time.perf_counter() - started
    one = big.dealerships.order_by("pk").values_list("pk", flat=True).first()
    started = time.perf_counter()
    network_aggregate_refresh(dealership_ids=[one])
    refresh_s = time.perf_counter() - started
    print(
        f"network aggregates: rebuild of {built} networks {rebuild_s:.1f} s; "
        f"refresh after one submission (both its networks) {refresh_s:.1f} s"
    )

    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=BENCH_DOMAIN)}
    small = Network.objects.get(name=SMALL_NETWORK)
    dashboard = reverse("network_dashboard", args=[big.pk])
    scenarios = [
        (f"network dashboard, manager, {args.dealerships:,}", "network", dashboard),
        (f"network dashboard, staff, {args.dealerships:,}", "staff", dashboard),
        (
            "network dashboard, manager, 5",
            "network5",
            reverse("network_dashboard", args=[small.pk]),
        ),
        ("networks, staff", "staff", reverse("network")),
        ("floor: authenticated page", "network", FLOOR_PATH),
    ]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print(
        f"\n{'page':<46} {'cold':>7} {'median':>8} {'p95':>8} {'cpu':>7} {'queries':>8} {'KB':>5}"
    )
    figures = {}
    for label, who, url in scenarios:
        client = Client()
        client.force_login(users[who])
        cold, median, p95, cpu, queries, size = measure(client, url, args.runs)
        figures[label] = (p95, queries)
        print(
            f"{label:<46} {cold:>5.0f}ms {median:>6.0f}ms {p95:>6.0f}ms {cpu:>5.0f}ms"
            f" {queries:>8} {size / 1024:>5.0f}"
        )
    worst = max(p95 for label, (p95, _q) in figures.items() if label.startswith("network "))
    verdict = "OK" if worst < AIM_MS else f"ABOVE the {AIM_MS} ms aim"
    counts = {q for label, (_p, q) in figures.items() if label.startswith("network dashboard")}
    same = "the same" if len(counts) == 1 else "NOT the same"
    print(
        f"\nworst network page p95: {worst:.0f} ms ({verdict}); floor p95 "
        f"{figures['floor: authenticated page'][0]:.0f} ms, same run; dashboard queries "
        f"{sorted(counts)} ({same} for 5 and {args.dealerships:,} dealerships); "
        f"runs per page: {args.runs}"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
