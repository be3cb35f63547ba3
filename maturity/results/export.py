"""One assessment with its results as a JSON document (download, archive, other tools).

The document is self-describing: every answer carries its question and area keys, the
question in both languages and the answer in plain words, so it reads without the
questionnaire version it was answered on. ``format`` names the layout; a change that
breaks readers bumps its number.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from maturity.engine.answers import answer_label
from maturity.engine.roadmap import BACKLOG
from maturity.engine.scoring import display
from maturity.followup import roadmap as followup
from maturity.models import Assessment, AssessmentResult
from maturity.review.selectors import feedback_for
from maturity.selectors import assessment_answers

FORMAT = "dealer-maturity/assessment-v1"


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _person(user) -> str | None:
    return str(user) if user else None


def assessment_document(assessment: Assessment) -> dict[str, Any]:
    definition = assessment.definition
    dealership = assessment.dealership
    values = assessment_answers(assessment)
    answers = []
    for question in definition.questions:
        if question.key not in values or values[question.key] in (None, "", []):
            continue
        value = values[question.key]
        answers.append(
            {
                "question": question.key,
                "area": question.area,
                "kind": question.kind,
                "text": {"fr": question.text.fr, "en": question.text.en},
                "value": value,
                "label": {
                    "fr": answer_label(question, value, "fr"),
                    "en": answer_label(question, value, "en"),
                },
            }
        )

    result = AssessmentResult.objects.filter(assessment=assessment).first()
    result_doc = None
    roadmap = None
    if result is not None:
        rung = definition.rung(result.rung)
        result_doc = {
            "engine_version": result.engine_version,
            "computed_at": _iso(result.computed_at),
            "rung": result.rung,
            "rung_title": {"fr": rung.title.fr, "en": rung.title.en} if rung else None,
            "overall_score": display(result.overall_score),
            "areas": [
                {
                    "area": area.key,
                    "title": {"fr": area.title.fr, "en": area.title.en},
                    "score": display(result.area_scores[area.key])
                    if area.key in result.area_scores
                    else None,
                }
                for area in definition.areas
            ],
            "snapshot": result.snapshot,
        }
        statuses = followup.statuses_for(dealership)
        plan = followup.roadmap_plan_of(
            assessment, result.snapshot, language="en", statuses=statuses
        )
        if plan is not None:
            placed = [(block.key, action) for block in plan.horizons for action in block.actions]
            placed += [(BACKLOG, action) for action in plan.backlog]
            roadmap = [
                {
                    "action": action.key,
                    "horizon": horizon,
                    "title": action.title,
                    "area": action.area_title,
                    "next_rung": action.next_rung,
                    "status": statuses[action.key].status
                    if action.key in statuses
                    else followup.Status.TODO,
                }
                for horizon, action in placed
            ]

    feedback = feedback_for(assessment, language="en")
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "dealership": {
            "id": dealership.pk,
            "name": dealership.name,
            "city": dealership.city,
            "region": dealership.region,
            "group": dealership.group.name if dealership.group else None,
            "brands": [b.name for b in dealership.brands.all()],
            "size_band": dealership.size_band,
            "profile": dealership.profile,
        },
        "assessment": {
            "id": assessment.pk,
            "status": assessment.status,
            "questionnaire_version": assessment.version.label,
            "questionnaire_hash": assessment.version.content_hash,
            "created_at": _iso(assessment.created_at),
            "submitted_at": _iso(assessment.submitted_at),
            "submitted_by": _person(assessment.submitted_by),
            "previous_id": assessment.previous_id,
            "profile": assessment.profile_in_use,
        },
        "answers": answers,
        "result": result_doc,
        "roadmap": roadmap,
        "review": {
            "overall_note": feedback.overall_note,
            "reviewed_at": _iso(feedback.reviewed_at),
            "reviewed_by": feedback.reviewed_by or None,
            "area_comments": {a.key: a.body for a in feedback.areas},
            "verified_evidence": sorted(feedback.verified),
        },
    }


def export_filename(assessment: Assessment) -> str:
    moment = assessment.submitted_at or assessment.created_at
    name = slugify(assessment.dealership.name) or "dealership"
    return f"assessment-{name}-{moment:%Y-%m-%d}-{assessment.pk}.json"
