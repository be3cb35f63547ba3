"""Load ``questionnaire.yaml`` into a :class:`~maturity.engine.definition.Questionnaire`.

The schema check refuses malformed content with a :class:`QuestionnaireError` whose
message names where (``areas[2].questions[4]``), which key (``reviews_reply_speed``) and
what is wrong. Every problem in the file is reported at once.

Rules checked (``maturity/content/README.md``), plus a few that keep scoring sound:

* top level: ``version`` (text), ``levels``, ``areas``, ``ladder``; unknown fields refused
  everywhere; every text has non-empty ``fr`` and ``en``;
* levels: unique keys, ``min_score`` in 0..100, strictly ascending, the first at 0;
* areas: keys among the seven area keys, unique, in the canonical order (all seven unless
  ``require_all_areas=False``); weight > 0; every area can score (maximum > 0);
* questions: key snake_case, unique across the questionnaire, prefixed by the area key
  (``website_...``); known kind; only the fields of that kind; points >= 0;
  single/multi have >= 2 options with unique snake_case keys (``dont_know`` is reserved);
  ``exclusive`` only in multi, and an exclusive option scores no more than any other
  option of the question (so "all the other options" is the best answer);
  yes/no questions give ``points: {yes: N, no: M}`` (labels supplied by the app);
  scale: whole ``min < max``, ``points`` has ``max - min + 1`` non-decreasing entries;
  number: ``min < max``, at least one band, bands strictly ascending by ``at_least``
  within ``min..max`` with non-decreasing points; text/url: ``max_length`` > 0;
  ``allow_dont_know`` only for scored kinds;
* ``show_if`` names an earlier single/yesno/multi question and options it has, and the
  revealing options are upward closed;
* ``profiles`` (optional, on a question or a non-exclusive multi-choice option): a
  non-empty list of known dealer profiles, no repeats; a question revealed by a question
  asked of some profiles only is asked of no other profile; for every profile each area
  can score, and each ladder condition names a question asked of every profile whose
  ``min`` that profile can reach;
* ``confidence`` (optional): ``provisional_above``, a share between 0 and 1;
* ``measurements`` (optional): ``max_age_days``, a whole number of days > 0, the age up to
  which a measurement stands in for what was declared;
* ``measured_by`` names a known measured check (``website.mobile``): on a single or yes/no
  question together with ``measured_answer`` (one of its options: the answer a failed check
  stands for), or on a non-exclusive option of a multi-choice question that has an
  exclusive option (what is left when every chosen option is disproved);
  a measured **figure** (``leads.response_time``, ``reviews.rating``...: a number) on a
  single-choice question with ``measured_bands`` instead (a list of ``{at_most | at_least:
  number, answer: option}`` read in order, the last one with neither: it holds for any
  value), or on a number question (the measured value is the measured answer);
* ladder: exactly five rungs numbered 1..5; rung 1 has no condition; ``requires_website``
  is true for rungs 3..5 and false for 1..2 (it defaults to that); the website
  prerequisite has at least one condition; conditions name existing areas (min in
  0 < min <= 100) or scored questions (0 < min <= the question's maximum points).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._schema import Checker, ContentError, Problem, content_hash, join, read_yaml
from .definition import (
    DEFAULT_MEASUREMENT_MAX_AGE_DAYS,
    DEFAULT_PROFILE,
    DEFAULT_PROVISIONAL_ABOVE,
    DONT_KNOW,
    NO_LABEL,
    PROFILES,
    SCORED_KINDS,
    YES_LABEL,
    Area,
    Condition,
    Level,
    MeasuredBand,
    NumberBand,
    NumberSpec,
    Option,
    Question,
    Questionnaire,
    Rung,
    Scale,
    ShowIf,
    Text,
    areas_for_profile,
    question_max_points,
)
from .names import FIGURE_UNITS, MEASURED_SOURCES

__all__ = [
    "AREA_KEYS",
    "AREA_PREFIXES",
    "Problem",
    "QuestionnaireError",
    "load_questionnaire",
    "parse_questionnaire",
]

AREA_KEYS: tuple[str, ...] = (
    "website",
    "social",
    "reviews",
    "monitoring",
    "crm",
    "contact_center",
    "strategy",
)
# A question key starts with its area's key (or the area's short form).
AREA_PREFIXES: dict[str, tuple[str, ...]] = {key: (key + "_",) for key in AREA_KEYS}
AREA_PREFIXES["contact_center"] = ("contact_center_", "cc_")
KINDS = ("single", "multi", "yesno", "scale", "number", "text", "url")

_COMMON_FIELDS = (
    "key",
    "kind",
    "required",
    "allow_dont_know",
    "text",
    "help",
    "show_if",
    "profiles",
)
_KIND_FIELDS = {
    "single": ("options", "measured_by", "measured_answer", "measured_bands"),
    "multi": ("options",),
    "yesno": ("points", "measured_by", "measured_answer"),
    "scale": ("scale",),
    "number": ("number", "measured_by"),
    "text": ("max_length",),
    "url": ("max_length",),
}
_KIND_REQUIRED = {"single": "options", "multi": "options", "yesno": "points"}
_KIND_REQUIRED.update(scale="scale", number="number")
_YAML11_BOOLS = {True: "yes", False: "no"}


class QuestionnaireError(ContentError):
    """``questionnaire.yaml`` (or its data) does not follow the schema."""


def load_questionnaire(path: str | Path, *, require_all_areas: bool = True) -> Questionnaire:
    """Read and check a questionnaire file (strict YAML: no duplicate keys, no yes/no bools)."""
    data, source = read_yaml(path, QuestionnaireError)
    return parse_questionnaire(data, source=source, require_all_areas=require_all_areas)


def parse_questionnaire(
    data: dict, *, source: str = "<questionnaire>", require_all_areas: bool = True
) -> Questionnaire:
    """Check raw questionnaire data and build the immutable definition.

    ``require_all_areas=False`` accepts a subset of the seven areas (still in the canonical
    order); it is meant for small questionnaires in tests.
    """
    parser = _Parser(require_all_areas=require_all_areas)
    questionnaire = parser.parse(data)
    if parser.problems or questionnaire is None:
        raise QuestionnaireError(source, parser.problems)
    return questionnaire


def _name(raw: Any) -> str | None:
    """The key of a raw object, to name it in messages before it is checked."""
    key = raw.get("key") if isinstance(raw, dict) else None
    return key if isinstance(key, str) else None


class _Parser(Checker):
    def __init__(self, *, require_all_areas: bool) -> None:
        super().__init__()
        self.require_all_areas = require_all_areas
        self.questions: dict[str, Question] = {}  # parsed so far, in order
        self.question_paths: dict[str, str] = {}
        self.all_question_keys: set[str] = set()
        self.area_keys: set[str] = set()

    # -- top level ------------------------------------------------------------------

    def parse(self, data: Any) -> Questionnaire | None:
        top = self.fields(
            data,
            "",
            None,
            required=("version", "levels", "areas", "ladder"),
            optional=("confidence", "measurements"),
        )
        if top is None:
            return None
        version = self.string(top.get("version"), "version", None) if "version" in top else None
        levels = self._levels(top.get("levels")) if "levels" in top else ()
        provisional_above = self._confidence(top.get("confidence", {}))
        max_age_days = self._measurements(top.get("measurements", {}))
        self._collect_question_keys(top.get("areas"))
        areas = self._areas(top.get("areas")) if "areas" in top else ()
        ladder = self._ladder(top.get("ladder")) if "ladder" in top else None
        if self.problems or version is None or ladder is None:
            return None
        rungs, prerequisite = ladder
        self._check_profiles(areas, rungs, prerequisite)
        if self.problems:
            return None
        return Questionnaire(
            version=version,
            content_hash=content_hash(data),
            areas=areas_for_profile(areas, DEFAULT_PROFILE),
            levels=levels,
            rungs=rungs,
            website_prerequisite=prerequisite,
            profile=DEFAULT_PROFILE,
            all_areas=areas,
            provisional_above=provisional_above,
            measurement_max_age_days=max_age_days,
        )

    def _measurements(self, value: Any) -> int:
        item = self.fields(value, "measurements", None, required=(), optional=("max_age_days",))
        if item is None or "max_age_days" not in item:
            return DEFAULT_MEASUREMENT_MAX_AGE_DAYS
        days = self.number(
            item["max_age_days"], "measurements.max_age_days", None, positive=True, integer=True
        )
        return DEFAULT_MEASUREMENT_MAX_AGE_DAYS if days is None else int(days)

    def _measured_by(self, value: Any, path: str, key: str | None) -> str | None:
        """``<source>.<check>`` naming a known measured check, else a problem."""
        name = self.string(value, path, key)
        if name is None:
            return None
        source, _, check = name.partition(".")
        if check not in MEASURED_SOURCES.get(source, ()):
            known = ", ".join(f"{s}.{c}" for s, checks in MEASURED_SOURCES.items() for c in checks)
            self.error(path, key, f"unknown measured check {name!r} (known: {known})")
            return None
        return name

    def _measured_bands(
        self, value: Any, path: str, key: str | None, options: tuple[Option, ...]
    ) -> tuple[MeasuredBand, ...]:
        """Bands read in order, each naming an option; the last one holds for any value."""
        bands: list[MeasuredBand] = []
        keys = {o.key for o in options}
        raw_items = self.items(value, path, key)
        for i, raw in enumerate(raw_items):
            bpath = f"{path}[{i}]"
            item = self.fields(
                raw, bpath, key, required=("answer",), optional=("at_most", "at_least")
            )
            if item is None:
                continue
            answer = self.string(item.get("answer"), join(bpath, "answer"), key)
            if answer is not None and options and answer not in keys:
                self.error(join(bpath, "answer"), key, f"{answer!r} is not an option")
                answer = None
            bounds = {}
            for name in ("at_most", "at_least"):
                if name in item:
                    bounds[name] = self.number(item[name], join(bpath, name), key, minimum=0)
            if len(bounds) > 1:
                self.error(bpath, key, "a band has 'at_most' or 'at_least', not both")
            last = i == len(raw_items) - 1
            if last and bounds:
                self.error(bpath, key, "the last band holds for any value (no bound)")
            elif not last and not bounds:
                self.error(bpath, key, "only the last band is without a bound")
            if answer is not None:
                bands.append(MeasuredBand(answer=answer, **bounds))
        return tuple(bands)

    def _confidence(self, value: Any) -> float:
        item = self.fields(value, "confidence", None, required=(), optional=("provisional_above",))
        if item is None or "provisional_above" not in item:
            return DEFAULT_PROVISIONAL_ABOVE
        share = self.number(
            item["provisional_above"], "confidence.provisional_above", None, minimum=0, maximum=1
        )
        return DEFAULT_PROVISIONAL_ABOVE if share is None else float(share)

    def _profiles(self, value: Any, path: str, key: str | None) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.error(path, key, "expected a non-empty list of dealer profiles")
            return ()
        out: list[str] = []
        for item in value:
            if item not in PROFILES:
                self.error(
                    path, key, f"unknown dealer profile {item!r} (known: {', '.join(PROFILES)})"
                )
                return ()
            if item in out:
                self.error(path, key, f"profile '{item}' is listed twice")
                return ()
            out.append(item)
        return tuple(out)

    def _check_profiles(
        self,
        areas: tuple[Area, ...],
        rungs: tuple[Rung, ...],
        prerequisite: tuple[Condition, ...],
    ) -> None:
        """Every profile can score in every area and meet every rung condition."""
        by_key = {q.key: q for a in areas for q in a.questions}
        paths = self.question_paths
        for i, area in enumerate(areas):
            for question in area.questions:
                trigger = by_key.get(question.show_if.question) if question.show_if else None
                if trigger is not None and trigger.profiles:
                    wider = [
                        p for p in (question.profiles or PROFILES) if p not in trigger.profiles
                    ]
                    if wider:
                        self.error(
                            paths.get(question.key, f"areas[{i}]"),
                            question.key,
                            f"show_if refers to question '{trigger.key}', which is not asked of "
                            f"{', '.join(wider)}: give this question profiles that '{trigger.key}' "
                            "is asked of",
                        )
        conditions = [("ladder.website_prerequisite", None, c) for c in prerequisite]
        conditions += [("ladder.rungs", r.key, c) for r in rungs for c in r.conditions]
        for path, rung_key, condition in conditions:
            if condition.question is None:
                continue
            question = by_key[condition.question]
            if question.profiles:
                self.error(
                    path,
                    rung_key,
                    f"condition refers to question '{question.key}', which is asked of some "
                    "profiles only: a rung condition must hold a question every profile is asked",
                )
        for profile in PROFILES:
            variant = areas_for_profile(areas, profile)
            for i, area in enumerate(variant):
                if not any(question_max_points(q) > 0 for q in area.questions):
                    self.error(
                        f"areas[{i}]",
                        area.key,
                        f"no question of the area can earn points for the profile '{profile}'",
                    )
            questions = {q.key: q for a in variant for q in a.questions}
            for path, rung_key, condition in conditions:
                question = questions.get(condition.question or "")
                if question is not None and condition.min > question_max_points(question) + 1e-9:
                    self.error(
                        path,
                        rung_key,
                        f"min {condition.min:g} on '{question.key}' can never be reached by the "
                        f"profile '{profile}' (at most {question_max_points(question):g})",
                    )

    def _collect_question_keys(self, areas: Any) -> None:
        if not isinstance(areas, list):
            return
        for area in areas:
            if isinstance(area, dict) and isinstance(area.get("questions"), list):
                for question in area["questions"]:
                    if isinstance(question, dict) and isinstance(question.get("key"), str):
                        self.all_question_keys.add(question["key"])

    # -- levels -----------------------------------------------------------------------

    def _levels(self, value: Any) -> tuple[Level, ...]:
        levels: list[Level] = []
        keys: set[str] = set()
        previous: float | None = None
        for i, raw in enumerate(self.items(value, "levels", None)):
            path = f"levels[{i}]"
            item = self.fields(raw, path, _name(raw), required=("key", "min_score", "label"))
            if item is None:
                continue
            key = self.ident(item.get("key"), join(path, "key"), None) if "key" in item else None
            if key is not None and key in keys:
                self.error(path, key, f"duplicate level key '{key}'")
            if key:
                keys.add(key)
            min_score = None
            if "min_score" in item:
                min_score = self.number(
                    item["min_score"], join(path, "min_score"), key, minimum=0, maximum=100
                )
            if min_score is not None:
                if i == 0 and min_score != 0:
                    self.error(path, key, f"the first level must start at 0, got {min_score}")
                if previous is not None and min_score <= previous:
                    self.error(
                        path,
                        key,
                        f"levels must be sorted by min_score, strictly ascending: "
                        f"{min_score} comes after {previous}",
                    )
                previous = min_score
            label = (
                self.text(item.get("label"), join(path, "label"), key) if "label" in item else None
            )
            if key and min_score is not None and label:
                levels.append(Level(key=key, min_score=min_score, label=label))
        return tuple(levels)

    # -- areas ------------------------------------------------------------------------

    def _areas(self, value: Any) -> tuple[Area, ...]:
        areas: list[Area] = []
        seen: list[str] = []
        for i, raw in enumerate(self.items(value, "areas", None)):
            path = f"areas[{i}]"
            item = self.fields(
                raw, path, _name(raw), required=("key", "weight", "title", "intro", "questions")
            )
            if item is None:
                continue
            key = self.ident(item.get("key"), join(path, "key"), None) if "key" in item else None
            if key is not None:
                if key not in AREA_KEYS:
                    self.error(path, key, f"unknown area '{key}' (allowed: {', '.join(AREA_KEYS)})")
                elif key in seen:
                    self.error(path, key, f"duplicate area '{key}'")
                elif seen and AREA_KEYS.index(key) < AREA_KEYS.index(seen[-1]):
                    self.error(
                        path,
                        key,
                        f"areas must come in the order {', '.join(AREA_KEYS)}: "
                        f"'{key}' comes after '{seen[-1]}'",
                    )
                seen.append(key)
                self.area_keys.add(key)
            weight = (
                self.number(item["weight"], join(path, "weight"), key, positive=True)
                if "weight" in item
                else None
            )
            title = (
                self.text(item.get("title"), join(path, "title"), key) if "title" in item else None
            )
            intro = (
                self.text(item.get("intro"), join(path, "intro"), key) if "intro" in item else None
            )
            questions: list[Question] = []
            for j, raw_question in enumerate(
                self.items(item.get("questions"), join(path, "questions"), key)
            ):
                question = self._question(raw_question, f"{path}.questions[{j}]", key or "")
                if question is not None:
                    questions.append(question)
            complete = isinstance(item.get("questions"), list) and len(questions) == len(
                item["questions"]
            )
            if key and complete and not any(question_max_points(q) > 0 for q in questions):
                self.error(path, key, "no question of the area can earn points")
            if key and weight is not None and title and intro:
                areas.append(
                    Area(
                        key=key, title=title, intro=intro, weight=weight, questions=tuple(questions)
                    )
                )
        if self.require_all_areas and isinstance(value, list):
            missing = [k for k in AREA_KEYS if k not in seen]
            if missing:
                self.error("areas", None, f"missing area(s): {', '.join(missing)}")
        return tuple(areas)

    # -- questions --------------------------------------------------------------------

    def _question(self, raw: Any, path: str, area: str) -> Question | None:
        if not isinstance(raw, dict):
            self.error(path, None, f"expected a mapping, got {type(raw).__name__}")
            return None
        key = self.ident(raw.get("key"), join(path, "key"), None, "question key")
        if "key" not in raw:
            self.error(path, None, "missing field 'key'")
        kind = raw.get("kind")
        if "kind" not in raw:
            self.error(path, key, "missing field 'kind'")
            kind = None
        elif kind not in KINDS:
            self.error(path, key, f"unknown kind {kind!r} (allowed: {', '.join(KINDS)})")
            kind = None
        if key is not None:
            if key in self.question_paths:
                self.error(
                    path,
                    key,
                    f"duplicate question key '{key}' (first at {self.question_paths[key]})",
                )
                key = None
            else:
                self.question_paths[key] = path
                prefixes = AREA_PREFIXES.get(area, (area + "_",))
                if area in AREA_PREFIXES and not key.startswith(prefixes):
                    self.error(
                        path,
                        key,
                        "question key must start with "
                        + " or ".join(f"'{prefix}'" for prefix in prefixes),
                    )
        if kind is None:
            return None
        allowed = _COMMON_FIELDS + _KIND_FIELDS[kind]
        required_fields = ["key", "kind", "text"]
        if kind in SCORED_KINDS:
            required_fields.append("help")
        if kind in _KIND_REQUIRED:
            required_fields.append(_KIND_REQUIRED[kind])
        for name in required_fields:
            if name not in raw and name not in ("key", "kind"):
                self.error(path, key, f"missing field '{name}' (needed for kind '{kind}')")
        for name in raw:
            if name == "options" and kind == "yesno":
                self.error(
                    path,
                    key,
                    "a yes/no question has no 'options': give its points as "
                    'points: {"yes": N, "no": M} (the app supplies the labels)',
                )
            elif name not in allowed:
                if any(name in fields for fields in _KIND_FIELDS.values()):
                    self.error(path, key, f"field '{name}' is not allowed for kind '{kind}'")
                else:
                    self.error(
                        path,
                        key,
                        f"unknown field '{name}' (allowed for kind '{kind}': "
                        f"{', '.join(sorted(allowed))})",
                    )
        scored = kind in SCORED_KINDS
        required = scored
        if "required" in raw:
            value = self.boolean(raw["required"], join(path, "required"), key)
            required = value if value is not None else required
        allow_dont_know = False
        if "allow_dont_know" in raw:
            value = self.boolean(raw["allow_dont_know"], join(path, "allow_dont_know"), key)
            if value and not scored:
                self.error(path, key, f"allow_dont_know is only for scored kinds, not '{kind}'")
            allow_dont_know = bool(value)
        text = self.text(raw.get("text"), join(path, "text"), key) if "text" in raw else None
        help_text = Text(fr="", en="")
        if "help" in raw:
            help_text = self.text(raw["help"], join(path, "help"), key)
        options: tuple[Option, ...] = ()
        scale = number = None
        max_length = None
        if kind in ("single", "multi") and "options" in raw:
            options = self._options(raw["options"], join(path, "options"), key, kind)
        elif kind == "yesno" and "points" in raw:
            options = self._yesno(raw["points"], join(path, "points"), key)
        elif kind == "scale" and "scale" in raw:
            scale = self._scale(raw["scale"], join(path, "scale"), key)
        elif kind == "number" and "number" in raw:
            number = self._number(raw["number"], join(path, "number"), key)
        elif kind in ("text", "url"):
            max_length = 2000 if kind == "text" else 300
            if "max_length" in raw:
                max_length = self.number(
                    raw["max_length"], join(path, "max_length"), key, positive=True, integer=True
                )
        show_if = None
        if "show_if" in raw:
            show_if = self._show_if(raw["show_if"], join(path, "show_if"), key)
        profiles: tuple[str, ...] = ()
        if "profiles" in raw:
            profiles = self._profiles(raw["profiles"], join(path, "profiles"), key)
        measured_by = measured_answer = None
        measured_bands: tuple[MeasuredBand, ...] = ()
        if "measured_by" in raw:
            measured_by = self._measured_by(raw["measured_by"], join(path, "measured_by"), key)
        figure = measured_by in FIGURE_UNITS
        if measured_by is not None and figure:
            if kind == "single" and "measured_bands" not in raw:
                self.error(path, key, f"{measured_by!r} is a figure: it needs 'measured_bands'")
            if kind not in ("single", "number"):
                self.error(path, key, f"{measured_by!r} is a figure: single or number questions")
            if "measured_answer" in raw:
                self.error(path, key, "a measured figure takes 'measured_bands', not an answer")
        elif measured_by is not None:
            if kind == "number":
                self.error(path, key, f"{measured_by!r} is a check: a number needs a figure")
            if "measured_answer" not in raw:
                self.error(path, key, "'measured_by' needs 'measured_answer' (an option key)")
            if "measured_bands" in raw:
                self.error(path, key, "'measured_bands' are for a measured figure")
        if "measured_bands" in raw:
            if "measured_by" not in raw:
                self.error(path, key, "'measured_bands' needs 'measured_by'")
            measured_bands = self._measured_bands(
                raw["measured_bands"], join(path, "measured_bands"), key, options
            )
        if "measured_answer" in raw:
            measured_answer = self.string(
                raw["measured_answer"], join(path, "measured_answer"), key
            )
            if "measured_by" not in raw:
                self.error(path, key, "'measured_answer' needs 'measured_by'")
            elif options and measured_answer not in {o.key for o in options}:
                self.error(
                    join(path, "measured_answer"),
                    key,
                    f"{measured_answer!r} is not an option of this question",
                )
        measured_options = any(o.measured_by for o in options)
        if kind == "multi" and measured_options and not any(o.exclusive for o in options):
            self.error(
                path,
                key,
                "a multi-choice question with measured options needs an exclusive option "
                "(what is left when every chosen option is disproved)",
            )
        if key is None or text is None or help_text is None:
            return None
        if kind in _KIND_REQUIRED and not (options or scale or number):
            return None
        question = Question(
            key=key,
            area=area,
            kind=kind,
            text=text,
            help=help_text,
            required=required,
            allow_dont_know=allow_dont_know,
            options=options,
            scale=scale,
            number=number,
            max_length=int(max_length) if max_length is not None else None,
            show_if=show_if,
            profiles=profiles,
            measured_by=measured_by,
            measured_answer=measured_answer,
            measured_bands=measured_bands,
        )
        self.questions[key] = question
        return question

    def _options(self, value: Any, path: str, key: str | None, kind: str) -> tuple[Option, ...]:
        options: list[Option] = []
        keys: set[str] = set()
        raw_items = self.items(value, path, key)
        if isinstance(value, list) and 0 < len(value) < 2:
            self.error(path, key, "a choice needs at least two options")
        ok = True
        for i, raw in enumerate(raw_items):
            opath = f"{path}[{i}]"
            item = self.fields(
                raw,
                opath,
                key,
                required=("key", "label", "points"),
                optional=("exclusive", "profiles", "measured_by"),
            )
            if item is None:
                ok = False
                continue
            okey = self.ident(item.get("key"), join(opath, "key"), key, "option key")
            if okey == DONT_KNOW:
                self.error(opath, key, f"option key '{DONT_KNOW}' is reserved")
                okey = None
            elif okey is not None and okey in keys:
                self.error(opath, key, f"duplicate option key '{okey}'")
                okey = None
            if okey:
                keys.add(okey)
            label = (
                self.text(item.get("label"), join(opath, "label"), key) if "label" in item else None
            )
            points = None
            if "points" in item:
                points = self.number(item["points"], join(opath, "points"), key, minimum=0)
            exclusive = False
            if "exclusive" in item:
                exclusive = bool(self.boolean(item["exclusive"], join(opath, "exclusive"), key))
                if exclusive and kind != "multi":
                    self.error(opath, key, "'exclusive' is only for multi-choice questions")
            profiles: tuple[str, ...] = ()
            if "profiles" in item:
                profiles = self._profiles(item["profiles"], join(opath, "profiles"), key)
                if kind != "multi" or exclusive:
                    self.error(
                        opath,
                        key,
                        "'profiles' on an option is only for non-exclusive multi-choice options",
                    )
            measured_by = None
            if "measured_by" in item:
                measured_by = self._measured_by(
                    item["measured_by"], join(opath, "measured_by"), key
                )
                if kind != "multi" or exclusive:
                    self.error(
                        opath,
                        key,
                        "'measured_by' on an option is only for non-exclusive multi-choice "
                        "options (a single-choice question takes it on the question)",
                    )
            if okey and label and points is not None:
                options.append(
                    Option(
                        key=okey,
                        label=label,
                        points=points,
                        exclusive=exclusive,
                        profiles=profiles,
                        measured_by=measured_by,
                    )
                )
            else:
                ok = False
        if kind == "multi" and ok and options:
            regular = [o for o in options if not o.exclusive]
            if not regular:
                self.error(path, key, "a multi-choice question needs a non-exclusive option")
            else:
                floor = min(o.points for o in regular)
                for o in options:
                    if o.exclusive and o.points > floor:
                        self.error(
                            path,
                            key,
                            f"exclusive option '{o.key}' ({o.points:g} points) must not score "
                            f"more than any other option ({floor:g})",
                        )
        return tuple(options) if ok else ()

    def _yesno(self, value: Any, path: str, key: str | None) -> tuple[Option, ...]:
        if isinstance(value, dict):  # YAML 1.1 readers turn yes/no into booleans
            value = {
                _YAML11_BOOLS.get(k, k) if isinstance(k, bool) else k: v for k, v in value.items()
            }
        item = self.fields(value, path, key, required=("yes", "no"), what="yes/no points")
        if item is None:
            return ()
        yes = (
            self.number(item.get("yes"), join(path, "yes"), key, minimum=0)
            if "yes" in item
            else None
        )
        no = self.number(item.get("no"), join(path, "no"), key, minimum=0) if "no" in item else None
        if yes is None or no is None:
            return ()
        return (
            Option(key="yes", label=YES_LABEL, points=yes),
            Option(key="no", label=NO_LABEL, points=no),
        )

    def _scale(self, value: Any, path: str, key: str | None) -> Scale | None:
        item = self.fields(
            value, path, key, required=("min", "max", "points", "min_label", "max_label")
        )
        if item is None:
            return None
        low = (
            self.number(item.get("min"), join(path, "min"), key, integer=True)
            if "min" in item
            else None
        )
        high = (
            self.number(item.get("max"), join(path, "max"), key, integer=True)
            if "max" in item
            else None
        )
        if low is not None and high is not None and low >= high:
            self.error(path, key, f"scale min ({low}) must be below max ({high})")
            low = high = None
        points = (
            self._points_list(item.get("points"), join(path, "points"), key)
            if "points" in item
            else None
        )
        if points is not None and low is not None and high is not None:
            expected = high - low + 1
            if len(points) != expected:
                self.error(
                    join(path, "points"),
                    key,
                    f"expected {expected} entries (one per value {low}..{high}), got {len(points)}",
                )
                points = None
        min_label = (
            self.text(item.get("min_label"), join(path, "min_label"), key)
            if "min_label" in item
            else None
        )
        max_label = (
            self.text(item.get("max_label"), join(path, "max_label"), key)
            if "max_label" in item
            else None
        )
        if low is None or high is None or points is None or not min_label or not max_label:
            return None
        return Scale(min=low, max=high, points=points, min_label=min_label, max_label=max_label)

    def _points_list(self, value: Any, path: str, key: str | None) -> tuple[float, ...] | None:
        if not isinstance(value, list) or not value:
            self.error(path, key, "expected a non-empty list of points")
            return None
        points: list[float] = []
        for i, raw in enumerate(value):
            number = self.number(raw, f"{path}[{i}]", key, minimum=0)
            if number is None:
                return None
            if points and number < points[-1]:
                self.error(
                    f"{path}[{i}]",
                    key,
                    f"points must not decrease: {number:g} comes after {points[-1]:g}",
                )
                return None
            points.append(number)
        return tuple(points)

    def _number(self, value: Any, path: str, key: str | None) -> NumberSpec | None:
        item = self.fields(
            value, path, key, required=("min", "max", "bands"), optional=("integer", "unit")
        )
        if item is None:
            return None
        low = self.number(item.get("min"), join(path, "min"), key) if "min" in item else None
        high = self.number(item.get("max"), join(path, "max"), key) if "max" in item else None
        if low is not None and high is not None and low >= high:
            self.error(path, key, f"number min ({low}) must be below max ({high})")
            low = high = None
        integer = False
        if "integer" in item:
            integer = bool(self.boolean(item["integer"], join(path, "integer"), key))
        unit = None
        if "unit" in item:
            unit = self.text(item["unit"], join(path, "unit"), key)
        bands: list[NumberBand] = []
        ok = True
        for i, raw in enumerate(self.items(item.get("bands"), join(path, "bands"), key)):
            bpath = f"{path}.bands[{i}]"
            band = self.fields(raw, bpath, key, required=("at_least", "points"))
            if band is None:
                ok = False
                continue
            at_least = (
                self.number(band.get("at_least"), join(bpath, "at_least"), key)
                if "at_least" in band
                else None
            )
            points = (
                self.number(band.get("points"), join(bpath, "points"), key, minimum=0)
                if "points" in band
                else None
            )
            if at_least is None or points is None:
                ok = False
                continue
            if low is not None and high is not None and not low <= at_least <= high:
                self.error(bpath, key, f"at_least {at_least:g} is outside {low:g}..{high:g}")
                ok = False
            if bands and at_least <= bands[-1].at_least:
                self.error(
                    bpath,
                    key,
                    f"bands must be sorted by at_least, strictly ascending: "
                    f"{at_least:g} comes after {bands[-1].at_least:g}",
                )
                ok = False
            elif bands and points < bands[-1].points:
                self.error(
                    bpath,
                    key,
                    f"band points must not decrease: {points:g} comes after {bands[-1].points:g}",
                )
                ok = False
            bands.append(NumberBand(at_least=at_least, points=points))
        if not ok or low is None or high is None or not bands or ("unit" in item and unit is None):
            return None
        return NumberSpec(min=low, max=high, integer=integer, unit=unit, bands=tuple(bands))

    def _show_if(self, value: Any, path: str, key: str | None) -> ShowIf | None:
        item = self.fields(value, path, key, required=("question", "any_of"))
        if item is None:
            return None
        where = path.removesuffix(".show_if")  # as in "areas[2].questions[4] (key): show_if ..."
        target = item.get("question")
        if "question" not in item:
            return None
        if not isinstance(target, str):
            self.error(join(path, "question"), key, f"expected a question key, got {target!r}")
            return None
        if target == key:
            self.error(where, key, "show_if refers to the question itself")
            return None
        if target not in self.all_question_keys:
            self.error(where, key, f"show_if refers to unknown question '{target}'")
            return None
        trigger = self.questions.get(target)
        if trigger is None:
            if target in self.question_paths:  # earlier but malformed: already reported
                return None
            self.error(
                where,
                key,
                f"show_if refers to question '{target}', which comes later: "
                "it must refer to an earlier question",
            )
            return None
        if trigger.kind not in ("single", "yesno", "multi"):
            self.error(
                where,
                key,
                f"show_if refers to question '{target}' of kind '{trigger.kind}': "
                "only single, yesno and multi questions can reveal others",
            )
            return None
        any_of = item.get("any_of")
        if isinstance(any_of, list) and trigger.kind == "yesno":
            any_of = [_YAML11_BOOLS.get(v, v) if isinstance(v, bool) else v for v in any_of]
        if not isinstance(any_of, list) or not any_of:
            self.error(join(path, "any_of"), key, "expected a non-empty list of option keys")
            return None
        points = {o.key: o.points for o in trigger.options}
        chosen: list[str] = []
        for option in any_of:
            if option not in points:
                self.error(
                    join(path, "any_of"),
                    key,
                    f"show_if refers to option {option!r}, which question '{target}' does not "
                    f"have (options: {', '.join(points)})",
                )
                return None
            if option in chosen:
                self.error(join(path, "any_of"), key, f"option '{option}' is listed twice")
                return None
            chosen.append(option)
        threshold = min(points[o] for o in chosen)
        lowest = min(chosen, key=lambda o: points[o])
        missing = [o for o, p in points.items() if p >= threshold and o not in chosen]
        if missing:
            self.error(
                join(path, "any_of"),
                key,
                "show_if is not upward closed: "
                + ", ".join(f"'{o}' ({points[o]:g} points)" for o in missing)
                + f" score(s) at least as much as the revealing option '{lowest}' "
                f"({threshold:g} points) and must reveal too",
            )
            return None
        ordered = tuple(o.key for o in trigger.options if o.key in chosen)
        return ShowIf(question=target, any_of=ordered)

    # -- ladder -----------------------------------------------------------------------

    def _ladder(self, value: Any) -> tuple[tuple[Rung, ...], tuple[Condition, ...]] | None:
        item = self.fields(value, "ladder", None, required=("website_prerequisite", "rungs"))
        if item is None:
            return None
        prerequisite: list[Condition] = []
        raw_prerequisite = item.get("website_prerequisite")
        path = "ladder.website_prerequisite"
        for i, raw in enumerate(self.items(raw_prerequisite, path, None)):
            condition = self._condition(raw, f"{path}[{i}]", None)
            if condition is not None:
                prerequisite.append(condition)
        rungs: list[Rung] = []
        raw_rungs = self.items(item.get("rungs"), "ladder.rungs", None)
        if isinstance(item.get("rungs"), list) and len(raw_rungs) != 5:
            self.error("ladder.rungs", None, f"expected exactly 5 rungs, got {len(raw_rungs)}")
        keys: set[str] = set()
        for i, raw in enumerate(raw_rungs):
            rpath = f"ladder.rungs[{i}]"
            rung_item = self.fields(
                raw,
                rpath,
                _name(raw),
                required=("number", "key", "title", "description"),
                optional=("conditions", "requires_website"),
            )
            if rung_item is None:
                continue
            key = self.ident(rung_item.get("key"), join(rpath, "key"), None, "rung key")
            if key is not None and key in keys:
                self.error(rpath, key, f"duplicate rung key '{key}'")
            if key:
                keys.add(key)
            number = rung_item.get("number")
            if "number" in rung_item and number != i + 1:
                self.error(
                    rpath,
                    key,
                    f"rungs are numbered 1..5 in order: expected {i + 1}, got {number!r}",
                )
                number = None
            title = (
                self.text(rung_item.get("title"), join(rpath, "title"), key)
                if "title" in rung_item
                else None
            )
            description = (
                self.text(rung_item.get("description"), join(rpath, "description"), key)
                if "description" in rung_item
                else None
            )
            requires_website = i + 1 >= 3
            if "requires_website" in rung_item:
                flag = self.boolean(
                    rung_item["requires_website"], join(rpath, "requires_website"), key
                )
                if flag is not None and flag != requires_website:
                    self.error(
                        rpath,
                        key,
                        "the website is a prerequisite for rungs 3..5 and only for them: "
                        f"requires_website must be {str(requires_website).lower()}",
                    )
            conditions: list[Condition] = []
            raw_conditions = rung_item.get("conditions", [])
            if i == 0 and raw_conditions:
                self.error(rpath, key, "rung 1 has no condition")
            for j, raw_condition in enumerate(
                self.items(raw_conditions, join(rpath, "conditions"), key, non_empty=False)
            ):
                condition = self._condition(raw_condition, f"{rpath}.conditions[{j}]", key)
                if condition is not None:
                    conditions.append(condition)
            if number and key and title and description:
                rungs.append(
                    Rung(
                        number=number,
                        key=key,
                        title=title,
                        description=description,
                        conditions=tuple(conditions),
                        requires_website=requires_website,
                    )
                )
        return tuple(rungs), tuple(prerequisite)

    def _condition(self, value: Any, path: str, key: str | None) -> Condition | None:
        if not isinstance(value, dict):
            self.error(path, key, f"expected a mapping, got {type(value).__name__}")
            return None
        kind = value.get("kind")
        if kind == "area_min":
            target_field = "area"
        elif kind == "question_min":
            target_field = "question"
        else:
            self.error(
                path, key, f"unknown condition kind {kind!r} (allowed: area_min, question_min)"
            )
            return None
        item = self.fields(
            value, path, key, required=("kind", target_field, "min", "label"), what=kind
        )
        if item is None:
            return None
        target = item.get(target_field)
        maximum: float | None = None
        if target_field == "area":
            if target not in self.area_keys:
                self.error(path, key, f"condition refers to unknown area {target!r}")
                target = None
            maximum = 100
        else:
            question = self.questions.get(target) if isinstance(target, str) else None
            if question is None:
                if target not in self.question_paths:  # else: malformed, already reported
                    self.error(path, key, f"condition refers to unknown question {target!r}")
                target = None
            elif not question.scored:
                self.error(
                    path,
                    key,
                    f"condition refers to question '{target}' of kind '{question.kind}', "
                    "which is not scored",
                )
                target = None
            else:
                maximum = question_max_points(question)
        minimum = None
        if "min" in item:
            minimum = self.number(item["min"], join(path, "min"), key, positive=True)
            if minimum is not None and maximum is not None and minimum > maximum:
                what = "an area score" if target_field == "area" else f"question '{target}'"
                self.error(
                    join(path, "min"),
                    key,
                    f"min {minimum:g} can never be reached: {what} gives at most {maximum:g}",
                )
                minimum = None
        label = self.text(item.get("label"), join(path, "label"), key) if "label" in item else None
        if target is None or minimum is None or label is None:
            return None
        if target_field == "area":
            return Condition(kind="area_min", min=minimum, label=label, area=target)
        return Condition(kind="question_min", min=minimum, label=label, question=target)
