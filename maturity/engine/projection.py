"""Projected scores: where a dealer would stand once some roadmap actions are done.

Each catalogue action says what it closes (``closes``: gaps on a question or an area). Doing
an action is taken to close each of its gaps exactly, no more: the points earned on a
gap's question rise to its ``below`` threshold (when they were under it), and an area gap
lifts the area score to ``below``. The area scores, the overall score and the rung are then
computed again with the questionnaire's own rules (``scoring`` compiles them once: the
same rung rule as a real assessment, website prerequisite included).

This is a floor, not a promise: an action may do more than close its gaps, and a real
re-assessment may show other changes. Because every step only raises numbers, doing more
actions never projects a lower score or rung (a property test holds it to that).

The caller says which actions count, by catalogue key (a horizon of the roadmap, the whole
roadmap...): nothing here depends on how the roadmap groups its actions. Unknown keys are
ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .catalogue import Catalogue
from .definition import Questionnaire
from .scoring import Result, plan_for

__all__ = ["Projection", "first_reaching", "project", "project_cumulative"]


@dataclass(frozen=True, slots=True)
class Projection:
    """Scores and rung once ``actions`` are done (the empty set: the result as it is)."""

    actions: tuple[str, ...]  # the catalogue keys that were counted, in the order given
    rung: int
    overall_score: float
    area_scores: dict[str, float]  # area key -> 0..100, unrounded

    def gain(self, result: Result) -> float:
        """Overall points gained over ``result``."""
        return self.overall_score - result.overall_score


def project(
    questionnaire: Questionnaire,
    result: Result,
    catalogue: Catalogue,
    action_keys: Iterable[str],
) -> Projection:
    """The projection of ``result`` once the actions ``action_keys`` are done.

    ``result`` must have been scored with ``questionnaire`` (``ValueError`` otherwise).
    """
    if result.content_hash != questionnaire.content_hash:
        raise ValueError("the result was scored with another questionnaire version")
    plan = plan_for(questionnaire)
    points = [0.0] * len(plan.rows)
    for area in result.areas:
        for contribution in area.contributions:
            points[plan.index[contribution.question]] = contribution.points
    area_floor = [0.0] * len(plan.area_keys)
    area_index = {key: i for i, key in enumerate(plan.area_keys)}

    counted: list[str] = []
    for key in dict.fromkeys(action_keys):
        if not catalogue.has_action(key):
            continue
        counted.append(key)
        for gap in catalogue.action(key).closes:
            if gap.question is not None:
                i = plan.index.get(gap.question)
                if i is not None:
                    # Never above what the question can give (the catalogue check ensures it).
                    points[i] = max(points[i], min(gap.below, plan.max_points[i]))
            elif gap.area in area_index:
                i = area_index[gap.area]
                area_floor[i] = max(area_floor[i], min(gap.below, 100.0))

    scores = [
        max(computed, floor)
        for computed, floor in zip(plan.area_scores(points), area_floor, strict=True)
    ]
    weights = [spec[1] for spec in plan.area_specs]
    overall = sum(w * s for w, s in zip(weights, scores, strict=True)) / plan.weight_total
    return Projection(
        actions=tuple(counted),
        rung=plan.rung_of(points, scores),
        overall_score=overall,
        area_scores=dict(zip(plan.area_keys, scores, strict=True)),
    )


def project_cumulative(
    questionnaire: Questionnaire,
    result: Result,
    catalogue: Catalogue,
    groups: Sequence[Sequence[str]],
) -> tuple[Projection, ...]:
    """One projection per group, each counting its group and every group before it
    (``groups``: the roadmap's horizons in order, say: "after the first horizon", "after
    the first two"...)."""
    done: list[str] = []
    out = []
    for group in groups:
        done.extend(group)
        out.append(project(questionnaire, result, catalogue, done))
    return tuple(out)


def first_reaching(projections: Sequence[Projection], rung: int) -> int | None:
    """Index of the first projection at ``rung`` or above (``None``: none reaches it)."""
    for index, projection in enumerate(projections):
        if projection.rung >= rung:
            return index
    return None
