"""Reading answers out of a posted form (the inputs are rendered by the wizard templates).

Each question posts its value as ``q-<key>`` and the revision the page was showing as
``rev-<key>``; the revision field is always there for a question shown on the page, so
"all boxes unticked" can be told from "not on this page".
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from maturity.engine.definition import DONT_KNOW, Question


def value_name(question: Question) -> str:
    return f"q-{question.key}"


def revision_name(question: Question) -> str:
    return f"rev-{question.key}"


def posted_value(question: Question, data: QueryDict) -> Any:
    """The raw answer to ``question`` in ``data``, to be checked by ``validate_answer``."""
    name = value_name(question)
    if question.kind == "multi":
        return data.getlist(name)
    if question.kind == "number":
        values = data.getlist(name)
        if DONT_KNOW in values:
            return DONT_KNOW
        return next((v for v in values if v.strip()), "")
    return data.get(name, "")


def posted_revision(question: Question, data: QueryDict) -> int | None:
    """The revision the page showed (``None``: the question was not on the page).

    Raises ``ValueError`` for a revision that is not a whole number from 0 to 2**31 - 1
    (the column's range).
    """
    raw = data.get(revision_name(question))
    if raw is None:
        return None
    revision = int(raw)
    if not 0 <= revision < 2**31:
        raise ValueError(raw)
    return revision
