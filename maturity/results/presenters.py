"""A stored result, in words and pictures: what the results page and the PDF show.

Shared by the web page (``maturity.results.views``) and the PDF renderer, so both say the
same thing. Nothing here reads a request: callers pass the language (``"fr"`` or
``"en"``); every user-facing string is produced under ``translation.override(language)``,
so a Celery worker renders the dealer's language, not the process default.

Entry points:

- :func:`present_stored_result` - from an ``AssessmentResult`` (its assessment and
  version loaded); the usual call.
- :func:`present_result` - from an engine ``Result`` (or a snapshot dict) and the
  questionnaire definition (as asked of the dealer's profile); the building blocks below
  are public too: :func:`ladder_chart`, :func:`radar_chart`, :func:`area_cards`,
  :func:`rung_lines`, :func:`next_steps`, :func:`roadmap_plan` (horizons, backlog, the way
  to the next rung as actions, maintenance advice at the top rung),
  :func:`confidence_info`.

Optional comparisons (:class:`Comparison`): ``previous`` (an earlier assessment: dashed
polygon on the radar, outlined rung on the ladder) and ``peer`` (for example the median
of comparable dealers: dotted polygon). Build one from a stored result with
:func:`comparison_from_result`.

Wording per reader: by default the sentences speak to the dealer ("your weakest area");
pass ``dealership_name`` when someone else reads them (its consultants, staff) and they
name the dealership in the third person instead ("the weakest area of Garage X").

Texts of the questionnaire and the catalogue come from the data (``Text.get(language)``);
sentences built here are gettext strings with English msgids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.i18n import format_date, normalise_language
from maturity.charts import Series, bars_svg, ladder_svg, radar_readable, radar_svg
from maturity.engine.answers import answer_label
from maturity.engine.catalogue import Catalogue
from maturity.engine.definition import Questionnaire
from maturity.engine.roadmap import (
    HORIZONS,
    Maintenance,
    Roadmap,
    RoadmapItem,
    actions_outcome,
    build_roadmap,
)
from maturity.engine.scoring import (
    AreaResult,
    ConditionCheck,
    Result,
    confidence,
    display,
    whole,
)
from maturity.engine.suggestions import Change
from maturity.questionnaire.catalogues import catalogue_for
from maturity.results.services import NEXT_RUNG_KEY, changes_from_dicts

if TYPE_CHECKING:
    from datetime import date, datetime

    from maturity.models import AssessmentResult

__all__ = [
    "AnswerChange",
    "AnswerEffect",
    "AreaCard",
    "Comparison",
    "ConditionLine",
    "ConfidenceInfo",
    "HorizonBlock",
    "MaintenanceLine",
    "NextStep",
    "ResultPresentation",
    "RoadmapAction",
    "RoadmapPlan",
    "RungInfo",
    "RungLine",
    "SuggestedStep",
    "area_cards",
    "bars_chart",
    "chart_value",
    "comparison_from_result",
    "confidence_info",
    "ladder_chart",
    "level_tone",
    "next_steps",
    "present_result",
    "present_stored_result",
    "radar_chart",
    "roadmap_plan",
    "rung_info",
    "rung_lines",
    "whole",
]

OWNER_LABELS = {
    "dealer_principal": gettext_lazy("Dealer principal"),
    "marketing": gettext_lazy("Marketing"),
    "sales": gettext_lazy("Sales"),
    "after_sales": gettext_lazy("After-sales"),
    "contact_center": gettext_lazy("Contact center"),
}
EFFORT_LABELS = {
    "small": gettext_lazy("Small effort"),
    "medium": gettext_lazy("Medium effort"),
    "large": gettext_lazy("Large effort"),
}
IMPACT_LABELS = {
    "low": gettext_lazy("Low impact"),
    "medium": gettext_lazy("Medium impact"),
    "high": gettext_lazy("High impact"),
}
HORIZON_TITLES = {
    "0-3": (gettext_lazy("First 3 months"), gettext_lazy("Quick wins and foundations")),
    "3-6": (gettext_lazy("3 to 6 months"), gettext_lazy("Building on the first results")),
    "6-12": (gettext_lazy("6 to 12 months"), gettext_lazy("Going further")),
}
# The next assessment, for a dealer at the top rung (the maintenance advice "reassess").
REASSESS_MONTHS = 12
# Bootstrap colour of an area level, lowest level first (4 levels in the questionnaire).
LEVEL_TONES = ("danger", "warning", "info", "success")


def level_tone(definition: Questionnaire, score: float) -> str:
    """The colour of the level ``score`` falls in (the bands are the questionnaire's
    ``levels``): the area cards, the group table and the PDF colour scores alike."""
    index = definition.level_index(score)
    count = max(len(definition.levels), 1)
    return LEVEL_TONES[min(len(LEVEL_TONES) - 1, index * len(LEVEL_TONES) // count)]


# --- values the templates read -----------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Scores drawn beside the dealer's own: a previous assessment or a peer median."""

    label: str
    area_scores: Mapping[str, float | None]  # area key -> score 0..100 (missing: None)
    rung: int | None = None


