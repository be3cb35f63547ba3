"""Helpers for the PDF report tests: read a PDF's text, expected roadmap titles."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader

from maturity.engine.roadmap import build_roadmap
from maturity.engine.scoring import Result
from maturity.models import Assessment
from maturity.questionnaire.catalogues import catalogue_for


def pdf_text(data: bytes) -> str:
    """The PDF's text, whitespace collapsed (wrapped lines become single spaces).

    A compound word wrapped at its hyphen ("Noël-" / "Lacombe") is joined again, as a
    reader sees it.
    """
    reader = PdfReader(io.BytesIO(data))
    raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(re.sub(r"(?<=\w)-\n(?=\w)", "-", raw).split())


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def first_phase_titles(assessment: Assessment, language: str) -> list[str]:
    """Titles of the roadmap's first horizon, in order, computed with the engine."""
    definition = assessment.definition
    result = Result.from_dict(assessment.result.snapshot)
    roadmap = build_roadmap(definition, {}, result, catalogue_for(definition))
    return [item.action.title.get(language) for item in roadmap.horizon("0-3")]


def first_horizon_title(language: str) -> str:
    """The heading of the roadmap's first horizon, as the PDF writes it."""
    from django.utils import translation

    from maturity.results.presenters import HORIZON_TITLES

    with translation.override(language):
        return str(HORIZON_TITLES["0-3"][0])


def rung_title(assessment: Assessment, language: str) -> str:
    definition = assessment.version.definition
    return definition.rungs[assessment.result.rung - 1].title.get(language)


def in_order(text: str, phrases: list[str], *, start: int = 0) -> bool:
    """Every phrase appears in ``text`` after the previous one."""
    position = start
    for phrase in phrases:
        found = text.find(phrase, position)
        if found < 0:
            return False
        position = found + len(phrase)
    return True


def assert_in_order(text: str, phrases: list[str], *, start: int = 0) -> None:
    position = start
    for phrase in phrases:
        found = text.find(phrase, position)
        assert found >= 0, f"{phrase!r} not found after position {position}"
        position = found + len(phrase)


class Sent:
    """Records ``report_send`` calls instead of publishing (the broker is not needed)."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def __call__(self, *, report_id: int) -> bool:
        self.ids.append(report_id)
        return True


def answers_of(assessment: Assessment) -> dict[str, Any]:
    return dict(assessment.answers.values_list("question_key", "value"))
