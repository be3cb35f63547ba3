"""The consultant's review: area comments, overall note, verified evidence, reviewed mark."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maturity.models import AreaComment, AssessmentReview, EvidenceCheck
from maturity.review.selectors import feedback_card, feedback_for
from tests.factories import AssessmentFactory, persona_answers
from tests.factories import submitted_assessment as make_submitted

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
SITE = "https://www.auto-riviere.example"


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the product's English msgids, whatever the French catalogue says."""
    client.cookies.load({"django_language": "en"})


@pytest.fixture
def submitted(dealership, owner):
    answers = persona_answers("b") | {"website_url": SITE}
    return make_submitted(dealership=dealership, answers=answers, user=owner)


def _url(assessment):
    return reverse("assessment_feedback", args=[assessment.dealership_id, assessment.pk])


def _verify_url(assessment, key="website_url"):
    return reverse("evidence_verify", args=[assessment.dealership_id, assessment.pk, key])


def test_the_consultant_writes_comments_and_marks_reviewed(client, assigned_consultant, submitted):
    client.force_login(assigned_consultant)
    page = client.get(_url(submitted))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="comment-website"' in html and 'name="comment-strategy"' in html
    assert SITE in html  # the evidence link to check
    response = client.post(
        _url(submitted),
        {
            "overall_note": "  A solid base: now answer your customers.  ",
            "comment-website": "Put the stock online first.",
            "comment-reviews": "",
            "comment-unknown": "ignored",
            "action": "review",
        },
    )
    assert response.status_code == 302
    review = AssessmentReview.objects.get(assessment=submitted)
    assert review.overall_note == "A solid base: now answer your customers."
    assert review.reviewed_by == assigned_consultant
    assert review.reviewed_at is not None
    comments = {c.area_key: c.body for c in AreaComment.objects.filter(assessment=submitted)}
    assert comments == {"website": "Put the stock online first."}


def test_an_emptied_comment_is_removed_and_the_mark_can_be_undone(client, staff, submitted):
    client.force_login(staff)
    client.post(_url(submitted), {"comment-social": "Post weekly.", "action": "review"})
    client.post(_url(submitted), {"comment-social": "", "action": "reopen"})
    assert not AreaComment.objects.filter(assessment=submitted).exists()
    assert AssessmentReview.objects.get(assessment=submitted).reviewed_at is None


def test_saving_after_publishing_keeps_what_the_dealer_reads(client, staff, submitted):
    client.force_login(staff)
    client.post(_url(submitted), {"overall_note": "First pass", "action": "review"})
    reviewed_at = AssessmentReview.objects.get(assessment=submitted).reviewed_at
    client.post(_url(submitted), {"overall_note": "Second pass", "action": "save"})
    review = AssessmentReview.objects.get(assessment=submitted)
    assert review.draft_note == "Second pass"
    assert review.overall_note == "First pass"  # what the dealer reads until republished
    assert review.reviewed_at == reviewed_at
    assert feedback_for(submitted).overall_note == "First pass"
    assert feedback_for(submitted, reviewer=True).overall_note == "Second pass"


def test_a_too_long_note_is_refused_with_the_text_kept(client, staff, submitted):
    client.force_login(staff)
    response = client.post(_url(submitted), {"overall_note": "x" * 5001, "action": "save"})
    assert response.status_code == 400
    assert "Keep the note under 5000 characters." in response.content.decode()
    assert not AssessmentReview.objects.exists()


@pytest.mark.parametrize("role", ["owner", "member"])
def test_the_dealer_may_not_review(client, request, submitted, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(_url(submitted)).status_code == 403
    assert client.post(_url(submitted), {"overall_note": "self-praise"}).status_code == 403
    assert client.post(_verify_url(submitted), {"verified": "1"}).status_code == 403
    assert not AssessmentReview.objects.exists()


def test_others_get_a_404(client, unassigned_consultant, outsider, submitted):
    for user in (unassigned_consultant, outsider):
        client.force_login(user)
        assert client.get(_url(submitted)).status_code == 404


def test_a_draft_is_not_reviewed(client, dealership, assigned_consultant):
    draft = AssessmentFactory(dealership=dealership)
    client.force_login(assigned_consultant)
    assert client.get(_url(draft)).status_code == 404


def test_evidence_is_verified_and_unverified(client, assigned_consultant, submitted):
    client.force_login(assigned_consultant)
    response = client.post(_verify_url(submitted), {"verified": "1"}, **HTMX)
    assert response.status_code == 200
    assert "Verified" in response.content.decode()
    check = EvidenceCheck.objects.get(assessment=submitted)
    assert check.url == SITE and check.verified_by == assigned_consultant
    assert feedback_for(submitted).verified == {"website_url"}
    response = client.post(_verify_url(submitted), {"verified": "0"})
    assert response.status_code == 302
    assert not EvidenceCheck.objects.exists()


def test_only_answered_url_questions_are_evidence(client, assigned_consultant, submitted):
    client.force_login(assigned_consultant)
    assert client.post(_verify_url(submitted, "website_own"), {"verified": "1"}).status_code == 404
    assert client.post(_verify_url(submitted, "reviews_url"), {"verified": "1"}).status_code == 404
    assert client.post(_verify_url(submitted, "nope"), {"verified": "1"}).status_code == 404


def test_review_changes_are_post_only(client, assigned_consultant, submitted):
    client.force_login(assigned_consultant)
    assert client.get(_verify_url(submitted)).status_code == 405


def test_the_comments_card_for_other_pages(rf, owner, assigned_consultant, submitted):
    def card(user) -> str:
        request = rf.get("/")
        request.user = user
        context = feedback_card(user=user, assessment=submitted, language="en")
        return render_to_string("maturity/review/_card.html", context, request=request)

    assert card(owner).strip() == ""
    AreaComment.objects.create(assessment=submitted, area_key="crm", draft_body="Log every lead.")
    assert card(owner).strip() == ""  # a draft: the dealer sees nothing yet
    assert "Log every lead." in card(assigned_consultant)
    AssessmentReview.objects.create(assessment=submitted, reviewed_at=timezone.now())
    AreaComment.objects.filter(assessment=submitted).update(body="Log every lead.", draft_body=None)
    html = card(owner)
    assert "Log every lead." in html and "Write the review" not in html
    assert "Edit the review" in card(assigned_consultant)
