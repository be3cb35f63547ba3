"""Answers: validating a value against its question, its points, best/lowest answers,
random answer sets, labels in words.

Validation is used by every write of an answer (the wizard, imports, the demo data); the
rest by the suggestion search, the tests, the benchmark and demo data.
"""

from __future__ import annotations

import math
import random
import re
from bisect import bisect_right
from typing import Any
from urllib.parse import urlsplit

from ._schema import is_number
from .definition import (
    DONT_KNOW,
    DONT_KNOW_LABEL,
    AnswerValue,
    Question,
    Questionnaire,
    question_max_points,
)

__all__ = [
    "AnswerError",
    "answer_label",
    "answer_points",
    "best_answer",
    "lowest_answer",
    "number_text",
    "random_answer",
    "random_answers",
    "ranked_answers",
    "validate_answer",
]


def answer_points(question: Question, value: Any) -> float:
    """Points a (valid) value earns on ``question``, visibility aside."""
    if value is None or value == DONT_KNOW or value == [DONT_KNOW]:
        return 0.0
    kind = question.kind
    if kind in ("single", "yesno"):
        option = question.option(value)
        return option.points if option else 0.0
    if kind == "multi":
        return sum(o.points for o in question.options if o.key in value)
    if kind == "scale" and question.scale is not None:
        return question.scale.points[int(value) - question.scale.min]
    if kind == "number" and question.number is not None:
        bands = question.number.bands
        b = bisect_right([band.at_least for band in bands], value)
        return bands[b - 1].points if b else 0.0
    return 0.0


def ranked_answers(question: Question) -> list[AnswerValue]:
    """Candidate answers for a scored question, by points ascending (ties: file order).

    single/yesno: every option; scale: every value; number: ``min`` and each band's
    threshold; multi: the best exclusive-free subsets are too many to list, so this gives
    the lowest single option, then the non-exclusive options added one by one from the
    highest-scoring down, up to all of them (each step scores at least as much).
    """
    kind = question.kind
    values: list[AnswerValue]
    if kind in ("single", "yesno"):
        values = [o.key for o in question.options]
    elif kind == "scale" and question.scale is not None:
        values = list(range(question.scale.min, question.scale.max + 1))
    elif kind == "number" and question.number is not None:
        spec = question.number
        values = [_number_value(spec.min, spec.integer)]
        values += [_number_value(b.at_least, spec.integer) for b in spec.bands]
    elif kind == "multi":
        regular = sorted((o for o in question.options if not o.exclusive), key=lambda o: -o.points)
        lowest = min(question.options, key=lambda o: o.points)
        values = [[lowest.key]]
        chosen: list[str] = []
        for option in regular:
            chosen.append(option.key)
            values.append([o.key for o in question.options if o.key in chosen])
    else:
        return []
    return sorted(values, key=lambda v: answer_points(question, v))


