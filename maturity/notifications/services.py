"""Writes of the notifications: tell people something happened, read, preferences.

Every event of the product that someone should hear about goes through :func:`notify`:
a dealer submits (to the dealership's consultants), a review is published (to the
dealership's people), a PDF is ready (to who asked for it), a campaign is due soon or
overdue, a roadmap action is due (to its owner), a colleague asks for help on a step.

Each person chooses, per kind, how they hear about it (``NotificationPreference``; no row
means "immediately"):

- **immediately**: in their list, and e-mailed at once (a Celery task, sent once the
  transaction commits; a beat task sends what a lost message left behind);
- **daily digest**: in their list, and in one e-mail a day listing what is new;
- **off**: nothing at all, neither in the list nor by e-mail.

Nobody is told about what they did themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from dealers.models import Dealership, User
from maturity.models import Campaign, Notification, NotificationPreference
from maturity.notifications import tasks

Kind = Notification.Kind
Delivery = Notification.Delivery
DEFAULT_DELIVERY = Delivery.IMMEDIATE


class UnknownPreference(ValueError):
    """Not a kind or not a delivery the product knows."""


def deliveries_for(users: Iterable[User], kind: str) -> dict[int, str]:
    """``{user id: delivery}`` of ``kind`` for ``users`` (one query)."""
    ids = [user.pk for user in users]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY) for pk in ids}


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    actor: User | None = None,
    dealership: Dealership | None = None,
    campaign: Campaign | None = None,
    url: str = "",
    data: Mapping[str, Any] | None = None,
    email_now: bool = True,
) -> list[Notification]:
    """Create the notifications of one event; e-mail the "immediately" ones on commit.

    ``email_now=False``: the caller sends its own e-mail for the "immediately" ones (and
    the notification is marked e-mailed); the digest and the list work as usual. Returns
    the notifications created (none for people who turned the kind off, nor for
    ``actor``).
    """
    if kind not in Kind.values:
        raise UnknownPreference(kind)
    people = {
        user.pk: user
        for user in recipients
        if user is not None
        and user.is_active
        and (actor is None or user.pk != actor.pk)
        and user.email
    }
    if not people:
        return []
    deliveries = deliveries_for(people.values(), kind)
    now = timezone.now()
    rows = [
        Notification(
            user=user,
            kind=kind,
            actor=actor,
            dealership=dealership,
            campaign=campaign,
            url=url,
            data=dict(data or {}),
            delivery=deliveries[pk],
            created_at=now,
            emailed_at=now if not email_now and deliveries[pk] == Delivery.IMMEDIATE else None,
        )
        for pk, user in sorted(people.items())
        if deliveries[pk] != Delivery.OFF
    ]
    created = Notification.objects.bulk_create(rows)
    immediate = [n.pk for n in created if n.delivery == Delivery.IMMEDIATE and n.emailed_at is None]
    if immediate:
        transaction.on_commit(lambda: tasks.send_later(immediate))
    return created


def notification_read(*, notification: Notification) -> Notification:
    """Mark ``notification`` read (once: the first reading time is kept)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_read_all(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, user: User, choices: Mapping[str, str]) -> None:
    """Store ``{kind: delivery}`` for ``user`` (the default needs no row)."""
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise UnknownPreference(f"{kind}={delivery}")
    for kind, delivery in choices.items():
        if delivery == DEFAULT_DELIVERY:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"delivery": delivery}
            )