@dataclass(frozen=True)
class RungInfo:
    number: int
    key: str
    title: str
    description: str


@dataclass(frozen=True)
class ConditionLine:
    label: str
    held: bool
    kind: str  # "area_min" | "question_min"
    target: str  # area or question key
    detail: str  # "your score: 31" for an area condition, "" otherwise
    website: bool  # one of the website prerequisite conditions


@dataclass(frozen=True)
class RungLine:
    """One rung of the ladder with its checklist (website prerequisite included)."""

    number: int
    title: str
    description: str
    reached: bool
    current: bool
    conditions: tuple[ConditionLine, ...]

    @property
    def failing(self) -> tuple[ConditionLine, ...]:
        return tuple(c for c in self.conditions if not c.held)


@dataclass(frozen=True)
class AnswerEffect:
    """An answer and what it did to its area score, in points out of 100."""

    question: str  # key
    text: str  # the question
    answer: str  # the answer in plain words
    effect: int  # points of the area score (0..100) it earned or cost, at least 1
    hidden: int = 0  # follow-up questions this answer kept hidden (their points count too)


@dataclass(frozen=True)
class AreaCard:
    key: str
    title: str
    intro: str
    score: float  # rounded to one decimal
    level: str  # level key
    level_label: str
    tone: str  # Bootstrap colour name for the level
    raised: tuple[AnswerEffect, ...]  # biggest first
    lowered: tuple[AnswerEffect, ...]  # biggest first

    @property
    def score_int(self) -> int:
        return whole(self.score)


@dataclass(frozen=True)
class NextStep:
    question: str  # key
    area_title: str
    question_text: str
    current: str | None  # the current answer in words; None when not answered/shown yet
    suggested: str
    sentence: str  # the whole step in one line ("Change “X” from “A” to “B”")
    new_question: bool = False  # the question appears only once an earlier change is made


@dataclass(frozen=True)
class RoadmapAction:
    key: str
    title: str
    why: str
    kpi: str
    area_title: str
    owner: str
    owner_label: str
    effort: str
    effort_label: str
    impact: str
    impact_label: str
    reasons: tuple[str, ...]  # the gaps it closes, in plain words
    after: tuple[str, ...]  # titles of roadmap actions that must come first
    quick_win: bool
    website_foundation: bool
    target_rung: int | None
    number: int = 0  # position in the whole roadmap (backlog included), from 1
    next_rung: bool = False  # on the way to the next rung


@dataclass(frozen=True)
class HorizonBlock:
    key: str  # "0-3" | "3-6" | "6-12"
    title: str
    subtitle: str
    actions: tuple[RoadmapAction, ...]
    capacity: int = 0  # at most this many actions still to do (from the catalogue)


@dataclass(frozen=True)
class AnswerChange:
    """What doing an action changes in an answer, in words."""

    question: str  # key
    text: str  # the question
    before: str | None  # None: the question is only shown once an earlier action is done
    after: str


@dataclass(frozen=True)
class SuggestedStep:
    """One action of the way to the next rung, and the answers it changes."""

    action: RoadmapAction
    changes: tuple[AnswerChange, ...]


@dataclass(frozen=True)
class MaintenanceLine:
    """Advice for staying at the top rung, with what it means for this dealer."""

    key: str  # kpi_review | reassess | weakest_area
    title: str
    why: str
    detail: str  # one sentence about this dealer ("" when there is nothing to add)


