"""The consultant's review of a submitted assessment: comments per area, an overall note,
verified evidence links, and the "reviewed" mark. The dealer reads the comments (home,
results page, PDF); only the dealership's consultants and staff write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from dealers.models import Dealership, User
from maturity.models import (
    Answer,
    AreaComment,
    Assessment,
    AssessmentReview,
    EvidenceCheck,
)


class NotReviewable(Exception):
    """Only a submitted assessment is reviewed (a draft is still being answered)."""


def can_review(*, user: User, dealership: Dealership) -> bool:
    """Staff and the dealership's consultants review; the dealer's own people do not."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return user.is_consultant and dealership.assignments.filter(consultant=user).exists()


# --- reads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaFeedback:
    key: str
    title: str
    body: str
    author: str
    updated_at: datetime | None


@dataclass(frozen=True)
class Feedback:
    """What the consultant said about one assessment, ready for a page or the PDF."""

    overall_note: str = ""
    reviewed_at: datetime | None = None
    reviewed_by: str = ""
    updated_at: datetime | None = None
    areas: tuple[AreaFeedback, ...] = ()
    verified: frozenset[str] = field(default_factory=frozenset)  # question keys

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def has_comments(self) -> bool:
        return bool(self.overall_note.strip() or self.areas)

    def area(self, key: str) -> AreaFeedback | None:
        for item in self.areas:
            if item.key == key:
                return item
        return None


def feedback_for(assessment: Assessment, *, language: str = "fr") -> Feedback:
    """The review of ``assessment`` (three queries; an empty ``Feedback`` when none)."""
    review = (
        AssessmentReview.objects.filter(assessment=assessment).select_related("reviewed_by").first()
    )
    comments = list(AreaComment.objects.filter(assessment=assessment).select_related("author"))
    verified = frozenset(
        EvidenceCheck.objects.filter(assessment=assessment).values_list("question_key", flat=True)
    )
    return build_feedback(assessment, review, comments, verified, language=language)


def build_feedback(
    assessment: Assessment,
    review: AssessmentReview | None,
    comments: list[AreaComment],
    verified: frozenset[str] = frozenset(),
    *,
    language: str = "fr",
) -> Feedback:
    definition = assessment.version.definition
    order = {area.key: i for i, area in enumerate(definition.areas)}
    titles = {area.key: area.title.get(language) for area in definition.areas}
    areas = tuple(
        AreaFeedback(
            key=c.area_key,
            title=titles.get(c.area_key, c.area_key),
            body=c.body,
            author=str(c.author) if c.author else "",
            updated_at=c.updated_at,
        )
        for c in sorted(comments, key=lambda c: order.get(c.area_key, 99))
        if c.body.strip()
    )
    if review is None:
        return Feedback(areas=areas, verified=verified)
    return Feedback(
        overall_note=review.overall_note,
        reviewed_at=review.reviewed_at,
        reviewed_by=str(review.reviewed_by) if review.reviewed_by else "",
        updated_at=review.updated_at,
        areas=areas,
        verified=verified,
    )


@dataclass(frozen=True)
class EvidenceLink:
    question_key: str
    question_text: str
    area_key: str
    url: str
    verified: bool
    verified_by: str = ""
    verified_at: datetime | None = None


def evidence_links(assessment: Assessment, *, language: str = "fr") -> list[EvidenceLink]:
    """The assessment's ``url`` answers (evidence links), in questionnaire order."""
    definition = assessment.version.definition
    url_questions = [q for q in definition.questions if q.kind == "url"]
    keys = [q.key for q in url_questions]
    values = dict(
        Answer.objects.filter(assessment=assessment, question_key__in=keys).values_list(
            "question_key", "value"
        )
    )
    checks = {
        c.question_key: c
        for c in EvidenceCheck.objects.filter(assessment=assessment).select_related("verified_by")
    }
    links = []
    for question in url_questions:
        url = values.get(question.key)
        if not isinstance(url, str) or not url.strip():
            continue
        check = checks.get(question.key)
        links.append(
            EvidenceLink(
                question_key=question.key,
                question_text=question.text.get(language),
                area_key=question.area,
                url=url,
                verified=check is not None and check.url == url,
                verified_by=str(check.verified_by) if check and check.verified_by else "",
                verified_at=check.verified_at if check else None,
            )
        )
    return links


# --- writes --------------------------------------------------------------------------------


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

    known = {area.key for area in assessment.version.definition.areas}
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
    definition = assessment.version.definition
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
