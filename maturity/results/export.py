"""One assessment with its results as a JSON document (download, archive, other tools),
and the same content as an XLSX workbook (answers, scores, roadmap).

The document is self-describing: every answer carries its question and area keys, the
question in both languages and the answer in plain words, so it reads without the
questionnaire version it was answered on. ``format`` names the layout; a change that
breaks readers bumps its number (adding a key does not). The workbook is written from
the document, so both files always say the same thing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import pgettext

from common.xlsx import Sheet, write_xlsx
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


def bilingual(text) -> dict[str, str]:
    return {"fr": text.fr, "en": text.en}


def result_part(definition, result: AssessmentResult) -> dict[str, Any]:
    """The stored result: rung, scores by area (one decimal) and the frozen snapshot."""
    rung = definition.rung(result.rung)
    return {
        "engine_version": result.engine_version,
        "computed_at": _iso(result.computed_at),
        "rung": result.rung,
        "rung_title": bilingual(rung.title) if rung else None,
        "overall_score": display(result.overall_score),
        "areas": [
            {
                "area": area.key,
                "title": bilingual(area.title),
                "score": display(result.area_scores[area.key])
                if area.key in result.area_scores
                else None,
            }
            for area in definition.areas
        ],
        "snapshot": result.snapshot,
    }


def roadmap_part(
    assessment: Assessment, result: AssessmentResult, *, language: str
) -> list[dict[str, Any]] | None:
    """The result's roadmap actions in order, with the dealership's status of each
    (``None`` when the action catalogue does not fit the assessment's version)."""
    statuses = followup.statuses_for(assessment.dealership_id)
    plan = followup.roadmap_plan_of(
        assessment, result.snapshot, language=language, statuses=statuses
    )
    if plan is None:
        return None
    placed = [
        (block.key, block.title, action) for block in plan.horizons for action in block.actions
    ]
    placed += [(BACKLOG, str(followup.BACKLOG_TITLE), action) for action in plan.backlog]
    rows = []
    for horizon, horizon_title, action in placed:
        row = statuses.get(action.key)
        rows.append(
            {
                "action": action.key,
                "horizon": horizon,
                "horizon_title": horizon_title,
                "title": action.title,
                "area": action.area_title,
                "next_rung": action.next_rung,
                "status": row.status if row else followup.Status.TODO,
                "done_at": _iso(row.done_at) if row else None,
                "updated_at": _iso(row.updated_at) if row else None,
                "owner": row.owner.get_full_name() if row and row.owner else None,
                "due_date": row.due_date.isoformat() if row and row.due_date else None,
            }
        )
    return rows


def assessment_document(assessment: Assessment, *, language: str = "en") -> dict[str, Any]:
    """The document; ``language`` is that of the roadmap's titles and of the review's area
    names (questions, answers, areas and rungs carry both languages)."""
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
                "text": bilingual(question.text),
                "value": value,
                "label": {
                    "fr": answer_label(question, value, "fr"),
                    "en": answer_label(question, value, "en"),
                },
            }
        )

    result = AssessmentResult.objects.filter(assessment=assessment).first()
    result_doc = None if result is None else result_part(definition, result)
    roadmap = None if result is None else roadmap_part(assessment, result, language=language)

    feedback = feedback_for(assessment, language=language)
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


def export_filename(assessment: Assessment, extension: str = "json") -> str:
    moment = assessment.submitted_at or assessment.created_at
    name = slugify(assessment.dealership.name) or "dealership"
    return f"assessment-{name}-{moment:%Y-%m-%d}-{assessment.pk}.{extension}"


# --- the workbook ----------------------------------------------------------------------------


def _local(moment: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: the local wall-clock time, to the minute.
    return (
        timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0) if moment else None
    )


