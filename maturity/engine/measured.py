"""Declared versus measured: the rule by which a measurement takes the place of an answer.

Self-assessments flatter (DOMAIN.md, "Declared versus measured"), so what the website
check, the lead-response tests and the imported reviews observed is scored instead of
what was declared, where the two disagree and the measurement can tell. The app passes
the measured facts in as plain data (:class:`Measured`, keyed ``"website.mobile"`` or
``"leads.response_time"``); this module never reads a database.

The rule (also in ``docs/measurements.md``):

1. Only **fresh** facts count: measured at most ``measurements.max_age_days`` days
   (questionnaire content) before ``as_of`` (the submission date), never after it.
   A check that could not tell (``ok is None``) counts as no fact.
2. A **single-choice or yes/no** question with ``measured_by`` names ``measured_answer``,
   the best answer a failed check still allows (no viewport: "no"; a locator or
   marketplace page: "only listings"). When the check **fails**, a declared answer scoring
   more points than ``measured_answer`` is *disproved*: ``measured_answer`` is scored in
   its place. So a dealer who declares an own site whose address is a locator page scores
   "no own site" and cannot pass the website prerequisite (capped at rung 2).
3. A **multi-choice** option with ``measured_by`` (a contact form, click-to-call, online
   booking): when its check fails and the option was chosen, the option is disproved and
   dropped (the exclusive "none" is scored when nothing is left).
4. A measurement **never raises** a score. When a check passes where the declared answer
   says less (a viewport on a site declared "not mobile"), the disagreement is shown
   ("more than declared") but the declared answer is scored: a tag found is not proof of
   use, and the dealer knows best what they do with it.
5. A single-choice question measured by a **figure** (``measured_by:
   leads.response_time`` with ``measured_bands``: the median first reply of the lead
   tests, the share of reviews answered, the median time to answer one) has the answer
   its bands give the measured value as its *measured answer*; a number question
   (``reviews.rating``) has the measured value itself. A declared answer scoring more
   points than the measured one is disproved and the measured answer scored; one scoring
   fewer is "more than declared" (rule 4); equal points agree.
6. A **consultant's confirmation** of a disproved answer (``confirmed``, by comparison
   key: ``"website_mobile"``, ``"website_contact.contact_form"``) restores the declared
   value; the comparison stays visible as "confirmed".
7. "Don't know" is left as it is: the measurement is shown beside it.

Property (tests/engine/test_measured.py): for any facts, the measured score is at most
the declared score, and confirming every comparison gives back the declared result.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .definition import DONT_KNOW, AnswerValue, Option, Question, Questionnaire
from .scoring import visible_questions

__all__ = [
    "AGREES",
    "BEYOND",
    "CONFIRMED",
    "DISAGREEMENTS",
    "DISPROVED",
    "UNKNOWN",
    "Applied",
    "Comparison",
    "Measured",
    "apply_measured",
    "figure_answer",
    "is_fresh",
]

AGREES = "agrees"  # the measurement says what was declared
DISPROVED = "disproved"  # a failed check disproves the declared answer: measured is scored
CONFIRMED = "confirmed"  # disproved, but a consultant confirmed the declared answer
BEYOND = "beyond"  # the check found more than declared (shown, not scored)
UNKNOWN = "unknown"  # declared "don't know": the measurement is shown beside it
DISAGREEMENTS = frozenset({DISPROVED, CONFIRMED, BEYOND})


@dataclass(frozen=True, slots=True)
class Measured:
    """One measured check: ``ok`` True/False (``None``: could not tell) on ``measured_on``.

    A measured figure (``leads.response_time``) also has its ``value`` (and ``count``, how
    many tests or reviews it rests on); ``ok`` is then True, or ``None`` without a value.
    """

    ok: bool | None
    evidence: str
    measured_on: date
    value: float | None = None
    count: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": self.ok,
            "evidence": self.evidence,
            "measured_on": self.measured_on.isoformat(),
        }
        if self.value is not None:
            data.update(value=self.value, count=self.count)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Measured:
        return cls(
            ok=data["ok"],
            evidence=str(data.get("evidence", "")),
            measured_on=date.fromisoformat(data["measured_on"]),
            value=data.get("value"),
            count=data.get("count"),
        )


@dataclass(frozen=True, slots=True)
class Comparison:
    """Declared beside measured for one question (or one option of a multi-choice)."""

    key: str  # "website_mobile" or "website_contact.contact_form": what a confirmation names
    question: str
    option: str | None
    check: str  # "website.mobile"
    declared: Any  # the declared answer (for an option: whether it was chosen)
    measured_ok: bool
    evidence: str
    measured_on: date
    status: str  # AGREES, DISPROVED, CONFIRMED, BEYOND, UNKNOWN
    scored: Any  # the answer scored (for an option: whether it counts)
    measured_value: float | None = None  # a measured figure: its value...
    measured_answer: Any = None  # ...and the answer it supports
    measured_count: int | None = None  # how many tests or reviews it rests on

    @property
    def disagrees(self) -> bool:
        return self.status in DISAGREEMENTS

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "question": self.question,
            "option": self.option,
            "check": self.check,
            "declared": self.declared,
            "measured_ok": self.measured_ok,
            "evidence": self.evidence,
            "measured_on": self.measured_on.isoformat(),
            "status": self.status,
            "scored": self.scored,
            **(
                {
                    "measured_value": self.measured_value,
                    "measured_answer": self.measured_answer,
                    "measured_count": self.measured_count,
                }
                if self.measured_value is not None
                else {}
            ),
        }


@dataclass(frozen=True, slots=True)
class Applied:
    """The answers to score (measured where they disprove), and every comparison."""

    answers: dict[str, AnswerValue]
    comparisons: tuple[Comparison, ...]

    @property
    def changed(self) -> bool:
        return any(c.status == DISPROVED for c in self.comparisons)


def is_fresh(measured_on: date, *, as_of: date, max_age_days: int) -> bool:
    """Measured at most ``max_age_days`` before ``as_of``, and not after it."""
    return as_of - timedelta(days=max_age_days) <= measured_on <= as_of


def _points(question: Question, key: Any) -> float:
    option = question.option(key) if isinstance(key, str) else None
    return option.points if option is not None else 0.0


def _single(
    question: Question, declared: Any, fact: Measured, confirmed: Collection[str]
) -> Comparison:
    assert question.measured_by is not None and question.measured_answer is not None
    stand_in = question.measured_answer
    status, scored = AGREES, declared
    if declared == DONT_KNOW:
        status = UNKNOWN
    elif fact.ok is False and _points(question, declared) > _points(question, stand_in):
        status, scored = (
            (CONFIRMED, declared) if question.key in confirmed else (DISPROVED, stand_in)
        )
    elif fact.ok is True:
        lowest = min(o.points for o in question.options)
        points = _points(question, declared)
        if points < _points(question, stand_in) or points == lowest:
            status = BEYOND
    return Comparison(
        key=question.key,
        question=question.key,
        option=None,
        check=question.measured_by,
        declared=declared,
        measured_ok=bool(fact.ok),
        evidence=fact.evidence,
        measured_on=fact.measured_on,
        status=status,
        scored=scored,
    )


def figure_answer(question: Question, value: float) -> Any:
    """The answer a measured figure supports: its band's option, or the value itself."""
    if question.kind == "number" and question.number is not None:
        spec = question.number
        clipped = min(max(value, spec.min), spec.max)
        return round(clipped) if spec.integer else round(clipped, 1)
    return question.measured_option(value)


