"""The portfolio table, its facets and its alerts (maturity.portfolio.selectors)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from maturity.models import AssessmentReview, RoadmapActionStatus
from maturity.portfolio.selectors import (
    PortfolioFilters,
    months_before,
    portfolio_alerts,
    portfolio_dealerships,
    portfolio_rung_distribution,
    row_change,
)
from tests.factories import (
    AssignmentFactory,
    BrandFactory,
    ConsultantFactory,
    DealerGroupFactory,
    DealershipFactory,
    ReportFactory,
)
from tests.maturity.portfolio_helpers import areas, draft, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant():
    return ConsultantFactory(email="portfolio@example.com")


def follow(consultant, **kwargs):
    dealership = DealershipFactory(**kwargs)
    AssignmentFactory(consultant=consultant, dealership=dealership)
    return dealership


def table(consultant, **filters):
    return list(portfolio_dealerships(user=consultant, filters=PortfolioFilters(**filters)))


def names(rows):
    return [row.name for row in rows]


def test_it_shows_the_latest_submission_and_the_change_since_the_previous(consultant):
    dealership = follow(consultant, name="Garage du Lac")
    submit(dealership, rung=2, overall=40, days_ago=300)
    submit(dealership, rung=3, overall=55, days_ago=10)
    draft(dealership)
    ReportFactory(assessment=dealership.assessments.filter(status="submitted").first())

    (row,) = table(consultant)
    assert (row.latest_rung, row.latest_score) == (3, 55)
    assert (row.previous_rung, row.previous_score) == (2, 40)
    assert row.has_draft is True
    assert row.report_status == "ready"
    assert row.latest_submitted_at > timezone.now() - timedelta(days=11)
    assert row_change(row) == ("up", 15.0)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ((3, 60.0), (3, 60.4), "same"),
        ((3, 60.0), (3, 58.0), "down"),
        ((3, 60.0), (2, 61.0), "down"),  # the rung decides, whatever the score
        ((2, 60.0), (3, 59.0), "up"),
    ],
)
def test_it_calls_a_change_up_down_or_same(consultant, before, after, expected):
    dealership = follow(consultant)
    submit(dealership, rung=before[0], overall=before[1], days_ago=100)
    submit(dealership, rung=after[0], overall=after[1], days_ago=1)
    (row,) = table(consultant)
    assert row_change(row)[0] == expected


def test_it_shows_no_change_for_a_first_assessment_and_nothing_for_none(consultant):
    once = follow(consultant, name="A once")
    follow(consultant, name="B never")
    submit(once)
    rows = table(consultant)
    assert [row_change(r) for r in rows] == [(None, None), (None, None)]
    assert rows[1].latest_rung is None and rows[1].latest_area_scores is None


def test_it_only_lists_the_consultants_dealerships(consultant):
    mine = follow(consultant, name="Mine")
    DealershipFactory(name="Someone else's")
    AssignmentFactory(dealership=DealershipFactory(name="Another consultant's"))
    assert names(table(consultant)) == [mine.name]


def test_it_filters_by_rung_region_brand_group_and_search(consultant):
    peugeot, kia = BrandFactory(name="Peugeot"), BrandFactory(name="Kia")
    horizon = DealerGroupFactory(name="Horizon")
    a = follow(consultant, name="Alpha Autos", city="Rennes", region="bre", group=horizon)
    b = follow(consultant, name="Beta Motors", city="Lyon", region="ara")
    c = follow(consultant, name="Gamma Garage", city="Lille", region="hdf")
    a.brands.add(peugeot, kia)
    b.brands.add(kia)
    submit(a, rung=3)
    submit(b, rung=1)

    assert names(table(consultant, rung="3")) == ["Alpha Autos"]
    assert names(table(consultant, rung="none")) == ["Gamma Garage"]
    assert names(table(consultant, region="ara")) == ["Beta Motors"]
    # A dealership with two brands is listed once.
    assert names(table(consultant, brand=kia.pk)) == ["Alpha Autos", "Beta Motors"]
    assert names(table(consultant, group=horizon.pk)) == ["Alpha Autos"]
    assert names(table(consultant, search="lil")) == ["Gamma Garage"]  # city too
    assert names(table(consultant, search="beta")) == ["Beta Motors"]
    assert c.pk  # (never assessed: only the rung "none" filter finds it)


def test_it_filters_by_status(consultant):
    never = follow(consultant, name="Never")
    drafting = follow(consultant, name="Drafting")
    waiting = follow(consultant, name="Waiting")
    reviewed = follow(consultant, name="Reviewed")
    draft(drafting)
    submit(waiting)
    result = submit(reviewed)
    AssessmentReview.objects.create(assessment=result.assessment, reviewed_at=timezone.now())

    assert names(table(consultant, status="none")) == [never.name]
    assert names(table(consultant, status="draft")) == [drafting.name]
    assert names(table(consultant, status="submitted")) == [waiting.name]
    assert names(table(consultant, status="reviewed")) == [reviewed.name]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha", "Beta", "Gamma"]),
        ("-name", ["Gamma", "Beta", "Alpha"]),
        ("city", ["Gamma", "Alpha", "Beta"]),
        ("score", ["Beta", "Alpha", "Gamma"]),  # never assessed: last either way
        ("-score", ["Alpha", "Beta", "Gamma"]),
        ("-rung", ["Alpha", "Beta", "Gamma"]),
        ("-submitted", ["Beta", "Alpha", "Gamma"]),
        ("-change", ["Alpha", "Beta", "Gamma"]),
        ("change", ["Beta", "Alpha", "Gamma"]),
        ("-draft", ["Gamma", "Alpha", "Beta"]),
        ("brands", ["Beta", "Alpha", "Gamma"]),
        ("report", ["Alpha", "Beta", "Gamma"]),
        ("nonsense", ["Alpha", "Beta", "Gamma"]),
    ],
)
def test_it_sorts_on_every_column(consultant, sort, expected):
    alpha = follow(consultant, name="Alpha", city="Lyon")
    beta = follow(consultant, name="Beta", city="Nantes")
    gamma = follow(consultant, name="Gamma", city="Angers")
    alpha.brands.add(BrandFactory(name="Renault"))
    beta.brands.add(BrandFactory(name="Kia"))
    submit(alpha, rung=3, overall=70, days_ago=200)
    submit(alpha, rung=3, overall=80, days_ago=30)
    submit(beta, rung=2, overall=60, days_ago=100)
    submit(beta, rung=2, overall=50, days_ago=3)
    draft(gamma)
    ReportFactory(assessment=alpha.assessments.first(), status="failed")
    ReportFactory(assessment=beta.assessments.first(), status="ready")

    assert names(table(consultant, sort=sort)) == expected


def test_it_counts_rungs_under_the_other_filters_but_not_the_rung_one(consultant):
    for rung, region in [(1, "bre"), (3, "bre"), (3, "bre"), (3, "ara")]:
        submit(follow(consultant, region=region), rung=rung)
    follow(consultant, region="bre")

    counts = portfolio_rung_distribution(
        user=consultant, filters=PortfolioFilters(region="bre", rung="1")
    )
    assert counts == {1: 1, 3: 2, None: 1}


def test_months_before_clamps_the_day():
    moment = datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert months_before(moment, 1) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert months_before(moment, 12) == datetime(2025, 3, 31, 12, tzinfo=UTC)
    assert months_before(moment, 25).date().isoformat() == "2024-02-29"


def test_it_alerts_on_a_rung_or_an_area_that_dropped(consultant):
    rung_fell = follow(consultant, name="Rung fell")
    area_fell = follow(consultant, name="Area fell")
    wobble = follow(consultant, name="Wobble")
    submit(rung_fell, rung=3, days_ago=90)
    submit(rung_fell, rung=2, days_ago=2)
    submit(area_fell, scores=areas(60), days_ago=90)
    submit(area_fell, scores=areas(62, crm=41, website=50), days_ago=1)
    submit(wobble, scores=areas(60), days_ago=90)
    submit(wobble, scores=areas(56), days_ago=1)  # 4 points: noise

    alerts = portfolio_alerts(user=consultant)
    by_name = {a.dealership_name: a.detail for a in alerts.dropped}
    assert set(by_name) == {"Rung fell", "Area fell"}
    assert by_name["Rung fell"] == {"rung_before": 3, "rung_after": 2}
    assert by_name["Area fell"] == {"area": "crm", "before": 60, "after": 41, "areas": 2}


def test_it_alerts_on_an_overdue_reassessment_with_the_consultants_cadence(consultant):
    late = follow(consultant, name="Late")
    recent = follow(consultant, name="Recent")
    submit(late, days_ago=400)
    submit(recent, days_ago=200)

    assert [a.dealership_name for a in portfolio_alerts(user=consultant).overdue] == ["Late"]
    consultant.reassessment_cadence_months = 6
    names_overdue = [a.dealership_name for a in portfolio_alerts(user=consultant).overdue]
    assert names_overdue == ["Late", "Recent"]  # the oldest first


def test_it_alerts_on_a_roadmap_where_nothing_moved_for_60_days(consultant):
    untouched = follow(consultant, name="Untouched")
    moving = follow(consultant, name="Moving")
    stale = follow(consultant, name="Stale")
    fresh = follow(consultant, name="Fresh")
    for dealership in (untouched, moving, stale):
        submit(dealership, days_ago=120)
    submit(fresh, days_ago=20)
    RoadmapActionStatus.objects.create(dealership=moving, action_key="a", status="planned")
    old = RoadmapActionStatus.objects.create(dealership=stale, action_key="a", status="planned")
    RoadmapActionStatus.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timedelta(days=70)
    )

    stalled = portfolio_alerts(user=consultant).stalled
    assert [a.dealership_name for a in stalled] == ["Untouched", "Stale"]


def test_the_alert_filter_narrows_the_table(consultant):
    late = follow(consultant, name="Late")
    follow(consultant, name="Fine")
    submit(late, days_ago=500)
    ids = portfolio_alerts(user=consultant).ids()
    rows = portfolio_dealerships(
        user=consultant, filters=PortfolioFilters(alert="overdue"), alert_ids=ids
    )
    assert names(rows) == ["Late"]


def test_alerts_never_leave_the_consultants_scope(consultant):
    stranger = DealershipFactory(name="Stranger")
    submit(stranger, rung=4, days_ago=800)
    submit(stranger, rung=1, days_ago=1)
    assert portfolio_alerts(user=consultant).total == 0
