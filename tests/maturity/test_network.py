"""The network dashboard (maturity.network): scope, the peer rule, precomputed figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dealers.models import Dealership
from dealers.scoping import dealership_ids_for, networks_for, scoped
from maturity.assessments.services import assessment_submit
from maturity.models import Campaign, CampaignDealership, NetworkAggregate
from maturity.network.services import (
    network_aggregate_rebuild,
    network_aggregate_refresh,
    quarter_of,
    quarters_ending,
)
from tests.factories import (
    AREA_KEYS,
    AssessmentFactory,
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    NetworkFactory,
    NetworkManagerFactory,
    StaffFactory,
    persona_answers,
)
from tests.maturity.conftest import fill
from tests.maturity.portfolio_helpers import areas, submit

pytestmark = pytest.mark.django_db


def network_of(count: int, *, name: str, region: str = "bre", start: int = 40, **extra):
    """A network of ``count`` dealerships of ``region``, each with a submitted result."""
    shops = [
        DealershipFactory(name=f"{name} garage {n}", region=region, **extra) for n in range(count)
    ]
    for n, shop in enumerate(shops):
        submit(shop, rung=1 + n % 3, scores=areas(start + n), overall=start + n)
    return NetworkFactory(name=name, dealerships=shops), shops


def dashboard(client, user, network):
    client.force_login(user)
    return client.get(reverse("network_dashboard", args=[network.pk]))


# --- scope -------------------------------------------------------------------------------


def test_a_network_manager_reads_their_network_and_nothing_of_another(client):
    network_a, _shops_a = network_of(6, name="Réseau A")
    network_b, _shops_b = network_of(6, name="Réseau B", start=70)
    network_aggregate_rebuild()
    manager = NetworkManagerFactory(network=network_a)

    response = dashboard(client, manager, network_a)
    assert response.status_code == 200
    assert "Réseau A" in response.text
    assert dashboard(client, manager, network_b).status_code == 404
    assert list(networks_for(manager)) == [network_a]
    # The index leads them to their own network.
    assert client.get(reverse("network")).headers["Location"] == reverse(
        "network_dashboard", args=[network_a.pk]
    )
    assert client.get(reverse("home")).headers["Location"] == reverse("network")


def test_a_network_manager_opens_no_dealership_of_their_network(client):
    network, shops = network_of(5, name="Réseau A")
    manager = NetworkManagerFactory(network=network)
    result = shops[0].assessments.get().result
    client.force_login(manager)

    assert not scoped(Dealership.objects.all(), manager).exists()
    assert not Dealership.objects.filter(pk__in=dealership_ids_for(manager)).exists()
    assert client.get(reverse("dealership_detail", args=[shops[0].pk])).status_code == 404
    assert client.get(reverse("assessment_results", args=[result.assessment_id])).status_code == 404
    assert client.get(reverse("portfolio")).status_code == 403
    assert shops[0].name not in client.get(reverse("dealership_list")).text


def test_a_network_manager_assigned_as_consultant_opens_that_dealership_only(client):
    network, shops = network_of(5, name="Réseau A")
    manager = NetworkManagerFactory(network=network, is_consultant=True)
    AssignmentFactory(consultant=manager, dealership=shops[0])
    client.force_login(manager)

    assert client.get(reverse("dealership_detail", args=[shops[0].pk])).status_code == 200
    assert client.get(reverse("dealership_detail", args=[shops[1].pk])).status_code == 404
    assert list(scoped(Dealership.objects.all(), manager)) == [shops[0]]


def test_staff_read_every_network_and_nobody_else_does(client):
    network_a, _ = network_of(1, name="Réseau A")
    network_b, _ = network_of(1, name="Réseau B")
    staff = StaffFactory()
    assert set(networks_for(staff)) == {network_a, network_b}
    client.force_login(staff)
    page = client.get(reverse("network"))
    assert "Réseau A" in page.text and "Réseau B" in page.text
    assert dashboard(client, staff, network_b).status_code == 200

    consultant = ConsultantFactory()
    AssignmentFactory(consultant=consultant, dealership=network_a.dealerships.first())
    assert not networks_for(consultant).exists()
    assert dashboard(client, consultant, network_a).status_code == 404
    client.force_login(consultant)
    assert client.get(reverse("network")).status_code == 404


def test_the_menu_leads_network_managers_and_staff_to_the_networks(client):
    network, _ = network_of(1, name="Réseau A")
    client.force_login(NetworkManagerFactory(network=network))
    page = client.get(reverse("network"), follow=True).text
    assert f'href="{reverse("network")}"' in page and "Mon réseau" in page
    client.force_login(ConsultantFactory())
    assert f'href="{reverse("network")}"' not in client.get(reverse("portfolio")).text
    client.force_login(StaffFactory())
    assert f'href="{reverse("network")}"' in client.get(reverse("portfolio")).text


# --- what the page shows ------------------------------------------------------------------


def test_it_shows_rungs_medians_trend_and_campaigns_never_a_dealership(client):
    network, shops = network_of(6, name="Réseau A")
    campaign = Campaign.objects.create(
        title="Printemps réseau", due_date=timezone.localdate(), created_at=timezone.now()
    )
    for shop in shops:
        CampaignDealership.objects.create(
            campaign=campaign,
            dealership=shop,
            assessment=shop.assessments.get(),
            added_at=timezone.now(),
        )
    network_aggregate_rebuild()

    page = dashboard(client, StaffFactory(), network).text
    assert 'class="maturity-chart maturity-chart-bars"' in page  # the rung distribution
    assert 'data-testid="network-regions"' in page and "Bretagne" in page
    assert 'data-testid="network-profiles"' in page
    assert 'data-testid="network-trend"' in page
    assert "Printemps réseau" in page and "6 sur 6 (100&nbsp;%)" in page
    # Medians of 40..45: 42.5, shown whole (half up) as 43.
    assert ">43<" in page
    for shop in shops:
        assert shop.name not in page
    for score in (40, 41, 44, 45):  # no single dealership's overall score in a table cell
        assert f'fw-semibold">{score}<' not in page


def test_a_network_of_fewer_than_five_assessed_shows_what_to_do(client):
    network, _shops = network_of(4, name="Réseau A")
    network.dealerships.add(DealershipFactory())  # five, one never assessed
    network_aggregate_rebuild()

    page = dashboard(client, StaffFactory(), network).text
    assert 'data-testid="network-empty"' in page
    assert "campagne" in page  # what to do: a campaign
    assert "maturity-chart" not in page


def test_groups_of_fewer_than_five_are_not_shown_only_counted(client):
    network, _shops = network_of(5, name="Réseau A", region="bre")
    few = [DealershipFactory(region="pdl", profile="repairer") for _ in range(4)]
    for shop in few:
        submit(shop, scores=areas(90), overall=90)
    network.dealerships.add(*few)
    network_aggregate_rebuild()

    page = dashboard(client, StaffFactory(), network).text
    assert "Bretagne" in page and "Pays de la Loire" not in page
    assert "1 région de moins de 5 concessions évaluées n’est pas affichée." in page
    assert "Réparateur" not in page


def test_the_trend_counts_each_dealership_once_per_quarter():
    today = timezone.localdate()
    network, shops = network_of(5, name="Réseau A")
    for shop in shops:  # a second submission the same quarter replaces the first
        submit(shop, scores=areas(80), overall=80)
    network_aggregate_rebuild()
    trend = NetworkAggregate.objects.get(network=network).figures["trend"]
    assert [q["quarter"] for q in trend] == quarters_ending(today, 8)
    assert trend[-1] == {"quarter": quarter_of(today), "count": 5, "median": 80.0}
    assert all(q["count"] == 0 for q in trend[:-1])


def test_quarters_run_across_years():
    assert quarters_ending(timezone.datetime(2026, 2, 3).date(), 3) == [
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]


# --- precomputed, refreshed -----------------------------------------------------------------


def test_a_submission_refreshes_its_networks_once_committed(
    dealership, owner, eager, django_capture_on_commit_callbacks
):
    network, _shops = network_of(5, name="Réseau A")
    network.dealerships.add(dealership)
    elsewhere, _ = network_of(5, name="Réseau B")
    network_aggregate_rebuild()
    before = NetworkAggregate.objects.get(network=network)
    untouched = NetworkAggregate.objects.get(network=elsewhere).refreshed_at
    assert before.assessed == 5
    draft = AssessmentFactory(dealership=dealership, status="draft", created_by=owner)
    fill(draft, persona_answers("A"), owner)

    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=draft, user=owner)

    after = NetworkAggregate.objects.get(network=network)
    assert after.assessed == 6 and after.refreshed_at > before.refreshed_at
    assert NetworkAggregate.objects.get(network=elsewhere).refreshed_at == untouched


def test_a_refresh_asked_before_the_last_one_is_skipped():
    _network, shops = network_of(5, name="Réseau A")
    asked = timezone.now() - timedelta(seconds=1)
    assert network_aggregate_refresh(dealership_ids=[shops[0].pk]) == 1
    assert network_aggregate_refresh(dealership_ids=[shops[0].pk], requested_at=asked) == 0
    later = timezone.now()
    assert network_aggregate_refresh(dealership_ids=[shops[0].pk], requested_at=later) == 1
    assert network_aggregate_refresh(dealership_ids=[DealershipFactory().pk]) == 0


def test_the_refresh_equals_a_full_rebuild():
    network, shops = network_of(7, name="Réseau A")
    network_aggregate_refresh(dealership_ids=[shops[0].pk])
    refreshed = NetworkAggregate.objects.get(network=network)
    network_aggregate_rebuild()
    rebuilt = NetworkAggregate.objects.get(network=network)
    assert refreshed.figures == rebuilt.figures
    assert (refreshed.dealerships, refreshed.assessed) == (7, 7)
    assert rebuilt.figures["all"]["medians"][""] == 43.0
    assert set(rebuilt.figures["all"]["medians"]) == {"", *AREA_KEYS}


def test_the_dashboard_costs_the_same_queries_for_5_and_for_50_dealerships(client):
    counts = {}
    for size in (5, 50):
        network, _ = network_of(size, name=f"Réseau {size}")
        network_aggregate_rebuild()
        user = NetworkManagerFactory(network=network)
        dashboard(client, user, network)  # warm: login, translations
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("network_dashboard", args=[network.pk]))
        assert response.status_code == 200
        assert response.text.count("<tr>") >= 2  # figures shown, not the empty state
        counts[size] = len(queries)
    # Session, user, the network (through the scope), its precomputed row.
    assert counts == {5: 4, 50: 4}


# --- the admin ------------------------------------------------------------------------------


def test_staff_create_a_network_and_name_its_managers_in_the_admin(admin_client):
    shops = [DealershipFactory() for _ in range(2)]
    nadia = NetworkManagerFactory(email="nadia@reseau.example", network=None)
    previous = NetworkManagerFactory(email="ancien@reseau.example")
    url = reverse("admin:dealers_network_add")
    response = admin_client.post(
        url,
        {
            "name": "Réseau Ouest",
            "dealerships": [s.pk for s in shops],
            "managers": "Nadia@Reseau.example\ninconnu@reseau.example",
        },
    )
    assert response.status_code == 200  # refused: nobody has the second address
    assert "inconnu@reseau.example" in response.text

    response = admin_client.post(
        url,
        {
            "name": "Réseau Ouest",
            "dealerships": [s.pk for s in shops],
            "managers": "Nadia@Reseau.example\nancien@reseau.example",
        },
    )
    assert response.status_code == 302
    network = networks_for(StaffFactory()).get(name="Réseau Ouest")
    assert set(network.dealerships.all()) == set(shops)
    assert set(network.managers.all()) == {nadia, previous}

    change = reverse("admin:dealers_network_change", args=[network.pk])
    assert "nadia@reseau.example" in admin_client.get(change).text
    admin_client.post(
        change, {"name": "Réseau Ouest", "dealerships": [shops[0].pk], "managers": ""}
    )
    nadia.refresh_from_db()
    assert nadia.network is None  # no longer a manager of anything
    assert "Réseau Ouest" in admin_client.get(reverse("admin:dealers_network_changelist")).text