@dataclass(frozen=True)
class RoadmapPlan:
    """The roadmap in words: a quarter at a time, then what waits for later."""

    horizons: tuple[HorizonBlock, ...]  # the three periods; an empty one only at the end
    backlog: tuple[RoadmapAction, ...]  # what waits until actions are done
    suggestion: tuple[SuggestedStep, ...]  # the way to the next rung, first horizon part
    way_count: int  # actions on the whole way to the next rung (more: later horizons)
    maintenance: tuple[MaintenanceLine, ...]  # at the top rung

    @property
    def planned_count(self) -> int:
        return sum(len(h.actions) for h in self.horizons)

    @property
    def total(self) -> int:
        return self.planned_count + len(self.backlog)

    @property
    def planned(self) -> tuple[HorizonBlock, ...]:
        """The horizons that hold actions (the empty ones are only ever the last)."""
        return tuple(h for h in self.horizons if h.actions)

    @property
    def way_rest(self) -> int:
        """Actions of the way to the next rung beyond the first horizon."""
        return max(0, self.way_count - len(self.suggestion))

    @property
    def actions(self) -> tuple[RoadmapAction, ...]:
        """Every planned action, in order (the backlog aside)."""
        return tuple(a for h in self.horizons for a in h.actions)


@dataclass(frozen=True)
class ConfidenceInfo:
    """How much of the result rests on "don't know" or blank answers."""

    unknown: int
    total: int
    provisional: bool
    find_out_first: tuple[str, ...]  # question texts, the most points at stake first
    sentence: str  # "4 answers out of 38 unknown ("don't know" or left blank)"


@dataclass(frozen=True)
class ResultPresentation:
    """Everything the results page / PDF shows for one result, in one language."""

    language: str
    rung: RungInfo
    next_rung: RungInfo | None
    rung_count: int
    overall_score: float
    website_ok: bool
    # The website prerequisite is all that keeps the dealer below the next rung (the rest
    # of its checklist holds): "however active on social networks" (DOMAIN.md).
    website_cap: bool
    ladder_svg: SafeString
    radar_svg: SafeString
    areas: tuple[AreaCard, ...]
    rungs: tuple[RungLine, ...]  # lowest first
    blockers: tuple[ConditionLine, ...]  # what keeps the dealer below the next rung
    next_steps: tuple[NextStep, ...]  # answer changes that reach the next rung
    new_questions: tuple[str, ...]  # follow-up questions those changes reveal
    roadmap: tuple[HorizonBlock, ...] | None  # None: no catalogue fits this version
    plan: RoadmapPlan | None  # the roadmap with its backlog, suggestion and maintenance
    confidence: ConfidenceInfo
    previous: Comparison | None
    peer: Comparison | None
    engine_version: str
    questionnaire_version: str

    @property
    def current_rung_line(self) -> RungLine:
        return self.rungs[self.rung.number - 1]

    @property
    def next_rung_line(self) -> RungLine | None:
        return self.rungs[self.rung.number] if self.next_rung else None

    @property
    def overall_whole(self) -> int:
        return whole(self.overall_score)

    @property
    def radar_readable(self) -> bool:
        """Does the radar show a shape? All scores low, it is a dot: the bars say it all."""
        return radar_readable([a.score for a in self.areas])

    @property
    def roadmap_size(self) -> int:
        return sum(len(h.actions) for h in self.roadmap or ())

    @property
    def top_rung(self) -> bool:
        return self.next_rung is None


# --- building blocks ---------------------------------------------------------------------


def rung_info(definition: Questionnaire, number: int, language: str) -> RungInfo:
    """Rung ``number`` of ``definition`` in words (``ValueError`` outside its ladder)."""
    rung = definition.rung(number)
    if rung is None:
        raise ValueError(f"no rung {number} in questionnaire {definition.version}")
    return RungInfo(
        number=rung.number,
        key=rung.key,
        title=rung.title.get(language),
        description=rung.description.get(language),
    )


def ladder_chart(
    definition: Questionnaire,
    rung: int,
    *,
    language: str,
    previous_rung: int | None = None,
    dealership_name: str | None = None,
) -> SafeString:
    """The ladder picture with the dealer's rung highlighted (inline SVG, safe).

    The marker says "You are here" to the dealer, "Current rung" to anyone else."""
    language = normalise_language(language)
    with translation.override(language):
        svg = ladder_svg(
            [(r.number, r.title.get(language)) for r in definition.rungs],
            rung,
            title=_("Maturity ladder"),
            previous=previous_rung,
            you_are_here=_("Current rung") if dealership_name else None,
            # The marker texts ("You are here"...) come from the chart, in ``language``.
            lang=language,  # type: ignore[arg-type]
        )
    # The chart module escapes every text it writes.
    return mark_safe(svg)  # noqa: S308


