"""Demo data: website measurements for several dealerships, without network access."""

from __future__ import annotations

import pytest

from dealers.models import Dealership
from maturity.demo.assessments import seed_assessments
from maturity.demo.measurements import seed_measurements
from maturity.demo.people import seed_people
from maturity.measured.alerts import STOCK_GONE, WEBSITE_UNREACHABLE, website_signals
from maturity.models import Assessment, Measurement


@pytest.mark.django_db
def test_it_seeds_measurements_that_the_results_and_alerts_use_once():
    seed_people()
    seed_assessments()
    created = seed_measurements()
    assert len(created) == 6 and seed_measurements() == []
    assert Measurement.objects.values("dealership").distinct().count() == 6

    mega = Assessment.objects.submitted().get(dealership__name="Méga Motors")
    assert mega.dealership.measurements.get().checks.get(key="own_domain").ok is False
    mega.result.refresh_from_db()
    assert mega.result.rung == 2
    own = next(
        c for c in mega.result.snapshot["measured"]["comparisons"] if c["key"] == "website_own"
    )
    assert own["status"] == "agrees"

    riviere = Assessment.objects.submitted().get(dealership__name="Auto Rivière")
    riviere.result.refresh_from_db()
    statuses = {c["key"]: c["status"] for c in riviere.result.snapshot["measured"]["comparisons"]}
    assert statuses["website_mobile"] == "disproved"

    signals = {s.signal for s in website_signals(dealerships=Dealership.objects.all())}
    assert signals == {WEBSITE_UNREACHABLE, STOCK_GONE}
