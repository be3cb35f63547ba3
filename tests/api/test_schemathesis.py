"""The served OpenAPI schema, checked by schemathesis against the API itself.

Schemathesis reads ``/api/v1/schema/`` from the WSGI application (in this process, on the
test database) and generates requests for every operation from it, as an owner, a
consultant and an outsider. For each response: no 5xx, and status code, content type,
headers and body as the schema says. Generated ids are mostly replaced by ids of a real
world (a draft, a scored assessment, a ready PDF of the owner's dealership, the
outsider's own dealership; website checks, lead-response tests, reviews imports of both,
a campaign of the consultant's), so that successful answers are checked too, not only 404s;
whatever the outsider asks about the owner's dealership answers 404, and no list shows
it to them.

Examples per operation are few (``EXAMPLES``) to keep the run around a minute.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from dealers.models import Membership
from maturity.campaigns.services import campaign_launch
from maturity.models import Measurement, MeasurementCheck, ReviewImport
from tests.factories import (
    AssessmentFactory,
    LeadTestFactory,
    ReportFactory,
    persona_answers,
    submitted_assessment,
    token_for,
)

EXAMPLES = 6
ROLES = ("owner", "assigned_consultant", "outsider")

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
schema.config.generation.update(max_examples=EXAMPLES)
# The coverage phase tries every method an operation does not have; two make the point
# (405 in the error shape) at a fraction of the time.
schema.config.phases.coverage.unexpected_methods = {"delete", "trace"}

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _connections_stay_open():
    # Django closes the database connection at the end of each request; the test's
    # transaction lives on it, so keep it open while schemathesis calls the WSGI app
    # (the test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(dealership, owner, member, assigned_consultant, outsider, other_dealership):
    """The owner's dealership with a draft, a scored assessment and a ready PDF; the
    outsider owns ``other_dealership``, with a scored assessment of its own."""
    scored = submitted_assessment(dealership=dealership, user=owner)
    draft = AssessmentFactory(dealership=dealership, previous=scored, created_by=owner)
    report = ReportFactory(assessment=scored, status="ready")
    report.file.name = f"reports/test/api-{report.pk}.pdf"
    report.save(update_fields=["file"])
    path = Path(settings.MEDIA_ROOT) / report.file.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7\n%%EOF\n")
    theirs = submitted_assessment(dealership=other_dealership, user=outsider)
    assert Membership.objects.filter(user=outsider, dealership=other_dealership).exists()
    measured = _measured(dealership, assigned_consultant)
    their_measured = _measured(other_dealership, outsider)
    campaign = campaign_launch(
        user=assigned_consultant,
        dealerships=[dealership],
        title=CAMPAIGN_TITLE,
        message="",
        due_date=timezone.localdate() + timedelta(days=30),
        reminder_every_days=7,
        reminder_max=2,
    )
    owned = {
        "dealerships": {dealership.pk},
        "assessments": {scored.pk, draft.pk},
        "reports": {report.pk},
        "campaigns": {campaign.pk},
    } | {kind: {row.pk} for kind, row in measured.items()}
    candidates = {
        "dealerships": [dealership.pk, other_dealership.pk],
        "assessments": [draft.pk, scored.pk, theirs.pk],
        "reports": [report.pk],
        "campaigns": [campaign.pk],
    } | {kind: [row.pk, their_measured[kind].pk] for kind, row in measured.items()}
    return {
        "owned": owned,
        "candidates": candidates,
        "names": {dealership.name, CAMPAIGN_TITLE},
        "tokens": {
            "owner": token_for(owner),
            "assigned_consultant": token_for(assigned_consultant),
            "outsider": token_for(outsider),
        },
        "question_keys": list(persona_answers("b")),
    }


CAMPAIGN_TITLE = "Campagne de printemps du réseau"


def _measured(dealership, recorder) -> dict:
    """A finished website check (its address on the profile, so that asking for another
    succeeds), a closed lead-response test and a reviews import of ``dealership``, by the
    collection of their API paths."""
    now = timezone.now()
    dealership.website_url = "https://www.auto-riviere.example/"
    dealership.save(update_fields=["website_url"])
    check = Measurement.objects.create(
        dealership=dealership,
        url=dealership.website_url,
        status=Measurement.Status.OK,
        started_at=now,
        finished_at=now,
    )
    MeasurementCheck.objects.create(measurement=check, key="mobile", ok=True, evidence="viewport")
    record = ReviewImport.objects.create(
        dealership=dealership,
        file_format="csv",
        filename="avis.csv",
        file_hash="0" * 64,
        rows=1,
        added=1,
        rating=4.0,
        answered_share=1.0,
        imported_by=recorder,
        imported_at=now,
    )
    return {
        "website-checks": check,
        "lead-tests": LeadTestFactory(dealership=dealership, recorded_by=recorder),
        "review-imports": record,
    }


_turn = itertools.count()


def _aim(case, world) -> str | None:
    """Point the case at the world's objects most of the time; returns the collection its
    ``id`` was taken from (``None``: the generated value was kept)."""
    parameters = case.path_parameters or {}
    collection = case.path.split("/")[3] if case.path.count("/") > 3 else None
    turn = next(_turn)
    aimed = None
    if "id" in parameters and collection in world["candidates"]:
        options = world["candidates"][collection]
        slot = turn % (len(options) + 1)
        if slot < len(options):
            parameters["id"] = options[slot]
            aimed = collection
    if "question_key" in parameters and turn % 2:
        keys = world["question_keys"]
        parameters["question_key"] = keys[turn % len(keys)]
    if "action_key" in parameters and turn % 2:
        parameters["action_key"] = "website_mobile"
    return aimed


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_as_its_schema_says(case, role, world):
    aimed = _aim(case, world)
    headers = {"Authorization": f"Bearer {world['tokens'][role]}"}
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    if role != "outsider":
        return
    # Nothing of the owner's dealership reaches the outsider: its objects are 404 (401
    # when schemathesis leaves the token out, 405 for a method it made up)...
    if aimed is not None and case.path_parameters["id"] in world["owned"][aimed]:
        expected = (404,) if case.method == case.operation.method.upper() else (401, 404, 405)
        if response.status_code != 401:
            assert response.status_code in expected, (
                case.method,
                case.formatted_path,
                response.text,
            )
    # ...and no answer names it.
    for name in world["names"]:
        assert name not in response.text, (case.method, case.formatted_path)
