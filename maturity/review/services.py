"""Writes of the consultant's review: drafts, publication, verified evidence links.

The rule (README, "The consultant's review"): **the dealer reads only what is published.**
Saving the review stores a draft, seen by consultants and staff only, on the pages and in
the PDF alike; publishing copies the draft into what the dealer reads and tells the
dealership's people; withdrawing the publication hides the review from the dealer again
(its text goes back to the draft). Editing a published review keeps the published text in
front of the dealer until the next publication. Only a submitted assessment is reviewed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dealers.models import Membership, User
from maturity.models import (
    Answer,
    AreaComment,
    Assessment,
    AssessmentReview,
    EvidenceCheck,
    Notification,
    WebhookEndpoint,
)
from maturity.notifications.services import notify
from maturity.webhooks.services import webhook_event_emit

Action = Literal["save", "publish", "withdraw"]


class NotReviewable(Exception):
    """Only a submitted assessment is reviewed (a draft is still being answered)."""


def _check_submitted(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.SUBMITTED:
        raise NotReviewable


def _draft(posted: str, published: str, *, is_published: bool) -> str | None:
    """The draft to store: ``None`` when it is what the dealer already reads."""
    return None if is_published and posted == published else posted


@transaction.atomic
def review_save(
    *,
    assessment: Assessment,
    user: User,
    overall_note: str,
    area_comments: Mapping[str, str],
    action: Action = "save",
) -> AssessmentReview:
    """Store the note and the area comments as a draft, then ``action`` it.

    ``"save"``: a draft only (what the dealer reads does not change); ``"publish"``: the
    draft becomes what the dealer reads, now, by ``user`` (the dealership's people are
    told); ``"withdraw"``: the dealer no longer reads any review (the text is kept as a
    draft). An emptied comment is removed at the next publication. Area keys outside the
    assessment's questionnaire version are ignored.
    """
    _check_submitted(assessment)
    if action not in ("save", "publish", "withdraw"):
        raise ValueError(f"unknown review action {action!r}")
    review, _created = AssessmentReview.objects.select_for_update().get_or_create(
        assessment=assessment
    )
    was_published = review.reviewed_at is not None
    before = _published_text(review, assessment)
    review.draft_note = _draft(
        overall_note.strip(), review.overall_note, is_published=was_published
    )
    review.updated_by = user

    known = {area.key for area in assessment.definition.areas}
    existing = {c.area_key: c for c in AreaComment.objects.filter(assessment=assessment)}
    comments = dict(existing)
    for key, body in area_comments.items():
        if key not in known:
            continue
        body = body.strip()
        comment = existing.get(key)
        if comment is None:
            if body:
                comments[key] = AreaComment(
                    assessment=assessment, area_key=key, draft_body=body, author=user
                )
            continue
        draft = _draft(body, comment.body, is_published=was_published)
        if draft != comment.draft_body:
            comment.draft_body = draft
            comment.author = user
            comments[key] = comment

    if action == "publish":
        if review.draft_note is not None:
            review.overall_note, review.draft_note = review.draft_note, None
        for comment in comments.values():
            if comment.draft_body is not None:
                comment.body, comment.draft_body = comment.draft_body, None
        review.reviewed_at = timezone.now()
        review.reviewed_by = user
    elif action == "withdraw":
        if review.draft_note is None:
            review.draft_note = review.overall_note
        review.overall_note = ""
        for comment in comments.values():
            if comment.draft_body is None:
                comment.draft_body = comment.body
            comment.body = ""
        review.reviewed_at = None
        review.reviewed_by = None
    review.save()
    for comment in comments.values():
        if not comment.body and not comment.draft_body:
            if comment.pk:
                comment.delete()
        else:
            comment.save()

    if action == "publish" and _published_text(review, assessment) != before:
        _tell_the_dealer(assessment=assessment, user=user)
    return review


def _published_text(review: AssessmentReview, assessment: Assessment) -> tuple:
    """What the dealer reads of the review (empty when it is not published)."""
    if review.reviewed_at is None:
        return ()
    comments = AreaComment.objects.filter(assessment=assessment).exclude(body="")
    return (review.overall_note, sorted(comments.values_list("area_key", "body")))


def _tell_the_dealer(*, assessment: Assessment, user: User) -> None:
    people = User.objects.filter(
        pk__in=Membership.objects.filter(dealership=assessment.dealership_id).values("user_id")
    )
    notify(
        kind=Notification.Kind.REVIEW_PUBLISHED,
        recipients=people,
        actor=user,
        dealership=assessment.dealership,
        url=reverse("assessment_results", args=[assessment.pk]),
    )
    webhook_event_emit(event=WebhookEndpoint.Event.ASSESSMENT_REVIEWED, assessment=assessment)


class NotEvidence(LookupError):
    """The question is not an answered ``url`` question of this assessment."""


@transaction.atomic
def evidence_verify(
    *, assessment: Assessment, question_key: str, user: User, verified: bool
) -> EvidenceCheck | None:
    """Mark the evidence link answered to ``question_key`` verified (or not any more)."""
    _check_submitted(assessment)
    definition = assessment.definition
    if not definition.has_question(question_key):
        raise NotEvidence(question_key)
    if definition.question(question_key).kind != "url":
        raise NotEvidence(question_key)
    answer = Answer.objects.filter(assessment=assessment, question_key=question_key).first()
    if answer is None or not isinstance(answer.value, str) or not answer.value.strip():
        raise NotEvidence(question_key)
    if not verified:
        EvidenceCheck.objects.filter(assessment=assessment, question_key=question_key).delete()
        return None
    check, _created = EvidenceCheck.objects.update_or_create(
        assessment=assessment,
        question_key=question_key,
        defaults={"url": answer.value[:500], "verified_by": user, "verified_at": timezone.now()},
    )
    return check
