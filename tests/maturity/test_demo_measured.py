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
