"""Scoring: answers -> area scores, levels, overall score and rung on the ladder.

Rules (``maturity/content/README.md``):

* A question is visible when it has no ``show_if``, or when its trigger question is itself
  visible and answered with a revealing option (for a multi-choice trigger: at least one
  chosen option reveals). "Don't know" never reveals. Answers to hidden questions are
  ignored: they never change the result.
* A visible required question without an answer (absent, ``None``, ``""`` or ``[]``) makes
  :func:`score` raise :class:`IncompleteAnswers` listing every such key: an incomplete
  assessment is not silently scored as zero.
* A question's points: the option's points (multi: the sum of the chosen options), the
  scale or number-band points, 0 for "don't know", 0 when hidden or unanswered.
* An area's score is ``100 * earned / maximum``, the maximum counting every scored question
  of the area, hidden or not. The overall score is the weighted mean of the area scores.
  Scores are kept as floats; round only for display (:func:`display`).
* The rung is the highest rung whose conditions, and those of every rung below, hold;
  rungs with ``requires_website`` also need every website prerequisite condition.
* The questionnaire is the one asked of a dealer profile
  (:meth:`~maturity.engine.definition.Questionnaire.for_profile`): questions the profile
  is not asked do not exist for it (not shown, not in any maximum). The result names the
  profile.
* Confidence (:func:`confidence`): how many shown scored questions were answered "don't
  know" or left blank; above the questionnaire's ``provisional_above`` share the rung is
  provisional.

Thresholds (levels, conditions) are compared with a tolerance of ``EPSILON`` so that float
sums such as ``0.1 + 0.2`` do not miss a threshold they meet on paper.

Answers that do not fit their question (unknown option, out of range...) raise
:class:`~maturity.engine.answers.AnswerError`; keys that are not questions of the
questionnaire are ignored.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from .answers import AnswerError
from .definition import DONT_KNOW, AnswerValue, Questionnaire, Text, question_max_points

__all__ = [
    "ENGINE_VERSION",
    "EPSILON",
    "AreaResult",
    "ConditionCheck",
    "Confidence",
    "Contribution",
    "IncompleteAnswers",
    "Result",
    "RungCheck",
    "confidence",
    "display",
    "score",
    "visible_questions",
]

# Bump when a change to this module can change a result for the same content and answers.
ENGINE_VERSION = "1.1"
EPSILON = 1e-9


class IncompleteAnswers(ValueError):
    """Visible required questions have no answer; ``keys`` lists them in questionnaire order."""

    def __init__(self, keys: tuple[str, ...]):
        self.keys = keys
        super().__init__(f"missing answers to required question(s): {', '.join(keys)}")


def display(value: float) -> float:
    """A score rounded to one decimal: what results store and data exports carry."""
    return round(value + 0.0, 1)


def whole(value: float) -> int:
    """A score as every page and PDF shows it: a whole number, rounded half up from the
    one-decimal :func:`display` value (30.46 -> 30.5 -> 31), so that the radar, the cards,
    the tables and the PDF never disagree by one."""
    return int(Decimal(repr(display(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def whole_change(before: float, after: float) -> int:
    """A change between two scores as shown: the difference of the whole numbers shown
    (30.46 -> 41.4 is shown "31 -> 41", so the change is +10, not +11)."""
    return whole(after) - whole(before)


# --- result values -----------------------------------------------------------------------


class Contribution(NamedTuple):
    """What one question brings to its area (so the UI can say what raised or lowered it)."""

    question: str
    answer: AnswerValue | None  # None when hidden or unanswered
    points: float
    max_points: float  # counted in the area's maximum even when hidden
    visible: bool

    @property
    def missed(self) -> float:
        """Points the answer left on the table."""
        return self.max_points - self.points


class AreaResult(NamedTuple):
    key: str
    score: float  # 0..100, unrounded
    level: str  # level key
    earned: float
    maximum: float
    weight: float
    contributions: tuple[Contribution, ...]

    @property
    def display_score(self) -> float:
        return display(self.score)


class ConditionCheck(NamedTuple):
    kind: str  # "area_min" | "question_min"
    target: str  # the area or question key
    min: float
    actual: float  # the area score or the points earned on the question
    held: bool
    label: Text


class RungCheck(NamedTuple):
    number: int
    key: str
    title: Text
    requires_website: bool
    conditions: tuple[ConditionCheck, ...]
    held: bool  # its own conditions (and the website prerequisite if required) hold
    reached: bool  # held, and so did every rung below

    @property
    def failing(self) -> tuple[ConditionCheck, ...]:
        return tuple(c for c in self.conditions if not c.held)


class Result(NamedTuple):
    """The outcome of scoring one set of answers: immutable, comparable, serialisable."""

    engine_version: str
    questionnaire_version: str
    content_hash: str
    overall_score: float
    areas: tuple[AreaResult, ...]
    rung: int
    rungs: tuple[RungCheck, ...]
    website_prerequisite: tuple[ConditionCheck, ...]
    website_ok: bool
    profile: str | None = None  # the dealer profile the questionnaire was asked of

    @property
    def rung_check(self) -> RungCheck:
        return self.rungs[self.rung - 1]

    @property
    def next_rung(self) -> RungCheck | None:
        return self.rungs[self.rung] if self.rung < len(self.rungs) else None

    def area(self, key: str) -> AreaResult:
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)

    def contribution(self, question: str) -> Contribution:
        for area in self.areas:
            for contribution in area.contributions:
                if contribution.question == question:
                    return contribution
        raise KeyError(question)

    def points(self) -> dict[str, float]:
        """Points earned per scored question."""
        return {c.question: c.points for a in self.areas for c in a.contributions}

    def blockers(self, number: int | None = None) -> tuple[ConditionCheck, ...]:
        """Conditions that keep the dealer below rung ``number`` (default: the next rung).

        Failing conditions of that rung and of the rungs between, plus the failing website
        prerequisite conditions if one of those rungs requires the website.
        """
        number = self.rung + 1 if number is None else number
        failing: list[ConditionCheck] = []
        website = False
        for rung in self.rungs[self.rung : number]:
            failing.extend(rung.failing)
            website = website or rung.requires_website
        if website:
            failing.extend(c for c in self.website_prerequisite if not c.held)
        return tuple(failing)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable snapshot (floats unrounded)."""
        return {
            "engine_version": self.engine_version,
            "questionnaire_version": self.questionnaire_version,
            "content_hash": self.content_hash,
            "overall_score": self.overall_score,
            "rung": self.rung,
            "website_ok": self.website_ok,
            "profile": self.profile,
            "website_prerequisite": [_condition_dict(c) for c in self.website_prerequisite],
            "areas": [
                {
                    "key": a.key,
                    "score": a.score,
                    "level": a.level,
                    "earned": a.earned,
                    "maximum": a.maximum,
                    "weight": a.weight,
                    "contributions": [
                        {
                            "question": c.question,
                            "answer": list(c.answer) if isinstance(c.answer, tuple) else c.answer,
                            "points": c.points,
                            "max_points": c.max_points,
                            "visible": c.visible,
                        }
                        for c in a.contributions
                    ],
                }
                for a in self.areas
            ],
            "rungs": [
                {
                    "number": r.number,
                    "key": r.key,
                    "title": {"fr": r.title.fr, "en": r.title.en},
                    "requires_website": r.requires_website,
                    "held": r.held,
                    "reached": r.reached,
                    "conditions": [_condition_dict(c) for c in r.conditions],
                }
                for r in self.rungs
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        """Rebuild a result from :meth:`to_dict` output (e.g. a stored snapshot)."""
        return cls(
            engine_version=data["engine_version"],
            questionnaire_version=data["questionnaire_version"],
            content_hash=data["content_hash"],
            overall_score=data["overall_score"],
            areas=tuple(
                AreaResult(
                    key=a["key"],
                    score=a["score"],
                    level=a["level"],
                    earned=a["earned"],
                    maximum=a["maximum"],
                    weight=a["weight"],
                    contributions=tuple(
                        Contribution(
                            question=c["question"],
                            answer=c["answer"],
                            points=c["points"],
                            max_points=c["max_points"],
                            visible=c["visible"],
                        )
                        for c in a["contributions"]
                    ),
                )
                for a in data["areas"]
            ),
            rung=data["rung"],
            rungs=tuple(
                RungCheck(
                    number=r["number"],
                    key=r["key"],
                    title=Text(**r["title"]),
                    requires_website=r["requires_website"],
                    conditions=tuple(_condition_from(c) for c in r["conditions"]),
                    held=r["held"],
                    reached=r["reached"],
                )
                for r in data["rungs"]
            ),
            website_prerequisite=tuple(_condition_from(c) for c in data["website_prerequisite"]),
            website_ok=data["website_ok"],
            profile=data.get("profile"),
        )


def _condition_dict(c: ConditionCheck) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "target": c.target,
        "min": c.min,
        "actual": c.actual,
        "held": c.held,
        "label": {"fr": c.label.fr, "en": c.label.en},
    }


def _condition_from(c: Mapping[str, Any]) -> ConditionCheck:
    return ConditionCheck(
        kind=c["kind"],
        target=c["target"],
        min=c["min"],
        actual=c["actual"],
        held=c["held"],
        label=Text(**c["label"]),
    )


# --- the compiled plan -------------------------------------------------------------------

# tuple.__new__ builds a named tuple without the Python-level __new__ (3x faster).
_new = tuple.__new__

_CHOICE, _MULTI, _SCALE, _NUMBER, _FREE = range(5)
_KIND_CODES = {
    "single": _CHOICE,
    "yesno": _CHOICE,
    "multi": _MULTI,
    "scale": _SCALE,
    "number": _NUMBER,
    "text": _FREE,
    "url": _FREE,
}


class _Plan:
    """Per-questionnaire structures computed once, so scoring is a tight loop."""

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.version = questionnaire.version
        self.content_hash = questionnaire.content_hash
        self.profile = questionnaire.profile
        index: dict[str, int] = {}
        rows: list[tuple] = []
        hidden: list[Contribution] = []  # the contribution of each scored question when hidden
        blank: list[Contribution] = []  # ... when visible but unanswered (optional question)
        area_specs = []
        area_index = {a.key: i for i, a in enumerate(questionnaire.areas)}
        area_ranges = []
        for area in questionnaire.areas:
            start = len(hidden)
            first_row = len(rows)
            maximum = 0.0
            for q in area.questions:
                index[q.key] = len(rows)
                code = _KIND_CODES[q.kind]
                table: Any = None
                exclusive: frozenset[str] = frozenset()
                if code in (_CHOICE, _MULTI):
                    table = {o.key: float(o.points) for o in q.options}
                    exclusive = frozenset(o.key for o in q.options if o.exclusive)
                elif code == _SCALE:
                    assert q.scale is not None
                    table = (q.scale.min, q.scale.max, tuple(map(float, q.scale.points)))
                elif code == _NUMBER:
                    assert q.number is not None
                    spec = q.number
                    table = (
                        spec.min,
                        spec.max,
                        spec.integer,
                        tuple(b.at_least for b in spec.bands),
                        tuple(float(b.points) for b in spec.bands),
                    )
                trigger = -1
                reveal: frozenset[str] = frozenset()
                trigger_multi = False
                if q.show_if is not None:
                    trigger = index[q.show_if.question]
                    reveal = frozenset(q.show_if.any_of)
                    trigger_multi = rows[trigger][1] == _MULTI
                slot = -1
                max_points = float(question_max_points(q))
                if code != _FREE:
                    slot = len(hidden)
                    hidden.append(_new(Contribution, (q.key, None, 0.0, max_points, False)))
                    blank.append(_new(Contribution, (q.key, None, 0.0, max_points, True)))
                    maximum += max_points
                rows.append(
                    (
                        q.key,
                        code,
                        q.required,
                        q.allow_dont_know,
                        table,
                        exclusive,
                        trigger,
                        reveal,
                        trigger_multi,
                        slot,
                        max_points,
                    )
                )
            area_specs.append((area.key, float(area.weight), maximum, start, len(hidden)))
            area_ranges.append((first_row, len(rows), maximum))
        self.rows = tuple(rows)
        self.indexed_rows = tuple((i, *row) for i, row in enumerate(rows))
        self.index = index
        self.keys = tuple(r[0] for r in rows)
        self.max_points = tuple(r[10] for r in rows)
        self.hidden = tuple(hidden)
        self.blank = tuple(blank)
        self.area_specs = tuple(area_specs)
        self.area_ranges = tuple(area_ranges)
        self.area_keys = tuple(a.key for a in questionnaire.areas)
        self.weight_total = sum(spec[1] for spec in area_specs)
        self.levels = tuple((lv.min_score - EPSILON, lv.key) for lv in questionnaire.levels)

        def compile_condition(c: Any) -> tuple:
            if c.kind == "area_min":
                target_i, target = area_index[c.area], c.area
            else:
                target_i, target = index[c.question], c.question
            is_area = c.kind == "area_min"
            return (is_area, target_i, c.min, c.kind, target, c.label, c.min - EPSILON)

        self.prerequisite = tuple(compile_condition(c) for c in questionnaire.website_prerequisite)
        self.rungs = tuple(
            (
                r.number,
                r.key,
                r.title,
                r.requires_website,
                tuple(compile_condition(c) for c in r.conditions),
            )
            for r in questionnaire.rungs
        )

    # -- the hot path ---------------------------------------------------------------------

    def evaluate(self, answers: Mapping[str, Any]) -> tuple[list, list, list]:
        """``(points, values, contributions)``: points and counted value per question (0 and
        None when hidden), contributions per scored question in area order.

        Raises :class:`IncompleteAnswers` and :class:`AnswerError`.
        """
        n = len(self.rows)
        points = [0.0] * n
        values: list[Any] = [None] * n
        contributions = list(self.hidden)
        missing: list[str] = []
        get = answers.get
        blank = self.blank
        for (
            i,
            key,
            code,
            required,
            dont_know,
            table,
            exclusive,
            trigger,
            reveal,
            tmulti,
            slot,
            top,
        ) in self.indexed_rows:
            if trigger >= 0:
                shown = values[trigger]  # None when hidden or unanswered
                if shown is None:
                    continue
                if tmulti:
                    if reveal.isdisjoint(shown):
                        continue
                elif shown not in reveal:
                    continue
            value = get(key)
            if not value and (value is None or value == "" or value == []):
                if required:
                    missing.append(key)
                if slot >= 0:
                    contributions[slot] = blank[slot]
                continue
            if code == _CHOICE:
                p = table.get(value) if type(value) is str else None
                if p is None:
                    if value == DONT_KNOW and dont_know:
                        p = 0.0
                    else:
                        raise AnswerError(
                            key, "unknown_option", f"{value!r} is not an option of the question"
                        )
            elif code == _MULTI:
                p = _multi_points(key, value, table, exclusive, dont_know)
            elif code == _SCALE:
                p = _scale_points(key, value, table, dont_know)
            elif code == _NUMBER:
                p = _number_points(key, value, table, dont_know)
            else:
                values[i] = value
                continue
            values[i] = value
            points[i] = p
            contributions[slot] = _new(Contribution, (key, value, p, top, True))
        if missing:
            raise IncompleteAnswers(tuple(missing))
        return points, values, contributions

    def area_scores(self, points: list) -> list[float]:
        """Area scores from per-question points (scored questions of an area are contiguous
        in ``points`` apart from text/url questions, which always have 0 points)."""
        return [100.0 * sum(points[s:e]) / m for s, e, m in self.area_ranges]

    def rung_of(self, points: list, scores: list[float]) -> int:
        """The rung only (no checks built): used by the suggestion search."""
        website_ok = True
        for is_area, t, _m, _kind, _target, _label, m_eps in self.prerequisite:
            if (scores[t] if is_area else points[t]) < m_eps:
                website_ok = False
                break
        reached = 0
        for number, _key, _title, needs_website, conditions in self.rungs:
            if needs_website and not website_ok:
                break
            for is_area, t, _m, _kind, _target, _label, m_eps in conditions:
                if (scores[t] if is_area else points[t]) < m_eps:
                    return reached
            reached = number
        return reached

    def result(self, answers: Mapping[str, Any]) -> Result:
        _points, _values, contributions = self.evaluate(answers)
        return self.build(_points, contributions)

    def build(self, points: list, contributions: list) -> Result:
        new = _new
        areas = []
        scores = []
        total = 0.0
        levels = self.levels
        for area_key, weight, maximum, start, end in self.area_specs:
            own = tuple(contributions[start:end])
            earned = 0.0
            for c in own:
                earned += c[2]
            area_score = 100.0 * earned / maximum
            scores.append(area_score)
            total += weight * area_score
            level = levels[0][1]
            for min_score, level_key in levels:
                if area_score >= min_score:
                    level = level_key
                else:
                    break
            areas.append(
                new(AreaResult, (area_key, area_score, level, earned, maximum, weight, own))
            )
        prerequisite = tuple(
            [
                new(ConditionCheck, (kind, target, m, actual, actual >= m_eps, label))
                for is_area, t, m, kind, target, label, m_eps in self.prerequisite
                for actual in ((scores[t] if is_area else points[t]),)
            ]
        )
        website_ok = all([c[4] for c in prerequisite])
        rung_checks = []
        rung = 0
        below = True
        for number, key, title, needs_website, conditions in self.rungs:
            checks = tuple(
                [
                    new(ConditionCheck, (kind, target, m, actual, actual >= m_eps, label))
                    for is_area, t, m, kind, target, label, m_eps in conditions
                    for actual in ((scores[t] if is_area else points[t]),)
                ]
            )
            held = all([c[4] for c in checks]) and (website_ok or not needs_website)
            below = below and held
            if below:
                rung = number
            rung_checks.append(
                new(RungCheck, (number, key, title, needs_website, checks, held, below))
            )
        return new(
            Result,
            (
                ENGINE_VERSION,
                self.version,
                self.content_hash,
                total / self.weight_total,
                tuple(areas),
                rung,
                tuple(rung_checks),
                prerequisite,
                website_ok,
                self.profile,
            ),
        )


def _multi_points(
    key: str, value: Any, table: dict, exclusive: frozenset, dont_know: bool
) -> float:
    if type(value) not in (list, tuple):
        raise AnswerError(key, "wrong_type", f"expected a list of option keys, got {value!r}")
    if len(value) == 1 and value[0] == DONT_KNOW and dont_know:
        return 0.0
    total = 0.0
    for option in value:
        p = table.get(option) if type(option) is str else None
        if p is None:
            raise AnswerError(key, "unknown_option", f"{option!r} is not an option of the question")
        total += p
    if len(value) > 1:
        if len(set(value)) != len(value):
            raise AnswerError(key, "duplicate", "an option is chosen twice")
        if exclusive and not exclusive.isdisjoint(value):
            raise AnswerError(key, "exclusive", "an exclusive option is combined with others")
    return total


def _scale_points(key: str, value: Any, table: tuple, dont_know: bool) -> float:
    low, high, table_points = table
    if type(value) is int and low <= value <= high:
        return table_points[value - low]
    if value == DONT_KNOW and dont_know:
        return 0.0
    if type(value) is float and value.is_integer() and low <= value <= high:
        return table_points[int(value) - low]
    if type(value) not in (int, float):
        raise AnswerError(key, "wrong_type", f"expected a whole number, got {value!r}")
    raise AnswerError(key, "out_of_range", f"{value!r} is not a whole number in {low}..{high}")


def _number_points(key: str, value: Any, table: tuple, dont_know: bool) -> float:
    if value == DONT_KNOW and dont_know:
        return 0.0
    low, high, integer, ats, band_points = table
    if type(value) not in (int, float) or not math.isfinite(value):
        raise AnswerError(key, "not_a_number", f"{value!r} is not a number")
    if not low <= value <= high:
        raise AnswerError(key, "out_of_range", f"{value!r} is outside {low:g}..{high:g}")
    if integer and value != int(value):
        raise AnswerError(key, "not_integer", f"{value!r} is not a whole number")
    b = bisect_right(ats, value)
    return band_points[b - 1] if b else 0.0


_PLANS_BY_ID: dict[int, tuple[Questionnaire, _Plan]] = {}
_PLANS_BY_HASH: dict[tuple[str, str], tuple[Questionnaire, _Plan]] = {}
_CACHE_SIZE = 32


def plan_for(questionnaire: Questionnaire) -> _Plan:
    """The compiled plan of ``questionnaire`` (cached by identity, then by content hash
    and profile)."""
    entry = _PLANS_BY_ID.get(id(questionnaire))
    if entry is not None and entry[0] is questionnaire:
        return entry[1]
    key = (questionnaire.content_hash, questionnaire.profile)
    entry = _PLANS_BY_HASH.get(key)
    if entry is None or entry[0] != questionnaire:
        entry = (questionnaire, _Plan(questionnaire))
        if len(_PLANS_BY_HASH) >= _CACHE_SIZE:
            _PLANS_BY_HASH.clear()
        _PLANS_BY_HASH[key] = entry
    if len(_PLANS_BY_ID) >= _CACHE_SIZE:
        _PLANS_BY_ID.clear()
    _PLANS_BY_ID[id(questionnaire)] = (questionnaire, entry[1])
    return entry[1]


def score(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Result:
    """Score ``answers`` (question key -> value) with the rules of ``questionnaire``.

    Raises :class:`IncompleteAnswers` when visible required questions are unanswered and
    :class:`~maturity.engine.answers.AnswerError` when an answer does not fit its question.
    """
    return plan_for(questionnaire).result(answers)


class Confidence(NamedTuple):
    """How much of a result rests on what the dealer did not know."""

    unknown: int  # shown scored questions answered "don't know" or left blank
    total: int  # shown scored questions
    provisional: bool  # the unknown share is above the questionnaire's threshold
    # The unknown questions with the most points of the overall score at stake, first.
    find_out_first: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.unknown / self.total if self.total else 0.0


FIND_OUT_FIRST = 3


def confidence(questionnaire: Questionnaire, result: Result) -> Confidence:
    """Count the shown scored questions answered "don't know" or left blank.

    The rung is provisional when their share is above ``questionnaire.provisional_above``;
    ``find_out_first`` lists (at most three of) them by the points of the overall score at
    stake, the biggest first.
    """
    weight_total = sum(a.weight for a in result.areas) or 1.0
    stakes: list[tuple[float, int, str]] = []
    total = 0
    order = 0
    for area in result.areas:
        for c in area.contributions:
            if not c.visible:
                continue
            total += 1
            order += 1
            if c.answer is None or c.answer == DONT_KNOW or c.answer == [DONT_KNOW]:
                share = area.weight * c.max_points / area.maximum if area.maximum else 0.0
                stakes.append((-share / weight_total, order, c.question))
    unknown = len(stakes)
    provisional = bool(total) and unknown / total > questionnaire.provisional_above + EPSILON
    first = tuple(key for _s, _o, key in sorted(stakes)[:FIND_OUT_FIRST])
    return Confidence(unknown=unknown, total=total, provisional=provisional, find_out_first=first)


def visible_questions(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    """Keys of the questions shown for these answers, in order (answers may be partial).

    Invalid answers are not checked here; the wizard validates each answer on its own.
    """
    plan = plan_for(questionnaire)
    shown: list[str] = []
    visible = [False] * len(plan.rows)
    for i, row in enumerate(plan.rows):
        key, trigger, reveal, tmulti = row[0], row[6], row[7], row[8]
        if trigger >= 0:
            if not visible[trigger]:
                continue
            value = answers.get(plan.keys[trigger])
            if value is None:
                continue
            if tmulti:
                if not isinstance(value, (list, tuple)) or reveal.isdisjoint(value):
                    continue
            elif not isinstance(value, str) or value not in reveal:
                continue
        visible[i] = True
        shown.append(key)
    return shown
