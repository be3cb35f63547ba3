"""Celery tasks of the follow-up feature: thin wrappers (task names are a contract with
the beat schedule: never rename them)."""

from __future__ import annotations

from celery import shared_task

from maturity.followup.due import notify_due_actions
from maturity.followup.reminders import send_draft_reminders


@shared_task(name="maturity.send_draft_reminders")
def send_draft_reminders_task() -> int:
    """E-mail the contacts of untouched drafts (beat, hourly); returns how many were sent."""
    return send_draft_reminders()


@shared_task(name="maturity.notify_due_actions")
def notify_due_actions_task() -> int:
    """Tell owners about their roadmap actions that came due (beat, hourly)."""
    return notify_due_actions()
