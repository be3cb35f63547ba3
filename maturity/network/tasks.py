"""Celery tasks of the network aggregates: thin wrappers over ``maturity.network.services``.

Task names are part of the contract with queued messages and the beat schedule: never
rename them. Tasks take ids (and the moment of the request), never objects.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from celery import shared_task
from django.utils import timezone

from config.celery import publish
from maturity.network import services

logger = logging.getLogger(__name__)


@shared_task(name="maturity.refresh_network_aggregates", ignore_result=True)
def refresh_network_aggregates(dealership_ids: list[int], requested_at: str) -> int:
    """See :func:`maturity.network.services.network_aggregate_refresh` (after a submission)."""
    return services.network_aggregate_refresh(
        dealership_ids=dealership_ids, requested_at=datetime.fromisoformat(requested_at)
    )


@shared_task(name="maturity.rebuild_network_aggregates", ignore_result=True)
def rebuild_network_aggregates() -> int:
    """See :func:`maturity.network.services.network_aggregate_rebuild` (beat, hourly)."""
    return services.network_aggregate_rebuild()


def network_aggregates_send(*, dealership_ids: Iterable[int]) -> bool:
    """Ask for a refresh of these dealerships' networks; ``False`` when the broker is down.

    Sent after the commit (``transaction.on_commit``), stamped with the time of sending:
    a network refreshed since is skipped. A lost message is made good by the hourly rebuild.
    """
    ids = list(dealership_ids)
    sent = publish(refresh_network_aggregates, args=[ids, timezone.now().isoformat()])
    if not sent:
        logger.warning("Network aggregates of %s wait for the hourly rebuild", ids)
    return sent
