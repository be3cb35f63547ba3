"""Reads shared by several features: an assessment the user may see, its answers, its
previous result. Reads that belong to one feature live in that feature's folder; the
common filters ("submitted, newest first") are methods of the models' querysets.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dealers.models import Dealership, User
from dealers.permissions import membership_role_subquery, remember_role
from dealers.scoping import get_scoped_or_404
from maturity.models import Answer, Assessment, AssessmentResult


def _assessments() -> QuerySet[Assessment]:
    # The version's content is large and its parsed definition is cached per process by
    # hash: load the content only when that cache misses.
    return Assessment.objects.select_related(
        "version", "dealership", "created_by", "submitted_by"
    ).defer("version__content")


def assessment_get(*, user: User, dealership_pk: int, pk: int) -> Assessment:
    """One assessment of one dealership the user may see, or ``Http404``."""
    return get_scoped_or_404(_assessments(), user, pk=pk, dealership_id=dealership_pk)


def assessment_get_for_answering(*, user: User, dealership_pk: int, pk: int) -> Assessment:
    """:func:`assessment_get` with the user's role in the dealership read in the same query
    (``can_answer`` then asks no more): the autosave's one read of the assessment."""
    # Only what an autosave reads (the version's hash for the definition, the dealership
    # for its profile): every join and column costs CPU on the wizard's hottest request.
    queryset = (
        Assessment.objects.select_related("version", "dealership")
        .defer("version__content")
        .annotate(viewer_role=membership_role_subquery(user, "dealership_id"))
    )
    assessment = get_scoped_or_404(queryset, user, pk=pk, dealership_id=dealership_pk)
    remember_role(assessment.dealership, user, assessment.viewer_role)
    return assessment


def assessment_last_submitted(*, dealership: Dealership) -> Assessment | None:
    return Assessment.objects.filter(dealership=dealership).submitted().newest_first().first()


def answer_rows(*, assessment: Assessment) -> dict[str, Answer]:
    """Every stored answer row by question key (cleared answers too: they carry revisions)."""
    return Answer.objects.filter(assessment=assessment).rows_by_key()


def answer_values(rows: dict[str, Answer]) -> dict[str, Any]:
    """``{question key: value}`` of already fetched rows, answered questions only."""
    return {key: row.value for key, row in rows.items() if row.value is not None}


def assessment_answers(assessment: Assessment) -> dict[str, Any]:
    """The assessment's answers as the engine takes them (question key -> value).

    A cleared answer keeps its row with a null value (the wizard keeps its revision): it
    is left out, as unanswered. Uses the prefetched answers when the caller prefetched
    them (the recompute command reads thousands of assessments).
    """
    cache = getattr(assessment, "_prefetched_objects_cache", {})
    if "answers" in cache:
        return {a.question_key: a.value for a in cache["answers"] if a.value is not None}
    return Answer.objects.filter(assessment=assessment).values_by_key()


# --- results (the results page, the PDF) ---------------------------------------------------


def assessment_for_results(*, user: User, pk: int) -> Assessment:
    """An assessment the user may see, with its dealership (and its target), version,
    submitter and stored result in one query (``assessment.result`` raises
    ``DoesNotExist`` when there is none); ``Http404`` for anyone outside the dealership's
    scope."""
    queryset = _assessments().select_related("result", "dealership__target")
    return get_scoped_or_404(queryset, user, pk=pk)


def result_previous(*, assessment: Assessment) -> AssessmentResult | None:
    """The stored result of the dealership's last assessment submitted before this one
    (drawn beside this one on the radar and the ladder), or ``None``."""
    if assessment.submitted_at is None:
        return None
    return (
        AssessmentResult.objects.filter(
            assessment__dealership_id=assessment.dealership_id,
            assessment__status=Assessment.Status.SUBMITTED,
            assessment__submitted_at__lt=assessment.submitted_at,
        )
        .select_related("assessment")
        .only("rung", "overall_score", "area_scores", "assessment__submitted_at")
        .order_by("-assessment__submitted_at", "-assessment__pk")
        .first()
    )
