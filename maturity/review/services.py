"""Writes of the consultant's review: the overall note and area comments, the "reviewed"
mark, verified evidence links. Only a submitted assessment is reviewed.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from dealers.models import User
from maturity.models import Answer, AreaComment, Assessment, AssessmentReview, EvidenceCheck


class NotReviewable(Exception):
    """Only a submitted assessment is reviewed (a draft is still being answered)."""


def _check_submitted(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.SUBMITTED:
        raise NotReviewable


@transaction.atomic
def review_save(
    *,
    assessment: Assessment,
    user: User,
    overall_note: str,
    area_comments: Mapping[str, str],
    reviewed: bool | None = None,
) -> AssessmentReview:
    """Store the overall note and the area comments (an empty comment removes it).

    ``reviewed=True`` marks the assessment reviewed (now, by ``user``); ``False`` reopens
    it; ``None`` leaves the mark as it is. Area keys outside the assessment's questionnaire
    version are ignored.
    """
    _check_submitted(assessment)
    review, _created = AssessmentReview.objects.select_for_update().get_or_create(
        assessment=assessment
    )
    review.overall_note = overall_note.strip()
    review.updated_by = user
    if reviewed is True and review.reviewed_at is None:
        review.reviewed_at = timezone.now()
        review.reviewed_by = user
    elif reviewed is False:
        review.reviewed_at = None
        review.reviewed_by = None
    review.save()

    known = {area.key for area in assessment.definition.areas}
    existing = {c.area_key: c for c in AreaComment.objects.filter(assessment=assessment)}
    for key, body in area_comments.items():
        if key not in known:
            continue
        body = body.strip()
        comment = existing.get(key)
        if not body:
            if comment is not None:
                comment.delete()
        elif comment is None:
            AreaComment.objects.create(assessment=assessment, area_key=key, body=body, author=user)
        elif comment.body != body:
            comment.body = body
            comment.author = user
            comment.save()
    return review


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
