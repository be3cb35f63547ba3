"""Writes of measurements: ask for a website check, run it, record a confirmation.

``measurement_request_website`` records a pending measurement; the button, the monthly
beat task and the website address change call it through
``maturity.measured.tasks.request_website_check``, which sends the task once the
transaction commits. ``measurement_run_website`` is what the task runs: the check itself
(bounded, SSRF-guarded: ``common.outgoing``), then the dated checks, then the
dealership's latest result is rescored with the new facts.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.outgoing import OutgoingPolicy
from dealers.models import Dealership, User
from maturity.measured.selectors import (
    latest_done_website_measurements,
    pending_website_measurement,
)
from maturity.measurements.website import WebsiteMeasurement, check_website, load_host_lists
from maturity.models import (
    Measurement,
    MeasurementCheck,
    MeasurementConfirmation,
    WebhookEndpoint,
)
from maturity.results.services import result_refresh_measured
from maturity.webhooks.services import webhook_event_emit

logger = logging.getLogger(__name__)

REASON_MAX = 500


class NoWebsite(Exception):
    """The dealership has no website address to check."""


def outgoing_policy() -> OutgoingPolicy:
    """The policy of the website check's requests (tests replace it with the fixture web)."""
    return OutgoingPolicy(allow_private=settings.OUTGOING_ALLOW_PRIVATE)


def measurement_request_website(
    *,
    dealership: Dealership,
    requested_by: User | None = None,
    trigger: str = Measurement.Trigger.REQUEST,
) -> tuple[Measurement, bool]:
    """A pending website measurement of ``dealership`` and whether it is new.

    A measurement already waiting or running is returned as it is (pressing the button
    twice checks once). Raises :class:`NoWebsite` when the dealership has no address.
    """
    if not dealership.website_url:
        raise NoWebsite
    with transaction.atomic():
        Dealership.objects.select_for_update().filter(pk=dealership.pk).first()
        pending = pending_website_measurement(dealership)
        if pending is not None and pending.url == dealership.website_url:
            return pending, False
        measurement = Measurement.objects.create(
            dealership=dealership,
            kind=Measurement.Kind.WEBSITE,
            url=dealership.website_url,
            requested_by=requested_by,
            trigger=trigger,
        )
    return measurement, True


def _record(measurement: Measurement, measured: WebsiteMeasurement, now: datetime) -> None:
    measurement.final_url = (measured.final_url or "")[:500]
    measurement.pages = measured.to_dict()["pages"]
    measurement.finished_at = now
    if measured.error:
        measurement.status = Measurement.Status.FAILED
        measurement.reason = measured.error.get("reason", "")[:REASON_MAX]
    else:
        measurement.status = Measurement.Status.OK
        measurement.reason = ""
    measurement.save(update_fields=["final_url", "pages", "finished_at", "status", "reason"])
    MeasurementCheck.objects.bulk_create(
        MeasurementCheck(
            measurement=measurement,
            key=key,
            ok=result.ok,
            evidence=result.evidence,
            details=result.details,
        )
        for key, result in measured.checks.items()
    )


def measurement_run_website(
    *, dealership_id: int, requested_by: User | None = None, measurement_id: int | None = None
) -> Measurement:
    """Check the dealership's website now and store the dated result.

    Runs the pending measurement ``measurement_id`` (the task's), or a new one. A
    measurement already finished is returned unchanged (a task delivered twice checks
    once). The check never raises for a site problem: an address that cannot be read gives
    a ``failed`` measurement with the reason. Raises :class:`NoWebsite` without address.
    """
    dealership = Dealership.objects.get(pk=dealership_id)
    with transaction.atomic():
        measurement = None
        if measurement_id is not None:
            measurement = (
                Measurement.objects.select_for_update()
                .filter(pk=measurement_id, dealership=dealership)
                .first()
            )
        if measurement is None:
            if not dealership.website_url:
                raise NoWebsite
            measurement = Measurement.objects.create(
                dealership=dealership, url=dealership.website_url, requested_by=requested_by
            )
        if measurement.done:
            return measurement
        measurement.status = Measurement.Status.RUNNING
        measurement.started_at = timezone.now()
        measurement.save(update_fields=["status", "started_at"])
    measured = check_website(measurement.url, policy=outgoing_policy(), hosts=load_host_lists())
    with transaction.atomic():
        _record(measurement, measured, timezone.now())
        if measurement.status == Measurement.Status.OK:
            result_refresh_measured(dealership_id=dealership.pk)
        # Finished, whether measured or failed: the receiver reads which through the API.
        webhook_event_emit(event=WebhookEndpoint.Event.WEBSITE_CHECKED, measured=measurement)
    logger.info(
        "Website of dealership %s measured: %s %s",
        dealership.pk,
        measurement.status,
        measurement.reason,
    )
    return measurement


def measurement_confirm(
    *, dealership: Dealership, key: str, comment: str, author: User
) -> MeasurementConfirmation:
    """A consultant confirms the declared answer ``key`` that a measurement contradicts.

    The declared value is scored again (the latest result is rescored). Raises
    ``ValueError`` for an empty comment. Confirming again replaces the comment.
    """
    comment = comment.strip()
    if not comment:
        raise ValueError("a confirmation needs a comment")
    latest = latest_done_website_measurements(dealership)
    with transaction.atomic():
        confirmation, _ = MeasurementConfirmation.objects.update_or_create(
            dealership=dealership,
            key=key,
            defaults={
                "comment": comment,
                "author": author,
                "created_at": timezone.now(),
                "measurement": latest[0] if latest else None,
            },
        )
        result_refresh_measured(dealership_id=dealership.pk)
    return confirmation


def measurement_unconfirm(*, dealership: Dealership, key: str) -> None:
    """Withdraw a confirmation: the measured value is scored again."""
    with transaction.atomic():
        MeasurementConfirmation.objects.filter(dealership=dealership, key=key).delete()
        result_refresh_measured(dealership_id=dealership.pk)
