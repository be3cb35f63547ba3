"""Writes of the webhooks: endpoints (register, change, rotate the secret, enable or
disable, delete), the events that create deliveries, re-sending and test events.

:func:`webhook_event_emit` is the one function the features call where an event happens,
beside their notification: it creates a delivery per endpoint that asked for the event and
may hear about it, in the event's own transaction (an event rolled back sends nothing),
and queues them once it commits. Who hears about what: a consultant's endpoints, the
dealerships they see (``dealers.scoping``) and the campaigns they launched; staff's,
everything. A payload carries the event's type, time, ids and links, never answers,
scores or texts: the receiver reads those through the API with its own token.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dealers.models import Dealership, User
from dealers.permissions import can_use_portfolio
from dealers.scoping import scoped
from maturity.models import (
    Assessment,
    Campaign,
    LeadTest,
    Measurement,
    Report,
    ReviewImport,
    WebhookDelivery,
    WebhookEndpoint,
)
from maturity.webhooks import delivery as sending
from maturity.webhooks import tasks

Event = WebhookEndpoint.Event
TEST_EVENT = "webhook.test"


class WebhookError(ValueError):
    """The endpoint cannot be saved as asked; the message says why, for people."""


class EndpointDisabled(Exception):
    """A disabled endpoint receives nothing (test events and re-sends included)."""


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = [e for e in Event.values if e in set(events)]
    if not chosen:
        raise WebhookError(_("Choose at least one event."))
    return chosen


def _check_url(url: str) -> str:
    url = url.strip()
    problem = sending.url_problem(url)
    if problem is not None:
        raise WebhookError(problem)
    return url


# --- endpoints ------------------------------------------------------------------------------


def endpoint_create(
    *, user: User, url: str, description: str, events: Iterable[str]
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint of ``user`` (a consultant or staff); returns it and its secret
    (shown once). Raises :class:`WebhookError`."""
    if not can_use_portfolio(user):
        raise WebhookError(_("Only consultants and staff register webhooks."))
    if WebhookEndpoint.objects.filter(owner=user).count() >= settings.WEBHOOK_ENDPOINTS_PER_USER:
        raise WebhookError(
            _("You already have %(n)s endpoints: delete one you no longer use first.")
            % {"n": settings.WEBHOOK_ENDPOINTS_PER_USER}
        )
    endpoint = WebhookEndpoint.objects.create(
        owner=user,
        url=_check_url(url),
        description=description.strip()[:200],
        events=_clean_events(events),
        secret=sending.new_secret(),
        created_at=timezone.now(),
    )
    return endpoint, endpoint.secret


def endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, description: str, events: Iterable[str]
) -> WebhookEndpoint:
    """Change the URL, description and events (the secret stays)."""
    endpoint.url = _check_url(url)
    endpoint.description = description.strip()[:200]
    endpoint.events = _clean_events(events)
    endpoint.save(update_fields=["url", "description", "events"])
    return endpoint


def endpoint_secret_rotate(*, endpoint: WebhookEndpoint) -> str:
    """A new secret, used from the next attempt on; returns it (shown once)."""
    endpoint.secret = sending.new_secret()
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret", "secret_rotated_at"])
    return endpoint.secret


def endpoint_enable(*, endpoint: WebhookEndpoint, enabled: bool) -> WebhookEndpoint:
    """Enable or disable; a disabled endpoint's pending deliveries fail at their next try."""
    endpoint.is_active = enabled
    endpoint.save(update_fields=["is_active"])
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint and its delivery log."""
    endpoint.delete()


# --- deliveries ------------------------------------------------------------------------------


def _payload(event: str, data: dict[str, Any]) -> dict[str, Any]:
    now = timezone.now()
    return {
        "type": event,
        "timestamp": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": data,
    }


def _create(
    endpoints: Iterable[WebhookEndpoint], event: str, data: dict[str, Any]
) -> list[WebhookDelivery]:
    now = timezone.now()
    rows = [
        WebhookDelivery(
            endpoint=endpoint,
            event_type=event,
            message_id=sending.new_message_id(),
            payload=_payload(event, data),
            attempt_limit=settings.WEBHOOK_MAX_ATTEMPTS,
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in endpoints
    ]
    created = WebhookDelivery.objects.bulk_create(rows)
    ids = [d.pk for d in created]
    if ids:
        transaction.on_commit(lambda: tasks.send_later(ids))
    return created


def _who_hears(
    event: str, *, dealership_id: int | None, campaign: Campaign | None
) -> list[WebhookEndpoint]:
    """Active endpoints that asked for ``event`` and whose owner may hear about it."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(is_active=True, owner__is_active=True)
        .select_related("owner")
        .order_by("pk")
        if event in e.events and can_use_portfolio(e.owner)
    ]
    allowed: dict[int, bool] = {}
    out = []
    for endpoint in endpoints:
        owner = endpoint.owner
        if owner.pk not in allowed:
            if owner.is_staff:
                allowed[owner.pk] = True
            elif dealership_id is not None:
                allowed[owner.pk] = scoped(
                    Dealership.objects.filter(pk=dealership_id), owner
                ).exists()
            else:
                allowed[owner.pk] = campaign is not None and campaign.created_by_id == owner.pk
        if allowed[owner.pk]:
            out.append(endpoint)
    return out


