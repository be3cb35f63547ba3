"""The roadmap: catalogue actions that close the dealer's open gaps, in a sound order.

Deterministic rules:

1. Candidates: actions with an open gap (any ``closes`` item holds: points on the question,
   0 when hidden, or the area score below ``below``) that are not excluded (no ``not_if``
   holds: "build on what exists"; answers to hidden questions never match).
2. Tier: 0 when the action works on a failing website prerequisite condition (the website
   comes first, fact 2); else ``t - rung`` for the lowest rung ``t`` above the current one
   whose failing condition it works on (for rungs 3..5 the website prerequisite counts
   too); else it only closes gaps ("further"). An action works on a condition when one of
   its open gaps is on the condition's question, on its area, or on a question of its area.
   A prerequisite takes the best tier of the actions that need it.
3. ``requires``: a required action that is a candidate comes first; one that is not (its
   gap is closed, or it is excluded because it already exists) counts as done.
4. Horizons "0-3", "3-6", "6-12" months: tiers 0 and 1 (website foundation, next rung) in
   the first, the next tier present in the second, the rest in the third; an action never
   sits in an earlier horizon than an action it requires. Quick wins (small effort, high
   impact) then join the first horizon, lowest tier first, while its effort load (small 1,
   medium 2, large 4) stays within ``FIRST_HORIZON_BUDGET`` and their prerequisites are
   in it too.
5. Order: topological (``requires`` first), then horizon, tier, quick wins, impact (high
   first), effort (small first), area order, catalogue order.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .catalogue import Action, Catalogue, Gap
from .definition import Questionnaire, Text
from .scoring import EPSILON, ConditionCheck, Result

__all__ = ["HORIZONS", "Roadmap", "RoadmapItem", "build_roadmap"]

HORIZONS = ("0-3", "3-6", "6-12")
_IMPACT_RANK = {"high": 0, "medium": 1, "low": 2}
_EFFORT_RANK = {"small": 0, "medium": 1, "large": 2}
FURTHER = 99  # tier of an action that only closes gaps
# Effort load of the first horizon: quick wins join it while the load stays within budget.
_EFFORT_LOAD = {"small": 1, "medium": 2, "large": 4}
FIRST_HORIZON_BUDGET = 10


@dataclass(frozen=True, slots=True)
class RoadmapItem:
    action: Action
    horizon: str  # one of HORIZONS
    tier: int  # 0: website foundation, 1: next rung, 2: the rung after... FURTHER: gaps only
    target_rung: int | None  # the rung it helps reach (None: it only closes gaps)
    conditions: tuple[ConditionCheck, ...]  # failing conditions it works on
    gaps: tuple[Gap, ...]  # its open gaps
    required_by: tuple[str, ...]  # keys of roadmap actions that need this one first
    quick_win: bool
    website_foundation: bool  # works on the failing website prerequisite

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
                    out.append(f"Improves: {text}" if en else f"Améliore : {text}")
                else:
                    title = questionnaire.area(gap.area or "").title.get(language)
                    out.append(f"Raises the {title} score" if en else f"Relève le score {title}")
        if self.required_by:
            keys = ", ".join(
                titles[k].get(language) if titles and k in titles else k for k in self.required_by
            )
            out.append(f"Needed first for: {keys}" if en else f"À faire avant : {keys}")
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
        }


@dataclass(frozen=True, slots=True)
class Roadmap:
    rung: int
    items: tuple[RoadmapItem, ...]  # in order
    catalogue_version: str
    catalogue_hash: str

    def reasons(
        self, item: RoadmapItem, questionnaire: Questionnaire, language: str = "fr"
    ) -> list[str]:
        """Why ``item`` is on the roadmap, in plain words."""
        titles = {i.action.key: i.action.title for i in self.items}
        return item.reasons(questionnaire, language, titles)

    def horizon(self, name: str) -> tuple[RoadmapItem, ...]:
        return tuple(item for item in self.items if item.horizon == name)

    @property
    def horizons(self) -> dict[str, tuple[RoadmapItem, ...]]:
        return {name: self.horizon(name) for name in HORIZONS}

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.action.key for item in self.items)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rung": self.rung,
            "catalogue_version": self.catalogue_version,
            "catalogue_hash": self.catalogue_hash,
            "items": [item.to_dict() for item in self.items],
        }


def build_roadmap(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    result: Result,
    catalogue: Catalogue,
) -> Roadmap:
    """The roadmap for a scored assessment (``result = score(questionnaire, answers)``).

    Gaps and exclusions are read from ``result`` (points and answers of visible questions),
    so answers to hidden questions never count; ``answers`` is accepted for symmetry.
    """
    del answers  # the result already carries the visible answers
    if catalogue.questionnaire_hash != questionnaire.content_hash:
        raise ValueError("the catalogue was checked against another questionnaire version")
    if result.content_hash != questionnaire.content_hash:
        raise ValueError("the result was scored with another questionnaire version")
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
    required_by: dict[str, list[str]] = {key: [] for key in candidates}
    for key, reqs in requires.items():
        for r in reqs:
            required_by[r].append(key)
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

    # Horizons: tiers 0-1 first; the next tier present second; the rest third.
    later = sorted({t for t in tier.values() if t > 1})
    base = {key: 0 if t <= 1 else 1 if t == later[0] else 2 for key, t in tier.items()}
    topo = _topological(candidates, requires, lambda k: order_index[k])
    horizon: dict[str, int] = {}
    for key in topo:
        horizon[key] = max([base[key]] + [horizon[r] for r in requires[key]])
    # Quick wins join the first horizon while its effort stays within the budget.
    load = sum(_EFFORT_LOAD[candidates[k][0].effort] for k in topo if horizon[k] == 0)
    for key in _topological(candidates, requires, lambda k: (tier[k], order_index[k])):
        action = candidates[key][0]
        if horizon[key] == 0 or not action.quick_win:
            continue
        if any(horizon[r] != 0 for r in requires[key]):
            continue
        if load + _EFFORT_LOAD[action.effort] > FIRST_HORIZON_BUDGET:
            continue
        horizon[key] = 0
        load += _EFFORT_LOAD[action.effort]

    def priority(key: str) -> tuple:
        action = candidates[key][0]
        return (
            horizon[key],
            tier[key],
            0 if action.quick_win else 1,
            _IMPACT_RANK[action.impact],
            _EFFORT_RANK[action.effort],
            area_index.get(action.area, 99),
            order_index[key],
        )

    ordered = _topological(candidates, requires, priority)
    position = {key: n for n, key in enumerate(ordered)}
    items = tuple(
        RoadmapItem(
            action=candidates[key][0],
            horizon=HORIZONS[horizon[key]],
            tier=tier[key],
            target_rung=target[key],
            conditions=tuple(served[key]),
            gaps=candidates[key][1],
            required_by=tuple(sorted(required_by[key], key=position.__getitem__)),
            quick_win=candidates[key][0].quick_win,
            website_foundation=foundation[key],
        )
        for key in ordered
    )
    return Roadmap(
        rung=result.rung,
        items=items,
        catalogue_version=catalogue.version,
        catalogue_hash=catalogue.content_hash,
    )


def _topological(candidates: Mapping[str, Any], requires: Mapping[str, tuple[str, ...]], key_fn):
    """Kahn's algorithm, taking the ready action with the smallest ``key_fn`` first."""
    waiting = {key: len(reqs) for key, reqs in requires.items()}
    dependents: dict[str, list[str]] = {key: [] for key in candidates}
    for key, reqs in requires.items():
        for r in reqs:
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
