"""Celery tasks of the PDF feature: thin wrappers over ``maturity.reports.jobs``.

Task names are part of the contract with queued messages and the beat schedule
(``config/settings.py``): never rename them. Tasks take ids, never objects.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from kombu.exceptions import OperationalError as BrokerError

from maturity.reports import jobs

logger = logging.getLogger(__name__)

# Short enough that a request never hangs on a broker that is down: the sweeper sends the
# report later. (Workers and beat keep the global connection settings.)
SEND_TIMEOUT = 2.0
# Each read or write on the broker socket: the PDF request must answer within 2 s even
# when Redis accepts connections but does not answer.
SOCKET_TIMEOUT = 1.0


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


def report_send(*, report_id: int) -> bool:
    """Send the rendering task for ``report_id``; ``False`` when the broker is unreachable.

    No publish retry and a short connection timeout: the caller is a web request or the
    sweeper, and a report left queued is sent again by the sweeper, so waiting here would
    only make the user wait.
    """
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
