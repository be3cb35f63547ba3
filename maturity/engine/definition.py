"""The questionnaire definition as immutable values.

A ``Questionnaire`` is what the loader builds from ``maturity/content/questionnaire.yaml``
(after the schema check) and what the scoring engine, the wizard and the roadmap
generator read. It carries the questions *and* the scoring rules, because both are
versioned together: an assessment pinned to a version is scored with that version's rules.

Answer values, keyed by question key, are plain JSON-compatible values:

======================  =====================================================
kind                    value
======================  =====================================================
``single``, ``yesno``   an option key (``str``); yes/no questions have the
                        options ``yes`` and ``no``
``multi``               a list of option keys (``list[str]``)
``scale``               an ``int`` between ``scale.min`` and ``scale.max``
``number``              an ``int`` or ``float`` between ``number.min`` and
                        ``number.max``
``text``, ``url``       a ``str`` (never scored)
======================  =====================================================

"Don't know" is the reserved value ``DONT_KNOW`` (the string ``"dont_know"``) for a
question with ``allow_dont_know``; for ``multi`` it is the list ``["dont_know"]``.
It counts as answered and scores zero points.

Dealer profiles (``PROFILES``): a question or a multi-choice option may be asked of some
profiles only (a body shop has no vehicle stock). The loader returns the questionnaire as
asked of ``DEFAULT_PROFILE``; :meth:`Questionnaire.for_profile` gives the one asked of
another profile. A question that a profile is not asked does not exist for it at all: it
is not shown, not counted in progress or confidence, and not in its area's maximum, so
every profile can reach full marks and every rung. Every variant has the same
``content_hash`` (it is the same published version) and names its ``profile``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

DONT_KNOW = "dont_know"

Language = Literal["fr", "en"]
QuestionKind = Literal["single", "multi", "yesno", "scale", "number", "text", "url"]
SCORED_KINDS: frozenset[str] = frozenset({"single", "multi", "yesno", "scale", "number"})

# Dealer profiles (DOMAIN.md, "Dealer profiles"); the dealership model uses the same keys.
PROFILES: tuple[str, ...] = ("brand_dealer", "brand_agent", "independent", "repairer")
DEFAULT_PROFILE = "brand_dealer"
# Above this share of shown scored questions answered "don't know" (or left blank), the
# rung is provisional; the questionnaire file may set its own (``confidence``).
DEFAULT_PROVISIONAL_ABOVE = 0.25
# A measurement older than this (days) no longer stands in for what was declared; the
# questionnaire's ``measurements.max_age_days`` overrides it.
DEFAULT_MEASUREMENT_MAX_AGE_DAYS = 60

# What ``measured_by`` may name (``<source>.<name>``): ``MEASURED_SOURCES`` in
# names.py, the one list of website checks and measured figures.

AnswerValue = str | int | float | list[str]
Answers = dict[str, AnswerValue]


@dataclass(frozen=True, slots=True)
class Text:
    """A text in both languages of the product."""

    fr: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.fr


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    label: Text
    points: float = 0
    # In a multi-choice question, an exclusive option ("none of these") cannot be
    # combined with others.
    exclusive: bool = False
    # Offered to these dealer profiles only (empty: to every profile); multi-choice only.
    profiles: tuple[str, ...] = ()
    # Multi-choice: the measured check that tells whether this option holds
    # ("website.contact_form"); a failed check disproves the option (engine/measured.py).
    measured_by: str | None = None

    def applies_to(self, profile: str) -> bool:
        return not self.profiles or profile in self.profiles


@dataclass(frozen=True, slots=True)
class Scale:
    min: int
    max: int
    # points[i] is the number of points for the value ``min + i``; non-decreasing.
    points: tuple[float, ...]
    min_label: Text
    max_label: Text


@dataclass(frozen=True, slots=True)
class NumberBand:
    """``points`` are given for a value of at least ``at_least`` (bands are sorted)."""

    at_least: float
    points: float


@dataclass(frozen=True, slots=True)
class NumberSpec:
    min: float
    max: float
    integer: bool
    unit: Text | None
    # Bands sorted by ``at_least`` ascending; a value below the first band scores 0.
    # For "lower is better" figures (a response time in hours, say), ask the question
    # the other way round or use a single-choice question with bands as options.
    bands: tuple[NumberBand, ...]


@dataclass(frozen=True, slots=True)
class MeasuredBand:
    """A measured figure of at most ``at_most`` (or at least ``at_least``; neither: any
    value) supports the answer ``answer``; a question's bands are read in order."""

    answer: str
    at_most: float | None = None
    at_least: float | None = None

    def holds(self, value: float) -> bool:
        if self.at_most is not None and value > self.at_most:
            return False
        return not (self.at_least is not None and value < self.at_least)


