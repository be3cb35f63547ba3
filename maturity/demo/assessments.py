"""Demo assessments for ``manage.py seed_demo`` (idempotent).

Each reference dealer of ``shared/personas.md`` gets a submitted assessment answered as
in its persona file; one generated dealership gets a half-filled draft, so the demo
shows the wizard mid-way.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from dealers.models import Dealership, Membership, User
from maturity import selectors
from maturity.assessments.progress import visible_keys
from maturity.assessments.services import answers_save, assessment_start, assessment_submit
from maturity.demo.people import PERSONAS, demo_dealerships
from maturity.demo.personas import load_personas
from maturity.engine.answers import random_answer
from maturity.models import Assessment

DRAFT_AREAS = 3  # the demo draft has its first three steps answered


def _owner(dealership: Dealership) -> User | None:
    memberships = dealership.memberships.select_related("user").order_by("pk")
    membership = memberships.filter(role=Membership.Role.OWNER).first() or memberships.first()
    return membership.user if membership else None


def _fill(*, assessment: Assessment, answers: dict, user: User | None) -> None:
    rows = selectors.answer_rows(assessment=assessment)
    page = {
        key: (value, rows[key].revision if key in rows else 0) for key, value in answers.items()
    }
    errors = answers_save(assessment=assessment, answers=page, user=user)
    if errors:
        details = "; ".join(f"{key}: {error}" for key, error in errors.items())
        raise ValueError(f"{assessment.dealership}: demo answers refused ({details})")


def seed_assessments(*, progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Create the demo assessments that do not exist yet; return what was created."""
    created: list[str] = []
    personas = load_personas()
    steps = len(personas) + 1
    for index, persona in enumerate(personas, start=1):
        dealership = Dealership.objects.filter(name=persona.dealership["name"]).first()
        done = Assessment.objects.filter(dealership=dealership).submitted().exists()
        if dealership is not None and not done:
            user = _owner(dealership)
            assessment, _new = assessment_start(dealership=dealership, user=user)
            _fill(assessment=assessment, answers=persona.answers, user=user)
            assessment_submit(assessment=assessment, user=user)
            created.append(f"submitted assessment: {dealership.name} (persona {persona.key})")
        if progress:
            progress(index, steps)

    generated = demo_dealerships()[len(PERSONAS)]
    dealership = Dealership.objects.filter(name=generated.name, city=generated.city).first()
    if dealership is not None and not dealership.assessments.exists():
        user = _owner(dealership)
        draft, _new = assessment_start(dealership=dealership, user=user)
        definition = draft.definition
        rng = random.Random(2026)  # the same draft every time
        answers: dict = {}
        for area in definition.areas[:DRAFT_AREAS]:
            for question in area.questions:
                if question.required and question.key in visible_keys(definition, answers):
                    answers[question.key] = random_answer(question, rng, dont_know_rate=0.1)
        _fill(assessment=draft, answers=answers, user=user)
        created.append(f"draft assessment: {dealership.name}")
    if progress:
        progress(steps, steps)
    return created