def _figure_points(question: Question, answer: Any) -> float:
    """Points of ``answer`` alone (the question scored on its own, as the engine does)."""
    if question.kind != "number" or question.number is None:
        return _points(question, answer)
    if not isinstance(answer, int | float) or isinstance(answer, bool):
        return 0.0
    return max((b.points for b in question.number.bands if answer >= b.at_least), default=0.0)


def _by_figure(
    question: Question, declared: Any, fact: Measured, confirmed: Collection[str]
) -> Comparison | None:
    assert question.measured_by is not None and fact.value is not None
    measured = figure_answer(question, fact.value)
    if measured is None:
        return None
    status, scored = AGREES, declared
    if declared == DONT_KNOW:
        status = UNKNOWN
    else:
        mine, theirs = _figure_points(question, declared), _figure_points(question, measured)
        if mine > theirs:
            status, scored = (
                (CONFIRMED, declared) if question.key in confirmed else (DISPROVED, measured)
            )
        elif mine < theirs:
            status = BEYOND
    return Comparison(
        key=question.key,
        question=question.key,
        option=None,
        check=question.measured_by,
        declared=declared,
        measured_ok=True,
        evidence=fact.evidence,
        measured_on=fact.measured_on,
        status=status,
        scored=scored,
        measured_value=fact.value,
        measured_answer=measured,
        measured_count=fact.count,
    )


