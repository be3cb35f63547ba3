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
* ``requires`` names other actions of the catalogue, without cycles;
* optional ``profiles`` (the dealer profiles the action applies to), ``variants`` (texts
  for some profiles: ``{profiles: [...], title?, why?, kpi?}``, no profile twice),
  ``supersedes`` (actions this one replaces once they are done: never in the same
  horizon) and ``outcome`` (``{question: answer}``: the answers the action leads to, each
  a valid answer of its question);
* optional top-level ``horizons`` (the three roadmap periods ``0-3``, ``3-6``, ``6-12`` in
  order, each with a ``capacity``: at most that many actions) and ``maintenance`` (advice
  for the top rung: ``{key, title, why}`` with keys ``kpi_review``, ``reassess``,
  ``weakest_area``).

A catalogue is checked against every question of the questionnaire, whatever the dealer
profile. :meth:`Catalogue.for_questionnaire` gives the catalogue as it applies to the
questionnaire of one profile: actions for other profiles are left out, texts come from
the profile's variant, and gaps, exclusions and outcomes on questions (or options) the
profile is not asked are dropped (an action left without a gap is left out, a gap's
``below`` is capped at what the profile can earn).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ._schema import Checker, ContentError, content_hash, join, read_yaml
from .answers import AnswerError, validate_answer
from .definition import PROFILES, AnswerValue, Questionnaire, Text, question_max_points

__all__ = [
    "DEFAULT_CAPACITIES",
    "EFFORTS",
    "HORIZON_KEYS",
    "IMPACTS",
    "MAINTENANCE_KEYS",
    "OWNERS",
    "Action",
    "Advice",
    "Catalogue",
    "CatalogueError",
    "Exclusion",
    "Gap",
    "Horizon",
    "Variant",
    "load_catalogue",
    "parse_catalogue",
]

OWNERS = ("dealer_principal", "marketing", "sales", "after_sales", "contact_center")
EFFORTS = ("small", "medium", "large")
IMPACTS = ("low", "medium", "high")
HORIZON_KEYS = ("0-3", "3-6", "6-12")
# Capacities of a catalogue that does not set them (the content file does).
DEFAULT_CAPACITIES = (5, 6, 8)
MAINTENANCE_KEYS = ("kpi_review", "reassess", "weakest_area")


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
class Variant:
    """Texts of an action for some dealer profiles (``None``: the action's own text)."""

    profiles: tuple[str, ...]
    title: Text | None = None
    why: Text | None = None
    kpi: Text | None = None


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
    profiles: tuple[str, ...] = ()  # applies to these dealer profiles only (empty: all)
    supersedes: tuple[str, ...] = ()  # replaces these once they are done (a later horizon)
    # The answers the action leads to, as ``(question, answer)`` pairs (multi: a tuple).
    outcome: tuple[tuple[str, Any], ...] = ()
    variants: tuple[Variant, ...] = ()

    @property
    def quick_win(self) -> bool:
        return self.effort == "small" and self.impact == "high"

    def applies_to(self, profile: str) -> bool:
        return not self.profiles or profile in self.profiles

    def outcome_answers(self) -> dict[str, AnswerValue]:
        """``outcome`` as answers (multi-choice answers as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.outcome}


@dataclass(frozen=True, slots=True)
class Horizon:
    key: str  # one of HORIZON_KEYS
    capacity: int  # at most this many actions still to do


@dataclass(frozen=True, slots=True)
class Advice:
    """Maintenance advice for a dealer at the top rung (texts from the catalogue)."""

    key: str  # one of MAINTENANCE_KEYS
    title: Text
    why: Text
    question: str | None = None  # the question whose answer the advice is about, if any


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: str
    content_hash: str
    questionnaire_hash: str  # the questionnaire the keys were checked against
    actions: tuple[Action, ...]
    horizons: tuple[Horizon, ...] = tuple(
        Horizon(k, c) for k, c in zip(HORIZON_KEYS, DEFAULT_CAPACITIES, strict=True)
    )
    maintenance: tuple[Advice, ...] = ()
    profile: str | None = None  # None: every profile (as loaded); else as it applies to one
    _by_key: dict[str, Action] = field(default_factory=dict, compare=False, repr=False)
    _variants: dict[str, Catalogue] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({a.key: a for a in self.actions})

    def action(self, key: str) -> Action:
        return self._by_key[key]

    def has_action(self, key: str) -> bool:
        return key in self._by_key

    def capacity(self, horizon: str) -> int:
        for item in self.horizons:
            if item.key == horizon:
                return item.capacity
        raise KeyError(horizon)

    def advice(self, key: str) -> Advice | None:
        for item in self.maintenance:
            if item.key == key:
                return item
        return None

    def for_questionnaire(self, questionnaire: Questionnaire) -> Catalogue:
        """The catalogue as it applies to ``questionnaire``'s dealer profile (cached)."""
        if self.profile is not None:
            if self.profile == questionnaire.profile:
                return self
            raise ValueError("the catalogue was specialised for another dealer profile")
        if questionnaire.content_hash != self.questionnaire_hash:
            raise ValueError("the catalogue was checked against another questionnaire version")
        cached = self._variants.get(questionnaire.profile)
        if cached is None:
            cached = _specialise(self, questionnaire)
            self._variants[questionnaire.profile] = cached
        return cached


