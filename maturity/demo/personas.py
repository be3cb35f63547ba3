"""The four reference dealers of ``shared/personas.md`` as answer fixtures.

Plain file reading, no database: the scoring tests, the demo data and the browser test
all answer the questionnaire with the same truthful answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maturity.engine._schema import ContentError, Problem, read_yaml
from maturity.questionnaire.files import PERSONAS_DIR


class PersonaError(ContentError):
    """A persona file is missing or malformed."""


@dataclass(frozen=True)
class Persona:
    key: str  # "A".."D", as in personas.md
    dealership: dict[str, Any]  # name, city, region, brands, size_band[, group]
    expected_rung: int
    answers: dict[str, Any]  # question key -> value (engine/definition.py formats)
    path: Path


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
    data, source = read_yaml(path, PersonaError)
    if not isinstance(data, dict):
        raise PersonaError(source, [_problem("expected a mapping")])
    missing = [f for f in ("persona", "dealership", "expected_rung", "answers") if f not in data]
    if missing:
        raise PersonaError(source, [_problem(f"missing field(s): {', '.join(missing)}")])
    if not isinstance(data["answers"], dict) or not isinstance(data["dealership"], dict):
        raise PersonaError(source, [_problem("'answers' and 'dealership' must be mappings")])
    return Persona(
        key=str(data["persona"]).upper(),
        dealership=dict(data["dealership"]),
        expected_rung=int(data["expected_rung"]),
        answers=dict(data["answers"]),
        path=path,
    )