def radar_chart(
    definition: Questionnaire,
    area_scores: Mapping[str, float | None],
    *,
    language: str,
    previous: Comparison | None = None,
    peer: Comparison | None = None,
    label: str | None = None,
) -> SafeString:
    """The seven area scores as a radar (inline SVG, safe), with optional comparisons.

    ``area_scores`` maps area key -> score; ``label`` names the dealer's own series in the
    legend (default "This assessment").
    """
    language = normalise_language(language)
    keys = [a.key for a in definition.areas]
    with translation.override(language):
        series = []
        if peer is not None:
            series.append(
                Series(peer.label, [chart_value(peer.area_scores.get(k)) for k in keys], "peer")
            )
        if previous is not None:
            series.append(
                Series(
                    previous.label,
                    [chart_value(previous.area_scores.get(k)) for k in keys],
                    "secondary",
                )
            )
        series.append(
            Series(
                label or _("This assessment"),
                [chart_value(area_scores.get(k)) for k in keys],
                "primary",
            )
        )
        svg = radar_svg(
            [a.title.get(language) for a in definition.areas],
            series,
            title=_("Score by area, out of 100"),
            lang=language,  # type: ignore[arg-type]
        )
    return mark_safe(svg)  # noqa: S308


def bars_chart(
    definition: Questionnaire,
    area_scores: Mapping[str, float | None],
    *,
    language: str,
    peer: Comparison | None = None,
) -> SafeString:
    """The seven area scores as bars (inline SVG, safe): what a phone or a low scorer
    reads instead of the radar; ``peer`` marks the comparable dealerships' median."""
    language = normalise_language(language)
    keys = [a.key for a in definition.areas]
    with translation.override(language):
        svg = bars_svg(
            [a.title.get(language) for a in definition.areas],
            [chart_value(area_scores.get(k)) for k in keys],
            title=_("Score by area, out of 100"),
            reference=[chart_value(peer.area_scores.get(k)) for k in keys] if peer else None,
            reference_label=peer.label if peer else "",
            lang=language,  # type: ignore[arg-type]
        )
    # The chart module escapes every text it writes.
    return mark_safe(svg)  # noqa: S308


def chart_value(value: float | None) -> float | None:
    """A score as a chart draws it: the whole number shown everywhere else ("30.6" on a
    chart beside "31" on the card would look like two different scores to a reader)."""
    return None if value is None else float(whole(value))


def _condition_line(
    check: ConditionCheck,
    language: str,
    *,
    website: bool = False,
    dealership_name: str | None = None,
) -> ConditionLine:
    detail = ""
    if check.kind == "area_min":
        if dealership_name:
            detail = _("current score: %(score)s") % {"score": whole(check.actual)}
        else:
            detail = _("your score: %(score)s") % {"score": whole(check.actual)}
    return ConditionLine(
        label=check.label.get(language),
        held=check.held,
        kind=check.kind,
        target=check.target,
        detail=detail,
        website=website,
    )


def rung_lines(
    definition: Questionnaire,
    result: Result,
    *,
    language: str,
    dealership_name: str | None = None,
) -> tuple[RungLine, ...]:
    """Every rung with its conditions held (✔) or failing (✘), lowest rung first.

    Rungs that need the website carry the website prerequisite conditions too, so each
    checklist is complete on its own.
    """
    language = normalise_language(language)
    with translation.override(language):
        website = tuple(
            _condition_line(c, language, website=True, dealership_name=dealership_name)
            for c in result.website_prerequisite
        )
        lines = []
        for check in result.rungs:
            info = rung_info(definition, check.number, language)
            conditions = tuple(
                _condition_line(c, language, dealership_name=dealership_name)
                for c in check.conditions
            )
            if check.requires_website:
                conditions = website + conditions
            lines.append(
                RungLine(
                    number=check.number,
                    title=info.title,
                    description=info.description,
                    reached=check.reached,
                    current=check.number == result.rung,
                    conditions=conditions,
                )
            )
    return tuple(lines)


