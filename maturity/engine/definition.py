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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DONT_KNOW = "dont_know"

Language = Literal["fr", "en"]
QuestionKind = Literal["single", "multi", "yesno", "scale", "number", "text", "url"]
SCORED_KINDS: frozenset[str] = frozenset({"single", "multi", "yesno", "scale", "number"})

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
    areas: tuple[Area, ...]
    levels: tuple[Level, ...]
    rungs: tuple[Rung, ...]
    website_prerequisite: tuple[Condition, ...]
    _questions: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._questions.update({q.key: q for a in self.areas for q in a.questions})

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._questions.values())

    def question(self, key: str) -> Question:
        return self._questions[key]

    def has_question(self, key: str) -> bool:
        return key in self._questions

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
