"""Celery tasks of the notifications: thin wrappers over ``notifications.delivery``.

Task names are a contract with queued messages and the beat schedule: never rename them.
"""

from __future__ import annotations

from collections.abc import Sequence

from celery import shared_task

from config.celery import publish
from maturity.notifications import delivery


@shared_task(name="maturity.send_notification_emails", ignore_result=True)
def send_notification_emails(ids: list[int]) -> int:
    """E-mail the immediate notifications ``ids`` (sent when they are created)."""
    return delivery.send_notification_emails(ids)


@shared_task(name="maturity.send_pending_notifications", ignore_result=True)
def send_pending_notifications() -> int:
    """E-mail what a lost message left behind (beat, every few minutes)."""
    return delivery.send_pending_notifications()


@shared_task(name="maturity.send_notification_digests", ignore_result=True)
def send_notification_digests() -> int:
    """The daily digests (beat, once a day)."""
    return delivery.send_digests()


def send_later(ids: Sequence[int]) -> bool:
    """Queue the e-mails of ``ids``; a broker that is down leaves them to the beat task."""
    return publish(send_notification_emails, args=[list(ids)])
