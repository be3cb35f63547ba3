"""Owners of roadmap actions hear when an action's due date comes (a beat task, hourly).

An action not done, with an owner and a due date that has come, is announced to its owner
once per due date (``RoadmapActionStatus.due_notified_on``): moving the date, or giving the
action to someone else, announces it again when the new date comes. The owner hears it
as they chose (``notifications``: at once, in their daily digest, or not at all).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from maturity.models import Notification, RoadmapActionStatus
from maturity.notifications.services import notify
from maturity.questionnaire.catalogues import catalogue_for
from maturity.questionnaire.files import current_definition

logger = logging.getLogger(__name__)


def due_actions(*, today) -> list[RoadmapActionStatus]:
    """Owned actions not done whose due date has come and was not announced yet."""
    return list(
        RoadmapActionStatus.objects.filter(
            owner__isnull=False, due_date__isnull=False, due_date__lte=today
        )
        .exclude(status=RoadmapActionStatus.Status.DONE)
        .filter(Q(due_notified_on__isnull=True) | ~Q(due_notified_on=F("due_date")))
        .select_related("owner", "dealership")
        .order_by("pk")
    )


def notify_due_actions(*, now: datetime | None = None) -> int:
    """Tell each owner about their actions that came due; returns how many were told."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    catalogue = catalogue_for(current_definition())
    told = 0
    for row in due_actions(today=today):
        title = {"fr": row.action_key, "en": row.action_key}
        if catalogue is not None and catalogue.has_action(row.action_key):
            text = catalogue.action(row.action_key).title
            title = {"fr": text.fr, "en": text.en}
        with transaction.atomic():
            # Claimed first: a second run at the same moment announces nothing twice.
            claimed = (
                RoadmapActionStatus.objects.filter(pk=row.pk, due_date=row.due_date)
                .filter(Q(due_notified_on__isnull=True) | ~Q(due_notified_on=F("due_date")))
                .update(due_notified_on=row.due_date)
            )
            if not claimed:
                continue
            notify(
                kind=Notification.Kind.ACTION_DUE,
                recipients=[row.owner],
                dealership=row.dealership,
                url=reverse("roadmap_followup", args=[row.dealership_id])
                + f"#action-{row.action_key}",
                data={
                    "action": row.action_key,
                    "title": title,
                    "due": row.due_date.isoformat(),
                    "overdue": row.due_date < today,
                },
            )
        told += 1
    if told:
        logger.info("Announced %s due roadmap action(s)", told)
    return told
