"""Celery tasks of the webhooks: thin wrappers over ``webhooks.delivery``.

Task names are a contract with queued messages and the beat schedule: never rename them.
"""

from __future__ import annotations

from collections.abc import Sequence

from celery import shared_task
from django.utils import timezone

from config.celery import publish
from maturity.webhooks import delivery


@shared_task(name="maturity.send_webhook", ignore_result=True)
def send_webhook(delivery_id: int) -> str:
    """Try one delivery; queue the next try when it failed for a transient reason."""
    attempt = delivery.attempt_delivery(delivery_id=delivery_id)
    if attempt is None:
        return "not due"
    if attempt.next_attempt_at is not None:
        wait = max((attempt.next_attempt_at - timezone.now()).total_seconds(), 0.0)
        publish(send_webhook, args=[delivery_id], countdown=wait)
    return attempt.outcome


@shared_task(name="maturity.sweep_webhooks", ignore_result=True)
def sweep_webhooks() -> int:
    """Send the deliveries whose message was lost (beat, every minute)."""
    ids = delivery.due_deliveries()
    send_later(ids)
    return len(ids)


def send_later(ids: Sequence[int]) -> None:
    """Queue ``ids``; a broker that is down leaves them to the sweep."""
    for pk in ids:
        publish(send_webhook, args=[pk])
