"""The demo portfolio after ``seed_demo``: lived-in, benchmarkable, the same every time.

What a newcomer opening Claire's portfolio must see (trends, alerts, a heat map, peer
benchmarks, few dealerships never assessed), and that a second run changes nothing.
"""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from dealers.models import Dealership, User
from maturity.demo.people import PERSONAS
from maturity.demo.personas import load_personas
from maturity.models import (
    Answer,
    AreaComment,
    Assessment,
    AssessmentResult,
    AssessmentReview,
    Notification,
    PeerStatistic,
    Report,
    RoadmapActionChange,
    RoadmapActionStatus,
)
from maturity.portfolio.selectors import portfolio_alerts
from maturity.results.benchmarks import peer_benchmark
from maturity.results.services import result_snapshot
from maturity.selectors import assessment_answers
from maturity.standing.services import standings_stale

pytestmark = pytest.mark.django_db

CLAIRE = "claire.conseil@demo.example"


@pytest.fixture(autouse=True)
def _development(settings):
    settings.DEBUG = True  # seed_demo is a development tool


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, object]:
    models = (
        Assessment,
        Answer,
        AssessmentResult,
        AssessmentReview,
        AreaComment,
        RoadmapActionStatus,
        RoadmapActionChange,
        Notification,
        Report,
    )
    counts: dict[str, object] = {m.__name__: m.objects.count() for m in models}
    counts["peers"] = sorted(
        PeerStatistic.objects.values_list("group_by", "group_key", "area_key", "refreshed_at")
    )
    counts["results"] = sorted(AssessmentResult.objects.values_list("pk", "rung", "overall_score"))
    return counts


def test_it_seeds_a_lived_in_portfolio_claire_can_work_with(client):
    output = _seed()
    assert "History" in output and "26/26" in output  # its progress bar reached the end

    # At most a quarter of the dealerships never assessed.
    total = Dealership.objects.count()
    assessed = Dealership.objects.filter(assessments__status="submitted").distinct().count()
    assert total >= 30 and total - assessed <= total / 4
    # Bulk-written history, yet the portfolio's standings say what the assessments say.
    assert standings_stale() == []

    # Two years of history: trends, every rung, drafts at several stages.
    dates = sorted(Assessment.objects.submitted().values_list("submitted_at", flat=True))
    assert (dates[-1] - dates[0]).days >= 365
    repeated = (
        Dealership.objects.filter(assessments__status="submitted")
        .annotate(n=Count("assessments"))
        .filter(n__gte=2)
    )
    assert repeated.count() >= 10
    assert set(AssessmentResult.objects.values_list("rung", flat=True)) == {1, 2, 3, 4, 5}
    drafts = Assessment.objects.drafts()
    assert drafts.count() >= 4
    assert len({d.answers.count() for d in drafts}) >= 3
    assert AssessmentReview.objects.filter(reviewed_at__isnull=False).count() >= 10
    assert RoadmapActionStatus.objects.exclude(status="todo").count() >= 10
    assert Report.objects.count() >= 3  # PDFs asked for, for the worker to render

    # The reference dealers keep their single assessment, on their rung.
    for persona in load_personas():
        submitted = Assessment.objects.submitted().filter(
            dealership__name=persona.dealership["name"]
        )
        assert submitted.count() == 1, persona.key
        assert submitted.get().result.rung == persona.expected_rung, persona.key

    # Every stored result is what the engine computes from the stored answers.
    names = [p.name for p in PERSONAS]
    history = Assessment.objects.scored().exclude(dealership__name__in=names)
    for assessment in history.select_related("result", "version", "dealership"):
        snapshot = result_snapshot(assessment.definition, assessment_answers(assessment))
        assert assessment.result.snapshot == snapshot, assessment

    # Claire's portfolio: trends both ways, a heat map, alerts, a to-do list.
    claire = User.objects.get(email=CLAIRE)
    client.force_login(claire)
    response = client.get(reverse("portfolio"))
    assert response.status_code == 200
    context = response.context
    assert {"up", "down"} <= {row.change for row in context["table"]}
    assert context["heatmap"] and context["heatmap_rows"] >= 10
    assert context["alert_total"] >= 3 and context["todo_total"] >= 3
    alerts = portfolio_alerts(user=claire)
    assert alerts.dropped and alerts.overdue and alerts.stalled

    # Peer benchmarks for every reference dealer by region, brand and profile.
    for persona in PERSONAS:
        dealership = Dealership.objects.get(name=persona.name)
        for group_by in ("region", "brand", "profile"):
            benchmark = peer_benchmark(dealership=dealership, group_by=group_by)
            assert benchmark is not None, (persona.name, group_by)
            assert benchmark.peer_count >= settings.PEER_MIN_OTHERS

    # Not a flood of notifications: the history tells each consultant once at most per
    # dealership (its latest submission, when recent).
    per_dealership = Counter(
        Notification.objects.filter(kind="submitted").values_list("dealership_id", "user_id")
    )
    assert max(per_dealership.values()) == 1


def test_a_second_run_changes_nothing():
    _seed()
    before = _counts()
    _seed()
    assert _counts() == before
