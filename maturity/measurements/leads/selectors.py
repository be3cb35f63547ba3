"""Reads of lead-response tests: the tests a person may see and the dealership's figures.

The dealership's people see a test once it is **closed**: its reply is recorded or the
grid's no-reply delay has passed. An open test is the consultant's alone, so it cannot be
spotted and answered in a hurry; its figures count it nowhere until it closes anyway.
Two queries whatever the number of tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db.models import Q, QuerySet
from django.utils import timezone

from dealers.models import Assignment, Dealership, User
from dealers.scoping import scoped
from maturity.measurements.leads.figures import (
    EnquiryFacts,
    LeadFigures,
    PeriodFigures,
    lead_figures,
    lead_history,
)
from maturity.measurements.leads.grid import LeadGrid, current_grid
from maturity.models import LeadTest


@dataclass(frozen=True, slots=True)
class LeadOverview:
    grid: LeadGrid
    tests: list[LeadTest]
    figures: LeadFigures
    history: list[PeriodFigures]
    dealer_view: bool  # what the dealership's people see: closed tests only


def visible_lead_tests(
    *, dealership: Dealership, dealer_view: bool, now: datetime | None = None
) -> QuerySet[LeadTest]:
    tests = LeadTest.objects.filter(dealership=dealership)
    if dealer_view:
        cutoff = (now or timezone.now()) - current_grid().no_reply_after
        tests = tests.filter(Q(replied_at__isnull=False) | Q(sent_at__lte=cutoff))
    return tests.order_by("-sent_at", "-pk")


def lead_tests_visible(*, user: User, now: datetime | None = None) -> QuerySet[LeadTest]:
    """Every test ``user`` may read, across the dealerships they see (the API's list):
    the open ones only of the dealerships whose tests they record (staff: all), as on
    each dealership's page."""
    tests = scoped(LeadTest.objects.all(), user)
    if not user.is_authenticated or user.is_staff:
        return tests
    cutoff = (now or timezone.now()) - current_grid().no_reply_after
    closed = Q(replied_at__isnull=False) | Q(sent_at__lte=cutoff)
    if user.is_consultant:
        followed = Assignment.objects.filter(consultant=user).values("dealership_id")
        closed |= Q(dealership_id__in=followed)
    return tests.filter(closed)


def facts_of(test: LeadTest) -> EnquiryFacts:
    local = timezone.localtime
    return EnquiryFacts(
        channel=test.channel,
        sent_at=local(test.sent_at),
        replied_at=local(test.replied_at) if test.replied_at else None,
        grid_items=tuple(test.grid_items or ()),
    )


def lead_overview(
    *,
    dealership: Dealership,
    dealer_view: bool,
    now: datetime | None = None,
    by: Literal["quarter", "month"] = "quarter",
) -> LeadOverview:
    now = now or timezone.now()
    grid = current_grid()
    tests = list(
        visible_lead_tests(dealership=dealership, dealer_view=dealer_view, now=now).select_related(
            "recorded_by"
        )
    )
    facts = [facts_of(test) for test in tests]
    return LeadOverview(
        grid=grid,
        tests=tests,
        figures=lead_figures(facts, grid=grid, now=now),
        history=lead_history(facts, grid=grid, now=now, kind=by),
        dealer_view=dealer_view,
    )
