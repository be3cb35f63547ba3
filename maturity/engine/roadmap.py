"""The roadmap: catalogue actions that close the dealer's open gaps, a quarter at a time.

A dealer principal acts on three to five things at a time (DOMAIN.md, "A roadmap fits in a
quarter"): each horizon holds at most its capacity of actions still to do (set in the
catalogue file), the rest waits in a **backlog** ("later"), pulled forward as actions are
done. Deterministic rules:

1. Candidates: the actions of the catalogue as it applies to the dealer profile, with an
   open gap (any ``closes`` item holds: points on the question, 0 when hidden, or the
   area score below ``below``) and not excluded (no ``not_if`` holds: "build on what
   exists"; answers to hidden questions never match).
2. Tier: 0 when the action works on a failing website prerequisite condition (the website
   comes first, fact 2); else ``t - rung`` for the lowest rung ``t`` above the current one
   whose failing condition it works on (for rungs 3..5 the website prerequisite counts
   too); else it only closes gaps ("further"). An action works on a condition when one of
   its open gaps is on the condition's question, on its area, or on a question of its area.
   A prerequisite takes the best tier of the actions that need it.
3. ``requires``: a required action that is a candidate comes first (same horizon or an
   earlier one); one that is not (its gap is closed, it does not apply, it already exists)
   counts as done. ``supersedes``: an action never sits in the horizon of an action it
   supersedes, only after it (evolution, not revolution).
4. The way to the next rung: a small set of candidates (closed under ``requires``) whose
   outcomes, applied to the answers, reach the next rung (the outcome of an action is its
   catalogue ``outcome``, else for each of its question gaps the least answer closing it;
   a multi-choice gap adds the best-ranked options first). Found greedily, condition by
   condition, then pruned; checked by scoring.
5. Order of placement: the way to the next rung first (quick wins first, ``requires``
   first), then tier, quick wins, impact (high first), effort (small first), area order,
   catalogue order. Horizons are filled in turn: an action joins the current horizon
   when what it requires is placed and what it supersedes sits in an earlier horizon,
   while the horizon holds fewer open actions than its capacity (actions marked done keep
   their place without taking any). What is left is the backlog, in the same order. So
   no horizon is empty while a later one holds actions.
6. The suggestion: the actions of the way to the next rung that sit in the first horizon.
7. At the top rung: maintenance advice (keep the KPI review rhythm, re-assess, the
   weakest area's next gain) instead of an empty plan.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .answers import answer_points, lowest_answer, ranked_answers
from .catalogue import Action, Catalogue, Gap
from .definition import DONT_KNOW, Question, Questionnaire, Text
from .scoring import EPSILON, ConditionCheck, IncompleteAnswers, Result, plan_for

__all__ = [
    "BACKLOG",
    "HORIZONS",
    "Maintenance",
    "Roadmap",
    "RoadmapItem",
    "action_effect",
    "actions_outcome",
    "build_roadmap",
]

HORIZONS = ("0-3", "3-6", "6-12")
BACKLOG = "later"  # the horizon of a backlog item
_IMPACT_RANK = {"high": 0, "medium": 1, "low": 2}
_EFFORT_RANK = {"small": 0, "medium": 1, "large": 2}
FURTHER = 99  # tier of an action that only closes gaps


@dataclass(frozen=True, slots=True)
class RoadmapItem:
    action: Action
    horizon: str  # one of HORIZONS, or BACKLOG
    tier: int  # 0: website foundation, 1: next rung, 2: the rung after... FURTHER: gaps only
    target_rung: int | None  # the rung it helps reach (None: it only closes gaps)
    conditions: tuple[ConditionCheck, ...]  # failing conditions it works on
    gaps: tuple[Gap, ...]  # its open gaps
    required_by: tuple[str, ...]  # keys of actions of the same list that need this one first
    quick_win: bool
    website_foundation: bool  # works on the failing website prerequisite
    next_rung: bool = False  # on the way to the next rung
    done: bool = False  # marked done by the dealer (it takes no room in its horizon)

    @property
    def key(self) -> str:
        return self.action.key

    def reasons(
        self,
        questionnaire: Questionnaire,
        language: str = "fr",
        titles: Mapping[str, Text] | None = None,
    ) -> list[str]:
        """Why this action, in plain words (``titles``: action titles by key, to name the
        actions that need this one; :meth:`Roadmap.reasons` passes them)."""
        en = language == "en"
        out: list[str] = []
        for condition in self.conditions:
            out.append(condition.label.get(language))
        if not out:
            for gap in self.gaps:
                if gap.question:
                    text = questionnaire.question(gap.question).text.get(language)
                    out.append(f"Improves: {text}" if en else f"Améliore\u202f: {text}")
                else:
                    title = questionnaire.area(gap.area or "").title.get(language)
                    out.append(f"Raises the {title} score" if en else f"Relève le score {title}")
        if self.required_by:
            keys = ", ".join(
                titles[k].get(language) if titles and k in titles else k for k in self.required_by
            )
            out.append(f"Needed first for: {keys}" if en else f"À faire avant\u202f: {keys}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action.key,
            "horizon": self.horizon,
            "tier": self.tier,
            "target_rung": self.target_rung,
            "conditions": [
                {"kind": c.kind, "target": c.target, "min": c.min, "actual": c.actual}
                for c in self.conditions
            ],
            "gaps": [{"question": g.question, "area": g.area, "below": g.below} for g in self.gaps],
            "required_by": list(self.required_by),
            "quick_win": self.quick_win,
            "website_foundation": self.website_foundation,
            "next_rung": self.next_rung,
            "done": self.done,
        }


@dataclass(frozen=True, slots=True)
class Maintenance:
    """One piece of advice for staying at the top rung.

    ``key`` is ``kpi_review``, ``reassess`` or ``weakest_area``. ``question`` is the
    question the advice is about and ``current`` the dealer's answer to it. For the
    weakest area, ``area`` and ``score`` say which, and the next gain is ``action`` (a
    roadmap action of that area) or ``question`` raised to ``answer``.
    """

    key: str
    title: Text
    why: Text
    area: str | None = None
    score: float | None = None
    action: str | None = None
    question: str | None = None
    current: Any = None
    answer: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "area": self.area,
            "score": self.score,
            "action": self.action,
            "question": self.question,
            "current": self.current,
            "answer": self.answer,
        }


@dataclass(frozen=True, slots=True)
class Roadmap:
    rung: int
    items: tuple[RoadmapItem, ...]  # the planned actions, horizon by horizon, in order
    catalogue_version: str
    catalogue_hash: str
    backlog: tuple[RoadmapItem, ...] = ()  # what waits for a later quarter, in order
    suggestion: tuple[str, ...] = ()  # keys: the way to the next rung, first horizon part
    next_rung_keys: tuple[str, ...] = ()  # keys: the whole way to the next rung
    maintenance: tuple[Maintenance, ...] = ()  # at the top rung
    capacities: tuple[int, ...] = ()  # per horizon, as in the catalogue

    def reasons(
        self, item: RoadmapItem, questionnaire: Questionnaire, language: str = "fr"
    ) -> list[str]:
        """Why ``item`` is on the roadmap, in plain words."""
        titles = {i.action.key: i.action.title for i in (*self.items, *self.backlog)}
        return item.reasons(questionnaire, language, titles)

    def horizon(self, name: str) -> tuple[RoadmapItem, ...]:
        if name == BACKLOG:
            return self.backlog
        return tuple(item for item in self.items if item.horizon == name)

    @property
    def horizons(self) -> dict[str, tuple[RoadmapItem, ...]]:
        return {name: self.horizon(name) for name in HORIZONS}

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.action.key for item in self.items)

    @property
    def backlog_keys(self) -> tuple[str, ...]:
        return tuple(item.action.key for item in self.backlog)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rung": self.rung,
            "catalogue_version": self.catalogue_version,
            "catalogue_hash": self.catalogue_hash,
            "capacities": list(self.capacities),
            "items": [item.to_dict() for item in self.items],
            "backlog": [item.to_dict() for item in self.backlog],
            "suggestion": list(self.suggestion),
            "next_rung": list(self.next_rung_keys),
            "maintenance": [m.to_dict() for m in self.maintenance],
        }


def build_roadmap(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    result: Result,
    catalogue: Catalogue,
    *,
    done: Iterable[str] = (),
) -> Roadmap:
    """The roadmap for a scored assessment (``result = score(questionnaire, answers)``).

    ``questionnaire`` is the one asked of the dealer's profile; the catalogue is applied
    to it. Gaps and exclusions are read from ``result`` (points and answers of visible
    questions), so answers to hidden questions never count; ``answers`` is accepted for
    symmetry. ``done``: keys of actions the dealer marked done; they keep their place but
    take no room in their horizon, so the backlog moves up.
    """
    del answers  # the result already carries the visible answers
    if catalogue.questionnaire_hash != questionnaire.content_hash:
        raise ValueError("the catalogue was checked against another questionnaire version")
    if result.content_hash != questionnaire.content_hash:
        raise ValueError("the result was scored with another questionnaire version")
    catalogue = catalogue.for_questionnaire(questionnaire)
    done_keys = frozenset(done)
    points: dict[str, float] = {}
    visible_answers: dict[str, Any] = {}
    question_area: dict[str, str] = {}
    for area in result.areas:
        for c in area.contributions:
            points[c.question] = c.points
            visible_answers[c.question] = c.answer
            question_area[c.question] = area.key
    area_scores = {a.key: a.score for a in result.areas}

    def gap_open(gap: Gap) -> bool:
        if gap.question and gap.question not in points:
            return False  # a question this result does not know (scored for another profile)
        actual = points[gap.question] if gap.question else area_scores[gap.area or ""]
        return actual < gap.below - EPSILON

    def excluded(action: Action) -> bool:
        for exclusion in action.not_if:
            value = visible_answers.get(exclusion.question)
            if value is None:
                continue
            chosen = value if isinstance(value, list) else [value]
            if any(v in exclusion.answer_in for v in chosen):
                return True
        return False

    candidates: dict[str, tuple[Action, tuple[Gap, ...]]] = {}
    for action in catalogue.actions:
        gaps = tuple(g for g in action.closes if gap_open(g))
        if gaps and not excluded(action):
            candidates[action.key] = (action, gaps)

    # Failing conditions, by the tier they belong to.
    tiered: list[tuple[int, int | None, ConditionCheck]] = []
    if not result.website_ok:
        tiered += [(0, None, c) for c in result.website_prerequisite if not c.held]
    for rung in result.rungs[result.rung :]:
        tier = rung.number - result.rung
        tiered += [(tier, rung.number, c) for c in rung.failing]
        if rung.requires_website and not result.website_ok:
            tiered += [(tier, rung.number, c) for c in result.website_prerequisite if not c.held]

    # Index the failing conditions by what they are about.
    by_question: dict[str, list[int]] = {}
    by_area: dict[str, list[int]] = {}
    for n, (_t, _rung, condition) in enumerate(tiered):
        index = by_question if condition.kind == "question_min" else by_area
        index.setdefault(condition.target, []).append(n)

    tier: dict[str, int] = {}
    target: dict[str, int | None] = {}
    served: dict[str, list[ConditionCheck]] = {}
    foundation: dict[str, bool] = {}
    for key, (_action, gaps) in candidates.items():
        tier[key], target[key], served[key], foundation[key] = FURTHER, None, [], False
        related: set[int] = set()
        for gap in gaps:
            if gap.question:
                related.update(by_question.get(gap.question, ()))
                related.update(by_area.get(question_area[gap.question], ()))
            else:
                related.update(by_area.get(gap.area or "", ()))
        for n in sorted(related):
            t, rung_number, condition = tiered[n]
            if not any(c is condition for c in served[key]):
                served[key].append(condition)
            if t < tier[key]:
                tier[key] = t
                # the website opens rung 3 (the first rung that requires it)
                target[key] = rung_number if t else 3
            if t == 0:
                foundation[key] = True

    # Only candidate prerequisites matter; others count as done.
    requires = {
        key: tuple(r for r in action.requires if r in candidates)
        for key, (action, _gaps) in candidates.items()
    }
    supersedes = {
        key: tuple(r for r in action.supersedes if r in candidates)
        for key, (action, _gaps) in candidates.items()
    }
    order_index = {a.key: i for i, a in enumerate(catalogue.actions)}
    area_index = {a.key: i for i, a in enumerate(questionnaire.areas)}

    # A prerequisite takes the best tier of what needs it (fixed point over the DAG).
    changed = True
    while changed:
        changed = False
        for key, reqs in requires.items():
            for r in reqs:
                if tier[key] < tier[r]:
                    tier[r] = tier[key]
                    target[r] = target[key]
                    changed = True

    def rank(key: str) -> tuple:
        action = candidates[key][0]
        return (
            tier[key],
            0 if action.quick_win else 1,
            _IMPACT_RANK[action.impact],
            _EFFORT_RANK[action.effort],
            area_index.get(action.area, 99),
            order_index[key],
        )

    way: tuple[str, ...] = ()
    if result.rung < len(result.rungs) and candidates:
        way = _NextRung(questionnaire, result, candidates, requires, tier, rank).run()
    on_way = set(way)

    def priority(key: str) -> tuple:
        return (0 if key in on_way else 1, *rank(key))

    placed: dict[str, int] = {}  # key -> horizon index (len(HORIZONS): the backlog)
    sequence: list[str] = []
    remaining = set(candidates)
    capacities = tuple(catalogue.capacity(h) for h in HORIZONS)
    for h, capacity in enumerate(capacities):
        load = 0
        while remaining and load < capacity:
            ready = [
                k
                for k in remaining
                if all(r in placed for r in requires[k])
                and all(placed.get(s, h) < h for s in supersedes[k])
            ]
            if not ready:
                break
            key = min(ready, key=priority)
            placed[key] = h
            sequence.append(key)
            remaining.discard(key)
            if key not in done_keys:
                load += 1
    rest = {k: (action, ()) for k, (action, _g) in candidates.items() if k in remaining}
    backlog_order = _topological(rest, {k: requires[k] + supersedes[k] for k in rest}, priority)
    for key in backlog_order:
        placed[key] = len(HORIZONS)
    sequence += backlog_order

    def make(key: str, dependents: list[str]) -> RoadmapItem:
        action, gaps = candidates[key]
        h = placed[key]
        return RoadmapItem(
            action=action,
            horizon=HORIZONS[h] if h < len(HORIZONS) else BACKLOG,
            tier=tier[key],
            target_rung=target[key],
            conditions=tuple(served[key]),
            gaps=gaps,
            required_by=tuple(dependents),
            quick_win=action.quick_win,
            website_foundation=foundation[key],
            next_rung=key in on_way,
            done=key in done_keys,
        )

    planned = [k for k in sequence if placed[k] < len(HORIZONS)]
    later = [k for k in sequence if placed[k] == len(HORIZONS)]

    def built(keys: list[str]) -> tuple[RoadmapItem, ...]:
        members = set(keys)
        return tuple(make(k, [d for d in keys if d in members and k in requires[d]]) for k in keys)

    first = {k for k in planned if placed[k] == 0}
    maintenance: tuple[Maintenance, ...] = ()
    if result.rung >= len(result.rungs):
        maintenance = _maintenance(questionnaire, result, catalogue, sequence, candidates)
    return Roadmap(
        rung=result.rung,
        items=built(planned),
        catalogue_version=catalogue.version,
        catalogue_hash=catalogue.content_hash,
        backlog=built(later),
        suggestion=tuple(k for k in sequence if k in on_way and k in first),
        next_rung_keys=tuple(k for k in sequence if k in on_way),
        maintenance=maintenance,
        capacities=capacities,
    )


# --- outcomes ----------------------------------------------------------------------------


def _chosen(value: Any) -> list[str]:
    if not isinstance(value, list) or value == [DONT_KNOW]:
        return []
    return list(value)


def _gap_answer(question: Question, current: Any, below: float) -> Any:
    """The least answer to ``question`` that earns ``below`` points (multi: the current
    choice plus the best-ranked options); ``None`` if none does."""
    if question.kind == "multi":
        keep = [k for k in _chosen(current) if not (o := question.option(k)) or not o.exclusive]
        extra = sorted(
            (o for o in question.options if not o.exclusive and o.key not in keep),
            key=lambda o: -o.points,
        )
        chosen = list(keep)
        for option in extra:
            value = [o.key for o in question.options if o.key in chosen]
            if value and answer_points(question, value) >= below - EPSILON:
                return value
            chosen.append(option.key)
        value = [o.key for o in question.options if o.key in chosen]
        return value if answer_points(question, value) >= below - EPSILON else None
    for value in ranked_answers(question):
        if answer_points(question, value) >= below - EPSILON:
            return value
    return None


def action_effect(
    action: Action, questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """The answers ``action`` leads to, from ``answers``: its catalogue ``outcome``, else
    for each question gap the least answer closing it. Never lowers an answer; a
    multi-choice outcome adds to what is chosen."""
    targets: dict[str, Any] = dict(action.outcome_answers())
    for gap in action.closes:
        if (
            gap.question
            and gap.question not in targets
            and questionnaire.has_question(gap.question)
        ):
            question = questionnaire.question(gap.question)
            value = _gap_answer(question, answers.get(gap.question), gap.below)
            if value is not None:
                targets[gap.question] = value
    effect: dict[str, Any] = {}
    for key, value in targets.items():
        if not questionnaire.has_question(key):
            continue
        question = questionnaire.question(key)
        current = answers.get(key)
        if question.kind == "multi":
            merged = set(value)
            if not any(question.option(k) and question.option(k).exclusive for k in value):
                merged |= {
                    k
                    for k in _chosen(current)
                    if not question.option(k).exclusive  # type: ignore[union-attr]
                }
            value = [o.key for o in question.options if o.key in merged]
            if value != current and answer_points(question, value) >= answer_points(
                question, current
            ):
                effect[key] = value
        elif current is None or answer_points(question, value) > answer_points(question, current):
            effect[key] = value
    return effect


def actions_outcome(
    questionnaire: Questionnaire, result: Result, catalogue: Catalogue, keys: Iterable[str]
) -> tuple[int, tuple[tuple[str, tuple[tuple[str, Any, Any], ...]], ...]]:
    """What doing the actions ``keys``, in that order, changes: ``(rung reached, changes)``.

    ``changes`` lists, per action, the answers it changes as ``(question, before, after)``
    (a question shown only once an earlier action is done has ``before = None``). The
    rung is scored with the lowest answer to every newly shown required question.
    """
    catalogue = catalogue.for_questionnaire(questionnaire)
    answers: dict[str, Any] = {
        c.question: c.answer for a in result.areas for c in a.contributions if c.answer is not None
    }
    out = []
    for key in keys:
        effect = action_effect(catalogue.action(key), questionnaire, answers)
        out.append((key, tuple((q, answers.get(q), v) for q, v in effect.items())))
        answers.update(effect)
    return _completed_rung(questionnaire, answers), tuple(out)


def _completed_rung(questionnaire: Questionnaire, answers: dict[str, Any]) -> int:
    plan = plan_for(questionnaire)
    for _ in range(len(plan.rows) + 1):
        try:
            points, _values, _c = plan.evaluate(answers)
        except IncompleteAnswers as missing:
            for key in missing.keys:
                answers[key] = lowest_answer(questionnaire.question(key))
            continue
        return plan.rung_of(points, plan.area_scores(points))
    return 0  # pragma: no cover - each pass answers at least one more question


class _NextRung:
    """A small set of candidate actions whose outcomes reach the next rung."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        result: Result,
        candidates: Mapping[str, tuple[Action, tuple[Gap, ...]]],
        requires: Mapping[str, tuple[str, ...]],
        tier: Mapping[str, int],
        rank: Any,
    ) -> None:
        self.q = questionnaire
        self.plan = plan_for(questionnaire)
        self.target = result.rung + 1
        self.candidates = candidates
        self.requires = requires
        self.rank = rank
        self.pool = sorted((k for k in candidates if tier[k] <= 1), key=rank)
        self.base = {
            c.question: c.answer
            for a in result.areas
            for c in a.contributions
            if c.answer is not None
        }
        self.memo: dict[frozenset[str], tuple[int, list, list[float]]] = {}

    def closure(self, keys: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        stack = list(keys)
        while stack:
            key = stack.pop()
            if key not in out:
                out.add(key)
                stack.extend(self.requires[key])
        return frozenset(out)

    def evaluate(self, keys: frozenset[str]) -> tuple[int, list, list[float]]:
        """``(rung, points, area scores)`` once the actions' outcomes are applied (newly
        shown required questions get their lowest answer)."""
        cached = self.memo.get(keys)
        if cached is not None:
            return cached
        answers = dict(self.base)
        for key in sorted(keys, key=self.rank):
            answers.update(action_effect(self.candidates[key][0], self.q, answers))
        for _ in range(len(self.plan.rows) + 1):
            try:
                points, _values, _c = self.plan.evaluate(answers)
            except IncompleteAnswers as missing:
                for key in missing.keys:
                    answers[key] = lowest_answer(self.q.question(key))
                continue
            scores = self.plan.area_scores(points)
            cached = (self.plan.rung_of(points, scores), points, scores)
            break
        else:  # pragma: no cover - each pass answers at least one more question
            cached = (0, [], [])
        self.memo[keys] = cached
        return cached

    def failing(self, points: list, scores: list[float]) -> list[tuple]:
        website = False
        out = []
        for _n, _k, _t, needs_website, conditions in self.plan.rungs[: self.target]:
            website = website or needs_website
            out += [c for c in conditions if (scores[c[1]] if c[0] else points[c[1]]) < c[6]]
        if website:
            prerequisite = [
                c for c in self.plan.prerequisite if (scores[c[1]] if c[0] else points[c[1]]) < c[6]
            ]
            out = prerequisite + out
        return out

    def run(self) -> tuple[str, ...]:
        chosen: frozenset[str] = frozenset()
        for _ in range(len(self.pool) + 1):
            rung, points, scores = self.evaluate(chosen)
            if rung >= self.target:
                break
            step = None
            for condition in self.failing(points, scores):
                step = self.best_step(chosen, condition, points, scores)
                if step is not None:
                    break
            if step is None:
                break  # the catalogue cannot close what is left: keep what helps
            chosen = step
        if self.evaluate(chosen)[0] >= self.target:
            chosen = self.prune(chosen)
        return tuple(sorted(chosen, key=self.rank))

    def best_step(
        self, chosen: frozenset[str], condition: tuple, points: list, scores: list[float]
    ) -> frozenset[str] | None:
        is_area, index, minimum = condition[0], condition[1], condition[2]
        before = scores[index] if is_area else points[index]
        best: tuple | None = None
        for key in self.pool:
            if key in chosen:
                continue
            trial = chosen | self.closure([key])
            _rung, after_points, after_scores = self.evaluate(trial)
            after = after_scores[index] if is_area else after_points[index]
            gain = min(after, minimum) - before
            if gain <= EPSILON:
                continue
            cost = len(trial) - len(chosen)
            score = (-gain / cost, cost, self.rank(key))
            if best is None or score < best[0]:
                best = (score, trial)
        return best[1] if best else None

    def prune(self, chosen: frozenset[str]) -> frozenset[str]:
        for key in sorted(chosen, key=self.rank, reverse=True):
            if key not in chosen:
                continue
            needed_by = [k for k in chosen if key in self.closure(self.requires[k])]
            trial = self.closure(k for k in chosen if k != key and k not in needed_by)
            if len(trial) < len(chosen) and self.evaluate(trial)[0] >= self.target:
                chosen = trial
        return chosen


# --- maintenance -------------------------------------------------------------------------


def _maintenance(
    questionnaire: Questionnaire,
    result: Result,
    catalogue: Catalogue,
    sequence: list[str],
    candidates: Mapping[str, tuple[Action, tuple[Gap, ...]]],
) -> tuple[Maintenance, ...]:
    answers = {c.question: c.answer for a in result.areas for c in a.contributions if c.visible}
    out: list[Maintenance] = []
    for key in ("kpi_review", "reassess"):
        advice = catalogue.advice(key)
        if advice is not None:
            question = advice.question if advice.question in answers else None
            out.append(
                Maintenance(
                    key=key,
                    title=advice.title,
                    why=advice.why,
                    question=question,
                    current=answers.get(question) if question else None,
                )
            )
    advice = catalogue.advice("weakest_area")
    if advice is None:
        return tuple(out)
    weakest = min(result.areas, key=lambda a: a.score)  # first of equals: area order
    if weakest.score >= 100 - EPSILON:
        return tuple(out)
    action = next((k for k in sequence if candidates[k][0].area == weakest.key), None)
    question = answer = current = None
    if action is None:
        missed = [c for c in weakest.contributions if c.visible and c.missed > EPSILON]
        if missed:
            top = max(missed, key=lambda c: c.missed)  # first of equals: questionnaire order
            question, current = top.question, top.answer
            answer = ranked_answers(questionnaire.question(question))[-1]
    if action is None and question is None:
        return tuple(out)
    out.append(
        Maintenance(
            key="weakest_area",
            title=advice.title,
            why=advice.why,
            area=weakest.key,
            score=weakest.score,
            action=action,
            question=question,
            current=current,
            answer=answer,
        )
    )
    return tuple(out)


def _topological(candidates: Mapping[str, Any], requires: Mapping[str, tuple[str, ...]], key_fn):
    """Kahn's algorithm, taking the ready action with the smallest ``key_fn`` first; a
    requirement outside ``candidates`` is already placed."""
    waiting = {key: sum(1 for r in reqs if r in candidates) for key, reqs in requires.items()}
    dependents: dict[str, list[str]] = {key: [] for key in candidates}
    for key, reqs in requires.items():
        for r in reqs:
            if r in candidates:
                dependents[r].append(key)
    ready = [(key_fn(key), key) for key, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        _priority, key = heapq.heappop(ready)
        out.append(key)
        for dependent in dependents[key]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, (key_fn(dependent), dependent))
    assert len(out) == len(candidates), "requires form a cycle (the catalogue check prevents it)"
    return out
