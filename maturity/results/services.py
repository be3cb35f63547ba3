"""Scoring a submitted assessment into a stored, frozen result; recomputing on request.

A result is a **snapshot**: what the engine said at submission, with the rules of the
questionnaire version the assessment is pinned to. Nothing rewrites it implicitly: a new
engine or new rules only reach past results through ``manage.py recompute_results
--apply``, which first reports the differences (:func:`result_differences`).

``AssessmentResult.snapshot`` is ``Result.to_dict()`` plus one key, ``"next_rung_changes"``
(the suggested answer changes, :func:`changes_to_dicts`), so the next-rung advice shown
later is the one that matches the stored rung, whatever the engine becomes.
``Result.from_dict(snapshot)`` ignores that extra key.

Measured facts (``maturity.engine.measured``): when the dealership's website was measured
recently, the snapshot's ``"measured"`` key holds the facts used (the measurement's checks,
the date they were judged fresh against, the confirmed comparison keys) and every
comparison of declared and measured. The score is the one of the answers the rule gives;
recomputing reuses the stored facts. A new measurement or a consultant's confirmation
rescores the dealership's latest submitted assessment (:func:`result_refresh_measured`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from maturity.engine.definition import Questionnaire
from maturity.engine.measured import Measured, apply_measured
from maturity.engine.scoring import score
from maturity.engine.suggestions import Change, next_rung_changes
from maturity.measured.selectors import measured_input
from maturity.models import Assessment, AssessmentResult, QuestionnaireVersion
from maturity.network import tasks as network_tasks
from maturity.peers import tasks as peer_tasks
from maturity.selectors import assessment_answers
from maturity.standing.services import standing_refresh

__all__ = [
    "NEXT_RUNG_KEY",
    "ResultDifference",
    "changes_from_dicts",
    "changes_to_dicts",
    "result_create",
    "result_differences",
    "result_refresh_measured",
    "result_row",
    "result_snapshot",
]

NEXT_RUNG_KEY = "next_rung_changes"
MEASURED_KEY = "measured"

# Area score changes smaller than this are float noise, not a difference worth reporting.
SCORE_TOLERANCE = 1e-6


def changes_to_dicts(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """JSON form of next-rung changes (stored in the snapshot)."""
    return [
        {
            "question": c.question,
            "current": c.current,
            "suggested": c.suggested,
            "points_before": c.points_before,
            "points_after": c.points_after,
            "newly_shown": c.newly_shown,
            "any_answer": c.any_answer,
        }
        for c in changes
    ]


def changes_from_dicts(data: Sequence[Mapping[str, Any]]) -> list[Change]:
    """Rebuild :class:`Change` values from :func:`changes_to_dicts` output."""
    return [
        Change(
            question=d["question"],
            current=d["current"],
            suggested=d["suggested"],
            points_before=d["points_before"],
            points_after=d["points_after"],
            newly_shown=d.get("newly_shown", False),
            any_answer=d.get("any_answer", False),
        )
        for d in data
    ]


def result_snapshot(
    definition: Questionnaire,
    answers: Mapping[str, Any],
    measured: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Score ``answers`` with ``definition`` now: the snapshot to store (JSON-ready).

    ``measured`` is ``maturity.measured.selectors.measured_input`` (or the stored
    ``snapshot["measured"]``): fresh measured facts take the place of disproved answers.
    Raises the engine's ``IncompleteAnswers`` / ``AnswerError`` for answers that cannot be
    scored: an incomplete assessment is refused, never stored as zero.
    """
    comparisons: list[dict[str, Any]] = []
    if measured:
        applied = apply_measured(
            definition,
            answers,
            {key: Measured.from_dict(fact) for key, fact in measured["facts"].items()},
            as_of=date.fromisoformat(measured["as_of"]),
            confirmed=frozenset(measured.get("confirmed", ())),
        )
        answers = applied.answers
        comparisons = [c.to_dict() for c in applied.comparisons]
    result = score(definition, answers)
    snapshot = result.to_dict()
    snapshot[NEXT_RUNG_KEY] = changes_to_dicts(next_rung_changes(definition, answers, result))
    if measured:
        kept = {k: measured[k] for k in ("as_of", "measurement", "facts", "confirmed")}
        snapshot[MEASURED_KEY] = {**kept, "comparisons": comparisons}
    # Round-trip through JSON so that what we compare and store is exactly what the
    # database gives back (tuples become lists).
    return json.loads(json.dumps(snapshot))


