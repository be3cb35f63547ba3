"""Reminders for drafts left untouched: a periodic Celery task (``followup.tasks``) e-mails
the contacts, and a consultant may send one from the portfolio ("remind").

A draft is untouched when neither the assessment nor any of its answers changed for
``settings.DRAFT_REMINDER_AFTER_DAYS`` days. Each of the dealership's contacts (owners and
members with an active account) then gets one e-mail, and another every
``DRAFT_REMINDER_AFTER_DAYS`` days while the draft stays untouched. Every reminder is
logged (``ReminderLog``); the log's unique constraint (draft, person, day) makes a
second e-mail on the same day impossible, even with two workers running the task at once.
The log row and the e-mail share a transaction: a failed send leaves no log, so the next
run tries again.

A draft that belongs to an open campaign is left to the campaign's own reminders (its
consultant chose their rhythm). A consultant's "remind" sends one e-mail now to each
contact not reminded today, signed with the consultant's name, and logs it the same way.
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
from maturity.models import Assessment, CampaignDealership, ReminderLog

logger = logging.getLogger(__name__)


def untouched_drafts(*, now: datetime | None = None) -> list[Assessment]:
    """Drafts whose assessment and answers have not changed for the configured days."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DRAFT_REMINDER_AFTER_DAYS)
    in_open_campaigns = CampaignDealership.objects.filter(
        campaign__closed_at__isnull=True, assessment__isnull=False
    ).values("assessment_id")
    return list(
        Assessment.objects.drafts()
        .filter(updated_at__lt=cutoff)
        .exclude(pk__in=in_open_campaigns)
        .annotate(last_answer_at=Max("answers__updated_at"))
        .filter(Q(last_answer_at__isnull=True) | Q(last_answer_at__lt=cutoff))
        .select_related("dealership")
        .order_by("pk")
    )


def _contacts(draft: Assessment):
    return User.objects.filter(
        pk__in=Membership.objects.filter(dealership=draft.dealership_id).values("user_id"),
        is_active=True,
    ).exclude(email="")


def recipients(draft: Assessment, *, now: datetime | None = None) -> list[User]:
    """The draft's contacts not reminded about it within the last reminder period."""
    now = now or timezone.now()
    period_start = timezone.localdate(now) - timedelta(days=settings.DRAFT_REMINDER_AFTER_DAYS)
    recent = ReminderLog.objects.filter(assessment=draft, sent_on__gt=period_start).values(
        "user_id"
    )
    return list(_contacts(draft).exclude(pk__in=recent).order_by("pk"))


def _touched_at(draft: Assessment) -> datetime:
    last = getattr(draft, "last_answer_at", None)
    if last is None and not hasattr(draft, "last_answer_at"):
        last = draft.answers.aggregate(last=Max("updated_at"))["last"]
    return max(m for m in (draft.updated_at, last) if m is not None)


def _message(draft: Assessment, user: User, *, sender: User | None = None) -> RenderedEmail:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "assessment_detail", args=[draft.dealership_id, draft.pk]
    )
    days = (timezone.now() - _touched_at(draft)).days
    context = {
        "user": user,
        "dealership": draft.dealership,
        "link": link,
        "days": days,
        "sender": sender,
    }
    return render_email(name="draft_reminder", context=context, language=user.language)


def _send(draft: Assessment, users: list[User], *, now: datetime, sender: User | None) -> int:
    today = timezone.localdate(now)
    sent = 0
    for user in users:
        message = _message(draft, user, sender=sender)
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
    return sent


def send_draft_reminders(*, now: datetime | None = None) -> int:
    """E-mail every contact due a reminder; returns how many e-mails were sent."""
    now = now or timezone.now()
    sent = 0
    for draft in untouched_drafts(now=now):
        sent += _send(draft, recipients(draft, now=now), now=now, sender=None)
    if sent:
        logger.info("Sent %s draft reminder(s)", sent)
    return sent


class NothingToRemind(Exception):
    """The dealership has no draft, or nobody to remind about it."""


def draft_remind(*, draft: Assessment, sender: User, now: datetime | None = None) -> int:
    """A consultant's reminder, now: one e-mail to each contact not reminded today.

    Returns how many went (0: everybody was already reminded today). Raises
    ``NothingToRemind`` when the assessment is not a draft or the dealership has no
    contact with an account.
    """
    now = now or timezone.now()
    if not draft.is_draft:
        raise NothingToRemind
    contacts = list(_contacts(draft).order_by("pk"))
    if not contacts:
        raise NothingToRemind
    today_ids = set(
        ReminderLog.objects.filter(assessment=draft, sent_on=timezone.localdate(now)).values_list(
            "user_id", flat=True
        )
    )
    return _send(draft, [u for u in contacts if u.pk not in today_ids], now=now, sender=sender)
