"""Helpers for the results tests: submit a persona's answers through the real services."""

from __future__ import annotations

from typing import Any

from maturity.assessments.services import assessment_start, assessment_submit
from maturity.demo.personas import load_persona
from maturity.models import Answer, Assessment


def submit_answers(*, dealership, user, answers: dict[str, Any]) -> Assessment:
    """Start a draft, store ``answers`` and submit it with ``assessment_submit``."""
    draft, _created = assessment_start(dealership=dealership, user=user)
    Answer.objects.filter(assessment=draft).delete()  # a re-assessment is pre-filled
    Answer.objects.bulk_create(
        Answer(assessment=draft, question_key=key, value=value, updated_by=user)
        for key, value in answers.items()
    )
    return assessment_submit(assessment=draft, user=user)


def submit_persona(*, dealership, user, letter: str) -> Assessment:
    return submit_answers(dealership=dealership, user=user, answers=load_persona(letter).answers)
