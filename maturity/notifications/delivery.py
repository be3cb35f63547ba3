"""The notification e-mails: one at once ("immediately"), or one digest a day.

Immediate e-mails are sent by a Celery task as soon as the notification's transaction
commits; a beat task (``maturity.send_pending_notifications``) sends those a lost message
left behind. Each notification is claimed before it is sent (``emailed_at`` set by a
conditional UPDATE), so two deliveries never e-mail it twice; a failed send gives the claim
back, for the next run. Digests go once a day (``NotificationDigest``: its unique
constraint makes a second digest on the same day impossible).

Every e-mail greets its reader by name, is in their language and says who sent it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from common.mail import render_email
from dealers.models import User
from maturity.models import Notification, NotificationDigest
from maturity.notifications.presenters import absolute, line, sentence

logger = logging.getLogger(__name__)

Delivery = Notification.Delivery
# A notification left un-e-mailed this long is picked up by the beat task (the task sent
# on commit normally got there first).
PENDING_AFTER = timedelta(minutes=2)
# Older than this, an e-mail would be news from another week: the list keeps it.
PENDING_UNTIL = timedelta(days=2)


def _with_people(queryset):
    return queryset.select_related("user", "actor", "dealership", "campaign")


def _footer_context(user: User) -> dict:
    return {"settings_link": absolute(reverse("notification_settings")), "user": user}


def send_notification_email(notification: Notification) -> bool:
    """E-mail one notification now, unless it is already e-mailed; ``True`` when sent."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=now
    )
    if not claimed:
        return False
    user = notification.user
    language = user.language
    context = {
        **_footer_context(user),
        "sentence": sentence(notification, language),
        "link": absolute(notification.url) if notification.url else "",
        "actor": notification.actor,
        "notification": notification,
    }
    try:
        render_email(name="notification", context=context, language=language).send(user.email)
    except (SMTPException, OSError):
        # Give the claim back: the beat task tries again.
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        logger.warning("Notification %s: e-mail not sent, retried later", notification.pk)
        return False
    return True


def send_notification_emails(ids: Iterable[int]) -> int:
    """E-mail the immediate notifications ``ids`` not e-mailed yet; returns how many went."""
    rows = _with_people(
        Notification.objects.filter(
            pk__in=list(ids), delivery=Delivery.IMMEDIATE, emailed_at__isnull=True
        )
    ).order_by("pk")
    return sum(1 for n in rows if send_notification_email(n))


def send_pending_notifications(*, now: datetime | None = None) -> int:
    """E-mail the immediate notifications a lost task left behind (beat)."""
    now = now or timezone.now()
    ids = Notification.objects.filter(
        delivery=Delivery.IMMEDIATE,
        emailed_at__isnull=True,
        created_at__lt=now - PENDING_AFTER,
        created_at__gte=now - PENDING_UNTIL,
    ).values_list("pk", flat=True)
    return send_notification_emails(list(ids))


def send_digests(*, now: datetime | None = None) -> int:
    """One e-mail per person with digest notifications not e-mailed yet (beat, daily).

    Returns how many digests went. A person already sent a digest today gets none.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    pending = _with_people(
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
    ).order_by("user_id", "created_at", "pk")
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    sent = 0
    for items in by_user.values():
        user = items[0].user
        if not user.is_active:
            continue
        context = {
            **_footer_context(user),
            "lines": [line(n, user.language) for n in items],
            "list_link": absolute(reverse("notifications")),
        }
        message = render_email(name="notification_digest", context=context, language=user.language)
        try:
            with transaction.atomic():
                NotificationDigest.objects.create(
                    user=user, sent_on=today, sent_at=now, count=len(items)
                )
                Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
                message.send(user.email)
        except IntegrityError:
            continue  # already sent today (another run got there first)
        except (SMTPException, OSError):
            logger.warning("Digest to user %s not sent; retried next run", user.pk)
            continue
        sent += 1
    return sent
