"""Two submitted assessments of one dealership side by side: what changed, area by area
and answer by answer, and which roadmap actions were done in between.

The two may be pinned to different questionnaire versions: areas and questions are
matched by key (keys are stable, see ``maturity/content/README.md``); a question asked in
only one of them is shown as "not asked" on the other side, never as a change to zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from common.i18n import current_language, format_date
from maturity.engine.answers import answer_label
from maturity.engine.definition import Question, Questionnaire
from maturity.engine.scoring import whole_change
from maturity.followup import roadmap as followup
from maturity.followup.roadmap import DoneAction
from maturity.models import Answer, Assessment, AssessmentResult


def choice_labels(assessments: list[Assessment]) -> dict[int, str]:
    """How each assessment is named in the compare drop-downs: its date, and its time
    when another one was submitted the same day (else the two read the same)."""
    days: dict[Any, int] = {}
    for assessment in assessments:
        day = timezone.localdate(assessment.submitted_at)
        days[day] = days.get(day, 0) + 1
    labels = {}
    for assessment in assessments:
        same_day = days[timezone.localdate(assessment.submitted_at)] > 1
        labels[assessment.pk] = format_date(
            assessment.submitted_at, "DATETIME_FORMAT" if same_day else "DATE_FORMAT"
        )
    return labels


@dataclass(frozen=True)
class AnswerDiff:
    key: str
    text: str
    kind: str
    before: str | None  # the answer in words; None: not asked in that version
    after: str | None
    before_points: float | None
    after_points: float | None
    changed: bool

    @property
    def points_delta(self) -> float | None:
        if self.before_points is None or self.after_points is None:
            return None
        return round(self.after_points - self.before_points, 1)

    @property
    def better(self) -> bool:
        return (self.points_delta or 0) > 0

    @property
    def worse(self) -> bool:
        return (self.points_delta or 0) < 0


@dataclass(frozen=True)
class AreaDiff:
    key: str
    title: str
    before: float | None  # None: the area is not in that version
    after: float | None
    answers: tuple[AnswerDiff, ...]

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return whole_change(self.before, self.after)

    @property
    def delta_abs(self) -> float | None:
        return None if self.delta is None else abs(self.delta)

    @property
    def changed_count(self) -> int:
        return sum(1 for a in self.answers if a.changed)


@dataclass(frozen=True)
class AssessmentDiff:
    before: Assessment
    after: Assessment
    before_score: float
    after_score: float
    before_rung: tuple[int, str]
    after_rung: tuple[int, str]
    areas: tuple[AreaDiff, ...]
    same_version: bool
    done_between: tuple[DoneAction, ...]

    @property
    def score_delta(self) -> int:
        return whole_change(self.before_score, self.after_score)

    @property
    def score_delta_abs(self) -> int:
        return abs(self.score_delta)

    @property
    def rung_delta(self) -> int:
        return self.after_rung[0] - self.before_rung[0]

    @property
    def changed_count(self) -> int:
        return sum(a.changed_count for a in self.areas)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


def _words(question: Question | None, value: Any, language: str) -> str | None:
    if question is None:
        return None
    if value is None or value == "" or value == []:
        return ""
    return answer_label(question, value, language)


def _points(snapshot: dict | None) -> dict[str, float]:
    if not snapshot:
        return {}
    # A hidden question earns 0 points: showing it (and answering it) is a change too.
    return {
        c["question"]: c["points"]
        for area in snapshot.get("areas", ())
        for c in area.get("contributions", ())
    }


def _rung(definition: Questionnaire, number: int, language: str) -> tuple[int, str]:
    return number, definition.rung_title(number, language)


def compare(before: Assessment, after: Assessment) -> AssessmentDiff:
    """Compare two submitted assessments (``before`` the older one); four queries."""
    language = current_language()
    results = {
        r.assessment_id: r
        for r in AssessmentResult.objects.filter(assessment_id__in=[before.pk, after.pk])
    }
    values: dict[int, dict[str, Any]] = {before.pk: {}, after.pk: {}}
    for assessment_id, key, value in Answer.objects.filter(
        assessment_id__in=[before.pk, after.pk]
    ).values_list("assessment_id", "question_key", "value"):
        values[assessment_id][key] = value
    old_def, new_def = before.definition, after.definition
    old_res, new_res = results.get(before.pk), results.get(after.pk)
    old_points = _points(old_res.snapshot if old_res else None)
    new_points = _points(new_res.snapshot if new_res else None)
    old_scores = old_res.area_scores if old_res else {}
    new_scores = new_res.area_scores if new_res else {}

    area_keys = [a.key for a in new_def.areas] + [
        a.key for a in old_def.areas if a.key not in {x.key for x in new_def.areas}
    ]
    areas = []
    for key in area_keys:
        new_area = next((a for a in new_def.areas if a.key == key), None)
        old_area = next((a for a in old_def.areas if a.key == key), None)
        title_area = new_area or old_area
        assert title_area is not None
        questions = [q.key for q in (new_area.questions if new_area else ())]
        questions += [
            q.key for q in (old_area.questions if old_area else ()) if q.key not in questions
        ]
        diffs = []
        for q_key in questions:
            old_q = old_def.question(q_key) if old_def.has_question(q_key) else None
            new_q = new_def.question(q_key) if new_def.has_question(q_key) else None
            question = new_q or old_q
            assert question is not None
            old_v, new_v = values[before.pk].get(q_key), values[after.pk].get(q_key)
            if old_v in (None, "", []) and new_v in (None, "", []):
                continue  # unanswered (or hidden) both times: nothing to compare
            diffs.append(
                AnswerDiff(
                    key=q_key,
                    text=question.text.get(language),
                    kind=question.kind,
                    before=_words(old_q, old_v, language),
                    after=_words(new_q, new_v, language),
                    before_points=old_points.get(q_key) if old_q and old_q.scored else None,
                    after_points=new_points.get(q_key) if new_q and new_q.scored else None,
                    changed=old_q is None or new_q is None or not _same(old_v, new_v),
                )
            )
        areas.append(
            AreaDiff(
                key=key,
                title=title_area.title.get(language),
                before=old_scores.get(key),
                after=new_scores.get(key),
                answers=tuple(diffs),
            )
        )

    statuses = followup.statuses_for(after.dealership_id)
    done_rows = followup.done_between(statuses, before.submitted_at, after.submitted_at)
    titles = followup.action_titles(after, [r.action_key for r in done_rows], language=language)
    return AssessmentDiff(
        before=before,
        after=after,
        before_score=old_res.overall_score if old_res else 0.0,
        after_score=new_res.overall_score if new_res else 0.0,
        before_rung=_rung(old_def, old_res.rung if old_res else 0, language),
        after_rung=_rung(new_def, new_res.rung if new_res else 0, language),
        areas=tuple(areas),
        same_version=before.version_id == after.version_id,
        done_between=tuple(
            DoneAction(r.action_key, titles[r.action_key], r.done_at) for r in done_rows
        ),
    )
