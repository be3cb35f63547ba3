"""The content files on disk, and the questionnaire they hold now.

``CONTENT_DIR`` holds the questionnaire, the action catalogue and the reference dealers
(see ``maturity/content/README.md``). :func:`current_definition` is the questionnaire file
as it is on disk, parsed once per change: the dashboards show the current areas whatever
version each assessment was answered on (they read stored scores, never answers). No
database query: the file's modification time keys the cache, so a new questionnaire is
picked up without a restart. Publishing a version is in ``services``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from maturity.engine.definition import Questionnaire
from maturity.engine.loader import load_questionnaire

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
QUESTIONNAIRE_FILE = CONTENT_DIR / "questionnaire.yaml"
CATALOGUE_FILE = CONTENT_DIR / "actions.yaml"
PERSONAS_DIR = CONTENT_DIR / "personas"


@lru_cache(maxsize=4)
def _definition_at(path: str, mtime_ns: int) -> Questionnaire:
    return load_questionnaire(path)


def current_definition() -> Questionnaire:
    """The questionnaire file on disk (parsed once per modification)."""
    return _definition_at(str(QUESTIONNAIRE_FILE), QUESTIONNAIRE_FILE.stat().st_mtime_ns)


def current_area_keys() -> tuple[str, ...]:
    return tuple(area.key for area in current_definition().areas)
