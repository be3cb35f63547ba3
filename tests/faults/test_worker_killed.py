"""The Celery worker killed (SIGKILL) while it renders a PDF: the report still ends ready,
with exactly one file.

Two ways a worker dies in production: the kernel's OOM killer picks the pool process that
renders (the biggest), or the whole worker goes (``docker kill``, the host reboots).
"""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
from pypdf import PdfReader

from tests.faults.journeys import report_url, request_pdf
from tests.faults.stack import Browser, Process, Stack, wait_for

pytestmark = pytest.mark.faults

_FINISHED = re.compile(r"maturity\.render_report\[[^\]]+\] succeeded in [\d.]+s: '(\w+)'")


def kill_while_rendering(stack: Stack, worker: Process, report_id: int, *, whole: bool) -> None:
    """SIGKILL as soon as the worker has claimed the report (status ``running``)."""
    wait_for(
        lambda: stack.report(report_id)["status"] == "running",
        timeout=30,
        interval=0.01,
        what="the worker to start rendering",
        details=stack.logs,
    )
    (child,) = stack.pool_children(worker)  # --concurrency=1
    if whole:
        # The main process first: it must not requeue the message on seeing its child die.
        os.kill(worker.pid, signal.SIGKILL)
    os.kill(child, signal.SIGKILL)
    if whole:
        worker.popen.wait(timeout=10)
    # Killed mid-render, not after: nothing written, the row still says running.
    assert stack.report(report_id)["status"] == "running", stack.report(report_id)
    assert stack.media_files() == [], stack.media_files()


def assert_ready_with_one_file(
    stack: Stack, browser: Browser, report_id: int, *, timeout: float = 45
) -> None:
    report = wait_for(
        lambda: (r := stack.report(report_id))["status"] in ("ready", "failed") and r,
        timeout=timeout,
        interval=0.1,
        what="the report to be rendered again",
        details=stack.logs,
    )
    assert report["status"] == "ready", report
    assert report["attempts"] == 2, report
    pdf = stack.media_root / report["file"]
    # Exactly one file: no second copy, no half-written temporary file left by the kill.
    assert stack.media_files() == [pdf], stack.media_files()
    assert len(PdfReader(pdf).pages) >= 1  # a whole PDF, not a truncated one

    status_page = browser.get(report_url(stack, report_id))
    assert status_page.status == 200
    assert report_url(stack, report_id, "download/") in status_page.text
    download = browser.get(report_url(stack, report_id, "download/"))
    assert download.status == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.body == pdf.read_bytes()


def test_it_finishes_a_report_whose_rendering_pool_process_was_killed(stack: Stack):
    stack.start_web()
    worker = stack.start_worker()
    browser = Browser(stack.base_url)
    browser.login(stack.seed["email"], stack.seed["password"])
    report_id, _page = request_pdf(stack, browser)

    kill_while_rendering(stack, worker, report_id, whole=False)

    # The worker's main process sees its pool process die, requeues the message
    # (acks_late + reject_on_worker_lost) and starts a new pool process, which gets it.
    outcome = wait_for(
        lambda: _FINISHED.search(worker.log_text()),
        timeout=45,
        interval=0.1,
        what="the redelivered message to be handled",
        details=stack.logs,
    ).group(1)
    # The redelivery sees that the process holding the claim is dead and takes over at
    # once, without waiting for the stale delay.
    assert outcome == "ready", outcome
    assert_ready_with_one_file(stack, browser, report_id)


def test_it_finishes_a_report_whose_whole_worker_was_killed_within_a_minute(stack: Stack):
    stack.start_web()
    worker = stack.start_worker()
    browser = Browser(stack.base_url)
    browser.login(stack.seed["email"], stack.seed["password"])
    report_id, _page = request_pdf(stack, browser)

    kill_while_rendering(stack, worker, report_id, whole=True)
    killed = time.monotonic()

    # A new worker (the container restarts) and beat, as in production. The killed worker
    # never acknowledged the message, so Redis keeps it aside until the visibility timeout
    # (an hour); but the claim's heartbeat stopped with the worker, and the sweep (beat,
    # every few seconds) re-queues the report once that heartbeat is stale.
    stack.start_worker("worker-2", wait=False)
    stack.start_beat()
    assert_ready_with_one_file(stack, browser, report_id, timeout=90)
    recovered_in = time.monotonic() - killed
    assert recovered_in < 60, f"the report was ready {recovered_in:.0f} s after the kill"
    assert "maturity.sweep_reports" in stack.logs()
