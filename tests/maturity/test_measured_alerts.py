"""Portfolio alerts on measured signals: a lead test without reply, reviews answered under
half, the rating down by 0.3 or more against the previous import; scoped, and shown on the
portfolio page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dealers.models import Dealership
from maturity.measurements.leads.alerts import measured_alerts
from maturity.models import ReviewImport
from tests.factories import AssignmentFactory, ConsultantFactory, DealershipFactory, LeadTestFactory

pytestmark = pytest.mark.django_db


def kinds(dealerships=None, **kwargs):
    found = measured_alerts(dealerships=dealerships or Dealership.objects.all(), **kwargs)
    return sorted((a.dealership_id, a.kind) for a in found)


def an_import(dealership, *, days_ago: int, rating: float, share: float = 0.8) -> ReviewImport:
    return ReviewImport.objects.create(
        dealership=dealership,
        file_format="csv",
        filename="avis.csv",
        file_hash="0" * 64,
        rows=10,
        added=10,
        rating=rating,
        answered_share=share,
        imported_at=timezone.now() - timedelta(days=days_ago),
    )


def test_a_lead_test_without_reply_after_the_delay_alerts(dealership):
    now = timezone.now()
    LeadTestFactory(dealership=dealership, sent_at=now - timedelta(hours=10), replied_at=None)
    assert kinds() == []  # still within the grid's delay
    LeadTestFactory(dealership=dealership, sent_at=now - timedelta(days=4), replied_at=None)
    LeadTestFactory(dealership=dealership, sent_at=now - timedelta(days=5), replied_at=None)
    alerts = measured_alerts(dealerships=Dealership.objects.all())
    assert [(a.kind, a.detail["count"]) for a in alerts] == [("lead_unanswered", 2)]


def test_an_answered_or_old_test_does_not_alert(dealership):
    now = timezone.now()
    LeadTestFactory(dealership=dealership, reply_hours=30)
    LeadTestFactory(dealership=dealership, sent_at=now - timedelta(days=200), replied_at=None)
    assert kinds() == []


def test_reviews_answered_under_half_alert(dealership, other_dealership):
    an_import(dealership, days_ago=1, rating=4.5, share=0.49)
    an_import(other_dealership, days_ago=1, rating=4.5, share=0.5)
    assert kinds() == [(dealership.pk, "review_answers")]


def test_only_the_latest_import_counts_for_the_answer_rate(dealership):
    an_import(dealership, days_ago=30, rating=4.0, share=0.1)
    an_import(dealership, days_ago=1, rating=4.0, share=0.9)
    assert kinds() == []


@pytest.mark.parametrize(("before", "after", "alerts"), [(4.5, 4.2, True), (4.5, 4.21, False)])
def test_a_rating_down_by_three_tenths_against_the_previous_import_alerts(
    dealership, before, after, alerts
):
    an_import(dealership, days_ago=40, rating=before)
    an_import(dealership, days_ago=2, rating=after)
    assert kinds() == ([(dealership.pk, "rating_down")] if alerts else [])


def test_the_alerts_are_scoped_and_shown_on_the_portfolio(client, dealership, other_dealership):
    consultant = ConsultantFactory()
    AssignmentFactory(consultant=consultant, dealership=dealership)
    now = timezone.now()
    LeadTestFactory(dealership=dealership, sent_at=now - timedelta(days=4), replied_at=None)
    LeadTestFactory(dealership=other_dealership, sent_at=now - timedelta(days=4), replied_at=None)
    an_import(dealership, days_ago=40, rating=4.6)
    an_import(dealership, days_ago=1, rating=4.0, share=0.2)
    client.force_login(consultant)
    response = client.get(reverse("portfolio"))
    groups = {g.kind: g for g in response.context["measured_groups"]}
    assert set(groups) == {"lead_unanswered", "review_answers", "rating_down"}
    assert {a.dealership_id for g in groups.values() for a, _text in g.items} == {dealership.pk}
    body = response.content.decode()
    assert reverse("lead_tests", args=[dealership.pk]) in body
    assert reverse("dealership_reviews", args=[dealership.pk]) in body
    assert response.context["alert_total"] >= 3


def test_a_new_lead_test_shows_at_once_despite_the_portfolio_cache(client, dealership):
    consultant = ConsultantFactory()
    AssignmentFactory(consultant=consultant, dealership=dealership)
    client.force_login(consultant)
    assert client.get(reverse("portfolio")).context["measured_groups"] == []
    LeadTestFactory(
        dealership=dealership, sent_at=timezone.now() - timedelta(days=4), replied_at=None
    )
    assert len(client.get(reverse("portfolio")).context["measured_groups"]) == 1


def test_it_costs_one_query_whatever_the_portfolio(django_assert_num_queries):
    dealerships = DealershipFactory.create_batch(5)
    now = timezone.now()
    for d in dealerships:
        LeadTestFactory(dealership=d, sent_at=now - timedelta(days=4), replied_at=None)
        an_import(d, days_ago=9, rating=4.5)
        an_import(d, days_ago=1, rating=3.9, share=0.1)
    with django_assert_num_queries(1):
        assert len(measured_alerts(dealerships=Dealership.objects.all())) == 15
