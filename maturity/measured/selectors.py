"""Reads of measurements: the latest website check, and every measured fact (website,
lead-response tests, imported reviews) as plain data for the scoring rule."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from dealers.models import Dealership, User
from dealers.scoping import scoped
from maturity.engine.definition import DEFAULT_MEASUREMENT_MAX_AGE_DAYS
from maturity.measurements.leads.figures import EnquiryFacts, response_time
from maturity.measurements.leads.grid import current_grid
from maturity.measurements.reviews.figures import ReviewFacts, review_figures
from maturity.models import (
    CustomerReview,
    LeadTest,
    Measurement,
    MeasurementCheck,
    MeasurementConfirmation,
    ReviewImport,
)

# A measurement still pending or running after this long is lost (worker killed): the
# next request starts a new one.
STALE_AFTER_SECONDS = 15 * 60


def website_measurements_visible(*, user: User) -> QuerySet[Measurement]:
    """The website measurements of every dealership ``user`` sees, newest first."""
    queryset = Measurement.objects.filter(kind=Measurement.Kind.WEBSITE)
    return scoped(queryset, user).order_by("-created_at", "-pk")


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


def _website_facts(dealership: Dealership | int, *, until: datetime) -> tuple[int | None, dict]:
    found = latest_done_website_measurements(dealership, until=until)
    if not found:
        return None, {}
    measurement = found[0]
    measured_on = timezone.localtime(measurement.finished_at).date().isoformat()
    return measurement.pk, {
        f"website.{check.key}": {
            "ok": check.ok,
            "evidence": check.evidence,
            "measured_on": measured_on,
        }
        for check in measurement.checks.all()
    }


def _figure(value: float, count: int, on: datetime, evidence: str = "") -> dict[str, Any]:
    return {
        "ok": True,
        "evidence": evidence,
        "measured_on": timezone.localtime(on).date().isoformat(),
        "value": value,
        "count": count,
    }


def _lead_facts(dealership: Dealership | int, *, until: datetime, since: datetime) -> dict:
    """``leads.response_time`` over the tests sent in the freshness window (one query)."""
    rows = LeadTest.objects.filter(
        dealership=dealership, sent_at__gte=since, sent_at__lte=until
    ).values_list("channel", "sent_at", "replied_at")
    tests = [
        EnquiryFacts(
            channel=channel,
            sent_at=sent_at,
            replied_at=replied_at if replied_at is not None and replied_at <= until else None,
        )
        for channel, sent_at, replied_at in rows
    ]
    found = response_time(tests, grid=current_grid(), now=until)
    if found is None:
        return {}
    return {"leads.response_time": _figure(found.hours, found.count, found.closed_on)}


def _review_facts(dealership: Dealership | int, *, until: datetime) -> dict:
    """The review figures of the reviews imported up to ``until``, dated by the newest
    import (one query: the newest import's date rides along each review)."""
    newest = (
        ReviewImport.objects.filter(dealership=OuterRef("dealership"), imported_at__lte=until)
        .order_by("-imported_at")
        .values("imported_at")[:1]
    )
    rows = list(
        CustomerReview.objects.filter(dealership=dealership, created_at__lte=until)
        .annotate(newest=Subquery(newest))
        .values_list("created_at", "rating", "replied_at", "newest")
    )
    dated = [row for row in rows if row[3] is not None]
    if not dated:
        return {}
    imported = dated[0][3]
    reviews = [
        ReviewFacts(created_at=created_at, rating=rating, replied_at=replied_at)
        for created_at, rating, replied_at, _newest in dated
    ]
    figures = review_figures(reviews, now=until)
    facts: dict[str, Any] = {}
    if figures.rating is not None:
        facts["reviews.rating"] = _figure(round(figures.rating, 2), figures.count, imported)
    if figures.answered_share is not None:
        facts["reviews.answered_share"] = _figure(
            round(figures.answered_share, 3), figures.count, imported
        )
    if figures.median_answer is not None:
        facts["reviews.answer_time"] = _figure(
            round(figures.median_answer.total_seconds() / 3600, 2), figures.answered, imported
        )
    return facts


def measured_input(
    dealership: Dealership | int,
    *,
    as_of: date,
    max_age_days: int = DEFAULT_MEASUREMENT_MAX_AGE_DAYS,
) -> dict[str, Any] | None:
    """What the scoring rule needs, as JSON-ready plain data, or ``None`` (nothing measured).

    ``{"as_of": "2026-03-03", "measurement": 12, "facts": {"website.mobile": {"ok": ...,
    "evidence": ..., "measured_on": ...}, "leads.response_time": {..., "value": 5.5,
    "count": 4}}, "confirmed": ["website_own"]}``: the newest finished website measurement
    up to the end of ``as_of``, the lead-response tests sent in the ``max_age_days`` before
    it and the reviews imported by then. The result stores it, so a recompute gives the
    same result.
    """
    until = timezone.make_aware(datetime.combine(as_of, time.max))
    since = timezone.make_aware(datetime.combine(as_of - timedelta(days=max_age_days), time.min))
    measurement, facts = _website_facts(dealership, until=until)
    facts.update(_lead_facts(dealership, until=until, since=since))
    facts.update(_review_facts(dealership, until=until))
    if not facts:
        return None
    return {
        "as_of": as_of.isoformat(),
        "measurement": measurement,
        "facts": facts,
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


def _wizard_website_facts(dealership_id: int) -> dict[str, Any]:
    """The newest finished website check as facts (one query)."""
    newest = (
        Measurement.objects.filter(
            dealership_id=OuterRef("measurement__dealership_id"),
            kind=Measurement.Kind.WEBSITE,
            status=Measurement.Status.OK,
        )
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    checks = MeasurementCheck.objects.filter(
        measurement__dealership_id=dealership_id, measurement_id=Subquery(newest)
    ).select_related("measurement")
    return {
        f"website.{check.key}": {
            "ok": check.ok,
            "evidence": check.evidence,
            "measured_on": timezone.localtime(check.measurement.finished_at).date().isoformat(),
        }
        for check in checks
    }


def wizard_measured_notes(
    assessment: Any, *, language: str, area: Any, keys: Collection[str] | None = None
) -> dict[str, str]:
    """Question key -> "measured on 3 March: no mobile version" for the step ``area`` (its
    questions ``keys`` only, when given), from the dealership's fresh measurements: the
    website check, the lead-response tests, the imported reviews (one query per source the
    questions name; none without)."""
    from maturity.measured.presenters import wizard_notes

    questions = [q for q in area.questions if keys is None or q.key in keys]
    names = {q.measured_by for q in questions if q.measured_by}
    names |= {o.measured_by for q in questions for o in q.options if o.measured_by}
    sources = {name.split(".", 1)[0] for name in names}
    if not sources:
        return {}
    definition = assessment.definition
    today = timezone.localdate()
    until = timezone.make_aware(datetime.combine(today, time.max))
    since = timezone.make_aware(
        datetime.combine(today - timedelta(days=definition.measurement_max_age_days), time.min)
    )
    facts: dict[str, Any] = {}
    if "website" in sources:
        facts.update(_wizard_website_facts(assessment.dealership_id))
    if "leads" in sources:
        facts.update(_lead_facts(assessment.dealership_id, until=until, since=since))
    if "reviews" in sources:
        facts.update(_review_facts(assessment.dealership_id, until=until))
    if not facts:
        return {}
    return wizard_notes(definition, facts, language=language, today=today)
