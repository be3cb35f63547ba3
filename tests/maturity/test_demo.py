"""Demo assessments: the five reference dealers submitted, one draft half-way."""

from __future__ import annotations

import pytest

from maturity.demo.assessments import seed_assessments
from maturity.demo.people import PERSONAS, seed_people
from maturity.demo.personas import load_persona
from maturity.models import Assessment
from tests.maturity.conftest import stored


@pytest.mark.django_db
def test_it_seeds_the_reference_dealers_and_a_draft_once():
    seed_people()

    created = seed_assessments()
    again = seed_assessments()

    assert len(created) == 6 and again == []
    submitted = Assessment.objects.filter(status="submitted").select_related("dealership")
    assert sorted(a.dealership.name for a in submitted) == sorted(p.name for p in PERSONAS)
    horizon = submitted.get(dealership__name="Groupe Horizon – Lyon")
    assert stored(horizon) == load_persona("D").answers
    assert horizon.submitted_by.email == "isabelle.roche@groupe-horizon.example"
    for assessment in submitted:
        persona = next(p for p in PERSONAS if p.name == assessment.dealership.name)
        assert assessment.profile == persona.profile == assessment.dealership.profile
    selection = submitted.get(dealership__name="Auto Sélection 44")
    assert selection.result.rung == 3
    assert selection.submitted_by.email == "sophie.martin@auto-selection-44.example"
    draft = Assessment.objects.get(status="draft")
    assert draft.dealership.name not in {p.name for p in PERSONAS}
    answered = {key.split("_")[0] for key in stored(draft)}
    assert answered == {"website", "social", "reviews"}
