"""The demo data: every submitted demo assessment has its result, on the persona's rung."""

from __future__ import annotations

from maturity.demo.assessments import seed_assessments
from maturity.demo.people import seed_people
from maturity.demo.personas import load_personas
from maturity.models import Assessment


def test_it_gives_every_submitted_demo_assessment_its_result(db):
    seed_people()
    seed_assessments()
    submitted = Assessment.objects.filter(status=Assessment.Status.SUBMITTED).select_related(
        "result", "dealership"
    )
    rungs = {a.dealership.name: a.result.rung for a in submitted}
    assert rungs == {p.dealership["name"]: p.expected_rung for p in load_personas()}
