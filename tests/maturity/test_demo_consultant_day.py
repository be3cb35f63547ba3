"""The consultant's day in the demo: a running campaign, notifications, owned actions."""

from __future__ import annotations

import pytest
from django.utils import timezone

from maturity.demo.assessments import seed_assessments
from maturity.demo.consultant_day import CAMPAIGN_TITLE, seed_consultant_day
from maturity.demo.people import seed_people
from maturity.models import (
    AssessmentReview,
    Campaign,
    CampaignMessage,
    DealershipTarget,
    Notification,
    RoadmapActionChange,
    RoadmapActionStatus,
)

pytestmark = pytest.mark.django_db


def test_it_seeds_claires_day_once():
    seed_people()
    seed_assessments()
    created = seed_consultant_day()
    assert created and seed_consultant_day() == []  # idempotent

    campaign = Campaign.objects.get(title=CAMPAIGN_TITLE)
    assert campaign.is_open and campaign.created_by.email == "claire.conseil@demo.example"
    assert campaign.participants.count() == 5
    assert CampaignMessage.objects.filter(campaign=campaign).exists()  # the launch log
    # One of them half-way through the draft the campaign reused.
    assert campaign.participants.filter(assessment__answers__isnull=False).distinct().count() == 1
    claire = campaign.created_by
    # Claire hears about the reference dealers' submissions; Auto Rivière's people about
    # the review she published.
    assert Notification.objects.filter(user=claire, kind="submitted").count() == 5  # A to E
    review = AssessmentReview.objects.get(assessment__dealership__name="Auto Rivière")
    assert review.reviewed_at is not None
    assert Notification.objects.filter(kind="review_published").count() == 2
    owned = RoadmapActionStatus.objects.filter(dealership__name="Auto Rivière", owner__isnull=False)
    assert owned.count() == 3
    assert any(row.is_overdue(timezone.localdate()) for row in owned)
    assert RoadmapActionChange.objects.filter(dealership__name="Auto Rivière").exists()
    assert DealershipTarget.objects.get(dealership__name="Auto Rivière").rung == 3
