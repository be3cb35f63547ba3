"""Celery tasks of the PDF feature: thin wrappers over ``maturity.reports.jobs``.

Task names are part of the contract with queued messages and the beat schedule
(``config/settings.py``): never rename them. Tasks take ids, never objects.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task

from config.celery import publish
from maturity.reports import jobs, retention

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="maturity.render_report",
    ignore_result=True,  # the report row is the result
    max_retries=None,  # the attempt cap lives on the row
    acks_late=True,
    reject_on_worker_lost=True,
)
def render_report(self: Task, report_id: int) -> str:
    """Render report ``report_id``; see :func:`maturity.reports.jobs.report_render`."""
    return jobs.report_render(report_id=report_id, retry=self.retry)


@shared_task(name="maturity.sweep_reports", ignore_result=True)
def sweep_reports() -> dict[str, int]:
    """See :func:`maturity.reports.jobs.reports_sweep` (beat, every minute)."""
    # Looked up at call time, so a test can record what the sweeper sends.
    return jobs.reports_sweep(send=lambda report_id: report_send(report_id=report_id))


@shared_task(name="maturity.purge_reports", ignore_result=True)
def purge_reports() -> dict[str, int]:
    """See :func:`maturity.reports.retention.reports_purge` (beat, daily)."""
    return retention.reports_purge()


def report_send(*, report_id: int) -> bool:
    """Send the rendering task for ``report_id``; ``False`` when the broker is unreachable.

    No publish retry and a short connection timeout (``config.celery.publish``): the caller
    is a web request or the sweeper, and a report left queued is sent again by the
    sweeper, so waiting here would only make the user wait.
    """
    sent = publish(render_report, args=[report_id])
    if not sent:
        logger.warning("Report %s stays queued for the sweeper", report_id)
    return sent