@dataclass(frozen=True, slots=True)
class ShowIf:
    """Show a question only when an earlier question's answer is one of ``any_of``.

    The schema check makes every condition monotone: any option scoring at least as
    many points as a revealing option also reveals. Improving an answer therefore
    never hides a question, which keeps the scores monotone.
    """

    question: str
    any_of: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    area: str
    kind: QuestionKind
    text: Text
    help: Text  # "why this matters", one or two sentences
    required: bool = True
    allow_dont_know: bool = False
    options: tuple[Option, ...] = ()
    scale: Scale | None = None
    number: NumberSpec | None = None
    max_length: int | None = None  # text and url
    show_if: ShowIf | None = None
    # Asked of these dealer profiles only (empty: of every profile).
    profiles: tuple[str, ...] = ()
    # Single / yes-no: the measured check that informs the answer ("website.mobile") and
    # the answer a failed check stands for (the best answer it still allows); options
    # scoring more are disproved by it (engine/measured.py).
    measured_by: str | None = None
    measured_answer: str | None = None
    # Single-choice measured by a figure ("leads.response_time"): which answer a measured
    # value supports (the first band that holds; the last band holds for any value). A
    # number question measured by a figure takes the value itself as the measured answer.
    measured_bands: tuple[MeasuredBand, ...] = ()

    def measured_option(self, value: float) -> str | None:
        """The answer a measured figure supports (``None``: no band holds)."""
        return next((b.answer for b in self.measured_bands if b.holds(value)), None)

    def applies_to(self, profile: str) -> bool:
        return not self.profiles or profile in self.profiles

    @property
    def scored(self) -> bool:
        return self.kind in SCORED_KINDS

    def option(self, key: str) -> Option | None:
        for option in self.options:
            if option.key == key:
                return option
        return None


@dataclass(frozen=True, slots=True)
class Level:
    """An area level: applies from ``min_score`` (inclusive) up to the next level."""

    key: str
    min_score: float
    label: Text


