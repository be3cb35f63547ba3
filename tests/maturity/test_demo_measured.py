"""Demo measured facts: lead tests and imported reviews for several dealerships, alerts for
Claire's portfolio, seeded once."""

from __future__ import annotations

import pytest

from dealers.models import Dealership, User
from maturity.demo.measured import LEAD_TESTS, REVIEWS, seed_measured
from maturity.demo.people import CONSULTANTS, seed_people
from maturity.measurements.leads.alerts import measured_alerts
from maturity.models import CustomerReview, LeadTest, ReviewImport


@pytest.mark.django_db
def test_it_seeds_lead_tests_and_reviews_once_with_alerts_to_show():
    seed_people()
    created = seed_measured()
    assert len(created) == len(LEAD_TESTS) + len(REVIEWS)
    assert seed_measured() == []
    assert LeadTest.objects.values("dealership").distinct().count() == len(LEAD_TESTS)
    assert ReviewImport.objects.filter(dealership__name="Méga Motors").count() == 2
    assert CustomerReview.objects.count() > 100
    claire = User.objects.get(email=CONSULTANTS[0][0])
    in_scope = Dealership.objects.filter(assignments__consultant=claire)
    kinds = {(a.dealership_name, a.kind) for a in measured_alerts(dealerships=in_scope)}
    assert ("Méga Motors", "lead_unanswered") in kinds
    assert ("Méga Motors", "rating_down") in kinds
    assert ("Garage du Centre", "review_answers") in kinds


@pytest.mark.django_db
def test_the_demo_results_show_the_lead_and_review_figures_beside_the_answers():
    from maturity.demo.assessments import seed_assessments
    from maturity.models import Assessment

    seed_people()
    seed_assessments()
    seed_measured()
    checks = set()
    for assessment in Assessment.objects.submitted().select_related("result"):
        measured = assessment.result.snapshot.get("measured") or {}
        checks |= {c["check"] for c in measured.get("comparisons", ())}
    assert {"leads.response_time", "reviews.rating", "reviews.answered_share"} <= checks
    mega = Assessment.objects.submitted().get(dealership__name="Méga Motors").result
    statuses = {c["key"]: c["status"] for c in mega.snapshot["measured"]["comparisons"]}
    # Méga Motors declares a reply within the hour and a 4.3 rating: its tests and its
    # falling reviews say otherwise.
    assert statuses["crm_response_time"] == "disproved"
    assert statuses["reviews_rating"] == "disproved"
