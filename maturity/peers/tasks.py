"""Celery tasks of the peer statistics: thin wrappers over ``maturity.peers.services``.

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
from maturity.peers import services

logger = logging.getLogger(__name__)


@shared_task(name="maturity.refresh_peer_statistics", ignore_result=True)
def refresh_peer_statistics(dealership_ids: list[int], requested_at: str) -> int:
    """See :func:`maturity.peers.services.peer_statistics_refresh` (after a submission)."""
    return services.peer_statistics_refresh(
        dealership_ids=dealership_ids, requested_at=datetime.fromisoformat(requested_at)
    )


@shared_task(name="maturity.rebuild_peer_statistics", ignore_result=True)
def rebuild_peer_statistics() -> int:
    """See :func:`maturity.peers.services.peer_statistics_rebuild` (beat, hourly)."""
    return services.peer_statistics_rebuild()


def peer_statistics_send(*, dealership_ids: Iterable[int]) -> bool:
    """Ask for a refresh of these dealerships' groups; ``False`` when the broker is down.

    Sent after the commit (``transaction.on_commit``), stamped with the time of sending:
    a group refreshed since is skipped. A lost message is made good by the hourly rebuild.
    """
    ids = list(dealership_ids)
    sent = publish(refresh_peer_statistics, args=[ids, timezone.now().isoformat()])
    if not sent:
        logger.warning("Peer statistics of %s wait for the hourly rebuild", ids)
    return sent
