"""Precomputed peer statistics (maturity.peers): refreshed on submission, same numbers."""

from __future__ import annotations

import random
import statistics
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from dealers.models import Dealership
from maturity.assessments.services import assessment_submit
from maturity.models import PeerContribution, PeerStatistic
from maturity.peers.quartiles import summarise, without
from maturity.peers.services import peer_statistics_rebuild, peer_statistics_refresh
from maturity.results.benchmarks import benchmark_of, peer_benchmark, peer_dealerships
from tests.factories import AREA_KEYS, BrandFactory, DealershipFactory, persona_answers
from tests.maturity.conftest import fill
from tests.maturity.portfolio_helpers import areas, submit

scores = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 1))


@given(st.lists(scores, min_size=3, max_size=40), st.data())
def test_it_takes_one_score_out_exactly_as_recomputing_would(values, data):
    ordered = sorted(values)
    removed = data.draw(st.sampled_from(ordered))
    count, _quartiles, window = summarise(ordered)
    rest = list(ordered)
    rest.remove(removed)
    expected = tuple(statistics.quantiles(rest, n=4, method="inclusive"))
    assert without(count, window, removed) == expected


@given(st.lists(scores, min_size=2, max_size=40))
def test_the_stored_quartiles_are_those_of_every_score(values):
    _count, quartiles, _window = summarise(sorted(values))
    assert quartiles == tuple(statistics.quantiles(values, n=4, method="inclusive"))


@pytest.mark.django_db
def test_a_submission_refreshes_its_groups_once_committed(
    dealership, owner, draft, eager, django_capture_on_commit_callbacks
):
    for n in range(5):
        submit(DealershipFactory(region=dealership.region), scores=areas(40 + n), overall=40 + n)
    before = PeerStatistic.objects.get(group_by="region", group_key=dealership.region, area_key="")
    assert before.count == 5
    fill(draft, persona_answers("A"), owner)

    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=draft, user=owner)

    after = PeerStatistic.objects.get(group_by="region", group_key=dealership.region, area_key="")
    assert after.count == 6 and after.refreshed_at > before.refreshed_at
    own = PeerContribution.objects.get(dealership=dealership).scores
    assert own[""] == draft.result.overall_score
    # Its peers now see it; it still sees only the five others.
    assert peer_benchmark(dealership=dealership, group_by="region").peer_count == 5
    other = Dealership.objects.filter(region=dealership.region).exclude(pk=dealership.pk).first()
    assert peer_benchmark(dealership=other, group_by="region").peer_count == 5
    assert peer_benchmark(dealership=other, group_by="all").peer_count == 5


@pytest.mark.django_db
def test_a_refresh_asked_before_the_last_one_is_skipped():
    dealership = DealershipFactory(region="bre")
    submit(dealership)
    asked = timezone.now() - timedelta(seconds=1)
    # The submission's own refresh ran after ``asked``: nothing left to do (debounced)...
    assert peer_statistics_refresh(dealership_ids=[dealership.pk], requested_at=asked) == 0
    # ...while a request sent after it refreshes region, size, profile and all.
    later = timezone.now()
    assert peer_statistics_refresh(dealership_ids=[dealership.pk], requested_at=later) == 4


@pytest.mark.django_db
def test_five_other_dealerships_are_needed_the_dealership_itself_not_counted():
    mine = DealershipFactory(region="bre")
    submit(mine, scores=areas(90), overall=90)
    crowd = [DealershipFactory(region="bre") for _ in range(5)]
    for n, peer in enumerate(crowd[:4]):
        submit(peer, scores=areas(10 * n), overall=10 * n)
    assert PeerStatistic.objects.get(group_by="region", group_key="bre", area_key="").count == 5
    assert peer_benchmark(dealership=mine, group_by="region") is None
    submit(crowd[4], scores=areas(40), overall=40)
    benchmark = peer_benchmark(dealership=mine, group_by="region")
    assert benchmark.peer_count == 5
    assert benchmark.overall.median == 20.0  # 0, 10, 20, 30, 40: its own 90 left out
    # A dealership outside the group sees all six.
    outsider = DealershipFactory(region="ara")
    assert peer_benchmark(dealership=outsider, group_by="all").peer_count == 6


