"""Celery tasks of measurements: thin wrappers taking ids (names never change), and the
one way to ask for a website check from a request, beat or a hook (sent on commit)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from config.celery import publish
from dealers.models import Dealership, User
from maturity.measured import services
from maturity.models import Measurement


@shared_task(name="maturity.measure_website")
def measure_website(measurement_id: int) -> str:
    """Run the pending website measurement ``measurement_id``; returns its status."""
    measurement = Measurement.objects.filter(pk=measurement_id).first()
    if measurement is None:
        return "gone"
    return services.measurement_run_website(
        dealership_id=measurement.dealership_id, measurement_id=measurement_id
    ).status


@shared_task(name="maturity.measure_websites_monthly")
def measure_websites_monthly() -> int:
    """Ask for every dealership's website check (beat, monthly); returns how many."""
    count = 0
    for dealership in Dealership.objects.exclude(website_url="").order_by("pk").iterator():
        request_website_check(dealership=dealership, trigger=Measurement.Trigger.MONTHLY)
        count += 1
    return count


def request_website_check(
    *,
    dealership: Dealership,
    requested_by: User | None = None,
    trigger: str = Measurement.Trigger.REQUEST,
) -> Measurement:
    """A pending measurement (``services.measurement_request_website``), its task sent
    once the transaction commits; a broker that is down leaves it pending (asking again
    after ``STALE_AFTER_SECONDS`` starts a new one)."""
    with transaction.atomic():
        measurement, created = services.measurement_request_website(
            dealership=dealership, requested_by=requested_by, trigger=trigger
        )
        if created:
            transaction.on_commit(lambda: publish(measure_website, args=[measurement.pk]))
    return measurement