def _effects(
    definition: Questionnaire, result: Result, area: AreaResult, language: str
) -> tuple[tuple[AnswerEffect, ...], tuple[AnswerEffect, ...]]:
    """What raised and what lowered an area's score.

    An answer is listed once: under "raised" when it earned at least as many points as it
    missed, else under "lowered". Points of follow-up questions that an answer kept hidden
    are charged to that answer ("no Facebook page" costs the questions about the page).
    """
    if area.maximum <= 0:
        return (), ()
    visible = {c.question: c for a in result.areas for c in a.contributions if c.visible}
    earned: dict[str, float] = {}
    missed: dict[str, float] = {}
    hidden: dict[str, int] = {}
    for c in area.contributions:
        if c.visible:
            earned[c.question] = earned.get(c.question, 0.0) + c.points
            missed[c.question] = missed.get(c.question, 0.0) + c.max_points - c.points
            continue
        # Walk up the show_if chain to the answer that keeps this question hidden.
        cause = definition.question(c.question).show_if
        while cause is not None and cause.question not in visible:
            cause = definition.question(cause.question).show_if
        if cause is None:
            continue
        missed[cause.question] = missed.get(cause.question, 0.0) + c.max_points
        earned.setdefault(cause.question, 0.0)
        hidden[cause.question] = hidden.get(cause.question, 0) + 1

    raised: list[tuple[float, int, AnswerEffect]] = []
    lowered: list[tuple[float, int, AnswerEffect]] = []
    order = {q.key: i for i, q in enumerate(definition.questions)}
    for key in earned:
        question = definition.question(key)
        contribution = visible.get(key)
        answer = contribution.answer if contribution is not None else None
        words = answer_label(question, answer, language) if answer is not None else None
        plus, minus = earned[key], missed.get(key, 0.0)
        good = plus > 0 and plus >= minus
        amount = plus if good else minus
        if amount <= 0:
            continue
        effect = AnswerEffect(
            question=key,
            text=question.text.get(language),
            answer=words if words is not None else _("Not answered"),
            effect=max(1, round(100 * amount / area.maximum)),
            hidden=hidden.get(key, 0),
        )
        (raised if good else lowered).append((-amount, order[key], effect))
    return (
        tuple(e for _a, _o, e in sorted(raised, key=lambda t: t[:2])),
        tuple(e for _a, _o, e in sorted(lowered, key=lambda t: t[:2])),
    )


def area_cards(definition: Questionnaire, result: Result, *, language: str) -> tuple[AreaCard, ...]:
    """One card per area: score, level and the answers that raised or lowered it."""
    language = normalise_language(language)
    levels = {lv.key: lv for lv in definition.levels}
    cards = []
    with translation.override(language):
        for area_result in result.areas:
            area = definition.area(area_result.key)
            level = levels[area_result.level]
            tone = level_tone(definition, area_result.score)
            raised, lowered = _effects(definition, result, area_result, language)
            cards.append(
                AreaCard(
                    key=area.key,
                    title=area.title.get(language),
                    intro=area.intro.get(language),
                    score=area_result.display_score,
                    level=level.key,
                    level_label=level.label.get(language),
                    tone=tone,
                    raised=raised,
                    lowered=lowered,
                )
            )
    return tuple(cards)


def next_steps(
    definition: Questionnaire, changes: Sequence[Change], *, language: str
) -> tuple[tuple[NextStep, ...], tuple[str, ...]]:
    """The answer changes that reach the next rung, in plain words.

    Returns ``(steps, new_questions)``: the changes to make, and the follow-up questions
    those changes reveal, which simply need an answer (any answer will do).
    """
    language = normalise_language(language)
    area_of = {q.key: a for a in definition.areas for q in a.questions}
    steps: list[NextStep] = []
    new_questions: list[str] = []
    with translation.override(language):
        for change in changes:
            question = definition.question(change.question)
            text = question.text.get(language)
            if change.any_answer:
                new_questions.append(text)
                continue
            suggested = answer_label(question, change.suggested, language)
            current = (
                answer_label(question, change.current, language)
                if change.current is not None
                else None
            )
            if current is None:
                # Translators: fr « Répondre « %(question)s » par « %(suggested)s » »
                sentence = _("Answer “%(question)s” with “%(suggested)s”") % {
                    "question": text,
                    "suggested": suggested,
                }
            else:
                # Translators: fr « Passer « %(question)s » de « %(current)s » à « %(suggested)s » »
                sentence = _("Change “%(question)s” from “%(current)s” to “%(suggested)s”") % {
                    "question": text,
                    "current": current,
                    "suggested": suggested,
                }
            steps.append(
                NextStep(
                    question=change.question,
                    area_title=area_of[change.question].title.get(language),
                    question_text=text,
                    current=current,
                    suggested=suggested,
                    sentence=sentence,
                    new_question=change.newly_shown,
                )
            )
    return tuple(steps), tuple(new_questions)


