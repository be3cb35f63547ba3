"""Celery tasks of the campaigns: thin wrappers over ``campaigns.mailing`` (task names are a
contract with queued messages and the beat schedule: never rename them)."""

from __future__ import annotations

from celery import shared_task

from config.celery import publish
from maturity.campaigns import mailing


@shared_task(name="maturity.send_campaign_messages", ignore_result=True)
def send_campaign_messages(campaign_id: int | None = None) -> int:
    """The campaigns' e-mails and due-date notifications (at launch; beat, hourly)."""
    return mailing.send_campaign_messages(campaign_id=campaign_id)


def send_later(campaign_id: int) -> bool:
    """Queue the launch e-mails of ``campaign_id``; a broker that is down leaves them to
    the hourly run."""
    return publish(send_campaign_messages, args=[campaign_id])