def _specialise(catalogue: Catalogue, questionnaire: Questionnaire) -> Catalogue:
    profile = questionnaire.profile
    kept: list[Action] = []
    for action in catalogue.actions:
        if not action.applies_to(profile):
            continue
        gaps = []
        for gap in action.closes:
            if gap.question is None:
                gaps.append(gap)
                continue
            if not questionnaire.has_question(gap.question):
                continue
            top = float(question_max_points(questionnaire.question(gap.question)))
            if top <= 0:
                continue
            gaps.append(gap if gap.below <= top else Gap(below=top, question=gap.question))
        if not gaps:
            continue
        not_if = []
        for exclusion in action.not_if:
            if not questionnaire.has_question(exclusion.question):
                continue
            offered = {o.key for o in questionnaire.question(exclusion.question).options}
            answer_in = tuple(o for o in exclusion.answer_in if o in offered)
            if answer_in:
                not_if.append(Exclusion(question=exclusion.question, answer_in=answer_in))
        outcome = []
        for key, value in action.outcome:
            if not questionnaire.has_question(key):
                continue
            question = questionnaire.question(key)
            if isinstance(value, tuple):
                offered = {o.key for o in question.options}
                value = tuple(v for v in value if v in offered)
                if not value:
                    continue
            outcome.append((key, value))
        variant = next((v for v in action.variants if profile in v.profiles), None)
        kept.append(
            replace(
                action,
                title=variant.title if variant and variant.title else action.title,
                why=variant.why if variant and variant.why else action.why,
                kpi=variant.kpi if variant and variant.kpi else action.kpi,
                closes=tuple(gaps),
                not_if=tuple(not_if),
                outcome=tuple(outcome),
                variants=(),
            )
        )
    keys = {a.key for a in kept}
    kept = [
        replace(
            a,
            requires=tuple(r for r in a.requires if r in keys),
            supersedes=tuple(r for r in a.supersedes if r in keys),
        )
        for a in kept
    ]
    return Catalogue(
        version=catalogue.version,
        content_hash=catalogue.content_hash,
        questionnaire_hash=catalogue.questionnaire_hash,
        actions=tuple(kept),
        horizons=catalogue.horizons,
        maintenance=catalogue.maintenance,
        profile=profile,
    )


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
        top = self.fields(
            data, "", None, required=("version", "actions"), optional=("horizons", "maintenance")
        )
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
        horizons = self._horizons(top["horizons"]) if "horizons" in top else None
        maintenance = self._maintenance(top.get("maintenance", []))
        if self.problems or version is None:
            return None
        self._check_cycles(actions)
        for i, action in enumerate(actions):
            for other in action.supersedes:
                if other == action.key:
                    self.error(
                        f"actions[{i}].supersedes", action.key, "an action cannot supersede itself"
                    )
                elif other not in keys:
                    self.error(
                        f"actions[{i}].supersedes",
                        action.key,
                        f"supersedes unknown action {other!r}",
                    )
        if self.problems:
            return None
        extra: dict[str, Any] = {}
        if horizons is not None:
            extra["horizons"] = horizons
        return Catalogue(
            version=version,
            content_hash=content_hash(data),
            questionnaire_hash=self.q.content_hash,
            actions=tuple(actions),
            maintenance=maintenance,
            **extra,
        )

    def _horizons(self, value: Any) -> tuple[Horizon, ...] | None:
        items = self.items(value, "horizons", None)
        out: list[Horizon] = []
        if isinstance(value, list) and len(items) != len(HORIZON_KEYS):
            self.error(
                "horizons",
                None,
                f"expected the {len(HORIZON_KEYS)} horizons {', '.join(HORIZON_KEYS)}",
            )
            return None
        for i, raw in enumerate(items):
            path = f"horizons[{i}]"
            item = self.fields(raw, path, None, required=("key", "capacity"))
            if item is None:
                return None
            if item.get("key") != HORIZON_KEYS[i]:
                self.error(
                    path, None, f"expected the horizon '{HORIZON_KEYS[i]}', got {item.get('key')!r}"
                )
                return None
            capacity = self.number(
                item.get("capacity"),
                join(path, "capacity"),
                item["key"],
                positive=True,
                integer=True,
            )
            if capacity is None:
                return None
            out.append(Horizon(key=item["key"], capacity=int(capacity)))
        return tuple(out)

    def _maintenance(self, value: Any) -> tuple[Advice, ...]:
        out: list[Advice] = []
        seen: set[str] = set()
        for i, raw in enumerate(self.items(value, "maintenance", None, non_empty=False)):
            path = f"maintenance[{i}]"
            item = self.fields(
                raw, path, None, required=("key", "title", "why"), optional=("question",)
            )
            if item is None:
                continue
            key = item.get("key")
            if key not in MAINTENANCE_KEYS:
                self.error(
                    path, None, f"unknown advice {key!r} (allowed: {', '.join(MAINTENANCE_KEYS)})"
                )
                continue
            if key in seen:
                self.error(path, key, f"advice '{key}' is listed twice")
                continue
            seen.add(key)
            title = self.text(item.get("title"), join(path, "title"), key)
            why = self.text(item.get("why"), join(path, "why"), key)
            question = item.get("question")
            if question is not None and self.q.any_question(question) is None:
                self.error(path, key, f"advice refers to unknown question {question!r}")
                continue
            if title and why:
                out.append(Advice(key=key, title=title, why=why, question=question))
        return tuple(out)

    def _action(self, raw: Any, path: str, keys: dict[str, str], seen: set[str]) -> Action | None:
        named = raw.get("key") if isinstance(raw, dict) else None
        item = self.fields(
            raw,
            path,
            named if isinstance(named, str) else None,
            required=("key", "area", "title", "why", "owner", "effort", "impact", "kpi", "closes"),
            optional=("requires", "not_if", "profiles", "supersedes", "outcome", "variants"),
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
        profiles: tuple[str, ...] = ()
        if "profiles" in item:
            profiles = self._profiles(item["profiles"], join(path, "profiles"), key)
        supersedes: list[str] = []
        for j, other in enumerate(
            self.items(item.get("supersedes", []), join(path, "supersedes"), key, non_empty=False)
        ):
            if not isinstance(other, str) or other in supersedes:
                self.error(
                    f"{path}.supersedes[{j}]", key, f"expected an action key once, got {other!r}"
                )
            else:
                supersedes.append(other)
        outcome = self._outcome(item.get("outcome", {}), join(path, "outcome"), key)
        variants = self._variants(item.get("variants", []), join(path, "variants"), key)
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
            profiles=profiles,
            supersedes=tuple(supersedes),
            outcome=outcome,
            variants=variants,
        )

    def _profiles(self, value: Any, path: str, key: str | None) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.error(path, key, "expected a non-empty list of dealer profiles")
            return ()
        for profile in value:
            if profile not in PROFILES:
                self.error(
                    path, key, f"unknown dealer profile {profile!r} (known: {', '.join(PROFILES)})"
                )
                return ()
        if len(set(value)) != len(value):
            self.error(path, key, "a profile is listed twice")
            return ()
        return tuple(value)

    def _outcome(self, value: Any, path: str, key: str | None) -> tuple[tuple[str, Any], ...]:
        if not isinstance(value, dict):
            self.error(path, key, "expected a mapping {question: answer}")
            return ()
        out: list[tuple[str, Any]] = []
        for target, answer in value.items():
            question = self.q.any_question(target) if isinstance(target, str) else None
            if question is None:
                self.error(path, key, f"outcome refers to unknown question {target!r}")
                continue
            if not question.scored:
                self.error(path, key, f"outcome refers to question '{target}', which is not scored")
                continue
            if question.kind == "yesno" and isinstance(answer, bool):
                answer = "yes" if answer else "no"
            try:
                normalized = validate_answer(question, answer)
            except AnswerError as error:
                self.error(join(path, target), key, f"not an answer of the question: {error}")
                continue
            out.append((target, tuple(normalized) if isinstance(normalized, list) else normalized))
        return tuple(out)

    def _variants(self, value: Any, path: str, key: str | None) -> tuple[Variant, ...]:
        out: list[Variant] = []
        seen: set[str] = set()
        for j, raw in enumerate(self.items(value, path, key, non_empty=False)):
            vpath = f"{path}[{j}]"
            item = self.fields(
                raw, vpath, key, required=("profiles",), optional=("title", "why", "kpi")
            )
            if item is None:
                continue
            profiles = self._profiles(item.get("profiles"), join(vpath, "profiles"), key)
            twice = [p for p in profiles if p in seen]
            if twice:
                self.error(vpath, key, f"profile '{twice[0]}' has two variants")
            seen.update(profiles)
            texts = {
                name: self.text(item[name], join(vpath, name), key)
                for name in ("title", "why", "kpi")
                if name in item
            }
            if not texts:
                self.error(vpath, key, "a variant needs a title, a why or a kpi")
            if profiles and texts and None not in texts.values():
                out.append(Variant(profiles=profiles, **texts))
        return tuple(out)

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
            question = self.q.any_question(target) if isinstance(target, str) else None
            if question is None:
                self.error(path, key, f"gap refers to unknown question {target!r}")
                return None
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
        question = self.q.any_question(target) if isinstance(target, str) else None
        if question is None:
            self.error(path, key, f"not_if refers to unknown question {target!r}")
            return None
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
        # What an action supersedes comes before it, like what it requires.
        requires = {a.key: a.requires + a.supersedes for a in actions}
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