# A measurement's event: (its id's name in the payload, its API route, its page's route).
_MEASURED: dict[type, tuple[str, str, str]] = {
    Measurement: ("measurement_id", "api_website_check_detail", "dealership_detail"),
    LeadTest: ("lead_test_id", "api_lead_test_detail", "lead_tests"),
    ReviewImport: ("review_import_id", "api_review_import_detail", "dealership_reviews"),
}


def _measured_data(measured: Measurement | LeadTest | ReviewImport) -> dict[str, Any]:
    id_name, api_route, page_route = _MEASURED[type(measured)]
    dealership_id = measured.dealership_id
    return {
        "dealership_id": dealership_id,
        id_name: measured.pk,
        "url": _absolute(reverse(api_route, args=[measured.pk])),
        "web_url": _absolute(reverse(page_route, args=[dealership_id])),
    }


def _data(
    event: str,
    assessment: Assessment | None,
    report: Report | None,
    campaign: Campaign | None,
    measured: Measurement | LeadTest | ReviewImport | None = None,
) -> tuple[dict[str, Any], int | None]:
    if measured is not None:
        return _measured_data(measured), measured.dealership_id
    if campaign is not None:
        return {
            "campaign_id": campaign.pk,
            "url": _absolute(reverse("campaign_detail", args=[campaign.pk])),
        }, None
    if report is not None:
        assessment = report.assessment
        dealership_id = assessment.dealership_id
        return {
            "dealership_id": dealership_id,
            "assessment_id": assessment.pk,
            "report_id": report.pk,
            "url": _absolute(reverse("api_report_detail", args=[report.pk])),
            "web_url": _absolute(reverse("report_detail", args=[dealership_id, report.pk])),
        }, dealership_id
    assert assessment is not None
    dealership_id = assessment.dealership_id
    page = (
        reverse("assessment_feedback", args=[dealership_id, assessment.pk])
        if event == Event.ASSESSMENT_SUBMITTED
        else reverse("assessment_results", args=[assessment.pk])
    )
    return {
        "dealership_id": dealership_id,
        "assessment_id": assessment.pk,
        "url": _absolute(reverse("api_assessment_detail", args=[assessment.pk])),
        "web_url": _absolute(page),
    }, dealership_id


def webhook_event_emit(
    *,
    event: str,
    assessment: Assessment | None = None,
    report: Report | None = None,
    campaign: Campaign | None = None,
    measured: Measurement | LeadTest | ReviewImport | None = None,
) -> list[WebhookDelivery]:
    """Create the deliveries of one event (about an assessment, a report, a campaign or a
    measurement: a website check, a lead-response test, a reviews import) and queue them
    once the current transaction commits."""
    if event not in Event.values:
        raise ValueError(event)
    data, dealership_id = _data(event, assessment, report, campaign, measured)
    endpoints = _who_hears(event, dealership_id=dealership_id, campaign=campaign)
    if not endpoints:
        return []
    return _create(endpoints, event, data)


def delivery_test_send(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``webhook.test`` delivery to ``endpoint``, queued at once."""
    if not endpoint.is_active:
        raise EndpointDisabled
    data = {
        "endpoint_id": endpoint.pk,
        "url": _absolute(reverse("webhook_detail", args=[endpoint.pk])),
    }
    (created,) = _create([endpoint], TEST_EVENT, data)
    return created


def delivery_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send ``delivery`` again now (same message id, newly signed), with a new series of
    automatic retries."""
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        raise EndpointDisabled
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at=now,
        attempt_limit=delivery.attempts + settings.WEBHOOK_MAX_ATTEMPTS,
    )
    pk = delivery.pk
    transaction.on_commit(lambda: tasks.send_later([pk]))
    delivery.refresh_from_db()
    return delivery
