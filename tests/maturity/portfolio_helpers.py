"""Small builders for the portfolio tests: dealerships with submitted results."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from maturity.models import Assessment, AssessmentResult
from tests.factories import AREA_KEYS, AssessmentFactory, AssessmentResultFactory, refresh_peers


def areas(value: float = 50.0, **overrides: float) -> dict[str, float]:
    scores = dict.fromkeys(AREA_KEYS, value)
    scores.update(overrides)
    return scores


def submit(
    dealership,
    *,
    rung: int = 2,
    scores: dict[str, float] | None = None,
    days_ago: float = 0,
    overall: float | None = None,
) -> AssessmentResult:
    """A submitted assessment of ``dealership`` with its result, ``days_ago`` days old."""
    scores = scores or areas()
    extra = {"overall_score": overall} if overall is not None else {}
    result = AssessmentResultFactory(
        assessment__dealership=dealership,
        assessment__submitted_at=timezone.now() - timedelta(days=days_ago),
        rung=rung,
        area_scores=scores,
        **extra,
    )
    refresh_peers(dealership.pk)  # as the submission's task does
    return result


def draft(dealership) -> Assessment:
    return AssessmentFactory(dealership=dealership, status=Assessment.Status.DRAFT)
