"""Reads of the webhooks: whose endpoints a person sees, an endpoint's delivery log.

An endpoint belongs to a person, not to a dealership: a consultant sees their own, staff
see everyone's; anybody else none (the views answer 403 to them first). Another
consultant's endpoint is a 404, like one that does not exist.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from dealers.models import User
from dealers.permissions import can_use_portfolio
from maturity.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

LOG_LENGTH = 50


def endpoints_for(*, user: User) -> QuerySet[WebhookEndpoint]:
    """The endpoints ``user`` may see and manage."""
    endpoints = WebhookEndpoint.objects.select_related("owner").order_by("-created_at", "-pk")
    if not can_use_portfolio(user):
        return endpoints.none()
    if user.is_staff:
        return endpoints
    return endpoints.filter(owner=user)


def endpoint_get_or_404(*, user: User, pk: int) -> WebhookEndpoint:
    try:
        return endpoints_for(user=user).get(pk=pk)
    except (WebhookEndpoint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def delivery_get_or_404(*, endpoint: WebhookEndpoint, pk: int) -> WebhookDelivery:
    try:
        return WebhookDelivery.objects.select_related("endpoint").get(endpoint=endpoint, pk=pk)
    except (WebhookDelivery.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def delivery_log(*, endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first, each with its attempts (2 queries)."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .order_by("-created_at", "-pk")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("-number"))
        )[:LOG_LENGTH]
    )