def _roadmap_action(
    definition: Questionnaire,
    item: RoadmapItem,
    titles: Mapping[str, str],
    number: int,
    language: str,
) -> RoadmapAction:
    action = item.action
    reasons = [c.label.get(language) for c in item.conditions]
    if not reasons:
        for gap in item.gaps:
            if gap.question:
                text = definition.question(gap.question).text.get(language)
                reasons.append(_("Improves the answer to “%(question)s”") % {"question": text})
            else:
                title = definition.area(gap.area or "").title.get(language)
                reasons.append(_("Raises the “%(area)s” score") % {"area": title})
    return RoadmapAction(
        key=action.key,
        title=action.title.get(language),
        why=action.why.get(language),
        kpi=action.kpi.get(language),
        area_title=definition.area(action.area).title.get(language),
        owner=action.owner,
        owner_label=str(OWNER_LABELS.get(action.owner, action.owner)),
        effort=action.effort,
        effort_label=str(EFFORT_LABELS.get(action.effort, action.effort)),
        impact=action.impact,
        impact_label=str(IMPACT_LABELS.get(action.impact, action.impact)),
        reasons=tuple(dict.fromkeys(reasons)),
        after=tuple(titles[k] for k in action.requires if k in titles),
        quick_win=item.quick_win,
        website_foundation=item.website_foundation,
        target_rung=item.target_rung,
        number=number,
        next_rung=item.next_rung,
    )


def _answer_words(definition: Questionnaire, key: str, value: object, language: str) -> str:
    return answer_label(definition.question(key), value, language)


def _maintenance_line(
    definition: Questionnaire,
    advice: Maintenance,
    titles: Mapping[str, str],
    language: str,
    assessed_on: date | datetime | None,
    dealership_name: str | None = None,
) -> MaintenanceLine:
    detail = ""
    name = {"name": dealership_name} if dealership_name else {}
    if advice.key == "kpi_review" and advice.question and advice.current is not None:
        answer = _answer_words(definition, advice.question, advice.current, language)
        if name:
            detail = _("The figures of %(name)s are reviewed now: “%(answer)s”.") % {
                **name,
                "answer": answer,
            }
        else:
            detail = _("Your figures are reviewed now: “%(answer)s”.") % {"answer": answer}
    elif advice.key == "reassess" and assessed_on is not None:
        due = format_date(_months_later(assessed_on, REASSESS_MONTHS), "DATE_FORMAT")
        if name:
            detail = _("Next assessment of %(name)s: by %(date)s.") % {**name, "date": due}
        else:
            detail = _("Your next assessment: by %(date)s.") % {"date": due}
    elif advice.key == "weakest_area" and advice.area:
        area = definition.area(advice.area).title.get(language)
        if advice.action:
            gain = titles.get(advice.action, advice.action)
        else:
            question = definition.question(advice.question or "")
            gain = _("answer “%(question)s” with “%(answer)s”") % {
                "question": question.text.get(language),
                "answer": _answer_words(definition, question.key, advice.answer, language),
            }
        values = {"area": area, "score": whole(advice.score or 0.0), "gain": gain}
        if name:
            detail = _(
                "The weakest area of %(name)s is “%(area)s” (%(score)s / 100). Next gain: %(gain)s."
            ) % {**name, **values}
        else:
            detail = (
                _("Your weakest area is “%(area)s” (%(score)s / 100). Next gain: %(gain)s.")
                % values
            )
    return MaintenanceLine(
        key=advice.key,
        title=advice.title.get(language),
        why=advice.why.get(language),
        detail=detail,
    )


