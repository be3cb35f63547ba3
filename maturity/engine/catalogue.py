"""Load ``actions.yaml``: the catalogue of roadmap actions, checked against a questionnaire.

Checks (every problem is reported, with path, action key and the problem):

* top level ``version`` (text) and ``actions`` (non-empty list); unknown fields refused;
* an action has ``key`` (snake_case, unique), ``area`` (an area of the questionnaire),
  ``title``, ``why``, ``kpi`` (fr and en), ``owner`` (dealer_principal, marketing, sales,
  after_sales, contact_center), ``effort`` (small, medium, large), ``impact`` (low, medium,
  high), ``closes`` (at least one gap), optional ``requires`` and ``not_if``;
* a gap is ``{question: KEY, below: N}`` (a scored question, 0 < N <= its maximum points)
  or ``{area: KEY, below: N}`` (0 < N <= 100);
* an exclusion is ``{question: KEY, answer_in: [OPTION, ...]}`` on a single, yes/no or
  multi question, naming options it has;
* ``requires`` names other actions of the catalogue, without cycles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._schema import Checker, ContentError, content_hash, join, read_yaml
from .definition import Questionnaire, Text, question_max_points

__all__ = [
    "EFFORTS",
    "IMPACTS",
    "OWNERS",
    "Action",
    "Catalogue",
    "CatalogueError",
    "Exclusion",
    "Gap",
    "load_catalogue",
    "parse_catalogue",
]

OWNERS = ("dealer_principal", "marketing", "sales", "after_sales", "contact_center")
EFFORTS = ("small", "medium", "large")
IMPACTS = ("low", "medium", "high")


class CatalogueError(ContentError):
    """``actions.yaml`` (or its data) does not follow the schema."""


@dataclass(frozen=True, slots=True)
class Gap:
    """Open while the points earned on ``question`` (or the score of ``area``) are below
    ``below``; a hidden question earns 0."""

    below: float
    question: str | None = None
    area: str | None = None

    @property
    def target(self) -> str:
        return self.question or self.area or ""


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Holds when the (visible) answer to ``question`` is one of ``answer_in`` (multi: any
    chosen option is)."""

    question: str
    answer_in: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Action:
    key: str
    area: str
    title: Text
    why: Text
    owner: str
    effort: str
    impact: str
    kpi: Text
    requires: tuple[str, ...]
    closes: tuple[Gap, ...]
    not_if: tuple[Exclusion, ...] = ()

    @property
    def quick_win(self) -> bool:
        return self.effort == "small" and self.impact == "high"


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: str
    content_hash: str
    questionnaire_hash: str  # the questionnaire the keys were checked against
    actions: tuple[Action, ...]
    _by_key: dict[str, Action] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({a.key: a for a in self.actions})

    def action(self, key: str) -> Action:
        return self._by_key[key]

    def has_action(self, key: str) -> bool:
        return key in self._by_key


def load_catalogue(path: str | Path, questionnaire: Questionnaire) -> Catalogue:
    data, source = read_yaml(path, CatalogueError)
    return parse_catalogue(data, source=source, questionnaire=questionnaire)


def parse_catalogue(
    data: Any, *, source: str = "<actions>", questionnaire: Questionnaire
) -> Catalogue:
    parser = _Parser(questionnaire)
    catalogue = parser.parse(data)
    if parser.problems or catalogue is None:
        raise CatalogueError(source, parser.problems)
    return catalogue


