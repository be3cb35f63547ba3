"""The PDF job: render a report, and sweep reports whose message was lost.

The Celery tasks (``maturity.reports.tasks``) are thin wrappers over :func:`report_render`
and :func:`reports_sweep`. Delivery is at least once (``acks_late``,
``reject_on_worker_lost``, the sweeper re-sends), so the rendering job is written to be
safe when run twice for the same report:

- it *claims* the row with one conditional UPDATE (queued -> running, attempts + 1); a
  second delivery finds nothing to claim and returns;
- while it renders, a thread writes the claim's heartbeat every few seconds; a claim whose
  heartbeat stopped (the whole worker died: nobody redelivers its message before the
  broker's visibility timeout) is re-queued by the sweep, so the report is rendered again
  within a minute;
- every later write on the row is conditional on the claim (``status=running`` and the
  attempt number it claimed), so a delivery that lost its claim cannot overwrite another's;
- each claim writes its own file, named after the report and the attempt it claimed,
  through the storage API (the filesystem or a bucket shared by every host), and the row
  points to it only in the conditional update that finds the claim still held: a reader
  never meets a partial file, two renders never write the same name, and a render that
  lost its claim (the report was deleted with its assessment or dealership, or another
  delivery took it over) removes its own file and never touches the winner's. A render
  killed between its write and its update leaves a file no row points to: the retention
  job removes it an hour later.

Retries (with exponential backoff) only for errors declared transient; the attempt cap is
stored on the row, so it holds across retries, redeliveries and re-sends.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from smtplib import SMTPException
from typing import NoReturn

from celery.exceptions import Reject, SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connections, transaction
from django.db import OperationalError as DatabaseOperationalError
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from common.mail import send_email
from common.storage import TRANSIENT_STORAGE_ERRORS
from maturity.models import Notification, Report, WebhookEndpoint
from maturity.notifications.services import notify
from maturity.reports.content import ReportUnavailable
from maturity.webhooks.services import webhook_event_emit


def render_report_pdf(report: Report) -> bytes:
    """Render the PDF. WeasyPrint is imported here, on first use, and not with this module:
    web processes import the tasks to send them and should not pay ~2.5 s to load it."""
    from maturity.reports.render import render_report_pdf as render

    return render(report)


logger = logging.getLogger(__name__)

# User-facing messages stored on the row in English, translated when shown.
ERROR_GAVE_UP = gettext_noop(
    "The PDF could not be produced after several attempts. Please try again later."
)
ERROR_TOO_LONG = gettext_noop("The PDF took too long to produce. Please try again later.")
ERROR_UNEXPECTED = gettext_noop("An unexpected error stopped the PDF. The team has been told.")

# Errors worth another attempt, and only those: the database or the disk may be back in
# a moment, and a render cut by the soft time limit may pass on a less busy worker.
RENDER_TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseOperationalError,
    SoftTimeLimitExceeded,
)
WRITE_TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseOperationalError,
    SoftTimeLimitExceeded,
    *TRANSIENT_STORAGE_ERRORS,  # disk full, the bucket unreachable...
)


def running_stale_after() -> timedelta:
    """A report running longer than the hard time limit has lost its worker."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def heartbeat_stale_after() -> timedelta:
    """A running claim whose heartbeat is older than this has lost its worker."""
    return timedelta(seconds=settings.REPORTS_HEARTBEAT_STALE_AFTER)


def lost_claims(now: datetime) -> Q:
    """Running reports whose render is surely dead: its heartbeat stopped, or it has been
    running longer than the hard time limit allows (a claim from before heartbeats)."""
    return Q(status=Report.Status.RUNNING) & (
        Q(heartbeat_at__lt=now - heartbeat_stale_after())
        | Q(started_at__lt=now - running_stale_after())
    )


def backoff_seconds(attempt: int) -> float:
    """5 s, 10 s, 20 s... capped at 5 minutes, with jitter so retries do not bunch up."""
    return min(5 * 2 ** max(attempt - 1, 0), 300) * random.uniform(0.8, 1.2)


# How a job asks Celery for another attempt: raises ``Retry`` (or ``Reject`` when the
# retry cannot be published).
RetryFunction = Callable[..., NoReturn]


