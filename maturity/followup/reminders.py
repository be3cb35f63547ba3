"""Reminders for drafts left untouched: a periodic Celery task (``followup.tasks``) e-mails
the contacts.

A draft is untouched when neither the assessment nor any of its answers changed for
``settings.DRAFT_REMINDER_AFTER_DAYS`` days. Each of the dealership's contacts (owners and
members with an active account) then gets one e-mail, and another every
``DRAFT_REMINDER_AFTER_DAYS`` days while the draft stays untouched. Every reminder is
logged (``ReminderLog``); the log's unique constraint (draft, person, day) makes a
second e-mail on the same day impossible, even with two workers running the task at once.
The log row and the e-mail share a transaction: a failed send leaves no log, so the next
run tries again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from common.mail import RenderedEmail, render_email
from dealers.models import Membership, User
from maturity.models import Assessment, ReminderLog

logger = logging.getLogger(__name__)


def untouched_drafts(*, now: datetime | None = None) -> list[Assessment]:
    """Drafts whose assessment and answers have not changed for the configured days."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DRAFT_REMINDER_AFTER_DAYS)
    return list(
        Assessment.objects.drafts()
        .filter(updated_at__lt=cutoff)
        .annotate(last_answer_at=Max("answers__updated_at"))
        .filter(Q(last_answer_at__isnull=True) | Q(last_answer_at__lt=cutoff))
        .select_related("dealership")
        .order_by("pk")
    )


def recipients(draft: Assessment, *, now: datetime | None = None) -> list[User]:
    """The draft's contacts not reminded about it within the last reminder period."""
    now = now or timezone.now()
    period_start = timezone.localdate(now) - timedelta(days=settings.DRAFT_REMINDER_AFTER_DAYS)
    recent = ReminderLog.objects.filter(assessment=draft, sent_on__gt=period_start).values(
        "user_id"
    )
    return list(
        User.objects.filter(
            pk__in=Membership.objects.filter(dealership=draft.dealership_id).values("user_id"),
            is_active=True,
        )
        .exclude(email="")
        .exclude(pk__in=recent)
        .order_by("pk")
    )


def _touched_at(draft: Assessment) -> datetime:
    last = getattr(draft, "last_answer_at", None)
    return max(m for m in (draft.updated_at, last) if m is not None)


def _message(draft: Assessment, user: User) -> RenderedEmail:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "assessment_detail", args=[draft.dealership_id, draft.pk]
    )
    days = (timezone.now() - _touched_at(draft)).days
    context = {"user": user, "dealership": draft.dealership, "link": link, "days": days}
    return render_email(name="draft_reminder", context=context, language=user.language)


def send_draft_reminders(*, now: datetime | None = None) -> int:
    """E-mail every contact due a reminder; returns how many e-mails were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for draft in untouched_drafts(now=now):
        for user in recipients(draft, now=now):
            message = _message(draft, user)
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(
                        assessment=draft, user=user, email=user.email, sent_on=today, sent_at=now
                    )
                    message.send(user.email)
            except IntegrityError:
                continue  # already reminded today (another run got there first)
            except (SMTPException, OSError):
                logger.warning("Draft reminder to user %s failed; retried next run", user.pk)
                continue
            sent += 1
    if sent:
        logger.info("Sent %s draft reminder(s)", sent)
    return sent
