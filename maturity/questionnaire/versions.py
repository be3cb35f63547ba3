"""A published questionnaire version turned back into its definition, once per process.

Definitions are immutable and keyed by content hash, so caching them per process is safe.
Nothing here imports the models: ``QuestionnaireVersion.definition`` calls in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from maturity.engine.definition import Questionnaire
from maturity.engine.loader import parse_questionnaire

if TYPE_CHECKING:
    from maturity.models import QuestionnaireVersion

_definitions: dict[str, Questionnaire] = {}


def definition_for(version: QuestionnaireVersion) -> Questionnaire:
    """The parsed questionnaire of ``version`` (its content is read on a cache miss only)."""
    cached = _definitions.get(version.content_hash)
    if cached is None:
        cached = parse_questionnaire(version.content, source=f"version {version.label}")
        _definitions[version.content_hash] = cached
    return cached