def _option(
    question: Question, option: Option, chosen: Any, fact: Measured, confirmed: Collection[str]
) -> Comparison:
    key = f"{question.key}.{option.key}"
    if chosen in (DONT_KNOW, [DONT_KNOW]):
        status, declared, scored = UNKNOWN, DONT_KNOW, False
    else:
        declared = option.key in chosen
        status, scored = AGREES, declared
        if fact.ok is False and declared:
            status, scored = (CONFIRMED, True) if key in confirmed else (DISPROVED, False)
        elif fact.ok is True and not declared:
            status = BEYOND
    assert option.measured_by is not None
    return Comparison(
        key=key,
        question=question.key,
        option=option.key,
        check=option.measured_by,
        declared=declared,
        measured_ok=bool(fact.ok),
        evidence=fact.evidence,
        measured_on=fact.measured_on,
        status=status,
        scored=scored,
    )


def apply_measured(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    facts: Mapping[str, Measured],
    *,
    as_of: date,
    confirmed: Collection[str] = (),
) -> Applied:
    """The answers to score under the rule above, and the comparisons to show.

    ``facts`` maps ``"website.<check>"`` to what was measured; ``confirmed`` holds the
    comparison keys a consultant confirmed. Questions left unanswered, or hidden by the
    declared answers, have no comparison.
    """
    fresh = {
        name: fact
        for name, fact in facts.items()
        if fact.ok is not None
        and is_fresh(
            fact.measured_on, as_of=as_of, max_age_days=questionnaire.measurement_max_age_days
        )
    }
    scored: dict[str, AnswerValue] = dict(answers)
    comparisons: list[Comparison] = []
    if not fresh:
        return Applied(answers=scored, comparisons=())
    shown = set(visible_questions(questionnaire, answers))
    for question in questionnaire.questions:
        if question.key not in shown:
            continue
        declared = answers.get(question.key)
        if declared in (None, "", []):
            continue
        fact = fresh.get(question.measured_by or "")
        if fact is not None and question.measured_answer is None:
            figure = (
                _by_figure(question, declared, fact, confirmed) if fact.value is not None else None
            )
            if figure is not None:
                comparisons.append(figure)
                scored[question.key] = figure.scored
            continue
        if fact is not None:
            comparison = _single(question, declared, fact, confirmed)
            comparisons.append(comparison)
            scored[question.key] = comparison.scored
            continue
        if question.kind != "multi":
            continue
        kept = list(declared) if isinstance(declared, list) else declared
        for option in question.options:
            if option.measured_by not in fresh:
                continue
            comparison = _option(question, option, declared, fresh[option.measured_by], confirmed)
            comparisons.append(comparison)
            if comparison.status == DISPROVED and isinstance(kept, list):
                kept.remove(option.key)
        if isinstance(kept, list) and kept != declared:
            if not kept:
                kept = [o.key for o in question.options if o.exclusive][:1]
            scored[question.key] = kept
    return Applied(answers=scored, comparisons=tuple(comparisons))