def report_render(*, report_id: int, retry: RetryFunction) -> str:
    """Render report ``report_id`` to a PDF file; returns what happened (for logs and tests).

    ``"ready"``, ``"duplicate"`` (another delivery holds or finished it), ``"failed"``,
    ``"missing"`` (the row is gone, e.g. the assessment was deleted, before or during the
    render), ``"lost"`` (the claim was taken over while rendering) or ``"retry"``.
    ``retry(countdown=..., exc=...)`` is the task's ``retry``.
    """
    report = _claim(report_id)
    if report is None:
        return _not_claimed(report_id)
    attempt = report.attempts
    try:
        with Heartbeat(report_id=report_id, attempt=attempt):
            pdf = render_report_pdf(report)
    except ReportUnavailable as exc:
        # Expected: nothing another attempt could change.
        _fail(report_id, attempt, exc.user_message)
        return "failed"
    except RENDER_TRANSIENT_ERRORS as exc:
        return _retry_or_fail(retry, report, attempt, exc)
    except Exception:
        if not Report.objects.filter(pk=report_id).exists():
            # Deleted under the render (its dealership or assessment): not a bug.
            logger.warning(
                "Report %s was deleted while rendering (attempt %s): nothing written",
                report_id,
                attempt,
            )
            return "missing"
        # A bug: record it on the row (else the user waits for the sweeper), then let
        # Celery log the traceback. Not retried: it would fail the same way.
        logger.exception("Report %s: rendering failed", report_id)
        _fail(report_id, attempt, ERROR_UNEXPECTED)
        raise
    try:
        finished = _store(report, attempt, pdf)
    except WRITE_TRANSIENT_ERRORS as exc:
        return _retry_or_fail(retry, report, attempt, exc)
    if not finished:
        return _claim_lost(report_id, attempt)
    report.refresh_from_db()
    webhook_event_emit(event=WebhookEndpoint.Event.REPORT_READY, report=report)
    _email_ready(report)
    return "ready"


def reports_sweep(*, send: Callable[[int], bool]) -> dict[str, int]:
    """Reset reports stuck running, re-send reports queued too long (beat, every minute).

    ``send(report_id)`` publishes the render task (``False``: the broker is unreachable).
    Returns counts, for logs and tests: ``requeued``, ``resent``, ``failed``.
    """
    now = timezone.now()
    counts = {"requeued": 0, "resent": 0, "failed": 0}

    # Its heartbeat stopped, or running past the hard time limit: the worker died, was
    # killed or lost its database.
    for report in Report.objects.filter(lost_claims(now)).only("pk", "attempts", "max_attempts"):
        owned = _owned(report.pk, report.attempts)
        if report.attempts >= report.max_attempts:
            counts["failed"] += owned.update(
                status=Report.Status.FAILED, error=ERROR_GAVE_UP, finished_at=now
            )
        # Queued "long ago", so the loop below sends it at once.
        elif owned.update(status=Report.Status.QUEUED, queued_at=now - timedelta(days=1)):
            counts["requeued"] += 1

    resend_before = now - timedelta(seconds=settings.REPORTS_RESEND_QUEUED_AFTER)
    for report in Report.objects.filter(
        Q(queued_at__lt=resend_before) | Q(queued_at__isnull=True), status=Report.Status.QUEUED
    ).only("pk", "attempts", "max_attempts", "queued_at")[:500]:
        same = Report.objects.filter(
            pk=report.pk, status=Report.Status.QUEUED, queued_at=report.queued_at
        )
        if report.attempts >= report.max_attempts:
            counts["failed"] += same.update(
                status=Report.Status.FAILED, error=ERROR_GAVE_UP, finished_at=now
            )
        # Move queued_at first: a second sweeper running at the same time sends nothing.
        elif same.update(queued_at=now) and send(report.pk):
            counts["resent"] += 1
    if any(counts.values()):
        logger.info("Report sweep: %s", counts)
    return counts


# --- claim and conditional writes --------------------------------------------------------


@cache
def _process_namespace() -> str:
    """This machine's process id space, told apart from any other's under the same host
    name (two containers given one ``hostname``, network namespaces of one machine): the
    kernel's boot id and the pid namespace. Empty where ``/proc`` has neither."""
    parts = []
    try:
        parts.append(Path("/proc/sys/kernel/random/boot_id").read_text().strip())
        parts.append(str(os.stat("/proc/self/ns/pid").st_ino))
    except OSError:
        return ""
    return hashlib.sha256(":".join(parts).encode()).hexdigest()[:12]


def claimant(pid: int | None = None) -> str:
    """Who holds a claim: ``"host/namespace:pid"`` (this process when ``pid`` is None)."""
    return f"{socket.gethostname()}/{_process_namespace()}:{os.getpid() if pid is None else pid}"


