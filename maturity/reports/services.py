"""Requesting PDF roadmaps. One ``Report`` row per request is the truth about the job.

The request only writes a row and, once the transaction is committed, sends the Celery
task with the row's id. Everything else (rendering, retries, failures) is recorded on the
row by ``maturity.reports.jobs``; the status page reads the row, never the broker.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maturity.models import Assessment, Report
from maturity.reports import tasks
from maturity.reports.content import (
    ERROR_NOT_SUBMITTED,
    REPORT_LANGUAGES,
    ReportUnavailable,
    report_fingerprint,
)

if TYPE_CHECKING:
    from dealers.models import User

__all__ = ["ReportNotAvailable", "report_file_exists", "report_request"]

logger = logging.getLogger(__name__)


class ReportNotAvailable(Exception):
    """This assessment cannot have a PDF yet (a draft, or no result)."""


def report_file_exists(report: Report) -> bool:
    """The report's PDF is in the storage (a ready row whose file was removed is not
    reusable)."""
    if not report.file:
        return False
    return report.file.storage.exists(report.file.name)


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
    if language not in REPORT_LANGUAGES:
        language = settings.LANGUAGE_CODE
    try:
        # Reads the result with everything else: no result, no fingerprint.
        fingerprint = report_fingerprint(assessment=assessment, language=language)
    except ReportUnavailable as exc:
        raise ReportNotAvailable(exc.user_message) from None

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
        transaction.on_commit(partial(tasks.report_send, report_id=report.pk))
    return report