def _months_later(moment: date | datetime, months: int) -> date:
    """The same day ``months`` later (a datetime is read in the current time zone)."""
    day = timezone.localtime(moment).date() if isinstance(moment, dt.datetime) else moment
    year, month = divmod(day.month - 1 + months, 12)
    try:
        return day.replace(year=day.year + year, month=month + 1)
    except ValueError:  # 29 February, 31st of a shorter month: the last day of that month
        return day.replace(year=day.year + year, month=month + 1, day=28)


def roadmap_plan(
    definition: Questionnaire,
    result: Result,
    *,
    language: str,
    catalogue: Catalogue | None,
    done: Iterable[str] = (),
    assessed_on: date | datetime | None = None,
    dealership_name: str | None = None,
) -> RoadmapPlan | None:
    """The action plan by horizon (first 3 months, 3-6, 6-12) and its backlog, the way to
    the next rung as actions with the answers they change, maintenance advice at the top
    rung; ``None`` without a catalogue.

    Built from the stored result with the catalogue given (usually
    ``maturity.questionnaire.catalogues.catalogue_for(definition)``); deterministic.
    ``done``: actions the dealer marked done (they take no room, the backlog moves up);
    ``assessed_on``: when the assessment was submitted (dates the next one);
    ``dealership_name``: the reader is not the dealer (see the module docstring).
    """
    if catalogue is None:
        return None
    language = normalise_language(language)
    roadmap: Roadmap = build_roadmap(definition, {}, result, catalogue, done=done)
    every = (*roadmap.items, *roadmap.backlog)
    titles = {item.key: item.action.title.get(language) for item in every}
    with translation.override(language):
        numbered: dict[str, RoadmapAction] = {}
        for number, item in enumerate(every, start=1):
            numbered[item.key] = _roadmap_action(definition, item, titles, number, language)
        blocks = []
        for horizon in HORIZONS:
            title, subtitle = HORIZON_TITLES[horizon]
            blocks.append(
                HorizonBlock(
                    key=horizon,
                    title=str(title),
                    subtitle=str(subtitle),
                    actions=tuple(numbered[i.key] for i in roadmap.horizon(horizon)),
                    capacity=catalogue.capacity(horizon),
                )
            )
        _reached, outcome = actions_outcome(definition, result, catalogue, roadmap.suggestion)
        suggestion = tuple(
            SuggestedStep(
                action=numbered[key],
                changes=tuple(
                    AnswerChange(
                        question=question,
                        text=definition.question(question).text.get(language),
                        before=(
                            _answer_words(definition, question, before, language)
                            if before is not None
                            else None
                        ),
                        after=_answer_words(definition, question, after, language),
                    )
                    for question, before, after in changes
                ),
            )
            for key, changes in outcome
        )
        maintenance = tuple(
            _maintenance_line(definition, advice, titles, language, assessed_on, dealership_name)
            for advice in roadmap.maintenance
        )
    return RoadmapPlan(
        horizons=tuple(blocks),
        backlog=tuple(numbered[i.key] for i in roadmap.backlog),
        suggestion=suggestion,
        way_count=len(roadmap.next_rung_keys),
        maintenance=maintenance,
    )


def confidence_info(definition: Questionnaire, result: Result, *, language: str) -> ConfidenceInfo:
    """How many shown scored questions were answered "don't know" or left blank, and
    whether the rung is provisional (the questionnaire's threshold)."""
    language = normalise_language(language)
    found = confidence(definition, result)
    with translation.override(language):
        if found.unknown:
            sentence = ngettext(
                "%(unknown)s answer out of %(total)s unknown (“I don't know” or left blank)",
                "%(unknown)s answers out of %(total)s unknown (“I don't know” or left blank)",
                found.unknown,
            ) % {"unknown": found.unknown, "total": found.total}
        else:
            sentence = _("All %(total)s answers are known: none is “I don't know” or blank.") % {
                "total": found.total
            }
    return ConfidenceInfo(
        unknown=found.unknown,
        total=found.total,
        provisional=found.provisional,
        find_out_first=tuple(
            definition.question(key).text.get(language)
            for key in found.find_out_first
            if definition.has_question(key)
        ),
        sentence=sentence,
    )


# --- the whole page ----------------------------------------------------------------------

_DEFAULT_CATALOGUE: Any = object()


