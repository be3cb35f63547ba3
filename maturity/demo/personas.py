"""The reference dealers of ``shared/personas.md`` (A to E) as answer fixtures.

Plain file reading, no database: the scoring tests, the demo data and the browser test
all answer the questionnaire with the same truthful answers. The files are in the format
of an answers file (``maturity/content/README.md``), read with
``maturity.questionnaire.answers_file.read_answers_file`` like the ``assess`` command does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maturity.engine._schema import ContentError, Problem
from maturity.engine.definition import DEFAULT_PROFILE
from maturity.questionnaire.answers_file import read_answers_file
from maturity.questionnaire.files import PERSONAS_DIR


class PersonaError(ContentError):
    """A persona file is missing or malformed."""


@dataclass(frozen=True)
class Persona:
    key: str  # "A".."E", as in personas.md
    dealership: dict[str, Any]  # name, city, region, brands, size_band, profile[, group]
    expected_rung: int
    answers: dict[str, Any]  # question key -> value (engine/definition.py formats)
    path: Path

    @property
    def profile(self) -> str:
        return str(self.dealership.get("profile") or DEFAULT_PROFILE)


def persona_files() -> list[Path]:
    return sorted(PERSONAS_DIR.glob("*.yaml"))


def load_persona(key: str) -> Persona:
    """The persona ``key``: its letter (``"A"``, case-insensitive) or its file name stem."""
    wanted = key.strip()
    for path in persona_files():
        if path.stem == wanted or path.stem.split("_", 1)[0] == wanted.lower():
            return _read(path)
    known = ", ".join(p.stem for p in persona_files())
    raise PersonaError(str(PERSONAS_DIR), [_problem(f"no persona {key!r} (known: {known})")])


def load_personas() -> list[Persona]:
    return [_read(path) for path in persona_files()]


def _problem(message: str) -> Problem:
    return Problem("", None, message)


def _read(path: Path) -> Persona:
    found = read_answers_file(path)
    source = str(path)
    missing = [
        name
        for name, value in (
            ("persona", found.persona),
            ("dealership", found.dealership or None),
            ("expected_rung", found.expected_rung),
        )
        if value is None
    ]
    if missing:
        raise PersonaError(source, [_problem(f"missing field(s): {', '.join(missing)}")])
    return Persona(
        key=str(found.persona),
        dealership=found.dealership,
        expected_rung=int(found.expected_rung or 0),
        answers=found.answers,
        path=path,
    )
