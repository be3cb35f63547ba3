"""Publishing the questionnaire file as an immutable, content-addressed version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from maturity.engine._schema import read_yaml
from maturity.engine.loader import QuestionnaireError, parse_questionnaire
from maturity.models import QuestionnaireVersion
from maturity.questionnaire.files import QUESTIONNAIRE_FILE

__all__ = ["QuestionnaireError", "questionnaire_current", "questionnaire_publish"]

# (path, mtime, size) -> content hash: the file on disk is read and checked once per
# change, not on every assessment start.
_hash_of_file: dict[tuple[str, int, int], str] = {}


def _as_json(data: Any) -> Any:
    # What the database stores must parse back to the same hash: JSON turns YAML-only
    # types (dates...) into text exactly as the content hash does.
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def questionnaire_publish(
    *, path: str | Path = QUESTIONNAIRE_FILE
) -> tuple[QuestionnaireVersion, bool]:
    """Check the questionnaire file and store it as a version; ``(version, created)``.

    A version is identified by the hash of its content: publishing an unchanged file
    returns the existing version, and an existing version is never modified, so every
    assessment pinned to it keeps its questions and rules. Raises ``QuestionnaireError``
    (naming the key and the problem) for a malformed file; nothing is stored then.
    """
    data, source = read_yaml(path, QuestionnaireError)
    content = _as_json(data)
    definition = parse_questionnaire(content, source=source)
    with transaction.atomic():
        version, created = QuestionnaireVersion.objects.get_or_create(
            content_hash=definition.content_hash,
            defaults={"label": definition.version[:20], "content": content},
        )
    return version, created


def questionnaire_current(*, path: str | Path = QUESTIONNAIRE_FILE) -> QuestionnaireVersion:
    """The version of the questionnaire file on disk, published on first use."""
    stat = Path(path).stat()
    cache_key = (str(path), stat.st_mtime_ns, stat.st_size)
    content_hash = _hash_of_file.get(cache_key)
    if content_hash is not None:
        version = QuestionnaireVersion.objects.filter(content_hash=content_hash).first()
        if version is not None:
            return version
    version, _created = questionnaire_publish(path=path)
    _hash_of_file[cache_key] = version.content_hash
    return version