def _fields_from(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "engine_version": snapshot["engine_version"],
        "rung": snapshot["rung"],
        "overall_score": snapshot["overall_score"],
        "area_scores": {a["key"]: a["score"] for a in snapshot["areas"]},
        "snapshot": snapshot,
    }


def result_row(*, assessment: Assessment, snapshot: Mapping[str, Any]) -> AssessmentResult:
    """An unsaved result of ``assessment`` holding ``snapshot`` (:func:`result_snapshot`).

    For callers that store many results in one ``bulk_create`` (the demo's history): the
    same fields :func:`result_create` writes, without its per-result peer refresh (the
    caller rebuilds the peer statistics once).
    """
    return AssessmentResult(assessment=assessment, **_fields_from(snapshot))


@transaction.atomic
def result_create(*, assessment: Assessment) -> AssessmentResult:
    """Score the assessment with its pinned questionnaire version and store the snapshot.

    Called once, inside the submit transaction, so an assessment is never submitted
    without its result (and an error here rolls the submission back). If the assessment
    already has a result it is returned unchanged: a stored result is never rewritten.
    Raises ``IncompleteAnswers`` / ``AnswerError`` when the answers cannot be scored.
    """
    existing = AssessmentResult.objects.filter(assessment=assessment).first()
    if existing is not None:
        return existing
    as_of = timezone.localdate(assessment.submitted_at) if assessment.submitted_at else None
    measured = measured_input(
        assessment.dealership_id,
        as_of=as_of or timezone.localdate(),
        max_age_days=assessment.definition.measurement_max_age_days,
    )
    snapshot = result_snapshot(assessment.definition, assessment_answers(assessment), measured)
    result = AssessmentResult.objects.create(assessment=assessment, **_fields_from(snapshot))
    # The peer statistics of the dealership's groups, once the submission is committed.
    transaction.on_commit(
        partial(peer_tasks.peer_statistics_send, dealership_ids=[assessment.dealership_id])
    )
    # And the dashboards of its networks.
    transaction.on_commit(
        partial(network_tasks.network_aggregates_send, dealership_ids=[assessment.dealership_id])
    )
    return result


