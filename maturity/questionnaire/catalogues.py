"""The catalogue of roadmap actions (``maturity/content/actions.yaml``) for a questionnaire.

The roadmap is not frozen with a result: it is rebuilt from the stored result with the
catalogue on disk, so better-worded or new actions reach past results too. The catalogue
is checked against the questionnaire version it is used with (its gaps name questions);
when it does not fit an older version, :func:`catalogue_for` returns ``None`` and the
pages say the roadmap is not available, instead of failing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from maturity.engine.catalogue import Catalogue, CatalogueError, load_catalogue
from maturity.engine.definition import Questionnaire
from maturity.questionnaire.files import CATALOGUE_FILE

__all__ = ["CATALOGUE_FILE", "catalogue_for"]

logger = logging.getLogger(__name__)

# (file, mtime, size, questionnaire hash) -> catalogue or None. Parsing and checking the
# file costs ~0.1 s: once per file change and questionnaire version, not per page view.
_cache: dict[tuple[str, int, int, str], Catalogue | None] = {}


def catalogue_for(
    definition: Questionnaire, *, path: str | Path = CATALOGUE_FILE
) -> Catalogue | None:
    """The action catalogue checked against ``definition``, or ``None`` if it does not fit."""
    stat = Path(path).stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, definition.content_hash)
    if key in _cache:
        return _cache[key]
    try:
        catalogue: Catalogue | None = load_catalogue(path, definition)
    except CatalogueError as error:
        logger.warning(
            "Action catalogue does not fit questionnaire %s: %s", definition.version, error
        )
        catalogue = None
    if len(_cache) >= 16:
        _cache.clear()
    _cache[key] = catalogue
    return catalogue