def _summary(document: dict[str, Any], assessment: Assessment, language: str) -> Sheet:
    dealership, meta, result = document["dealership"], document["assessment"], document["result"]
    review = document["review"]
    rows: list[tuple[str, object]] = [
        (pgettext("assessment export", "Dealership"), dealership["name"]),
        (pgettext("assessment export", "City"), dealership["city"]),
        (pgettext("assessment export", "Dealer group"), dealership["group"]),
        (pgettext("assessment export", "Assessment"), meta["id"]),
        (pgettext("assessment export", "Status"), assessment.get_status_display()),
        (pgettext("assessment export", "Questionnaire version"), meta["questionnaire_version"]),
        (pgettext("assessment export", "Started on"), _local(assessment.created_at)),
        (pgettext("assessment export", "Submitted on"), _local(assessment.submitted_at)),
        (pgettext("assessment export", "Submitted by"), meta["submitted_by"]),
    ]
    if result is not None:
        title = result["rung_title"][language] if result["rung_title"] else None
        rows += [
            (pgettext("assessment export", "Rung"), result["rung"]),
            (pgettext("assessment export", "Rung title"), title),
            (pgettext("assessment export", "Overall score"), result["overall_score"]),
        ]
    rows += [
        (pgettext("assessment export", "Consultant's note"), review["overall_note"] or None),
        (pgettext("assessment export", "Reviewed by"), review["reviewed_by"]),
    ]
    return Sheet(
        title=pgettext("assessment sheet", "Assessment"),
        header=[pgettext("assessment export", "Field"), pgettext("assessment export", "Value")],
        rows=rows,
        widths=(28, 60),
    )


def _answers(document: dict[str, Any], titles: dict[str, str], language: str) -> Sheet:
    return Sheet(
        title=pgettext("assessment sheet", "Answers"),
        header=[
            pgettext("assessment export", "Area"),
            pgettext("assessment export", "Question key"),
            pgettext("assessment export", "Question"),
            pgettext("assessment export", "Answer"),
        ],
        rows=(
            [
                titles.get(a["area"], a["area"]),
                a["question"],
                a["text"][language],
                a["label"][language],
            ]
            for a in document["answers"]
        ),
        widths=(24, 22, 70, 50),
    )


def _scores(document: dict[str, Any], language: str) -> Sheet:
    areas = document["result"]["areas"] if document["result"] else []
    comments = document["review"]["area_comments"]
    return Sheet(
        title=pgettext("assessment sheet", "Scores"),
        header=[
            pgettext("assessment export", "Area key"),
            pgettext("assessment export", "Area"),
            pgettext("assessment export", "Score"),
            pgettext("assessment export", "Consultant's comment"),
        ],
        rows=(
            [a["area"], a["title"][language], a["score"], comments.get(a["area"])] for a in areas
        ),
        widths=(16, 30, 8, 70),
    )


def _roadmap(document: dict[str, Any]) -> Sheet:
    labels = dict(followup.STATUS_CHOICES)
    return Sheet(
        title=pgettext("assessment sheet", "Roadmap"),
        header=[
            pgettext("assessment export", "Horizon"),
            pgettext("assessment export", "Action key"),
            pgettext("assessment export", "Action"),
            pgettext("assessment export", "Area"),
            pgettext("assessment export", "Status"),
        ],
        rows=(
            [a["horizon_title"], a["action"], a["title"], a["area"], str(labels[a["status"]])]
            for a in document["roadmap"] or []
        ),
        widths=(18, 24, 60, 24, 14),
    )


def assessment_xlsx_write(assessment: Assessment, *, language: str, target: BinaryIO) -> None:
    """The assessment as a workbook in ``language``: a summary, the answers, the area
    scores with the consultant's comments and the roadmap with its statuses."""
    document = assessment_document(assessment, language=language)
    titles = {area.key: area.title.get(language) for area in assessment.version.definition.areas}
    sheets = [_summary(document, assessment, language), _answers(document, titles, language)]
    if document["result"] is not None:
        sheets.append(_scores(document, language))
        sheets.append(_roadmap(document))
    write_xlsx(sheets, target)