@transaction.atomic
def result_refresh_measured(*, dealership_id: int) -> AssessmentResult | None:
    """Rescore the dealership's latest submitted assessment with today's measured facts.

    Called when a measurement finishes or a consultant confirms a declared answer: the
    measured facts, not the answers, changed. Returns the result when it changed.
    """
    assessment = (
        Assessment.objects.submitted()
        .filter(dealership_id=dealership_id)
        .select_related("result")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    stored = getattr(assessment, "result", None) if assessment is not None else None
    if assessment is None or stored is None:
        return None
    measured = measured_input(
        dealership_id,
        as_of=timezone.localdate(),
        max_age_days=assessment.definition.measurement_max_age_days,
    )
    if measured is None and MEASURED_KEY not in stored.snapshot:
        return None
    try:
        snapshot = result_snapshot(assessment.definition, assessment_answers(assessment), measured)
    except ValueError:  # IncompleteAnswers, AnswerError: the stored result stays
        return None
    if snapshot == stored.snapshot:
        return None
    fields = _fields_from(snapshot)
    AssessmentResult.objects.filter(pk=stored.pk).update(computed_at=timezone.now(), **fields)
    # ``update`` sends no signal: the portfolio's copy of the result.
    standing_refresh(dealership_id=dealership_id)
    stored.refresh_from_db()
    return stored


# --- recomputing -------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultDifference:
    """How the current engine's result differs from the stored one for one assessment."""

    assessment_id: int
    dealership: str
    submitted_at: Any  # datetime | None
    old_rung: int | None  # None: no result was stored
    new_rung: int | None  # None: the answers cannot be scored any more (see ``error``)
    old_engine: str | None
    new_engine: str | None
    # area key -> (old score, new score), only areas that moved
    area_changes: dict[str, tuple[float, float]] = field(default_factory=dict)
    overall: tuple[float, float] | None = None  # (old, new) when it moved
    error: str = ""
    snapshot: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def rung_changed(self) -> bool:
        return self.old_rung != self.new_rung

    @property
    def scores_changed(self) -> bool:
        return bool(self.area_changes) or self.overall is not None


def _difference(
    assessment: Assessment, stored: AssessmentResult | None, definition: Questionnaire
) -> ResultDifference | None:
    base = {
        "assessment_id": assessment.pk,
        "dealership": str(assessment.dealership),
        "submitted_at": assessment.submitted_at,
        "old_rung": stored.rung if stored else None,
        "old_engine": stored.engine_version if stored else None,
    }
    try:
        measured = stored.snapshot.get(MEASURED_KEY) if stored is not None else None
        snapshot = result_snapshot(definition, assessment_answers(assessment), measured)
    except ValueError as error:  # IncompleteAnswers, AnswerError
        return ResultDifference(new_rung=None, new_engine=None, error=str(error), **base)
    if stored is not None and stored.snapshot == snapshot:
        return None
    old_areas = stored.area_scores if stored else {}
    area_changes = {
        a["key"]: (old_areas.get(a["key"], 0.0), a["score"])
        for a in snapshot["areas"]
        if stored is None or abs(old_areas.get(a["key"], 0.0) - a["score"]) > SCORE_TOLERANCE
    }
    old_overall = stored.overall_score if stored else 0.0
    overall = (
        (old_overall, snapshot["overall_score"])
        if stored is None or abs(old_overall - snapshot["overall_score"]) > SCORE_TOLERANCE
        else None
    )
    return ResultDifference(
        new_rung=snapshot["rung"],
        new_engine=snapshot["engine_version"],
        area_changes=area_changes,
        overall=overall,
        snapshot=snapshot,
        **base,
    )


def result_differences(*, apply: bool = False, batch_size: int = 200) -> Iterator[ResultDifference]:
    """Rescore every submitted assessment with the current engine and its pinned version.

    Yields one :class:`ResultDifference` per assessment whose fresh snapshot differs from
    the stored one (rung, scores, explanations or engine version), or that has no stored
    result. With ``apply=False`` (the default) nothing is written. With ``apply=True`` each
    differing result is replaced (or created) in its own transaction; results whose
    answers no longer score are reported with ``error`` and left alone.
    """
    versions: dict[int, QuestionnaireVersion] = {}
    assessments = (
        Assessment.objects.submitted()
        .select_related("dealership", "result")
        .prefetch_related("answers")
        .order_by("pk")
    )
    for assessment in assessments.iterator(chunk_size=batch_size):
        # One load per questionnaire version, not one per assessment (content is large).
        version = versions.get(assessment.version_id)
        if version is None:
            version = versions[assessment.version_id] = QuestionnaireVersion.objects.get(
                pk=assessment.version_id
            )
        stored = getattr(assessment, "result", None)
        definition = version.definition.for_profile(assessment.profile_in_use or None)
        difference = _difference(assessment, stored, definition)
        if difference is None:
            continue
        if apply and difference.snapshot is not None:
            fields = _fields_from(difference.snapshot)
            with transaction.atomic():
                if stored is None:
                    AssessmentResult.objects.create(assessment=assessment, **fields)
                else:
                    AssessmentResult.objects.filter(pk=stored.pk).update(
                        computed_at=timezone.now(), **fields
                    )
                    # ``update`` sends no signal: the portfolio's copy of the result.
                    standing_refresh(dealership_id=assessment.dealership_id)
        yield difference
