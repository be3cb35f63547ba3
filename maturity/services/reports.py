"""Requesting PDF roadmaps. One ``Report`` row per request is the truth about the job.

The request only writes a row and, once the transaction is committed, sends the Celery
task with the row's id. Everything else (rendering, retries, failures) is recorded on the
row by ``maturity.tasks``; the status page reads the row, never the broker.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from maturity.models import Assessment, AssessmentResult, Report
from maturity.reports.content import (
    ERROR_NO_RESULT,
    ERROR_NOT_SUBMITTED,
    REPORT_LANGUAGES,
    report_fingerprint,
)

if TYPE_CHECKING:
    from dealers.models import User

__all__ = ["ReportNotAvailable", "report_file_exists", "report_request", "report_send"]

logger = logging.getLogger(__name__)

# Short enough that a request never hangs on a broker that is down: the sweeper sends the
# report later. (Workers and beat keep the global connection settings.)
SEND_TIMEOUT = 2.0
# Each read or write on the broker socket: the PDF request must answer within 2 s even
# when Redis accepts connections but does not answer.
SOCKET_TIMEOUT = 1.0


class ReportNotAvailable(Exception):
    """This assessment cannot have a PDF yet (a draft, or no result)."""


def report_file_exists(report: Report) -> bool:
    """The report's PDF is on disk (a ready row whose file was removed is not reusable)."""
    if not report.file:
        return False
    return (Path(settings.MEDIA_ROOT) / report.file.name).is_file()


def report_request(*, assessment: Assessment, user: User, language: str) -> Report:
    """The report for ``assessment`` in ``language``: reused when possible, else queued.

    A ready report with the same fingerprint (same answers, result, people, language and
    template) is returned as is, without rendering again; so is one already queued or
    rendering for the same content (a double click makes one job). Otherwise a new row is
    created and the task is sent after the commit. Raises ``ReportNotAvailable`` for a
    draft or an assessment without a result.
    """
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ReportNotAvailable(ERROR_NOT_SUBMITTED)
    if not AssessmentResult.objects.filter(assessment=assessment).exists():
        raise ReportNotAvailable(ERROR_NO_RESULT)
    if language not in REPORT_LANGUAGES:
        language = settings.LANGUAGE_CODE
    fingerprint = report_fingerprint(assessment=assessment, language=language)

    same = Report.objects.filter(assessment=assessment, fingerprint=fingerprint)
    for ready in same.filter(status=Report.Status.READY).order_by("-finished_at", "-pk"):
        if report_file_exists(ready):
            return ready
    in_flight = (
        same.filter(status__in=[Report.Status.QUEUED, Report.Status.RUNNING])
        .order_by("-created_at", "-pk")
        .first()
    )
    if in_flight is not None:
        return in_flight

    with transaction.atomic():
        report = Report.objects.create(
            assessment=assessment,
            requested_by=user if user.is_authenticated else None,
            language=language,
            fingerprint=fingerprint,
            status=Report.Status.QUEUED,
            queued_at=timezone.now(),
        )
        # After the commit: a worker must find the row, and a rolled back request must
        # not leave a message behind.
        transaction.on_commit(partial(report_send, report_id=report.pk))
    return report


def report_send(*, report_id: int) -> bool:
    """Send the rendering task for ``report_id``; ``False`` when the broker is unreachable.

    No publish retry and a short connection timeout: the caller is a web request or the
    sweeper, and a report left queued is sent again by the sweeper, so waiting here would
    only make the user wait.
    """
    from maturity.tasks import render_report

    connection = render_report.app.connection_for_write(
        connect_timeout=SEND_TIMEOUT,
        transport_options={
            # One connection attempt (kombu: 0 retries), bounded by the timeout above...
            "max_retries": 0,
            # ...and a bound on every socket operation: a broker that accepts connections
            # but does not answer must not hang the request either.
            "socket_connect_timeout": SOCKET_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
        },
    )
    # The transport's own errors (redis' TimeoutError is not an OSError).
    unreachable = (BrokerError, OSError, *connection.connection_errors, *connection.channel_errors)
    try:
        with connection:
            render_report.apply_async(args=[report_id], connection=connection, retry=False)
    except unreachable:
        logger.warning(
            "Broker unreachable: report %s stays queued for the sweeper", report_id, exc_info=True
        )
        return False
    return True
