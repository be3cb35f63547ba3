"""Reads of the notifications: a person's list, their choices, the kinds that concern them.

A person only ever reads their own notifications (``notification_get`` answers 404 for
anybody else's, like for an id that does not exist).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dealers.models import User
from maturity.models import Notification, NotificationPreference
from maturity.notifications.services import DEFAULT_DELIVERY

Kind = Notification.Kind

# Who hears about what (the settings page offers these kinds, in this order).
CONSULTANT_KINDS = (Kind.SUBMITTED, Kind.CAMPAIGN_DUE, Kind.ACTION_DUE, Kind.REPORT_READY)
DEALER_KINDS = (
    Kind.REVIEW_PUBLISHED,
    Kind.AREA_DELEGATED,
    Kind.ACTION_DUE,
    Kind.CAMPAIGN_DUE,
    Kind.REPORT_READY,
)


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first, with who and what they are about."""
    return (
        Notification.objects.filter(user=user)
        .select_related("actor", "dealership", "campaign")
        .order_by("-created_at", "-pk")
    )


def notification_get(*, user: User, pk: int) -> Notification:
    found = notifications_of(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def unread_count(*, user: User) -> int:
    """Unread notifications of ``user`` (the navigation bar reads the annotation the
    authentication backend adds to the request's user, at no extra query)."""
    annotated = getattr(user, "unread_notifications", None)
    if annotated is not None:
        return annotated
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def kinds_for(user: User) -> tuple[str, ...]:
    """The kinds of notification ``user`` may receive, for the settings page."""
    if user.is_staff:
        return tuple(dict.fromkeys((*CONSULTANT_KINDS, *DEALER_KINDS)))
    if user.is_consultant:
        return CONSULTANT_KINDS
    return DEALER_KINDS


def preferences_of(*, user: User) -> dict[str, str]:
    """``{kind: delivery}`` for every kind ``user`` may receive."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in kinds_for(user)}