def _number_value(value: float, integer: bool) -> int | float:
    if integer:
        return int(-(-value // 1))  # ceil: the smallest whole number in the band
    return value


def best_answer(question: Question) -> AnswerValue:
    """An answer earning the question's maximum points (multi: all non-exclusive options)."""
    ranked = ranked_answers(question)
    best = ranked[-1]
    assert answer_points(question, best) == question_max_points(question)
    return best


def lowest_answer(question: Question) -> AnswerValue:
    """A real answer (not "don't know") earning the fewest points."""
    return ranked_answers(question)[0]


def random_answer(question: Question, rng: random.Random, dont_know_rate: float = 0.05) -> Any:
    """A random valid answer to ``question``."""
    kind = question.kind
    if question.allow_dont_know and rng.random() < dont_know_rate:
        return [DONT_KNOW] if kind == "multi" else DONT_KNOW
    if kind in ("single", "yesno"):
        return rng.choice(question.options).key
    if kind == "multi":
        exclusive = [o for o in question.options if o.exclusive]
        regular = [o for o in question.options if not o.exclusive]
        if exclusive and rng.random() < 0.2:
            return [rng.choice(exclusive).key]
        chosen = {o.key for o in regular if rng.random() < 0.5} or {rng.choice(regular).key}
        return [o.key for o in question.options if o.key in chosen]
    if kind == "scale" and question.scale is not None:
        return rng.randint(question.scale.min, question.scale.max)
    if kind == "number" and question.number is not None:
        spec = question.number
        anchors = [spec.min, spec.max] + [b.at_least for b in spec.bands]
        if rng.random() < 0.5:
            value = rng.choice(anchors)
        else:
            top = min(spec.max, spec.bands[-1].at_least * 2) if spec.bands else spec.max
            value = rng.uniform(spec.min, max(spec.min, top))
        return int(value) if spec.integer else value
    if kind == "url":
        return f"https://example.com/{rng.randint(1, 999)}"
    return "Commentaire"


def random_answers(
    questionnaire: Questionnaire,
    rng: random.Random,
    *,
    optional_rate: float = 0.7,
    dont_know_rate: float = 0.05,
) -> dict[str, Any]:
    """A random complete answer set: every required question answered (hidden ones too,
    which scoring ignores), optional ones answered with probability ``optional_rate``."""
    answers: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.required or rng.random() < optional_rate:
            answers[question.key] = random_answer(question, rng, dont_know_rate)
    return answers


def number_text(value: int | float, language: str = "fr") -> str:
    """A number as a reader of ``language`` writes it: "1 200", "4,2"; "1,200", "4.2".

    The engine is framework-free, so it cannot ask Django's formats; these are the same
    rules as ``config/formats`` (French: decimal comma, U+00A0 between thousands).
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}"
    if language == "fr":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def answer_label(question: Question, value: Any, language: str = "fr") -> str:
    """An answer in plain words: option labels, "3 / 5", "1 200 visits / month"..."""
    if value is None:
        return "—"
    if value == DONT_KNOW or value == [DONT_KNOW]:
        return DONT_KNOW_LABEL.get(language)
    kind = question.kind
    if kind in ("single", "yesno"):
        option = question.option(value)
        return option.label.get(language) if option else str(value)
    if kind == "multi":
        labels = [o.label.get(language) for o in question.options if o.key in value]
        return ", ".join(labels)
    if kind == "scale" and question.scale is not None:
        return f"{value} / {question.scale.max}"
    if kind == "number" and question.number is not None:
        text = number_text(value, language)
        if question.number.unit is not None:
            space = "\u00a0" if language == "fr" else " "
            text = f"{text}{space}{question.number.unit.get(language)}"
        return text
    return str(value)


# --- answers -----------------------------------------------------------------------------


class AnswerError(ValueError):
    """An answer value that does not fit its question.

    ``code`` is one of ``missing``, ``wrong_type``, ``unknown_option``, ``exclusive``,
    ``not_a_number``, ``not_integer``, ``out_of_range``, ``too_long``, ``bad_url``,
    ``bad_character``, so a caller can show its own translated message; ``str(error)`` is
    an English message.
    """

    def __init__(self, question: str, code: str, message: str):
        self.question = question
        self.code = code
        super().__init__(f"{question}: {message}")


_INT_RE = re.compile(r"^[+-]?\d+$")
# Text no database can store: NUL (PostgreSQL refuses it) and lone surrogates (not UTF-8).
_UNSTORABLE_RE = re.compile("[\x00\ud800-\udfff]")


def _shown(number: int | float) -> str:
    """A number for an error message, short even for 400 digits (``:g`` would overflow)."""
    if abs(number) < 1e15:
        return f"{number:g}"
    return f"{str(number)[:16]}…"


# Spaces people put between thousands ("1 200", "20 000"): ordinary, no-break, thin.
_DIGIT_GROUP_SPACE_RE = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3}(?!\d))")


def _as_number(question: Question, value: Any) -> int | float:
    if isinstance(value, str):
        text = _DIGIT_GROUP_SPACE_RE.sub("", value.strip())
        # A decimal comma ("4,2") is read as a point; "1,200.5" keeps its meaning.
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            value = int(text) if _INT_RE.match(text) else float(text)
        except ValueError:
            raise AnswerError(
                question.key, "not_a_number", f"{value!r:.40} is not a number"
            ) from None
    if not is_number(value):
        raise AnswerError(question.key, "not_a_number", f"{value!r:.40} is not a number")
    return value


def validate_answer(question: Question, value: Any) -> AnswerValue:
    """Check ``value`` against ``question`` and return it normalized.

    Normalizing: option lists are de-duplicated and put in the question's order; numbers
    given as text ("12", "3,5") are read; whole numbers become ``int`` where the question
    wants whole numbers; text and URLs are stripped; ``True``/``False`` become ``yes``/``no``
    for yes/no questions. ``None`` (and an empty text or list) is "no answer": refused for a
    required question, returned as ``None`` otherwise. Raises :class:`AnswerError`.
    """
    key = question.key
    kind = question.kind
    if value is None or value == "" or value == [] or value == ():
        if question.required:
            raise AnswerError(key, "missing", "an answer is required")
        return None  # type: ignore[return-value]
    dont_know = question.allow_dont_know
    if kind in ("single", "yesno"):
        if kind == "yesno" and isinstance(value, bool):
            value = "yes" if value else "no"
        if not isinstance(value, str):
            raise AnswerError(key, "wrong_type", f"expected an option key, got {value!r}")
        if value == DONT_KNOW and dont_know:
            return DONT_KNOW
        if question.option(value) is None:
            choices = ", ".join(o.key for o in question.options)
            raise AnswerError(
                key, "unknown_option", f"{value!r} is not an option of the question ({choices})"
            )
        return value
    if kind == "multi":
        if isinstance(value, str) and value == DONT_KNOW and dont_know:
            return [DONT_KNOW]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise AnswerError(key, "wrong_type", f"expected a list of option keys, got {value!r}")
        chosen = set(value)
        if DONT_KNOW in chosen and dont_know:
            if len(chosen) > 1:
                raise AnswerError(
                    key, "exclusive", "'don't know' cannot be combined with other options"
                )
            return [DONT_KNOW]
        unknown = [v for v in value if question.option(v) is None]
        if unknown:
            choices = ", ".join(o.key for o in question.options)
            raise AnswerError(
                key,
                "unknown_option",
                f"{', '.join(repr(v) for v in unknown)} not among the options ({choices})",
            )
        exclusive = [o.key for o in question.options if o.exclusive and o.key in chosen]
        if exclusive and len(chosen) > 1:
            raise AnswerError(
                key, "exclusive", f"'{exclusive[0]}' cannot be combined with other options"
            )
        return [o.key for o in question.options if o.key in chosen]
    if kind in ("scale", "number"):
        if value == DONT_KNOW and dont_know:
            return DONT_KNOW
        number = _as_number(question, value)
        if kind == "scale":
            assert question.scale is not None
            low, high, integer = question.scale.min, question.scale.max, True
        else:
            assert question.number is not None
            low, high, integer = question.number.min, question.number.max, question.number.integer
        if integer:
            if number != math.floor(number):
                raise AnswerError(key, "not_integer", f"{value!r} is not a whole number")
            number = int(number)
        if not low <= number <= high:
            shown = _shown(number)
            raise AnswerError(key, "out_of_range", f"{shown} is outside {low:g}..{high:g}")
        return number
    # text, url
    if not isinstance(value, str):
        raise AnswerError(key, "wrong_type", f"expected a text, got {value!r}")
    if _UNSTORABLE_RE.search(value):
        raise AnswerError(key, "bad_character", "the text holds a null or invalid character")
    value = value.strip()
    if not value:
        if question.required:
            raise AnswerError(key, "missing", "an answer is required")
        return None  # type: ignore[return-value]
    if question.max_length is not None and len(value) > question.max_length:
        raise AnswerError(
            key,
            "too_long",
            f"{len(value)} characters, more than the {question.max_length} allowed",
        )
    if kind == "url":
        parts = urlsplit(value)
        if (
            parts.scheme.lower() not in ("http", "https")
            or not parts.netloc
            or any(c.isspace() for c in value)
        ):
            raise AnswerError(key, "bad_url", f"{value!r} is not an http(s) address")
    return value