def present_result(
    result: Result | Mapping[str, Any],
    definition: Questionnaire,
    *,
    language: str,
    changes: Sequence[Change] | None = None,
    previous: Comparison | None = None,
    peer: Comparison | None = None,
    catalogue: Catalogue | None = _DEFAULT_CATALOGUE,
    assessed_on: date | datetime | None = None,
    dealership_name: str | None = None,
) -> ResultPresentation:
    """Everything to show for ``result`` (an engine ``Result`` or a stored snapshot dict).

    ``changes`` are the next-rung changes; when omitted they are read from the snapshot's
    ``"next_rung_changes"`` (see ``maturity.results.services``), or none. ``catalogue``
    defaults to the catalogue on disk checked against ``definition``; pass ``None`` to
    leave the roadmap out. ``dealership_name``: the reader is not the dealer, the
    sentences name the dealership (see the module docstring).
    """
    language = normalise_language(language)
    if isinstance(result, Mapping):
        snapshot = result
        result = Result.from_dict(snapshot)
        if changes is None:
            changes = changes_from_dicts(snapshot.get(NEXT_RUNG_KEY, ()))
    if catalogue is _DEFAULT_CATALOGUE:
        catalogue = catalogue_for(definition)
    if result.content_hash != definition.content_hash:
        raise ValueError("the result was scored with another questionnaire version")
    steps, new_questions = next_steps(definition, changes or (), language=language)
    plan = roadmap_plan(
        definition,
        result,
        language=language,
        catalogue=catalogue,
        assessed_on=assessed_on,
        dealership_name=dealership_name,
    )
    rungs = rung_lines(definition, result, language=language, dealership_name=dealership_name)
    blockers: tuple[ConditionLine, ...] = ()
    if result.next_rung is not None:
        website_keys = {(c.kind, c.target) for c in result.website_prerequisite}
        with translation.override(language):
            blockers = tuple(
                _condition_line(
                    c,
                    language,
                    website=(c.kind, c.target) in website_keys,
                    dealership_name=dealership_name,
                )
                for c in result.blockers()
            )
    return ResultPresentation(
        language=language,
        rung=rung_info(definition, result.rung, language),
        next_rung=(
            rung_info(definition, result.rung + 1, language)
            if result.rung < len(definition.rungs)
            else None
        ),
        rung_count=len(definition.rungs),
        overall_score=display(result.overall_score),
        website_ok=result.website_ok,
        website_cap=_website_cap(result),
        ladder_svg=ladder_chart(
            definition,
            result.rung,
            language=language,
            previous_rung=previous.rung if previous is not None else None,
            dealership_name=dealership_name,
        ),
        radar_svg=radar_chart(
            definition,
            {a.key: a.score for a in result.areas},
            language=language,
            previous=previous,
            peer=peer,
        ),
        areas=area_cards(definition, result, language=language),
        rungs=rungs,
        blockers=blockers,
        next_steps=steps,
        new_questions=new_questions,
        roadmap=plan.horizons if plan is not None else None,
        plan=plan,
        confidence=confidence_info(definition, result, language=language),
        previous=previous,
        peer=peer,
        engine_version=result.engine_version,
        questionnaire_version=result.questionnaire_version,
    )


def _website_cap(result: Result) -> bool:
    upcoming = result.next_rung
    return (
        upcoming is not None
        and upcoming.requires_website
        and not result.website_ok
        and all(c.held for c in upcoming.conditions)
    )


def comparison_from_result(stored: AssessmentResult, label: str) -> Comparison:
    """A :class:`Comparison` (scores and rung) from another stored result."""
    return Comparison(label=label, area_scores=dict(stored.area_scores), rung=stored.rung)


def present_stored_result(
    stored: AssessmentResult,
    *,
    language: str,
    previous: Comparison | None = None,
    peer: Comparison | None = None,
    catalogue: Catalogue | None = _DEFAULT_CATALOGUE,
    dealership_name: str | None = None,
) -> ResultPresentation:
    """:func:`present_result` for a stored result (``stored.assessment.version`` is read:
    select it with the result to save a query)."""
    definition = stored.assessment.definition
    return present_result(
        stored.snapshot,
        definition,
        language=language,
        previous=previous,
        peer=peer,
        catalogue=catalogue,
        assessed_on=stored.assessment.submitted_at,
        dealership_name=dealership_name,
    )
