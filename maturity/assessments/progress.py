"""Where an assessment stands: which questions are shown, answered, missing.

Plain functions over a questionnaire definition and an ``{question key: value}`` mapping
(no database), shared by the services (submit validation), the wizard (progress, resume)
and the dealership page.

Only *visible required* questions count towards progress and completeness: hidden
questions are not asked, and optional ones (comments, evidence links) must not keep a
finished assessment below 100 %.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from maturity.engine.definition import Area, Question, Questionnaire
from maturity.engine.scoring import visible_questions


def is_answered(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != ()


@dataclass(frozen=True, slots=True)
class AreaProgress:
    key: str
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


@dataclass(frozen=True, slots=True)
class Progress:
    answered: int
    total: int
    areas: tuple[AreaProgress, ...]

    @property
    def percent(self) -> int:
        if not self.total:
            return 100
        return round(100 * self.answered / self.total)

    @property
    def complete(self) -> bool:
        return self.answered >= self.total

    def area(self, key: str) -> AreaProgress:
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)


def visible_keys(definition: Questionnaire, values: Mapping[str, Any]) -> set[str]:
    return set(visible_questions(definition, values))


def counted(question: Question, visible: set[str]) -> bool:
    """Does ``question`` count towards progress (shown and required)?"""
    return question.required and question.key in visible


def pending_keys(
    definition: Questionnaire, values: Mapping[str, Any], visible: set[str]
) -> set[str]:
    """Hidden questions that an unanswered required question may still reveal.

    Counting them in the progress's total from the start keeps the bar from moving back
    when a gate is answered and its follow-ups appear (100 % -> 80 %): answering "yes"
    keeps the total, answering "no" drops them and the bar jumps forward instead.
    Questions come after their trigger, so one pass in questionnaire order is enough.
    """
    possible = set(visible)
    pending: set[str] = set()
    required = {q.key for q in definition.questions if q.required}
    for question in definition.questions:
        if question.key in possible or question.show_if is None:
            continue
        trigger = question.show_if.question
        if trigger in possible and trigger in required and not is_answered(values.get(trigger)):
            possible.add(question.key)
            pending.add(question.key)
    return pending


def progress(definition: Questionnaire, values: Mapping[str, Any]) -> Progress:
    visible = visible_keys(definition, values)
    # The total counts what may still be asked; only visible questions can be answered.
    countable = visible | pending_keys(definition, values, visible)
    areas = []
    for area in definition.areas:
        asked = [q for q in area.questions if counted(q, countable)]
        done = sum(1 for q in asked if q.key in visible and is_answered(values.get(q.key)))
        areas.append(AreaProgress(key=area.key, answered=done, total=len(asked)))
    return Progress(
        answered=sum(a.answered for a in areas),
        total=sum(a.total for a in areas),
        areas=tuple(areas),
    )


def missing_required(definition: Questionnaire, values: Mapping[str, Any]) -> list[Question]:
    """Visible required questions without an answer, in questionnaire order."""
    visible = visible_keys(definition, values)
    return [
        q
        for q in definition.questions
        if counted(q, visible) and not is_answered(values.get(q.key))
    ]


def first_incomplete_area(definition: Questionnaire, values: Mapping[str, Any]) -> Area | None:
    """The first area with an unanswered visible required question (``None``: all done)."""
    missing = missing_required(definition, values)
    if not missing:
        return None
    return definition.area(missing[0].area)
