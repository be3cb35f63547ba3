#!/usr/bin/env python
"""Benchmark the PDF roadmap: our pipeline against a bare WeasyPrint render, and memory.

    .venv/bin/python bench/pdf.py [--runs 7] [--reports 100]

Builds the reference report (persona D, Groupe Horizon, with an earlier assessment so the
before/after page is in, a consultant and a review) in a throwaway SQLite database, then
prints in one run:

1. **time**: the median CPU time over ``--runs`` of our whole pipeline (read the database, build
   the context with the presenters, render the template, lay out with WeasyPrint through
   the static-only fetcher) and of a bare WeasyPrint render of the same HTML (default
   fetcher, stylesheet read from disk), and their ratio. Aim: at most 1.15.
2. **memory**: a worker-like child process runs the real Celery task (``apply``: the
   worker's code path, claim, render, atomic write) for ``--reports`` reports and prints
   its resident memory (RSS) after the first report (fonts and caches loaded) and after
   the last one. Aim: growth under 20 %.

Times are CPU times of this process (wall-clock times, shown too, depend on what else the
machine runs); runs are interleaved (ours, bare, ours, bare...). Pass ``DATABASE_URL`` to
use another (empty, disposable) database.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if "VAR_DIR" not in os.environ:  # a throwaway database, media and broker folder
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="bench-pdf-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("REPORTS_EMAIL_WHEN_READY", "0")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed renders of each kind")
    parser.add_argument("--reports", type=int, default=100, help="reports for the memory run")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--assessment", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def rss_kib() -> int:
    """Resident memory of this process (Linux), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def setup_django() -> None:
    import django

    django.setup()


