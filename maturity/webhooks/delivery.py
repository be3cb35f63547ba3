"""Sending one webhook delivery: sign it, POST it through the outgoing guard, log the try.

Deliveries follow the Standard Webhooks specification (https://www.standardwebhooks.com):
the body is the JSON payload, the ``webhook-id`` header the delivery's message id (the
same on every attempt, so receivers can ignore a message they already have),
``webhook-timestamp`` the time of the attempt in seconds and ``webhook-signature``
``v1,<base64 HMAC-SHA256>`` of ``id.timestamp.body`` under the endpoint's secret,
computed by the ``standardwebhooks`` library.

Every request goes through ``common.outgoing``: an endpoint whose name resolves to a
private, loopback or metadata address is refused at each attempt (DNS answers change),
redirects are not followed, time and the response size are bounded.

Retries: only a transient failure (network error, timeout, 5xx, 429) is tried again, after
an exponential backoff, up to the delivery's ``attempt_limit``; anything else (another 4xx,
a redirect, a refused address) fails at once. The delivery row is the truth: an attempt is
claimed by a conditional UPDATE, so two messages for one delivery never send it twice at
the same time, and the beat sweep sends what a lost message left behind.
"""

from __future__ import annotations

import json
import secrets
import time
from base64 import b64encode
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks import Webhook

from common.outgoing import (
    ConnectFailed,
    DNSFailure,
    OutgoingError,
    OutgoingPolicy,
    OutgoingTimeout,
    ProtocolFailure,
    check_url_allowed,
    fetch,
)
from maturity.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

USER_AGENT = "DealerMaturity-Webhooks/1.0 (+https://dealer-maturity.example/webhooks)"
SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
# What is kept of an endpoint's answer for the log.
EXCERPT_CHARS = 500
EXCERPT_BYTES = 2048
# The sweep leaves a due delivery this long to its own queued message first.
SWEEP_GRACE_SECONDS = 60
TRANSIENT_ERRORS = (OutgoingTimeout, ConnectFailed, DNSFailure, ProtocolFailure)
ACTIVE = (WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING)


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + b64encode(secrets.token_bytes(32)).decode("ascii")


def new_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def webhook_policy() -> OutgoingPolicy:
    """The outgoing guard's limits for webhooks (private addresses only in tests/demo)."""
    seconds = float(settings.WEBHOOK_TIMEOUT_SECONDS)
    return OutgoingPolicy(
        allow_private=settings.OUTGOING_ALLOW_PRIVATE,
        connect_timeout=min(5.0, seconds),
        read_timeout=seconds,
        total_timeout=seconds * 2,
        max_body_bytes=EXCERPT_BYTES,
        max_redirects=0,
        user_agent=USER_AGENT,
    )


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a webhook endpoint (a sentence for people), or ``None``.

    HTTPS only, unless ``OUTGOING_ALLOW_PRIVATE`` (tests, demo); then the outgoing guard's
    own checks: no credentials, a host that resolves to public addresses only.
    """
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme != "https" and not (settings.OUTGOING_ALLOW_PRIVATE and scheme == "http"):
        return _("Enter an address that starts with https://.")
    try:
        check_url_allowed(url, policy=webhook_policy())
    except OutgoingError as exc:
        messages = {
            "private_address": _(
                "This address leads to a private or local network: webhooks only go to "
                "public addresses."
            ),
            "dns": _("This address cannot be found (its host name does not resolve)."),
            "credentials": _("Leave the user name and password out of the address."),
        }
        return messages.get(exc.code, _("Enter a valid address."))
    return None


def backoff_seconds(attempt: int) -> int:
    """Wait after failed attempt number ``attempt`` (1, 2...): base, then doubling."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return int(min(base * 2 ** max(attempt - 1, 0), settings.WEBHOOK_RETRY_MAX_SECONDS))


def body_of(delivery: WebhookDelivery) -> str:
    """The exact body sent (and signed): compact JSON."""
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)


def signed_headers(*, secret: str, message_id: str, body: str, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt."""
    at = at.astimezone(UTC)
    return {
        "Content-Type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def _retry_after(headers: Mapping[str, str]) -> int:
    """Seconds asked by a 429's ``Retry-After`` (0 when absent or a date)."""
    value = headers.get("retry-after", "").strip()
    return int(value) if value.isdigit() else 0


def _claim(delivery_id: int, now: datetime, lease: timedelta) -> bool:
    """Take the delivery for one attempt when it is due (a conditional UPDATE)."""
    return bool(
        WebhookDelivery.objects.filter(pk=delivery_id, status__in=ACTIVE)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + lease)
    )


def attempt_delivery(*, delivery_id: int, now: datetime | None = None) -> WebhookAttempt | None:
    """Try ``delivery_id`` once if it is due; ``None`` when it is not (done, not yet due, or
    another worker has it). Returns the logged attempt; its ``next_attempt_at`` says when
    the next one is due (``None``: no more automatic attempt)."""
    now = now or timezone.now()
    policy = webhook_policy()
    if not _claim(delivery_id, now, timedelta(seconds=policy.total_timeout + 30)):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:  # its endpoint was deleted meanwhile
        return None
    endpoint: WebhookEndpoint = delivery.endpoint
    number = delivery.attempts + 1
    status: int | None = None
    error_code = error = excerpt = ""
    transient = succeeded = False
    retry_after = 0
    started = time.monotonic()
    if not endpoint.is_active:
        error_code, error = "disabled", "the endpoint is disabled"
    else:
        body = body_of(delivery)
        headers = signed_headers(
            secret=endpoint.secret,
            message_id=delivery.message_id,
            body=body,
            at=timezone.now(),
        )
        try:
            result = fetch(
                endpoint.url,
                policy=policy,
                method="POST",
                headers=headers,
                content=body.encode("utf-8"),
                allow_truncated=True,
            )
        except OutgoingError as exc:
            error_code, error = exc.code, exc.reason[:300]
            transient = isinstance(exc, TRANSIENT_ERRORS)
        else:
            status = result.status
            excerpt = result.body.decode("utf-8", "replace")[:EXCERPT_CHARS]
            succeeded = 200 <= status < 300
            transient = status >= 500 or status == 429
            retry_after = _retry_after(result.headers) if status == 429 else 0
    duration_ms = int((time.monotonic() - started) * 1000)

    next_at: datetime | None = None
    if succeeded:
        outcome, state = WebhookAttempt.Outcome.SUCCEEDED, WebhookDelivery.Status.SUCCEEDED
    elif transient and number < delivery.attempt_limit:
        wait = max(backoff_seconds(number), min(retry_after, settings.WEBHOOK_RETRY_MAX_SECONDS))
        next_at = now + timedelta(seconds=wait)
        outcome, state = WebhookAttempt.Outcome.RETRY, WebhookDelivery.Status.RETRYING
    else:
        outcome, state = WebhookAttempt.Outcome.FAILED, WebhookDelivery.Status.FAILED
    with transaction.atomic():
        attempt = WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            outcome=outcome,
            response_status=status,
            error_code=error_code,
            error=error,
            response_excerpt=excerpt,
            duration_ms=duration_ms,
            started_at=now,
            next_attempt_at=next_at,
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=number, status=state, next_attempt_at=next_at
        )
    return attempt


def due_deliveries(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of deliveries whose attempt is overdue (their message was lost)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=SWEEP_GRACE_SECONDS)
    return list(
        WebhookDelivery.objects.filter(status__in=ACTIVE, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
