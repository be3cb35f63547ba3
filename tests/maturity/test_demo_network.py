"""The demo network: Nadia's federation has enough assessed dealerships to show figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dealers.models import Network, User
from maturity.demo.assessments import seed_assessments
from maturity.demo.network import CAMPAIGN_TITLE, MANAGER, NETWORK_NAME, RESUBMITTED, seed_network
from maturity.demo.people import seed_people
from maturity.models import Campaign, NetworkAggregate

pytestmark = pytest.mark.django_db


def test_it_seeds_a_network_whose_dashboard_shows_figures_once(client):
    seed_people()
    seed_assessments()
    created, logins = seed_network()
    assert created and [login.email for login in logins] == [MANAGER[0]]
    again, _logins = seed_network()
    assert again == []  # idempotent

    network = Network.objects.get(name=NETWORK_NAME)
    nadia = User.objects.get(email=MANAGER[0])
    assert nadia.network == network and not nadia.is_consultant and not nadia.is_staff
    aggregate = NetworkAggregate.objects.get(network=network)
    assert aggregate.assessed == network.dealerships.count() == 18
    quarters = [q for q in aggregate.figures["trend"] if q["count"] >= 5]
    assert len(quarters) >= 2
    campaign = Campaign.objects.get(title=CAMPAIGN_TITLE)
    assert campaign.participants.filter(assessment__status="submitted").count() == RESUBMITTED

    client.force_login(nadia)
    page = client.get(reverse("network"), follow=True).text
    assert "maturity-chart-bars" in page and "maturity-chart-trend" in page
    assert "Bretagne" in page and "Pays de la Loire" in page and "Normandie" not in page
    assert CAMPAIGN_TITLE.replace("'", "&#x27;") in page