def seed() -> int:
    """The reference assessment (persona D) and what surrounds it; returns its id."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from dealers.models import Assignment, Dealership, Membership, User
    from maturity.demo.personas import load_persona
    from maturity.models import AreaComment, AssessmentReview
    from tests.factories import submitted_assessment

    persona = load_persona("D")
    dealership, _created = Dealership.objects.get_or_create(
        name=persona.dealership["name"],
        city=persona.dealership["city"],
        defaults={"region": "ara", "size_band": "large", "language": "fr"},
    )
    owner, _ = User.objects.get_or_create(
        email="isabelle.roche@bench.invalid", defaults={"full_name": "Isabelle Roche"}
    )
    Membership.objects.get_or_create(user=owner, dealership=dealership, role="owner")
    consultant, _ = User.objects.get_or_create(
        email="claire.conseil@bench.invalid",
        defaults={"full_name": "Claire Conseil", "is_consultant": True},
    )
    Assignment.objects.get_or_create(consultant=consultant, dealership=dealership)
    submitted_assessment(
        dealership=dealership,
        persona="b",
        user=owner,
        submitted_at=timezone.now() - timedelta(days=365),
    )
    assessment = submitted_assessment(dealership=dealership, persona="d", user=owner)
    AssessmentReview.objects.create(
        assessment=assessment,
        overall_note="Une organisation exemplaire : gardez le rythme des revues mensuelles.",
        reviewed_by=consultant,
        reviewed_at=timezone.now(),
    )
    AreaComment.objects.create(
        assessment=assessment,
        area_key="reviews",
        body="Répondre aussi aux avis positifs, pas seulement aux négatifs.",
        author=consultant,
    )
    return assessment.pk


def time_renders(assessment_id: int, runs: int) -> None:
    from django.conf import settings
    from pypdf import PdfReader
    from weasyprint import HTML

    from maturity.models import Assessment
    from maturity.reports.render import html_to_pdf, render_report_html

    static_dir = Path(settings.BASE_DIR) / "static"

    def ours() -> bytes:
        assessment = Assessment.objects.get(pk=assessment_id)
        return html_to_pdf(render_report_html(assessment=assessment, language="fr"))

    html = render_report_html(assessment=Assessment.objects.get(pk=assessment_id), language="fr")
    # The same HTML, with the stylesheet and images read straight from the static folder
    # by WeasyPrint's own fetcher: what rendering costs without anything of ours.
    bare_html = html.replace('href="/static/', 'href="').replace('src="/static/', 'src="')

    def bare() -> bytes:
        return HTML(string=bare_html, base_url=str(static_dir) + "/").write_pdf()

    first = ours()
    bare()  # warm-up of both: fonts, caches
    pages = len(PdfReader(io.BytesIO(first)).pages)
    cpu: dict[str, list[float]] = {"ours": [], "bare": []}
    wall: dict[str, list[float]] = {"ours": [], "bare": []}
    for _ in range(runs):
        for name, fn in (("ours", ours), ("bare", bare)):
            gc.collect()
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            fn()
            cpu[name].append(time.process_time() - started_cpu)
            wall[name].append(time.perf_counter() - started_wall)
    ours_cpu, bare_cpu = statistics.median(cpu["ours"]), statistics.median(cpu["bare"])
    ratio = ours_cpu / bare_cpu
    print(f"Reference report: persona D, {pages} pages, {len(first) / 1024:.0f} KiB, fr")
    print("Median CPU time of this process (wall-clock in brackets: other load skews it):")
    print(
        f"  our pipeline (DB + context + template + WeasyPrint): {ours_cpu:.3f} s"
        f"  [{statistics.median(wall['ours']):.3f} s]"
    )
    print(
        f"  bare WeasyPrint render of the same HTML:            {bare_cpu:.3f} s"
        f"  [{statistics.median(wall['bare']):.3f} s]"
    )
    print(f"  ratio: {ratio:.3f} (aim <= 1.15: {'ok' if ratio <= 1.15 else 'ABOVE AIM'})")
    print(f"  {runs} runs of each, interleaved")


def memory_child(assessment_id: int, reports: int) -> None:
    """Run in a fresh process: the real task, as a worker would, ``reports`` times."""
    from django.db import connection, reset_queries

    from maturity.models import Assessment, Report
    from maturity.reports import tasks

    assessment = Assessment.objects.get(pk=assessment_id)
    started = rss_kib()

    def one(index: int) -> None:
        report = Report.objects.create(
            assessment=assessment, fingerprint=f"{index:064x}", language="fr"
        )
        outcome = tasks.render_report.apply(args=[report.pk]).result
        if outcome != "ready":
            raise SystemExit(f"report {report.pk}: {outcome}")
        connection.close()  # what Celery's Django fixup does after each task
        # A production worker runs with DEBUG off: no SQL log kept on the connection.
        reset_queries()

    one(0)
    gc.collect()
    warm = rss_kib()
    t0 = time.process_time()
    for index in range(1, reports + 1):
        one(index)
    gc.collect()
    after = rss_kib()
    seconds = time.process_time() - t0
    print(json.dumps({"start": started, "warm": warm, "after": after, "seconds": seconds}))


def measure_memory(assessment_id: int, reports: int) -> None:
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--memory-child",
            f"--assessment={assessment_id}",
            f"--reports={reports}",
        ],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    if child.returncode != 0:
        print(child.stdout, child.stderr, file=sys.stderr)
        raise SystemExit("the memory run failed")
    data = json.loads(child.stdout.strip().splitlines()[-1])
    growth = (data["after"] - data["warm"]) / data["warm"]
    verdict = "ok" if growth < 0.20 else "ABOVE AIM"
    print(f"Worker-like process, {reports} reports through the real task:")
    print(f"  RSS at start (Django loaded):   {data['start'] / 1024:7.1f} MiB")
    print(f"  RSS after the first report:     {data['warm'] / 1024:7.1f} MiB  (before)")
    print(f"  RSS after {reports} more reports:   {data['after'] / 1024:7.1f} MiB  (after)")
    print(f"  growth: {growth * 100:+.1f} % (aim < 20 %: {verdict})")
    print(f"  {data['seconds'] / reports:.2f} s of CPU per report on average")


def main() -> None:
    args = parse_args()
    setup_django()
    if args.memory_child:
        memory_child(args.assessment, args.reports)
        return
    assessment_id = seed()
    time_renders(assessment_id, args.runs)
    measure_memory(assessment_id, args.reports)


if __name__ == "__main__":
    main()
