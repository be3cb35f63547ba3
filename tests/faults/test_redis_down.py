"""Redis (the Celery broker) down when a PDF is requested: the page answers within
2 seconds, and the report is produced once Redis is back."""

from __future__ import annotations

import time
import urllib.error

import pytest

from tests.faults.journeys import report_url, request_pdf
from tests.faults.stack import Browser, Stack, wait_for

pytestmark = pytest.mark.faults

PAGE_BUDGET = 2.0  # seconds


class TooSlow(AssertionError):
    """The page did not answer within the budget."""


def wait_until_done(stack: Stack, report_id: int) -> dict:
    return wait_for(
        lambda: (r := stack.report(report_id))["status"] in ("ready", "failed") and r,
        timeout=45,
        interval=0.1,
        what=f"report {report_id} to be rendered",
        details=stack.logs,
    )


@pytest.mark.parametrize(
    "outage",
    [
        "stopped",
        "frozen",
    ],
)
def test_it_answers_quickly_and_renders_the_report_once_redis_is_back(stack: Stack, outage):
    stack.start_web()
    worker = stack.start_worker()
    browser = Browser(stack.base_url)
    browser.login(stack.seed["email"], stack.seed["password"])
    # Redis up first: the English PDF, rendered normally. This also warms the web process
    # (its first PDF request imports the renderer).
    english, _page = request_pdf(stack, browser, "en")
    assert wait_until_done(stack, english)["status"] == "ready"

    if outage == "stopped":
        stack.redis.stop()
    else:
        stack.redis.freeze()

    started = time.monotonic()
    try:
        # The POST, then its redirect to the status page.
        french, page = request_pdf(stack, browser, "fr", timeout=3 * PAGE_BUDGET)
    except (TimeoutError, urllib.error.URLError) as error:
        raise TooSlow(f"no answer with Redis {outage}: {error}") from error
    elapsed = time.monotonic() - started
    print(f"PDF request with Redis {outage}: {elapsed:.2f} s")
    if elapsed >= PAGE_BUDGET:
        raise TooSlow(f"the PDF request took {elapsed:.2f} s with Redis {outage}")
    # Recorded, and the page says it is queued; its updates answer quickly too.
    assert stack.report(french)["status"] == "queued"
    assert "/status/" in page.text  # htmx polls the status fragment
    status = browser.get(report_url(stack, french, "status/"), timeout=3 * PAGE_BUDGET)
    assert status.status == 200 and status.elapsed < PAGE_BUDGET, status.elapsed

    if outage == "stopped":
        stack.redis.start()
        # The running worker reconnects by itself.
        wait_for(
            lambda: worker.log_text().count("Connected to redis://") >= 2,
            timeout=45,
            interval=0.2,
            what="the worker to reconnect to Redis",
            details=stack.logs,
        )
    else:
        stack.redis.thaw()
    # The sweeper (beat, every minute) sends what is still queued. After a freeze, the
    # message may have reached Redis after all: then it is rendered, maybe already.
    counts = stack.sweep_reports(REPORTS_RESEND_QUEUED_AFTER="0")
    if outage == "stopped":
        assert counts == {"requeued": 0, "resent": 1, "failed": 0}, counts
    else:
        assert counts["requeued"] == counts["failed"] == 0, counts

    report = wait_until_done(stack, french)
    assert report["status"] == "ready", report
    reports = [stack.report(english)["file"], report["file"]]
    assert stack.media_files() == sorted(stack.media_root / name for name in reports)
    download = browser.get(report_url(stack, french, "download/"))
    assert download.status == 200
    assert download.body.startswith(b"%PDF-")


class PageFailed(AssertionError):
    pass


def test_it_keeps_the_consultant_pages_up_while_redis_is_down(stack: Stack):
    """Redis is the broker and a cache: without it, pages are computed, not refused."""
    stack.start_web()
    browser = Browser(stack.base_url)
    browser.login(stack.seed["consultant"], stack.seed["password"])
    pages = ["/", "/portfolio/", "/dealerships/"]
    for page in pages:
        assert browser.get(page).status == 200, page  # and the cache is warm

    stack.redis.stop()
    answers = {page: browser.get(page, timeout=3 * PAGE_BUDGET) for page in pages}
    failed = {page: a.status for page, a in answers.items() if a.status != 200}
    if failed:
        raise PageFailed(f"with Redis down: {failed}")
    slow = {page: round(a.elapsed, 2) for page, a in answers.items() if a.elapsed >= PAGE_BUDGET}
    assert not slow, slow


def test_it_reports_a_frozen_broker_in_the_health_check(stack: Stack):
    """The compose healthcheck probes /healthz every 15 s: it must answer, "down"."""
    stack.start_web()
    probe = Browser(stack.base_url)  # no session: a probe
    assert probe.get("/healthz").status == 200

    stack.redis.freeze()
    try:
        health = probe.get("/healthz", timeout=3 * PAGE_BUDGET)
    except (TimeoutError, urllib.error.URLError) as error:
        raise TooSlow(f"/healthz did not answer with Redis frozen: {error}") from error
    assert health.status == 503, health.text
    assert '"broker": "down"' in health.text and '"database": "ok"' in health.text
