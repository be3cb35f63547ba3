"""Answers files: one dealership's answers as YAML (the reference dealers', a paper
questionnaire typed in by a consultant).

The format is that of ``maturity/content/personas/*.yaml`` (``maturity/content/README.md``,
"Answers files"): ``answers`` (question key -> value) and, optionally, ``dealership``
(with its ``profile``), ``persona`` and ``expected_rung``. :func:`read_answers_file` checks
the shape; :func:`checked_answers` checks every answer against a questionnaire, as asked
of the file's dealer profile. Both raise :class:`AnswersFileError`, naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maturity.engine._schema import ContentError, Problem, read_yaml
from maturity.engine.answers import AnswerError, validate_answer
from maturity.engine.definition import DEFAULT_PROFILE, PROFILES, Questionnaire
from maturity.engine.scoring import visible_questions

__all__ = ["AnswersFile", "AnswersFileError", "checked_answers", "read_answers_file"]

_FIELDS = ("answers", "dealership", "persona", "expected_rung")


class AnswersFileError(ContentError):
    """An answers file that cannot be read or does not fit the questionnaire."""


@dataclass(frozen=True)
class AnswersFile:
    path: Path
    answers: dict[str, Any]  # question key -> value, as written
    profile: str  # the dealer profile (``dealership.profile``, default brand dealer)
    dealership: dict[str, Any] = field(default_factory=dict)
    persona: str | None = None
    expected_rung: int | None = None


def _error(source: str, path: str, key: str | None, message: str) -> AnswersFileError:
    return AnswersFileError(source, [Problem(path, key, message)])


def read_answers_file(path: str | Path) -> AnswersFile:
    """Read an answers file and check its shape (not yet its answers)."""
    data, source = read_yaml(path, AnswersFileError)
    if not isinstance(data, dict):
        raise _error(source, "", None, "expected a mapping with an 'answers' mapping")
    unknown = [name for name in data if name not in _FIELDS]
    if unknown:
        raise _error(
            source, "", None, f"unknown field '{unknown[0]}' (allowed: {', '.join(_FIELDS)})"
        )
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise _error(source, "answers", None, "expected a mapping of question key -> answer")
    dealership = data.get("dealership", {})
    if not isinstance(dealership, dict):
        raise _error(source, "dealership", None, "expected a mapping (name, city, profile...)")
    profile = dealership.get("profile", DEFAULT_PROFILE)
    if profile not in PROFILES:
        raise _error(
            source,
            "dealership.profile",
            None,
            f"unknown dealer profile {profile!r} (known: {', '.join(PROFILES)})",
        )
    expected = data.get("expected_rung")
    if expected is not None and (not isinstance(expected, int) or not 1 <= expected <= 5):
        raise _error(source, "expected_rung", None, "expected a rung number from 1 to 5")
    persona = data.get("persona")
    return AnswersFile(
        path=Path(path),
        answers={str(k): v for k, v in answers.items()},
        profile=profile,
        dealership=dict(dealership),
        persona=str(persona).upper() if persona is not None else None,
        expected_rung=expected,
    )


def checked_answers(
    answers_file: AnswersFile, questionnaire: Questionnaire
) -> tuple[Questionnaire, dict[str, Any]]:
    """The questionnaire as asked of the file's profile, and the file's answers checked
    against it (normalised); every problem at once, each naming its key."""
    asked = questionnaire.for_profile(answers_file.profile)
    source = str(answers_file.path)
    problems: list[Problem] = []
    answers: dict[str, Any] = {}
    for key, value in answers_file.answers.items():
        where = f"answers.{key}"
        if not asked.has_question(key):
            if questionnaire.any_question(key) is not None:
                message = f"not asked of the dealer profile '{asked.profile}'"
            else:
                message = "unknown question"
            problems.append(Problem(where, key, message))
            continue
        try:
            normalized = validate_answer(asked.question(key), value)
        except AnswerError as error:
            problems.append(Problem(where, key, str(error).split(": ", 1)[-1]))
            continue
        if normalized is not None:
            answers[key] = normalized
    if problems:
        raise AnswersFileError(source, problems)
    missing = [
        key
        for key in visible_questions(asked, answers)
        if asked.question(key).required and key not in answers
    ]
    if missing:
        raise AnswersFileError(
            source,
            [
                Problem(f"answers.{key}", key, "missing: the question is shown and required")
                for key in missing
            ],
        )
    return asked, answers
