"""Where the content files are, and a published version turned back into its definition
(publishing itself is in ``maturity.services.questionnaires``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from maturity.engine.definition import Questionnaire

if TYPE_CHECKING:
    from maturity.models import QuestionnaireVersion

CONTENT_DIR = Path(settings.BASE_DIR) / "maturity" / "content"
QUESTIONNAIRE_FILE = CONTENT_DIR / "questionnaire.yaml"

# Definitions are immutable and keyed by content hash, so caching them per process is safe.
_definitions: dict[str, Questionnaire] = {}


def definition_for(version: QuestionnaireVersion) -> Questionnaire:
    from maturity.engine.loader import parse_questionnaire

    cached = _definitions.get(version.content_hash)
    if cached is None:
        cached = parse_questionnaire(version.content, source=f"version {version.label}")
        _definitions[version.content_hash] = cached
    return cached
