"""An API list costs the same number of queries for 3 rows as for 12 (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    AssignmentFactory,
    DealershipFactory,
    ReportFactory,
    submitted_assessment,
)


def _grow(consultant, count: int) -> None:
    for _ in range(count):
        dealership = DealershipFactory()
        AssignmentFactory(consultant=consultant, dealership=dealership)
        ReportFactory(assessment=submitted_assessment(dealership=dealership), status="queued")


@pytest.mark.parametrize(
    "route", ["api_dealership_list", "api_assessment_list", "api_report_list", "api_portfolio"]
)
def test_a_list_costs_the_same_whatever_its_length(api_as, assigned_consultant, route):
    api = api_as(assigned_consultant)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(reverse(route))
        assert response.status_code == 200
        return len(captured)

    _grow(assigned_consultant, 3)
    api.get(reverse(route))  # warm the per-process caches (questionnaire, last-used stamp)
    few = queries()
    _grow(assigned_consultant, 9)
    assert queries() == few
