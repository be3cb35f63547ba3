"""Reads of measurements: the latest one, its facts as plain data for the scoring rule."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from dealers.models import Dealership
from maturity.models import Measurement, MeasurementConfirmation

# A measurement still pending or running after this long is lost (worker killed): the
# next request starts a new one.
STALE_AFTER_SECONDS = 15 * 60


def latest_website_measurement(dealership: Dealership | int) -> Measurement | None:
    """The newest website measurement of the dealership, whatever its status."""
    return (
        Measurement.objects.filter(dealership=dealership, kind=Measurement.Kind.WEBSITE)
        .order_by("-created_at", "-pk")
        .first()
    )


def latest_done_website_measurements(
    dealership: Dealership | int, *, until: datetime | None = None, count: int = 1
) -> list[Measurement]:
    """The newest finished (ok) website measurements, newest first, checks prefetched."""
    queryset = Measurement.objects.filter(
        dealership=dealership, kind=Measurement.Kind.WEBSITE, status=Measurement.Status.OK
    )
    if until is not None:
        queryset = queryset.filter(finished_at__lte=until)
    return list(queryset.prefetch_related("checks").order_by("-finished_at", "-pk")[:count])


def pending_website_measurement(dealership: Dealership | int) -> Measurement | None:
    """A measurement waiting for or running on a worker, if one was asked recently."""
    since = timezone.now() - timezone.timedelta(seconds=STALE_AFTER_SECONDS)
    return (
        Measurement.objects.filter(
            dealership=dealership,
            kind=Measurement.Kind.WEBSITE,
            status__in=(Measurement.Status.PENDING, Measurement.Status.RUNNING),
            created_at__gte=since,
        )
        .order_by("-created_at")
        .first()
    )


def confirmations(dealership: Dealership | int) -> dict[str, MeasurementConfirmation]:
    """The consultants' confirmations of the dealership, by comparison key."""
    return {
        c.key: c
        for c in MeasurementConfirmation.objects.filter(dealership=dealership)
        .select_related("author")
        .order_by("created_at")
    }


def measured_input(dealership: Dealership | int, *, as_of: date) -> dict[str, Any] | None:
    """What the scoring rule needs, as JSON-ready plain data, or ``None`` (nothing measured).

    ``{"as_of": "2026-03-03", "measurement": 12, "facts": {"website.mobile": {"ok": ...,
    "evidence": ..., "measured_on": ...}}, "confirmed": ["website_own"]}``: the newest
    finished website measurement up to the end of ``as_of``. The result stores it, so a
    recompute gives the same result.
    """
    until = timezone.make_aware(datetime.combine(as_of, time.max))
    found = latest_done_website_measurements(dealership, until=until)
    if not found:
        return None
    measurement = found[0]
    measured_on = timezone.localtime(measurement.finished_at).date().isoformat()
    return {
        "as_of": as_of.isoformat(),
        "measurement": measurement.pk,
        "facts": {
            f"website.{check.key}": {
                "ok": check.ok,
                "evidence": check.evidence,
                "measured_on": measured_on,
            }
            for check in measurement.checks.all()
        },
        "confirmed": sorted(confirmations(dealership)),
    }


def measured_panel(
    *, user: Any, assessment: Any, language: str, result: Any | None = None
) -> dict[str, Any]:
    """What the results and review pages show of declared beside measured: the section of
    the stored result, the latest check's status and what ``user`` may do with them."""
    from dealers.permissions import permissions_for
    from maturity.measured.presenters import measured_section, measurement_status

    dealership = assessment.dealership
    allowed = permissions_for(user=user, dealership=dealership)
    snapshot = result.snapshot if result is not None else {}
    measured = snapshot.get("measured") or {}
    confirmed = any(c["status"] == "confirmed" for c in measured.get("comparisons", ()))
    section = measured_section(
        assessment.definition,
        measured,
        language=language,
        confirmations=confirmations(dealership) if confirmed else {},
    )
    return {
        "measured": section,
        "check": measurement_status(latest_website_measurement(dealership), language=language),
        "can_check": bool(dealership.website_url)
        and (allowed.can_edit_profile or allowed.can_review),
        "can_confirm": allowed.can_review,
    }


def wizard_measured_notes(
    assessment: Any, *, language: str, area: Any, keys: Collection[str] | None = None
) -> dict[str, str]:
    """Question key -> "measured on 3 March: no mobile version" for the step ``area`` (its
    questions ``keys`` only, when given), from the dealership's newest fresh website
    measurement (one query; none when no such question is measured)."""
    from django.db.models import OuterRef, Subquery

    from maturity.measured.presenters import wizard_notes
    from maturity.models import MeasurementCheck

    measured = any(
        q.measured_by or any(o.measured_by for o in q.options)
        for q in area.questions
        if keys is None or q.key in keys
    )
    if not measured:
        return {}
    newest = (
        Measurement.objects.filter(
            dealership_id=OuterRef("measurement__dealership_id"),
            kind=Measurement.Kind.WEBSITE,
            status=Measurement.Status.OK,
        )
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    checks = list(
        MeasurementCheck.objects.filter(
            measurement__dealership_id=assessment.dealership_id,
            measurement_id=Subquery(newest),
        ).select_related("measurement")
    )
    if not checks:
        return {}
    return wizard_notes(
        assessment.definition,
        checks[0].measurement,
        language=language,
        today=timezone.localdate(),
        checks=checks,
    )