@dataclass(frozen=True, slots=True)
class Area:
    key: str
    title: Text
    intro: Text
    weight: float
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition of a rung.

    ``kind == "area_min"``: the score of ``area`` is at least ``min``.
    ``kind == "question_min"``: the points earned on ``question`` are at least ``min``.
    ``label`` says it in plain words ("Comments and messages are answered").
    """

    kind: Literal["area_min", "question_min"]
    min: float
    label: Text
    area: str | None = None
    question: str | None = None


@dataclass(frozen=True, slots=True)
class Rung:
    number: int  # 1..5
    key: str
    title: Text
    description: Text
    conditions: tuple[Condition, ...] = ()
    # Rungs above "isolated presence" need the website prerequisite to hold.
    requires_website: bool = False


@dataclass(frozen=True, slots=True)
class Questionnaire:
    version: str  # human label from the file, e.g. "2026.1"
    content_hash: str  # sha256 of the canonical content: the version's identity
    areas: tuple[Area, ...]  # as asked of ``profile``
    levels: tuple[Level, ...]
    rungs: tuple[Rung, ...]
    website_prerequisite: tuple[Condition, ...]
    profile: str = DEFAULT_PROFILE
    # Every question of the file, whatever the profile (the catalogue is checked on it).
    all_areas: tuple[Area, ...] = ()
    provisional_above: float = DEFAULT_PROVISIONAL_ABOVE
    measurement_max_age_days: int = DEFAULT_MEASUREMENT_MAX_AGE_DAYS
    _questions: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)
    _all_questions: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)
    # Variants by profile, shared by every variant of one parsed file.
    _variants: dict[str, Questionnaire] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._questions.update({q.key: q for a in self.areas for q in a.questions})
        self._all_questions.update(
            {q.key: q for a in (self.all_areas or self.areas) for q in a.questions}
        )
        self._variants.setdefault(self.profile, self)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._questions.values())

    def question(self, key: str) -> Question:
        return self._questions[key]

    def has_question(self, key: str) -> bool:
        return key in self._questions

    def any_question(self, key: str) -> Question | None:
        """The question ``key`` as written in the file, whatever the profile it is asked of."""
        return self._all_questions.get(key)

    def for_profile(self, profile: str | None) -> Questionnaire:
        """The questionnaire as asked of ``profile`` (``None``: the default profile).

        Questions and options not offered to the profile are left out, and so are the
        questions that only an option left out could reveal. Raises ``ValueError`` for
        an unknown profile.
        """
        profile = profile or DEFAULT_PROFILE
        cached = self._variants.get(profile)
        if cached is not None:
            return cached
        if profile not in PROFILES:
            raise ValueError(f"unknown dealer profile {profile!r} (known: {', '.join(PROFILES)})")
        variant = Questionnaire(
            version=self.version,
            content_hash=self.content_hash,
            areas=areas_for_profile(self.all_areas or self.areas, profile),
            levels=self.levels,
            rungs=self.rungs,
            website_prerequisite=self.website_prerequisite,
            profile=profile,
            all_areas=self.all_areas or self.areas,
            provisional_above=self.provisional_above,
            measurement_max_age_days=self.measurement_max_age_days,
            _variants=self._variants,
        )
        return self._variants.setdefault(profile, variant)

    def area(self, key: str) -> Area:
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)

    def rung(self, number: int) -> Rung | None:
        """Rung ``number`` (1 = lowest); ``None`` outside this ladder (a foreign result)."""
        return self.rungs[number - 1] if 0 < number <= len(self.rungs) else None

    def rung_title(self, number: int, language: str) -> str:
        """The title of rung ``number`` in ``language``; ``""`` outside this ladder."""
        rung = self.rung(number)
        return rung.title.get(language) if rung is not None else ""

    def level_index(self, score: float) -> int:
        """The position (0 = lowest) of the area level a ``score`` falls in: the score
        bands every page colours by come from the questionnaire's ``levels``."""
        index = 0
        for position, level in enumerate(self.levels):
            if score + 1e-9 >= level.min_score:
                index = position
        return index


def areas_for_profile(areas: tuple[Area, ...], profile: str) -> tuple[Area, ...]:
    """``areas`` with only the questions and options offered to ``profile``.

    A question revealed by options that are all left out is left out too (it could
    never be shown).
    """
    kept: dict[str, Question] = {}
    out = []
    for area in areas:
        questions = []
        for question in area.questions:
            if not question.applies_to(profile):
                continue
            show_if = question.show_if
            if show_if is not None:
                trigger = kept.get(show_if.question)
                if trigger is None:
                    continue
                offered = {o.key for o in trigger.options}
                any_of = tuple(o for o in show_if.any_of if o in offered)
                if not any_of:
                    continue
                if any_of != show_if.any_of:
                    show_if = replace(show_if, any_of=any_of)
            options = tuple(o for o in question.options if o.applies_to(profile))
            if options != question.options or show_if is not question.show_if:
                question = replace(question, options=options, show_if=show_if)
            kept[question.key] = question
            questions.append(question)
        out.append(replace(area, questions=tuple(questions)))
    return tuple(out)


# --- what the app says for yes/no and "don't know", and the points a question can earn

YES_LABEL = Text(fr="Oui", en="Yes")
NO_LABEL = Text(fr="Non", en="No")
DONT_KNOW_LABEL = Text(fr="Je ne sais pas", en="I don't know")


def question_max_points(question: Question) -> float:
    """The most points an answer to ``question`` can earn (0 for text and url)."""
    kind = question.kind
    if kind in ("single", "yesno"):
        return max((o.points for o in question.options), default=0)
    if kind == "multi":
        regular = sum(o.points for o in question.options if not o.exclusive)
        exclusive = max((o.points for o in question.options if o.exclusive), default=0)
        return max(regular, exclusive)
    if kind == "scale" and question.scale is not None:
        return question.scale.points[-1]
    if kind == "number" and question.number is not None and question.number.bands:
        return question.number.bands[-1].points
    return 0
