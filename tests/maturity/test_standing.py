"""Each dealership's standing (what the portfolio sorts and filters on) says what its
assessments say, after every kind of write: submissions, reviews, drafts, deletions,
rescoring, bulk writes and their rebuild."""

from __future__ import annotations

import random
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maturity.assessments.services import assessment_start
from maturity.dealership_data.services import dealership_data_delete
from maturity.models import Assessment, AssessmentResult, DealershipStanding
from maturity.review.services import review_save
from maturity.standing.services import standing_refresh, standings_rebuild, standings_stale
from tests.factories import (
    AssessmentResultFactory,
    DealershipFactory,
    MembershipFactory,
    StaffFactory,
    submitted_assessment,
)
from tests.maturity.results_helpers import submit_persona

pytestmark = pytest.mark.django_db


def standing_of(dealership) -> DealershipStanding:
    return DealershipStanding.objects.get(dealership=dealership)


@pytest.fixture
def owner():
    return MembershipFactory(role="owner").user


@pytest.fixture
def dealership(owner):
    return owner.memberships.get().dealership


def test_it_has_no_standing_before_anything_starts(dealership):
    assert not DealershipStanding.objects.filter(dealership=dealership).exists()
    assert standings_stale() == []


def test_it_follows_a_draft_then_its_submission(dealership, owner):
    draft, _created = assessment_start(dealership=dealership, user=owner)
    standing = standing_of(dealership)
    assert standing.has_draft is True
    assert standing.latest_assessment_id is None

    # Through the services, as a dealer submits.
    submitted = submit_persona(dealership=dealership, user=owner, letter="b")
    standing = standing_of(dealership)
    assert standing.has_draft is False
    assert standing.latest_assessment_id == submitted.pk
    assert standing.latest_rung == submitted.result.rung
    assert standing.latest_score == submitted.result.overall_score
    assert standing.latest_area_scores == submitted.result.area_scores
    assert standing.latest_submitted_at == submitted.submitted_at
    assert standing.previous_rung is None and standing.previous_score is None
    assert draft.pk == submitted.pk


def test_a_second_submission_moves_the_first_to_previous(dealership, owner):
    first = submitted_assessment(
        dealership=dealership, persona="a", submitted_at=timezone.now() - timedelta(days=400)
    )
    second = submit_persona(dealership=dealership, user=owner, letter="d")
    standing = standing_of(dealership)
    assert standing.latest_assessment_id == second.pk
    assert standing.previous_rung == first.result.rung
    assert standing.previous_score == first.result.overall_score
    assert standings_stale() == []


def test_it_follows_the_review_published_and_withdrawn(dealership):
    assessment = submitted_assessment(dealership=dealership)
    consultant = StaffFactory()
    review_save(
        assessment=assessment,
        user=consultant,
        overall_note="Bien.",
        area_comments={},
        action="save",
    )
    assert standing_of(dealership).latest_reviewed_at is None  # a draft only
    review_save(
        assessment=assessment,
        user=consultant,
        overall_note="Bien.",
        area_comments={},
        action="publish",
    )
    assert standing_of(dealership).latest_reviewed_at is not None
    review_save(
        assessment=assessment,
        user=consultant,
        overall_note="Bien.",
        area_comments={},
        action="withdraw",
    )
    assert standing_of(dealership).latest_reviewed_at is None


def test_deleting_the_latest_assessment_brings_back_the_one_before(dealership):
    first = submitted_assessment(
        dealership=dealership, persona="a", submitted_at=timezone.now() - timedelta(days=400)
    )
    second = submitted_assessment(dealership=dealership, persona="d")
    second.delete()
    standing = standing_of(dealership)
    assert standing.latest_assessment_id == first.pk
    assert standing.latest_rung == first.result.rung
    assert standing.previous_rung is None


def test_deleting_a_result_alone_empties_its_columns(dealership):
    assessment = submitted_assessment(dealership=dealership)
    AssessmentResult.objects.get(assessment=assessment).delete()
    standing = standing_of(dealership)
    assert standing.latest_assessment_id == assessment.pk
    assert standing.latest_rung is None and standing.latest_score is None


@pytest.mark.django_db(transaction=True)
def test_a_dealership_with_assessments_can_be_erased(owner, dealership):
    # Committed for real: a standing written again during the cascade would break the
    # foreign key at commit on PostgreSQL.
    submitted_assessment(dealership=dealership)
    assessment_start(dealership=dealership, user=owner)
    dealership_data_delete(dealership=dealership, user=owner)
    assert not DealershipStanding.objects.exists()


def test_bulk_writes_are_caught_by_the_check_and_mended_by_the_rebuild(dealership):
    assessment = submitted_assessment(dealership=dealership)
    # ``update`` sends no signal: what a hand-written import would do.
    AssessmentResult.objects.filter(assessment=assessment).update(rung=5, overall_score=99.0)
    assert standings_stale() == [dealership.pk]
    with pytest.raises(CommandError, match="1 stale"):
        call_command("rebuild_standings", "--check", stdout=StringIO())

    out = StringIO()
    call_command("rebuild_standings", stdout=out)
    assert "standings rebuilt" in out.getvalue()
    assert standing_of(dealership).latest_rung == 5
    assert standings_stale() == []


def test_a_refresh_costs_three_queries(dealership):
    submitted_assessment(dealership=dealership)
    with CaptureQueriesContext(connection) as queries:
        standing_refresh(dealership_id=dealership.pk)
    # The lock, the read, the upsert (and SQLite's savepoint pair where it nests).
    reads = [q for q in queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert len(reads) == 3


def test_random_writes_never_leave_a_stale_standing():
    # Many dealerships, many kinds of write in a random order: the standings always agree
    # with a recomputation from the assessments.
    rng = random.Random(17)
    shops = [DealershipFactory() for _ in range(6)]
    staff = StaffFactory()
    now = timezone.now()
    for step in range(40):
        shop = rng.choice(shops)
        action = rng.choice(["submit", "submit", "draft", "review", "delete", "result", "result"])
        submitted = list(Assessment.objects.filter(dealership=shop).submitted())
        if action == "submit":
            submitted_assessment(
                dealership=shop,
                persona=rng.choice("abcde"),
                submitted_at=now - timedelta(days=rng.randint(0, 900)),
            )
        elif action == "draft":
            assessment_start(dealership=shop, user=staff)
        elif action == "review" and submitted:
            review_save(
                assessment=rng.choice(submitted),
                user=staff,
                overall_note=f"note {step}",
                area_comments={},
                action=rng.choice(["publish", "withdraw", "save"]),
            )
        elif action == "delete":
            doomed = list(Assessment.objects.filter(dealership=shop))
            if doomed:
                rng.choice(doomed).delete()
        elif action == "result" and submitted:
            target = rng.choice(submitted)
            AssessmentResult.objects.filter(assessment=target).delete()
            AssessmentResultFactory(assessment=target, rung=rng.randint(1, 5))
        assert standings_stale() == [], (step, action)
    # And a full rebuild writes exactly what was kept.
    kept = sorted(DealershipStanding.objects.values_list("dealership_id", "latest_assessment_id"))
    standings_rebuild()
    rebuilt = sorted(
        DealershipStanding.objects.filter(latest_assessment__isnull=False).values_list(
            "dealership_id", "latest_assessment_id"
        )
    )
    assert [row for row in kept if row[1] is not None] == rebuilt
