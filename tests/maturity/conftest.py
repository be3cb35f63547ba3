"""Fixtures for the assessment tests: a draft of ``dealership`` and ways to answer it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from maturity.assessments.services import answers_save, assessment_start
from maturity.demo.personas import load_persona
from maturity.models import Answer, Assessment


@pytest.fixture
def draft(dealership, owner) -> Assessment:
    assessment, _created = assessment_start(dealership=dealership, user=owner)
    return assessment


def fill(assessment: Assessment, answers: dict[str, Any], user) -> None:
    """Answer through the service, as the wizard would (revisions taken from the rows)."""
    rows = {a.question_key: a.revision for a in Answer.objects.filter(assessment=assessment)}
    page = {key: (value, rows.get(key, 0)) for key, value in answers.items()}
    errors = answers_save(assessment=assessment, answers=page, user=user)
    assert not errors, errors


def stored(assessment: Assessment) -> dict[str, Any]:
    return {
        a.question_key: a.value
        for a in Answer.objects.filter(assessment=assessment)
        if a.value is not None
    }


def persona_answers(letter: str) -> dict[str, Any]:
    return dict(load_persona(letter).answers)


def step_url(assessment: Assessment, area: str) -> str:
    return reverse("assessment_step", args=[assessment.dealership_id, assessment.pk, area])


def answer_url(assessment: Assessment, key: str) -> str:
    return reverse("answer_save", args=[assessment.dealership_id, assessment.pk, key])


def revision(assessment: Assessment, key: str) -> int:
    row = Answer.objects.filter(assessment=assessment, question_key=key).first()
    return row.revision if row else 0


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def english(client):
    """The product's own words in English (their msgids), whatever the French catalogue says.

    Questionnaire texts then come in English too (``Text.en``).
    """
    client.cookies.load({"django_language": "en"})
    return client


@pytest.fixture
def eager():
    """Celery tasks run at once in this process (with ``django_capture_on_commit_callbacks
    (execute=True)`` around the action, the e-mails of notifications and campaigns go out
    during the test)."""
    from config.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before
