"""What to change to reach the next rung: the fewest answer changes we can find.

Search: a change sets a question to a better answer. Only questions that count for a
failing condition of the next rung (its own conditions and, for rungs 3..5, the website
prerequisite) are considered: the question of a ``question_min`` condition, the questions
of an ``area_min`` condition's area. Raising a hidden question also raises the questions
that must reveal it. A question that a change reveals and that is required must be
answered too: it counts as a change (any answer will do; the lowest one is suggested).

A depth-first branch and bound over sets of raised questions (each raised to its best
answer) finds the smallest number of changes, with a node budget; past the budget the best
set found so far is used (never worse than the greedy start). Each suggested answer is
then lowered to the least one that still reaches the rung, so the advice is the smallest
step ("answer within a day", not necessarily "within the hour"; for a multi-choice
question the fewest options, the best-ranked first). The result is checked
by scoring: applying the changes always reaches the next rung.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .answers import answer_label, answer_points, best_answer, lowest_answer, ranked_answers
from .definition import DONT_KNOW, AnswerValue, Questionnaire
from .scoring import EPSILON, IncompleteAnswers, Result, plan_for

__all__ = ["Change", "apply_changes", "next_rung_changes"]

NODE_BUDGET = 4000


@dataclass(frozen=True, slots=True)
class Change:
    """Change the answer to ``question`` from ``current`` to ``suggested``."""

    question: str
    current: AnswerValue | None  # None: not answered, or the question is not shown yet
    suggested: AnswerValue
    points_before: float
    points_after: float
    # The question is shown only because of another change in the list.
    newly_shown: bool = False
    # A newly shown required question that only needs an answer: any answer will do
    # (``suggested`` is the lowest one).
    any_answer: bool = False

    def current_label(self, questionnaire: Questionnaire, language: str = "fr") -> str:
        return answer_label(questionnaire.question(self.question), self.current, language)

    def suggested_label(self, questionnaire: Questionnaire, language: str = "fr") -> str:
        return answer_label(questionnaire.question(self.question), self.suggested, language)

    def describe(self, questionnaire: Questionnaire, language: str = "fr") -> str:
        """One line in plain words, e.g. ``« ... » : Rarement → Sous 24 heures``."""
        question = questionnaire.question(self.question)
        text = question.text.get(language)
        suggested = self.suggested_label(questionnaire, language)
        if self.any_answer:
            if language == "en":
                return f"Answer the new question “{text}”"
            return f"Répondre à la nouvelle question «\u00a0{text}\u00a0»"
        if self.current is None:
            if language == "en":
                return f"“{text}”: {suggested}"
            return f"«\u00a0{text}\u00a0»\u202f: {suggested}"
        current = self.current_label(questionnaire, language)
        if language == "en":
            return f"“{text}”: {current} → {suggested}"
        return f"«\u00a0{text}\u00a0»\u202f: {current} → {suggested}"


def apply_changes(answers: Mapping[str, Any], changes: list[Change]) -> dict[str, Any]:
    """The answers with the changes applied."""
    updated = dict(answers)
    for change in changes:
        updated[change.question] = change.suggested
    return updated


def next_rung_changes(
    questionnaire: Questionnaire, answers: Mapping[str, Any], result: Result | None = None
) -> list[Change]:
    """A short list of answer changes that takes the dealer to the next rung.

    Empty at the top rung. ``result`` is the score of ``answers`` (computed if omitted).
    Raises like :func:`~maturity.engine.scoring.score` for incomplete or invalid answers.
    """
    plan = plan_for(questionnaire)
    points, values, _contributions = plan.evaluate(answers)
    current_rung = plan.rung_of(points, plan.area_scores(points))
    if result is not None and result.rung != current_rung:
        raise ValueError("result does not match the answers (score them again)")
    if current_rung >= len(plan.rungs):
        return []
    return _Search(plan, values, points, current_rung + 1).run()


# --- the search --------------------------------------------------------------------------


class _Search:
    def __init__(self, plan: Any, values: list, points: list, target: int):
        self.plan = plan
        self.q = plan.questionnaire
        self.target = target
        self.keys = plan.keys
        self.rows = plan.rows
        # Answers that count: visible and answered (hidden answers are dropped).
        self.base = {k: v for k, v in zip(plan.keys, values, strict=True) if v is not None}
        self.base_points = points
        self.best_values: dict[str, Any] = {}
        self.lowest_values: dict[str, Any] = {}
        self.nodes = 0
        self.memo: dict[tuple, tuple[int, dict, list[str], list]] = {}
        n = len(plan.rows)
        self.area_of = [0] * n
        for area_i, (start, end, _maximum) in enumerate(plan.area_ranges):
            for i in range(start, end):
                self.area_of[i] = area_i

    # evaluation of a candidate: (rung, answers after completion, forced keys, points)
    def evaluate(self, raised: dict[str, Any]) -> tuple[int, dict, list[str], list]:
        memo_key = tuple(
            (k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(raised.items())
        )
        cached = self.memo.get(memo_key)
        if cached is None:
            cached = self.memo[memo_key] = self._evaluate(raised)
        return cached

    def _evaluate(self, raised: dict[str, Any]) -> tuple[int, dict, list[str], list]:
        answers = dict(self.base)
        answers.update(raised)
        forced: list[str] = []
        while True:
            try:
                points, _values, _c = self.plan.evaluate(answers)
            except IncompleteAnswers as exc:
                for key in exc.keys:
                    answers[key] = self.lowest(key)
                    forced.append(key)
                continue
            scores = self.plan.area_scores(points)
            return self.plan.rung_of(points, scores), answers, forced, points

    def lowest(self, key: str) -> Any:
        value = self.lowest_values.get(key)
        if value is None:
            value = self.lowest_values[key] = lowest_answer(self.q.question(key))
        return value

    def best(self, key: str) -> Any:
        value = self.best_values.get(key)
        if value is None:
            value = self.best_values[key] = best_answer(self.q.question(key))
        return value

    def unit(self, i: int, answers: dict) -> list[int]:
        """Question ``i`` and the triggers that must change to show it."""
        chain = [i]
        node = i
        while True:
            trigger = self.rows[node][6]
            if trigger < 0:
                break
            shown = answers.get(self.keys[trigger]) if self._visible(trigger, answers) else None
            reveal, tmulti = self.rows[node][7], self.rows[node][8]
            if shown is not None and (
                (tmulti and not reveal.isdisjoint(shown)) or (not tmulti and shown in reveal)
            ):
                break
            chain.append(trigger)
            node = trigger
        return chain

    def _visible(self, i: int, answers: dict) -> bool:
        node = i
        while True:
            trigger = self.rows[node][6]
            if trigger < 0:
                return True
            shown = answers.get(self.keys[trigger])
            reveal, tmulti = self.rows[node][7], self.rows[node][8]
            if shown is None:
                return False
            if tmulti:
                if reveal.isdisjoint(shown):
                    return False
            elif shown not in reveal:
                return False
            node = trigger

    def failing(self, points: list) -> list[tuple]:
        scores = self.plan.area_scores(points)
        failing = []
        website = False
        for _number, _key, _title, needs_website, conditions in self.plan.rungs[: self.target]:
            website = website or needs_website
            for c in conditions:
                if (scores[c[1]] if c[0] else points[c[1]]) < c[6]:
                    failing.append(c)
        if website:
            for c in self.plan.prerequisite:
                if (scores[c[1]] if c[0] else points[c[1]]) < c[6]:
                    failing.append(c)
        return failing

    def candidates(self, condition: tuple, points: list) -> list[int]:
        """Questions whose raise helps ``condition``, the biggest gain first."""
        is_area, target = condition[0], condition[1]
        if is_area:
            start, end, _maximum = self.plan.area_ranges[target]
            members = range(start, end)
        else:
            members = range(target, target + 1)
        out = [
            i
            for i in members
            if self.rows[i][9] >= 0 and self.plan.max_points[i] - points[i] > EPSILON
        ]
        out.sort(key=lambda i: (-(self.plan.max_points[i] - points[i]), i))
        return out

    def lower_bound(self, failing: list[tuple], points: list, taken: set[int]) -> int:
        """Changes still needed at least: per condition, the fewest raises covering its
        deficit (largest gains first); the maximum over conditions."""
        bound = 0
        for c in failing:
            is_area, target, minimum = c[0], c[1], c[2]
            if not is_area:
                bound = max(bound, 1)
                continue
            start, end, maximum = self.plan.area_ranges[target]
            deficit = (minimum - EPSILON) * maximum / 100.0 - sum(points[start:end])
            gains = sorted(
                (
                    self.plan.max_points[i] - points[i]
                    for i in range(start, end)
                    if i not in taken and self.rows[i][9] >= 0
                ),
                reverse=True,
            )
            count = 0
            for gain in gains:
                if deficit <= 0:
                    break
                deficit -= gain
                count += 1
            bound = max(bound, count if deficit <= 0 else 10**6)
        return bound

    def run(self) -> list[Change]:
        # Upper bound: raise every candidate of every failing condition (always enough:
        # every question at its best answer meets every condition).
        _rung, _a, _f, points = self.evaluate({})
        everything: dict[str, Any] = {}
        for condition in self.failing(points):
            for i in self.candidates(condition, points):
                for j in self.unit(i, self.base):
                    everything[self.keys[j]] = self.best(self.keys[j])
        best = self.greedy()
        if best is None:
            rung, _answers, forced, _p = self.evaluate(everything)
            assert rung >= self.target, "all questions at their best must reach every rung"
            best = (len(everything) + len(forced), everything)
        self.best_cost, self.best_raised = best
        self.dfs({}, set())
        raised = self.lower(self.best_raised)
        return self.changes(raised)

    def greedy(self) -> tuple[int, dict] | None:
        raised: dict[str, Any] = {}
        for _ in range(len(self.rows)):
            rung, answers, forced, points = self.evaluate(raised)
            if rung >= self.target:
                return len(raised) + len(forced), raised
            failing = self.failing(points)
            if not failing:
                return None
            options = self.candidates(failing[0], points)
            if not options:
                return None
            for j in self.unit(options[0], answers):
                raised[self.keys[j]] = self.best(self.keys[j])
        return None

    def dfs(self, raised: dict[str, Any], excluded: set[int]) -> None:
        self.nodes += 1
        if self.nodes > NODE_BUDGET:
            return
        rung, answers, forced, points = self.evaluate(raised)
        cost = len(raised) + len(forced)
        if rung >= self.target:
            if cost < self.best_cost:
                self.best_cost, self.best_raised = cost, dict(raised)
            return
        failing = self.failing(points)
        taken = {self.plan.index[k] for k in raised}
        if cost + max(1, self.lower_bound(failing, points, taken)) >= self.best_cost:
            return
        # Branch on the most constrained failing condition.
        best_condition = None
        best_options: list[int] = []
        for condition in failing:
            options = [i for i in self.candidates(condition, points) if i not in excluded]
            if best_condition is None or len(options) < len(best_options):
                best_condition, best_options = condition, options
        if not best_options:
            return
        newly_excluded = set(excluded)
        for i in best_options:
            branch = dict(raised)
            for j in self.unit(i, answers):
                branch[self.keys[j]] = self.best(self.keys[j])
            self.dfs(branch, newly_excluded)
            newly_excluded.add(i)

    def lower(self, raised: dict[str, Any]) -> dict[str, Any]:
        """Lower each raised answer to the least that still reaches the rung, without
        adding changes."""
        raised = dict(raised)
        _rung, _answers, forced, _p = self.evaluate(raised)
        cost = len(raised) + len(forced)
        for key in [k for k in self.keys if k in raised]:  # drop raises not needed
            trial = {k: v for k, v in raised.items() if k != key}
            rung, _answers, forced, _p = self.evaluate(trial)
            if rung >= self.target and len(trial) + len(forced) <= cost:
                raised, cost = trial, len(trial) + len(forced)
        for key in [k for k in self.keys if k in raised]:
            question = self.q.question(key)
            current = self.base.get(key)
            floor = answer_points(question, current) if current is not None else -1.0
            for value in _improvements(question, current):
                if answer_points(question, value) <= floor:
                    continue
                trial = dict(raised)
                trial[key] = value
                rung, _answers, forced, _p = self.evaluate(trial)
                if rung >= self.target and len(trial) + len(forced) <= cost:
                    raised = trial
                    cost = len(trial) + len(forced)
                    break
        return raised

    def changes(self, raised: dict[str, Any]) -> list[Change]:
        rung, answers, forced, points = self.evaluate(raised)
        assert rung >= self.target
        forced_set = set(forced)
        changes = []
        for i, key in enumerate(self.keys):
            if key not in raised and key not in forced_set:
                continue
            current = self.base.get(key)
            changes.append(
                Change(
                    question=key,
                    current=current,
                    suggested=answers[key],
                    points_before=self.base_points[i],
                    points_after=points[i],
                    newly_shown=not self._visible(i, self.base),
                    any_answer=key in forced_set,
                )
            )
        return changes


def _improvements(question: Any, current: Any) -> list[Any]:
    """Candidate answers, lowest points first; for multi, the current choice plus options:
    the fewest options added first and, among as many, the best-ranked first (a dealer
    with no social account is pointed at Facebook, not at the cheapest network)."""
    if question.kind != "multi":
        return ranked_answers(question)
    keep = []
    if isinstance(current, list) and current != [DONT_KNOW]:
        keep = [k for k in current if not (question.option(k) and question.option(k).exclusive)]
    extra = sorted(
        (o for o in question.options if not o.exclusive and o.key not in keep),
        key=lambda o: -o.points,
    )
    values = []
    for option in extra:  # one more option
        values.append([o.key for o in question.options if o.key in keep or o is option])
    chosen = list(keep)
    for option in extra[:-1]:  # then the best ones, cumulated
        chosen.append(option.key)
        if len(chosen) - len(keep) > 1:
            values.append([o.key for o in question.options if o.key in chosen])
    if len(extra) > 1:
        values.append([o.key for o in question.options if o.key in keep or o in extra])
    return sorted(values, key=lambda v: (len(v), -answer_points(question, v)))