def _seed(seed: int) -> list[Dealership]:
    """A network with regions, sizes, profiles, overlapping brands, several submissions,
    areas missing from some results, and dealerships never assessed."""
    rng = random.Random(seed)
    brands = [BrandFactory(name=f"Brand {seed}-{n}") for n in range(3)]
    made = []
    for _ in range(rng.randint(14, 24)):
        dealership = DealershipFactory(
            region=rng.choice(["bre", "ara"]),
            size_band=rng.choice(["small", "medium"]),
            profile=rng.choice(["brand", "independent"]),
        )
        dealership.brands.add(*rng.sample(brands, rng.randint(0, 2)))
        made.append(dealership)
        for age in rng.sample(range(1, 500), rng.randint(0, 2)):
            values = {key: round(rng.uniform(0, 100), 1) for key in AREA_KEYS}
            if rng.random() < 0.2:
                del values[rng.choice(AREA_KEYS)]
            submit(dealership, scores=values, overall=round(rng.uniform(0, 100), 1), days_ago=age)
    return made


def _close(a, b) -> bool:
    """Quartiles equal but for the rounding to one decimal of a float a hair away."""
    return a.count == b.count and all(
        abs(getattr(a, f) - getattr(b, f)) <= 0.1 + 1e-9 for f in ("q1", "median", "q3")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_precomputed_benchmarks_equal_the_computation_over_the_peers(
    seed, monkeypatch, db_vendor
):
    """Exactly the Python definition (the computation SQLite always used); within the last
    rounding step of PostgreSQL's PERCENTILE_CONT (its floats differ in the last bits)."""
    from types import SimpleNamespace

    from maturity.results import benchmarks

    network = _seed(seed)
    peer_statistics_rebuild()
    in_python = SimpleNamespace(vendor="sqlite")
    for dealership in network:
        for group_by in ("region", "brand", "size_band", "profile", "all"):
            precomputed = peer_benchmark(dealership=dealership, group_by=group_by)
            peers = peer_dealerships(dealership=dealership, group_by=group_by)
            if peers is None:
                assert precomputed is None
                continue
            in_database = benchmark_of(dealerships=peers, group_by=group_by, label="")
            with monkeypatch.context() as patch:
                patch.setattr(benchmarks, "connection", in_python)
                live = benchmark_of(dealerships=peers, group_by=group_by, label="")
            where = (dealership, group_by)
            if live is None:
                assert precomputed is None and in_database is None, where
                continue
            assert precomputed is not None, where
            assert precomputed.overall == live.overall, where
            assert precomputed.areas == live.areas, where
            assert precomputed.areas.keys() == in_database.areas.keys(), where
            for key, stats in in_database.areas.items():
                assert _close(precomputed.areas[key], stats), (where, key)
            assert _close(precomputed.overall, in_database.overall), where


@pytest.mark.django_db
def test_the_refresh_after_each_submission_equals_a_full_rebuild():
    _seed(4)  # every ``submit`` refreshed its dealership's groups
    refreshed = set(PeerStatistic.objects.values_list("group_by", "group_key", "area_key", "count"))
    call_command("rebuild_peer_statistics", stdout=open("/dev/null", "w"))  # noqa: SIM115
    rebuilt = set(PeerStatistic.objects.values_list("group_by", "group_key", "area_key", "count"))
    # Brands were added before the submissions: the same groups, the same counts.
    assert refreshed == rebuilt


@pytest.mark.django_db
def test_a_group_not_precomputed_yet_is_computed_on_the_spot():
    kia = BrandFactory(name="Kia")
    mine = DealershipFactory()
    for n in range(5):
        submit(DealershipFactory(), overall=10 * n)
    for dealership in Dealership.objects.all():
        dealership.brands.add(kia)  # after the submissions: no brand rows yet
    assert not PeerStatistic.objects.filter(group_by="brand").exists()
    assert peer_benchmark(dealership=mine, group_by="brand").peer_count == 5


@pytest.mark.django_db
def test_generate_pdf_reads_the_precomputed_peers_whatever_their_number(
    client, dealership, owner, monkeypatch
):
    """The POST fingerprints the report's content, peer medians included: its queries do
    not grow with the region, and a reused request costs no more than the first one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from maturity.reports import tasks
    from tests.factories import submitted_assessment

    monkeypatch.setattr(tasks, "report_send", lambda **kwargs: True)
    assessment = submitted_assessment(dealership=dealership, persona="b", user=owner)
    url = reverse("report_create", args=[dealership.pk, assessment.pk])
    client.force_login(owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, {"language": "fr"}).status_code == 302
        return len(captured)

    for n in range(5):
        submit(DealershipFactory(region=dealership.region), overall=10 * n)
    queries()  # queues the report
    few = queries()  # reuses it
    for n in range(25):
        submit(DealershipFactory(region=dealership.region), overall=n)
    assert queries() == few
