"""The questionnaire file on disk, parsed once per change: area keys and titles, rungs.

For the dashboards, which show the current areas whatever version each assessment was
answered on (they read stored scores, never answers). No database query: the file's
modification time keys the cache, so a new questionnaire is picked up without a restart.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from maturity.engine.definition import Questionnaire


@lru_cache(maxsize=4)
def _definition_at(path: str, mtime_ns: int) -> Questionnaire:
    from maturity.engine.loader import load_questionnaire

    return load_questionnaire(path)


def current_definition() -> Questionnaire:
    from maturity.questionnaires import QUESTIONNAIRE_FILE

    return _definition_at(str(QUESTIONNAIRE_FILE), Path(QUESTIONNAIRE_FILE).stat().st_mtime_ns)


def current_area_keys() -> tuple[str, ...]:
    return tuple(area.key for area in current_definition().areas)