class _Parser(Checker):
    def __init__(self, questionnaire: Questionnaire):
        super().__init__()
        self.q = questionnaire
        self.area_keys = [a.key for a in questionnaire.areas]

    def parse(self, data: Any) -> Catalogue | None:
        top = self.fields(data, "", None, required=("version", "actions"))
        if top is None:
            return None
        version = self.string(top.get("version"), "version", None) if "version" in top else None
        raw_actions = self.items(top.get("actions"), "actions", None) if "actions" in top else []
        keys: dict[str, str] = {}
        for i, raw in enumerate(raw_actions):
            if isinstance(raw, dict) and isinstance(raw.get("key"), str):
                keys.setdefault(raw["key"], f"actions[{i}]")
        actions: list[Action] = []
        seen: set[str] = set()
        for i, raw in enumerate(raw_actions):
            action = self._action(raw, f"actions[{i}]", keys, seen)
            if action is not None:
                actions.append(action)
        if self.problems or version is None:
            return None
        self._check_cycles(actions)
        if self.problems:
            return None
        return Catalogue(
            version=version,
            content_hash=content_hash(data),
            questionnaire_hash=self.q.content_hash,
            actions=tuple(actions),
        )

    def _action(self, raw: Any, path: str, keys: dict[str, str], seen: set[str]) -> Action | None:
        named = raw.get("key") if isinstance(raw, dict) else None
        item = self.fields(
            raw,
            path,
            named if isinstance(named, str) else None,
            required=("key", "area", "title", "why", "owner", "effort", "impact", "kpi", "closes"),
            optional=("requires", "not_if"),
        )
        if item is None:
            return None
        key = (
            self.ident(item.get("key"), join(path, "key"), None, "action key")
            if "key" in item
            else None
        )
        if key is not None:
            if key in seen:
                self.error(path, key, f"duplicate action key '{key}' (first at {keys[key]})")
                key = None
            else:
                seen.add(key)
        area = item.get("area")
        if "area" in item and area not in self.area_keys:
            self.error(path, key, f"unknown area {area!r} (allowed: {', '.join(self.area_keys)})")
            area = None
        texts = {}
        for name in ("title", "why", "kpi"):
            texts[name] = self.text(item.get(name), join(path, name), key) if name in item else None
        choices = {}
        for name, allowed in (("owner", OWNERS), ("effort", EFFORTS), ("impact", IMPACTS)):
            value = item.get(name)
            if name in item and value not in allowed:
                self.error(path, key, f"unknown {name} {value!r} (allowed: {', '.join(allowed)})")
                value = None
            choices[name] = value
        requires: list[str] = []
        for j, required in enumerate(
            self.items(item.get("requires", []), join(path, "requires"), key, non_empty=False)
        ):
            rpath = f"{path}.requires[{j}]"
            if required == key:
                self.error(rpath, key, "an action cannot require itself")
            elif not isinstance(required, str) or required not in keys:
                self.error(rpath, key, f"requires unknown action {required!r}")
            elif required in requires:
                self.error(rpath, key, f"'{required}' is listed twice")
            else:
                requires.append(required)
        closes: list[Gap] = []
        for j, raw_gap in enumerate(self.items(item.get("closes"), join(path, "closes"), key)):
            gap = self._gap(raw_gap, f"{path}.closes[{j}]", key)
            if gap is not None:
                closes.append(gap)
        not_if: list[Exclusion] = []
        for j, raw_exclusion in enumerate(
            self.items(item.get("not_if", []), join(path, "not_if"), key, non_empty=False)
        ):
            exclusion = self._exclusion(raw_exclusion, f"{path}.not_if[{j}]", key)
            if exclusion is not None:
                not_if.append(exclusion)
        if (
            key is None
            or area is None
            or None in texts.values()
            or None in choices.values()
            or not closes
        ):
            return None
        return Action(
            key=key,
            area=area,
            title=texts["title"],
            why=texts["why"],
            owner=choices["owner"],
            effort=choices["effort"],
            impact=choices["impact"],
            kpi=texts["kpi"],
            requires=tuple(requires),
            closes=tuple(closes),
            not_if=tuple(not_if),
        )

    def _gap(self, raw: Any, path: str, key: str | None) -> Gap | None:
        if not isinstance(raw, dict):
            self.error(
                path, key, "expected a mapping {question: KEY, below: N} or {area: KEY, below: N}"
            )
            return None
        target_field = "area" if "area" in raw else "question"
        item = self.fields(raw, path, key, required=(target_field, "below"))
        if item is None or target_field not in item:
            return None
        target = item[target_field]
        if target_field == "area":
            if target not in self.area_keys:
                self.error(path, key, f"gap refers to unknown area {target!r}")
                return None
            maximum = 100.0
        else:
            if not isinstance(target, str) or not self.q.has_question(target):
                self.error(path, key, f"gap refers to unknown question {target!r}")
                return None
            question = self.q.question(target)
            if not question.scored:
                self.error(
                    path,
                    key,
                    f"gap refers to question '{target}' of kind '{question.kind}', "
                    "which is not scored",
                )
                return None
            maximum = float(question_max_points(question))
        below = (
            self.number(item.get("below"), join(path, "below"), key, positive=True)
            if "below" in item
            else None
        )
        if below is None:
            return None
        if below > maximum:
            what = "an area score" if target_field == "area" else f"question '{target}'"
            self.error(
                join(path, "below"),
                key,
                f"below {below:g} can never close: {what} gives at most {maximum:g}",
            )
            return None
        if target_field == "area":
            return Gap(below=below, area=target)
        return Gap(below=below, question=target)

    def _exclusion(self, raw: Any, path: str, key: str | None) -> Exclusion | None:
        item = self.fields(raw, path, key, required=("question", "answer_in"))
        if item is None or "question" not in item or "answer_in" not in item:
            return None
        target = item["question"]
        if not isinstance(target, str) or not self.q.has_question(target):
            self.error(path, key, f"not_if refers to unknown question {target!r}")
            return None
        question = self.q.question(target)
        if question.kind not in ("single", "yesno", "multi"):
            self.error(
                path,
                key,
                f"not_if refers to question '{target}' of kind '{question.kind}': "
                "only single, yesno and multi answers can be matched",
            )
            return None
        options = item["answer_in"]
        if isinstance(options, list) and question.kind == "yesno":
            options = [("yes" if o else "no") if isinstance(o, bool) else o for o in options]
        if not isinstance(options, list) or not options:
            self.error(join(path, "answer_in"), key, "expected a non-empty list of option keys")
            return None
        known = [o.key for o in question.options]
        for option in options:
            if option not in known:
                self.error(
                    join(path, "answer_in"),
                    key,
                    f"question '{target}' has no option {option!r} (options: {', '.join(known)})",
                )
                return None
        return Exclusion(question=target, answer_in=tuple(options))

    def _check_cycles(self, actions: list[Action]) -> None:
        requires = {a.key: a.requires for a in actions}
        state: dict[str, int] = {}  # 1: on the stack, 2: done
        reported: set[frozenset[str]] = set()

        def visit(key: str, stack: list[str]) -> None:
            state[key] = 1
            stack.append(key)
            for required in requires.get(key, ()):
                if state.get(required) == 1:
                    cycle = [*stack[stack.index(required) :], required]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        index = next(i for i, a in enumerate(actions) if a.key == cycle[0])
                        self.error(
                            f"actions[{index}].requires",
                            cycle[0],
                            "requires form a cycle: " + " -> ".join(cycle),
                        )
                elif state.get(required) is None:
                    visit(required, stack)
            stack.pop()
            state[key] = 2

        for action in actions:
            if action.key not in state:
                visit(action.key, [])