def _claimant_is_dead(claimant_id: str) -> bool:
    """Whether ``claimant_id`` ("host/namespace:pid") was a process of this machine's pid
    space that no longer exists.

    Only a process of our own pid space can be checked; for another host (another
    container, even one with our host name) the answer is "don't know" (``False``) and
    the stale delay applies.
    """
    host, _, pid = claimant_id.rpartition(":")
    if host != claimant().rpartition(":")[0] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False


def _claim(report_id: int) -> Report | None:
    """Take the report for this delivery, or ``None`` when it is not ours to render.

    A running report is taken over when its render is surely dead: its process is gone
    (a killed worker's message is redelivered at once), its heartbeat stopped, or it
    started longer ago than any live render may last.
    """
    now = timezone.now()
    claimable = Q(status=Report.Status.QUEUED) | lost_claims(now)
    running_by = (
        Report.objects.filter(pk=report_id, status=Report.Status.RUNNING)
        .values_list("claimed_by", flat=True)
        .first()
    )
    if running_by and _claimant_is_dead(running_by):
        # Conditional on the same claimant: of two redeliveries, only one takes over.
        claimable |= Q(status=Report.Status.RUNNING, claimed_by=running_by)
    claimed = Report.objects.filter(claimable, pk=report_id, attempts__lt=F("max_attempts")).update(
        status=Report.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        error="",
        claimed_by=claimant(),
    )
    if not claimed:
        return None
    # ``None`` when deleted since the claim: ``_not_claimed`` then says it is missing.
    return (
        Report.objects.select_related(
            "assessment__dealership", "assessment__result", "requested_by"
        )
        .filter(pk=report_id)
        .first()
    )


def _not_claimed(report_id: int) -> str:
    """Say why the claim failed; a queued report out of attempts is failed here."""
    report = Report.objects.filter(pk=report_id).only("status", "attempts", "max_attempts").first()
    if report is None:
        logger.info("Report %s no longer exists (assessment deleted?)", report_id)
        return "missing"
    if report.status == Report.Status.QUEUED and report.attempts >= report.max_attempts:
        Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
            status=Report.Status.FAILED, error=ERROR_GAVE_UP, finished_at=timezone.now()
        )
        return "failed"
    logger.info("Report %s is %s: duplicate delivery ignored", report_id, report.status)
    return "duplicate"


def _owned(report_id: int, attempt: int):  # -> QuerySet[Report]
    """The row, only while this delivery's claim holds."""
    return Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, attempts=attempt)


class Heartbeat:
    """Write the claim's ``heartbeat_at`` from a thread while the ``with`` block runs.

    A thread, because the render itself (WeasyPrint) cannot be interrupted to beat; it has
    its own database connection, closed when it stops. It stops on leaving the block, or
    by itself once its conditional update finds no row (the claim was lost: the render
    finds out when it stores its file). A database error skips one beat (the next one
    reconnects), and the stale delay is several beats long.
    """

    def __init__(self, *, report_id: int, attempt: int, every: float | None = None) -> None:
        self.report_id = report_id
        self.attempt = attempt
        self.every = settings.REPORTS_HEARTBEAT_SECONDS if every is None else every
        self.beats = 0
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"report-{report_id}-heartbeat", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 30)

    def beat(self) -> bool:
        """Write one heartbeat; ``False`` when the claim is no longer ours."""
        held = _owned(self.report_id, self.attempt).update(heartbeat_at=timezone.now())
        if held:
            self.beats += 1
        else:
            self.lost = True
        return bool(held)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    if not self.beat():
                        return
                except DatabaseError:
                    logger.warning("Report %s: heartbeat not written", self.report_id)
                    # A broken connection stays broken: the next beat opens a new one.
                    connections.close_all()
        finally:
            connections.close_all()  # this thread's connections only


def _claim_lost(report_id: int, attempt: int) -> str:
    """Say what took the claim of ``attempt`` away while it rendered (its file is removed)."""
    row = Report.objects.filter(pk=report_id).values("status", "attempts", "claimed_by").first()
    if row is None:
        logger.warning(
            "Report %s was deleted while rendering (attempt %s; its assessment or dealership "
            "is gone): its PDF was discarded",
            report_id,
            attempt,
        )
        return "missing"
    logger.warning(
        "Report %s: attempt %s lost its claim while rendering (the row is now %s, attempt "
        "%s, claimed by %r): its PDF was discarded",
        report_id,
        attempt,
        row["status"],
        row["attempts"],
        row["claimed_by"],
    )
    return "lost"


