"""What the API's resources hold, read from the features: no writes, no request.

Views fetch the object through the scoping module first; these functions only turn it
into the plain values the serializers describe, reusing the features' reads (answer rows,
progress, the JSON export's result and roadmap parts, the portfolio's rows).
"""

from __future__ import annotations

from typing import Any

from maturity import selectors
from maturity.assessments.progress import missing_required, visible_keys
from maturity.engine.answers import answer_label
from maturity.engine.definition import Question, Text
from maturity.engine.scoring import display
from maturity.models import Answer, Assessment, AssessmentResult
from maturity.portfolio.presenters import Row
from maturity.results.export import bilingual, result_part, roadmap_part


def answer_row(question: Question, row: Answer | None) -> dict[str, Any]:
    """One answer as the API shows it (revision 0 and a null value when there is none)."""
    value = row.value if row is not None else None
    return {
        "question": question.key,
        "area": question.area,
        "kind": question.kind,
        "value": value,
        "label": None
        if value is None
        else {"fr": answer_label(question, value, "fr"), "en": answer_label(question, value, "en")},
        "revision": row.revision if row is not None else 0,
        "updated_at": row.updated_at if row is not None else None,
        "updated_by": str(row.updated_by) if row is not None and row.updated_by else None,
    }


def _in_order(assessment: Assessment, rows: dict[str, Answer]) -> list[dict[str, Any]]:
    definition = assessment.version.definition
    return [answer_row(q, rows[q.key]) for q in definition.questions if q.key in rows]


def answer_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """Every stored answer row, cleared ones too (they carry the revision to send back),
    in questionnaire order."""
    return _in_order(assessment, selectors.answer_rows(assessment=assessment))


def _result(assessment: Assessment) -> AssessmentResult | None:
    try:
        return assessment.result
    except AssessmentResult.DoesNotExist:
        return None


def with_detail(assessment: Assessment) -> Assessment:
    """The assessment with what its detail shows: answers, questions left, result."""
    definition = assessment.version.definition
    rows = selectors.answer_rows(assessment=assessment)
    assessment.api_answers = _in_order(assessment, rows)
    values = selectors.answer_values(rows)
    assessment.api_missing = (
        [q.key for q in missing_required(definition, values)] if assessment.is_draft else []
    )
    result = _result(assessment)
    assessment.api_result = None if result is None else result_part(definition, result)
    return assessment


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else bilingual(text)


def questions(assessment: Assessment) -> list[dict[str, Any]]:
    """The questions of the assessment's version, with whether each is shown now and its
    current answer and revision: what a program needs to fill the draft in."""
    definition = assessment.version.definition
    rows = selectors.answer_rows(assessment=assessment)
    visible = visible_keys(definition, selectors.answer_values(rows))
    out = []
    for q in definition.questions:
        row = rows.get(q.key)
        out.append(
            {
                "key": q.key,
                "area": q.area,
                "kind": q.kind,
                "text": bilingual(q.text),
                "help": bilingual(q.help),
                "required": q.required,
                "allow_dont_know": q.allow_dont_know,
                "options": [
                    {"key": o.key, "label": bilingual(o.label), "exclusive": o.exclusive}
                    for o in q.options
                ],
                "scale": None
                if q.scale is None
                else {
                    "min": q.scale.min,
                    "max": q.scale.max,
                    "min_label": bilingual(q.scale.min_label),
                    "max_label": bilingual(q.scale.max_label),
                },
                "number": None
                if q.number is None
                else {
                    "min": q.number.min,
                    "max": q.number.max,
                    "integer": q.number.integer,
                    "unit": _text(q.number.unit),
                },
                "max_length": q.max_length,
                "show_if": None
                if q.show_if is None
                else {"question": q.show_if.question, "any_of": list(q.show_if.any_of)},
                "visible": q.key in visible,
                "answer": {
                    "value": row.value if row is not None else None,
                    "revision": row.revision if row is not None else 0,
                },
            }
        )
    return out


def roadmap(assessment: Assessment, *, language: str) -> dict[str, Any] | None:
    """The roadmap of a scored assessment with the dealership's statuses, or ``None``
    (a draft, no result, or a version the action catalogue does not fit)."""
    result = _result(assessment)
    if result is None:
        return None
    actions = roadmap_part(assessment, result, language=language)
    if actions is None:
        return None
    return {
        "assessment": assessment.pk,
        "dealership": assessment.dealership_id,
        "actions": actions,
    }


def portfolio_row(row: Row) -> dict[str, Any]:
    d = row.dealership
    return {
        "dealership": d,
        "brands": row.brands,
        "rung": row.rung,
        "rung_title": row.rung_title,
        "score": None if row.score is None else display(row.score),
        "change": row.change,
        "change_points": row.change_points,
        "latest_assessment": d.latest_assessment_id,
        "submitted_at": row.submitted_at,
        "reviewed": row.reviewed,
        "has_draft": row.has_draft,
        "report_status": row.report_status,
        "area_scores": {key: display(score) for key, score in row.area_scores.items()},
    }
