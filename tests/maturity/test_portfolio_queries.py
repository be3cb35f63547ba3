"""The portfolio's SQL query count does not grow with the number of dealerships."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dealers.models import Assignment, Brand, DealerGroup, Dealership
from maturity.models import (
    Assessment,
    AssessmentResult,
    AssessmentReview,
    Campaign,
    CampaignDealership,
    ReminderLog,
    Report,
    RoadmapActionStatus,
)
from maturity.peers.services import peer_statistics_rebuild
from maturity.questionnaire.services import questionnaire_current
from maturity.standing.services import standings_rebuild
from tests.factories import AREA_KEYS, ConsultantFactory

pytestmark = pytest.mark.django_db


def seed(consultant, count: int) -> None:
    """``count`` assigned dealerships, each with two submitted assessments and more."""
    version = questionnaire_current()
    now = timezone.now()
    brands = [Brand.objects.get_or_create(name=name)[0] for name in ("Kia", "Peugeot", "DS")]
    group = DealerGroup.objects.create(name=f"Groupe {consultant.pk}")
    dealerships = Dealership.objects.bulk_create(
        Dealership(
            name=f"Garage {consultant.pk}-{n:04}",
            city=("Lyon", "Rennes", "Lille")[n % 3],
            region=("ara", "bre", "hdf")[n % 3],
            group=group if n % 4 == 0 else None,
        )
        for n in range(count)
    )
    Assignment.objects.bulk_create(
        Assignment(consultant=consultant, dealership=d) for d in dealerships
    )
    Dealership.brands.through.objects.bulk_create(
        Dealership.brands.through(dealership=d, brand=brands[n % 3])
        for n, d in enumerate(dealerships)
    )
    assessments = []
    never = max(1, count // 10)  # the last ones have never been assessed (the to-do list)
    for n, d in enumerate(dealerships[:-never]):
        for age in (400, 30):
            assessments.append(
                Assessment(
                    dealership=d,
                    version=version,
                    status="submitted",
                    submitted_at=now - timedelta(days=age + n % 7),
                )
            )
        if n % 3 == 0:
            assessments.append(Assessment(dealership=d, version=version, status="draft"))
    assessments = Assessment.objects.bulk_create(assessments)
    submitted = [a for a in assessments if a.status == "submitted"]
    AssessmentResult.objects.bulk_create(
        AssessmentResult(
            assessment=a,
            engine_version="test",
            rung=1 + (n % 5),
            overall_score=30 + n % 60,
            area_scores={key: float((n * 7 + i * 13) % 100) for i, key in enumerate(AREA_KEYS)},
            snapshot={},
        )
        for n, a in enumerate(submitted)
    )
    Report.objects.bulk_create(
        Report(assessment=a, status="ready", fingerprint=f"{a.pk:064x}") for a in submitted[1::4]
    )
    AssessmentReview.objects.bulk_create(
        AssessmentReview(assessment=a, reviewed_at=now) for a in submitted[1::6]
    )
    RoadmapActionStatus.objects.bulk_create(
        RoadmapActionStatus(dealership=d, action_key="website_mobile", status="planned")
        for d in dealerships[::2]
    )
    # The to-do list's material: overdue owned actions, stalled drafts with a reminder, a
    # campaign due soon, dealerships never assessed, their contacts.
    RoadmapActionStatus.objects.bulk_create(
        RoadmapActionStatus(
            dealership=d,
            action_key="crm_use",
            status="todo",
            owner=consultant,
            due_date=(now - timedelta(days=3 + n % 5)).date(),
        )
        for n, d in enumerate(dealerships[1::3])
    )
    drafts = [a for a in assessments if a.status == "draft"]
    Assessment.objects.filter(pk__in=[a.pk for a in drafts[::2]]).update(
        updated_at=now - timedelta(days=40)
    )
    ReminderLog.objects.bulk_create(
        ReminderLog(
            assessment=a, user=consultant, email=consultant.email, sent_on=now.date(), sent_at=now
        )
        for a in drafts[::4]
    )
    campaign = Campaign.objects.create(
        title=f"Campagne {consultant.pk}",
        due_date=(now + timedelta(days=2)).date(),
        created_by=consultant,
        created_at=now,
    )
    CampaignDealership.objects.bulk_create(
        CampaignDealership(campaign=campaign, dealership=a.dealership, assessment=a, added_at=now)
        for a in drafts
    )
    peer_statistics_rebuild()  # bulk-created results: what the hourly rebuild does
    standings_rebuild()  # and what signals would have done for each of them


def count_queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


PAGES = [
    {},
    {"sort": "-score"},
    {"sort": "-change", "page": "2"},
    {"sort": "brands", "region": "bre", "status": "submitted"},
    {"alert": "dropped", "q": "garage", "sort": "-submitted"},
    {"rung": "3", "brand": "Kia", "sort": "report"},
    {"sort": "attention"},
    {"sort": "weakest", "alert": "actions"},
]


@pytest.mark.parametrize("params", PAGES)
def test_the_page_costs_the_same_queries_for_5_and_500_dealerships(client, params):
    small, large = ConsultantFactory(), ConsultantFactory()
    seed(small, 5)
    seed(large, 500)
    if "brand" in params:
        params = {**params, "brand": str(Brand.objects.get(name=params["brand"]).pk)}
    client.force_login(small)
    small_count = count_queries(client, reverse("portfolio"), params)
    client.force_login(large)
    large_count = count_queries(client, reverse("portfolio"), params)
    assert small_count == large_count
    # And it stays small. Ours: filter choices (1), the to-do and the alerts (2), the
    # measured signals (website checks 1, lead tests and reviews 1), the campaigns due (1),
    # table (count, page ids, rows, brands), rung distribution, reference benchmark = 12;
    # the rest is the session and the user
    # with its unread notifications (the idle-timeout middleware saves the session on
    # every request).
    assert large_count <= 18, large_count


def test_the_page_really_shows_500_dealerships_on_10_pages(client):
    consultant = ConsultantFactory()
    seed(consultant, 500)
    client.force_login(consultant)
    response = client.get(reverse("portfolio"))
    assert response.context["page"].paginator.num_pages == 10
    assert len(response.context["table"]) == 50
    assert response.context["heatmap_rows"] == 50


def test_the_to_do_list_counts_the_whole_portfolio(client):
    consultant = ConsultantFactory()
    seed(consultant, 500)
    client.force_login(consultant)
    groups = {g.kind: g for g in client.get(reverse("portfolio")).context["todo_groups"]}
    assert groups["never"].count == 50
    assert groups["actions"].count == 167
    assert groups["stalled"].count == 75  # every other draft of the 450 assessed, aged
    assert groups["campaigns"].count == 1
    assert len(groups["never"].lines) == 5  # the first few; the rest is a filter away


def test_the_csv_costs_the_same_queries_for_5_and_400_dealerships(client):
    small, large = ConsultantFactory(), ConsultantFactory()
    seed(small, 5)
    seed(large, 400)  # one chunk of the streamed export
    client.force_login(small)
    small_count = count_queries(client, reverse("portfolio_export_csv"), {"sort": "-score"})
    client.force_login(large)
    large_count = count_queries(client, reverse("portfolio_export_csv"), {"sort": "-score"})
    assert small_count == large_count


def test_the_csv_is_streamed_and_the_xlsx_costs_the_same_queries_for_5_and_400(client):
    from django.http import FileResponse, StreamingHttpResponse

    small, large = ConsultantFactory(), ConsultantFactory()
    seed(small, 5)
    seed(large, 400)
    client.force_login(large)
    response = client.get(reverse("portfolio_export_csv"))
    # Rows are written as they are read: nothing holds the whole file in memory.
    assert isinstance(response, StreamingHttpResponse)
    assert not isinstance(response, FileResponse)
    assert sum(chunk.count(b"\n") for chunk in response.streaming_content) == 401
    xlsx = reverse("portfolio_export_xlsx")
    client.force_login(small)
    small_count = count_queries(client, xlsx, {"sort": "-score"})
    client.force_login(large)
    large_count = count_queries(client, xlsx, {"sort": "-score"})
    assert small_count == large_count
