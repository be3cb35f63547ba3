"""Where the roadmap leads: projected rung and area scores, and whether the target is in
reach in time (the results page and the PDF show the same).

The numbers come from the engine (``maturity.engine.projection``: each action closes its
gaps, the rules score the rest): once the roadmap's first horizon is done, and once all of
it is. The horizons are read from the roadmap itself, in its order, so this follows
however the roadmap groups its actions. A target is in reach in time when the first
horizon whose projection reaches its rung ends before its date, counting the horizons'
months (``"0-3"`` ends after 3 months) from today. A horizon without months in its key
(a backlog, say) counts as reaching the rung at some point, not by a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from django.utils import translation
from django.utils.translation import gettext as _

from maturity.engine.catalogue import Catalogue
from maturity.engine.definition import Questionnaire
from maturity.engine.projection import Projection, first_reaching, project_cumulative
from maturity.engine.roadmap import build_roadmap
from maturity.engine.scoring import Result
from maturity.results.presenters import HORIZON_TITLES

TargetState = Literal["reached", "in_time", "late", "out_of_reach"]
_MONTHS = re.compile(r"^\d+-(\d+)$")
DAYS_PER_MONTH = 30.44


def horizon_months(key: str) -> int | None:
    """When a horizon ends, in months from the start (``"3-6"`` -> 6; ``None``: undated)."""
    found = _MONTHS.match(key)
    return int(found.group(1)) if found else None


@dataclass(frozen=True, slots=True)
class Step:
    """The projection once the horizons up to ``key`` are done."""

    key: str
    title: str  # the horizon's title ("First 3 months")
    months: int | None
    rung: int
    rung_title: str
    overall: float
    actions: int  # how many actions it counts


@dataclass(frozen=True, slots=True)
class AreaLine:
    key: str
    title: str
    now: float
    first: float
    whole: float


@dataclass(frozen=True, slots=True)
class TargetLine:
    rung: int
    rung_title: str
    due_date: date
    state: TargetState
    reach_months: int | None  # the horizon that reaches it ends after this many months
    reach_date: date | None
    sentence: str = ""  # the state in one sentence, in the page's language


@dataclass(frozen=True, slots=True)
class ProjectionView:
    rung: int
    rung_title: str
    overall: float
    first: Step
    whole: Step
    areas: tuple[AreaLine, ...]
    target: TargetLine | None

    @property
    def climbs(self) -> bool:
        return self.whole.rung > self.rung


def projection_view(
    definition: Questionnaire,
    result: Result,
    catalogue: Catalogue | None,
    *,
    language: str,
    today: date,
    target_rung: int | None = None,
    target_date: date | None = None,
) -> ProjectionView | None:
    """The projection of ``result``'s roadmap (``None``: no catalogue, or nothing to do)."""
    if catalogue is None:
        return None
    roadmap = build_roadmap(definition, {}, result, catalogue)
    # The whole roadmap: its horizons, then what waits in the backlog ("later").
    items = [*roadmap.items, *roadmap.backlog]
    if not items:
        return None
    horizons = list(dict.fromkeys(item.horizon for item in items))
    groups = [[i.key for i in items if i.horizon == h] for h in horizons]
    steps = project_cumulative(definition, result, catalogue, groups)
    with translation.override(language):
        made = [
            _step(definition, key, projection, language)
            for key, projection in zip(horizons, steps, strict=True)
        ]
        first, whole = made[0], made[-1]
        areas = tuple(
            AreaLine(
                key=area.key,
                title=definition.area(area.key).title.get(language),
                now=area.score,
                first=steps[0].area_scores[area.key],
                whole=steps[-1].area_scores[area.key],
            )
            for area in result.areas
        )
        target = None
        if target_rung is not None and target_date is not None:
            target = _target(
                definition, result, steps, horizons, target_rung, target_date, today, language
            )
            target = replace(target, sentence=target_sentence(target))
        return ProjectionView(
            rung=result.rung,
            rung_title=definition.rung_title(result.rung, language),
            overall=result.overall_score,
            first=first,
            whole=whole,
            areas=areas,
            target=target,
        )


def _step(definition: Questionnaire, key: str, projection: Projection, language: str) -> Step:
    titles = HORIZON_TITLES.get(key)
    return Step(
        key=key,
        title=str(titles[0]) if titles else key,
        months=horizon_months(key),
        rung=projection.rung,
        rung_title=definition.rung_title(projection.rung, language),
        overall=projection.overall_score,
        actions=len(projection.actions),
    )


def _target(
    definition: Questionnaire,
    result: Result,
    steps,
    horizons: list[str],
    rung: int,
    due: date,
    today: date,
    language: str,
) -> TargetLine:
    title = definition.rung_title(rung, language) if definition.rung(rung) else str(rung)
    if result.rung >= rung:
        return TargetLine(rung, title, due, "reached", None, None)
    index = first_reaching(steps, rung)
    if index is None:
        return TargetLine(rung, title, due, "out_of_reach", None, None)
    # The first dated horizon at or after the one that reaches it.
    months = next((horizon_months(h) for h in horizons[index:] if horizon_months(h)), None)
    if months is None:
        return TargetLine(rung, title, due, "late", None, None)
    when = today + timedelta(days=round(months * DAYS_PER_MONTH))
    return TargetLine(rung, title, due, "in_time" if when <= due else "late", months, when)


def target_sentence(target: TargetLine) -> str:
    """The target's state in one sentence (call under the reader's language)."""
    values = {"rung": target.rung, "months": target.reach_months}
    if target.state == "reached":
        return _("Rung %(rung)s is already reached.") % values
    if target.state == "in_time":
        return (
            _(
                "In reach in time: the roadmap's actions lead to rung %(rung)s within about "
                "%(months)s months."
            )
            % values
        )
    if target.state == "late" and target.reach_months:
        return (
            _(
                "Not in time: the roadmap's actions lead to rung %(rung)s in about %(months)s "
                "months, after the target date."
            )
            % values
        )
    if target.state == "late":
        return _("Not in time: only the roadmap's later actions lead to rung %(rung)s.") % values
    return (
        _(
            "Out of reach with this roadmap alone: even with every action done, the projection "
            "stays below rung %(rung)s."
        )
        % values
    )
