"""Peer benchmarks (maturity.results.benchmarks): quartiles among comparable dealerships."""

from __future__ import annotations

import pytest
from django.utils import translation

from maturity.peers.services import peer_statistics_rebuild
from maturity.results.benchmarks import (
    GROUP_BY_CHOICES,
    Quartiles,
    benchmark_of,
    group_by_or_default,
    peer_benchmark,
)
from tests.factories import BrandFactory, DealershipFactory
from tests.maturity.portfolio_helpers import areas, draft, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def dealership():
    return DealershipFactory(name="Moi", region="bre", size_band="medium")


def peers(count: int, *, region: str = "bre", start: float = 40.0, **kwargs) -> list:
    made = []
    for n in range(count):
        peer = DealershipFactory(region=region, **kwargs)
        submit(peer, scores=areas(start + 10 * n), overall=start + 10 * n)
        made.append(peer)
    return made


def test_it_shows_nothing_with_four_peers(dealership):
    peers(4)
    submit(dealership, scores=areas(90))
    assert peer_benchmark(dealership=dealership, group_by="region") is None


def test_it_shows_quartiles_with_five_peers(dealership, settings):
    peers(5)  # 40, 50, 60, 70, 80
    benchmark = peer_benchmark(dealership=dealership, group_by="region")
    assert benchmark is not None
    assert benchmark.peer_count == settings.PEER_MIN_OTHERS == 5
    assert benchmark.overall == Quartiles(q1=50.0, median=60.0, q3=70.0, count=5)
    assert benchmark.areas["website"] == Quartiles(q1=50.0, median=60.0, q3=70.0, count=5)
    assert benchmark.median("crm") == 60.0
    assert benchmark.label == "Bretagne"


def test_the_dealership_itself_never_counts_as_its_own_peer(dealership):
    peers(4)
    submit(dealership)
    assert peer_benchmark(dealership=dealership, group_by="region") is None


def test_a_peer_counts_once_with_its_latest_submission_only():
    dealership = DealershipFactory(region="bre")
    crowd = peers(4)
    submit(crowd[0], scores=areas(0), overall=0, days_ago=400)  # older: ignored
    draft(crowd[1])  # a draft is not a result
    assert peer_benchmark(dealership=dealership, group_by="region") is None
    peers(1, start=90)
    benchmark = peer_benchmark(dealership=dealership, group_by="region")
    assert benchmark.peer_count == 5
    assert benchmark.overall.median == 60.0  # 40, 50, 60, 70, 90


def test_peers_without_a_submitted_assessment_do_not_count(dealership):
    peers(4)
    for _ in range(3):
        DealershipFactory(region="bre")
    assert peer_benchmark(dealership=dealership, group_by="region") is None


@pytest.mark.parametrize("group_by", ["region", "brand", "size_band", "all"])
def test_it_groups_by_region_brand_size_or_all(dealership, group_by):
    peugeot = BrandFactory(name="Peugeot")
    dealership.brands.add(peugeot)
    same = peers(5, region="bre", size_band="medium")
    for peer in same:
        peer.brands.add(peugeot)
    # Five more that only match "all".
    peers(5, region="ara", size_band="large", start=0)
    benchmark = peer_benchmark(dealership=dealership, group_by=group_by)
    assert benchmark.peer_count == (10 if group_by == "all" else 5)
    assert benchmark.group_by == group_by


def test_brand_peers_share_any_brand_and_count_once():
    kia, ds = BrandFactory(name="Kia"), BrandFactory(name="DS")
    dealership = DealershipFactory()
    dealership.brands.add(kia, ds)
    for peer in peers(5, region="ara"):
        peer.brands.add(kia, ds)  # two shared brands: still one peer
    benchmark = peer_benchmark(dealership=dealership, group_by="brand")
    assert benchmark.peer_count == 5
    assert benchmark.label in ("DS, Kia", "Kia, DS")