def _fail(report_id: int, attempt: int, message: str) -> None:
    _owned(report_id, attempt).update(
        status=Report.Status.FAILED, error=message[:300], finished_at=timezone.now()
    )


def _retry_or_fail(retry: RetryFunction, report: Report, attempt: int, exc: BaseException) -> str:
    if attempt >= report.max_attempts:
        logger.warning("Report %s: giving up after %s attempts (%r)", report.pk, attempt, exc)
        timeout = isinstance(exc, SoftTimeLimitExceeded)
        _fail(report.pk, attempt, ERROR_TOO_LONG if timeout else ERROR_GAVE_UP)
        return "failed"
    logger.warning("Report %s: attempt %s failed (%r), retrying", report.pk, attempt, exc)
    try:
        # Back to queued, so the retried delivery can claim it (and the sweeper re-sends it
        # if the retry message is lost). If the database is what failed, this may fail too:
        # the row stays running until the sweeper resets it.
        _owned(report.pk, attempt).update(status=Report.Status.QUEUED, queued_at=timezone.now())
    except DatabaseOperationalError:
        logger.warning("Report %s: could not requeue, the sweeper will", report.pk)
    try:
        retry(countdown=backoff_seconds(attempt), exc=exc)
    except Reject:
        # Celery could not publish the retry (broker down) and drops this message: the row
        # is queued, so the sweeper sends it again.
        logger.warning("Report %s: retry not sent, the sweeper will re-send it", report.pk)
    return "retry"


# --- the file ----------------------------------------------------------------------------


def report_file_name(report: Report, *, attempt: int) -> str:
    """Storage name of the PDF written by the claim ``attempt`` of the report (private:
    never served by URL). Claims have distinct attempt numbers, so two deliveries never
    write the same name, whatever the storage (a bucket has no atomic rename)."""
    return (
        f"reports/{report.created_at:%Y/%m}/"
        f"report-{report.pk}-{report.fingerprint[:16]}-{attempt}.pdf"
    )


def _storage():  # -> Storage
    return Report._meta.get_field("file").storage


def _write_file(report: Report, pdf: bytes) -> str:
    """Store the PDF of the claim ``report.attempts`` (the claimed row); returns its name.

    Nothing points to it yet: the row does once :func:`_store` finds the claim held.
    """
    name = report_file_name(report, attempt=report.attempts)
    return _storage().save(name, ContentFile(pdf))


def _delete_file(name: str) -> None:
    """Remove a file of a claim that did not finish (the retention job retries a failure)."""
    try:
        _storage().delete(name)
    except TRANSIENT_STORAGE_ERRORS:
        logger.warning("Report file %s not removed: the retention job will", name, exc_info=True)


def _store(report: Report, attempt: int, pdf: bytes) -> bool:
    """Store the file and mark the row ready, while the claim of ``attempt`` holds.

    The row points to the file only in the conditional update that found the claim; when
    it did not, or when anything fails on the way, the file is removed again: nothing is
    left behind. ``False`` when the claim was lost.
    """
    name = _write_file(report, pdf)
    finished = 0
    try:
        with transaction.atomic():
            finished = _owned(report.pk, attempt).update(
                status=Report.Status.READY, file=name, finished_at=timezone.now(), error=""
            )
    finally:
        if not finished:
            _delete_file(name)
    return bool(finished)


# --- e-mail ------------------------------------------------------------------------------


def _email_ready(report: Report) -> None:
    """Tell the requester their PDF is ready (best effort).

    A notification of the requester's list, e-mailed as they chose; the immediate e-mail
    is this one, in the report's language (the one they asked the PDF in).
    """
    user = report.requested_by
    if user is None:
        return
    path = reverse("report_detail", args=[report.assessment.dealership_id, report.pk])
    created = notify(
        kind=Notification.Kind.REPORT_READY,
        recipients=[user],
        dealership=report.assessment.dealership,
        url=path,
        email_now=False,
    )
    immediate = any(n.delivery == Notification.Delivery.IMMEDIATE for n in created)
    if not settings.REPORTS_EMAIL_WHEN_READY or not immediate or not user.email:
        return
    link = settings.SITE_URL.rstrip("/") + path
    context = {
        "report": report,
        "dealership": report.assessment.dealership,
        "link": link,
        "user": user,
    }
    try:
        send_email(name="report_ready", to=user.email, context=context, language=report.language)
    except (SMTPException, OSError):
        # The PDF is ready and the status page says so: a lost e-mail is not a failure.
        logger.warning("Report %s: ready e-mail not sent", report.pk, exc_info=True)