def test_a_dealership_without_brand_has_no_brand_group():
    peers(6)
    assert peer_benchmark(dealership=DealershipFactory(), group_by="brand") is None


def test_peers_come_from_every_dealership_and_leave_only_aggregates(dealership):
    """The viewer's scope does not matter; nothing in the result identifies a peer."""
    crowd = peers(5)
    benchmark = peer_benchmark(dealership=dealership, group_by="region")
    # A benchmark of exactly these five (else the checks below would hold on ``None``).
    assert benchmark is not None
    assert benchmark.peer_count == 5
    assert (benchmark.overall.count, benchmark.overall.median) == (5, 60)
    text = repr(benchmark)
    assert "peer_count=5" in text
    for peer in crowd:
        assert peer.name not in text
    assert not any(hasattr(benchmark, name) for name in ("dealerships", "peers", "ids"))


def test_an_area_scored_by_fewer_than_five_peers_is_left_out(dealership):
    crowd = peers(5)
    # The newest result of one peer lacks the "strategy" area (an older questionnaire).
    legacy = areas(50)
    del legacy["strategy"]
    submit(crowd[0], scores=legacy, overall=50, days_ago=-1)
    benchmark = peer_benchmark(dealership=dealership, group_by="region")
    assert "strategy" not in benchmark.areas and "website" in benchmark.areas
    assert benchmark.medians(["website", "strategy"])[1] is None


def test_benchmark_of_a_whole_group_needs_five_results_too():
    from dealers.models import Dealership

    peers(4)
    assert benchmark_of(dealerships=Dealership.objects.all(), group_by="all", label="x") is None
    peers(1)
    assert benchmark_of(dealerships=Dealership.objects.all(), group_by="all", label="x")


def test_group_by_from_a_query_string():
    assert group_by_or_default("brand") == "brand"
    assert group_by_or_default("'; drop table") == "region"
    assert group_by_or_default(None, "all") == "all"


def test_it_costs_one_query_two_for_brands(dealership, django_assert_num_queries):
    peugeot = BrandFactory(name="Peugeot")
    dealership.brands.add(peugeot)
    for peer in peers(5):
        peer.brands.add(peugeot)
    peer_statistics_rebuild()  # brands changed after the submissions: the hourly rebuild
    with django_assert_num_queries(1):
        peer_benchmark(dealership=dealership, group_by="region")
    with django_assert_num_queries(2):
        peer_benchmark(dealership=dealership, group_by="brand")


def test_quartiles_match_the_python_definition_on_every_database(dealership):
    """PostgreSQL computes them with PERCENTILE_CONT, SQLite in Python: same numbers."""
    import statistics

    overall = [3.0, 10.0, 11.5, 40.0, 97.0, 98.0]
    for value in overall:
        submit(DealershipFactory(region="bre"), scores=areas(value, crm=100 - value), overall=value)
    benchmark = peer_benchmark(dealership=dealership, group_by="region")
    q1, median, q3 = (round(q, 1) for q in statistics.quantiles(overall, n=4, method="inclusive"))
    assert benchmark.overall == Quartiles(q1=q1, median=median, q3=q3, count=6)
    assert benchmark.areas["website"] == benchmark.overall
    crm = [100 - v for v in overall]
    assert benchmark.areas["crm"].median == round(statistics.median(crm), 1)


def test_it_compares_a_dealer_with_dealers_of_the_same_kind():
    dealership = DealershipFactory(profile="independent", region="bre")
    peers(5, region="ara", profile="independent")
    peers(5, region="bre", start=0)  # brand dealers of the same region
    with translation.override("en"):
        benchmark = peer_benchmark(dealership=dealership, group_by="profile")
        assert benchmark.peer_count == 5
        assert str(benchmark.label) == "Independent used-car dealer"
        assert ("profile", "Same kind of dealer") in [(k, str(v)) for k, v in GROUP_BY_CHOICES]
    assert group_by_or_default("profile") == "profile"
