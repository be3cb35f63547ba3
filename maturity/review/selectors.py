"""Reads of the consultant's review: comments per area, the overall note, verified
evidence links and the publication, as the dealer reads them (home, results page, PDF)
and as the consultant edits them. The writes are in ``review.services``.

Two readings of the same rows (the rule is in ``review.services``): the dealer's
(``reviewer=False``) is only what is published, and nothing at all while the review is
not; the consultant's (``reviewer=True``) is the working copy, drafts included, with
``pending`` saying whether it differs from what the dealer reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dealers.models import User
from dealers.permissions import can_review
from maturity.models import (
    Answer,
    AreaComment,
    Assessment,
    AssessmentReview,
    EvidenceCheck,
)

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
    reviewed_at: datetime | None = None  # when it was (last) published
    reviewed_by: str = ""
    updated_at: datetime | None = None
    areas: tuple[AreaFeedback, ...] = ()
    verified: frozenset[str] = field(default_factory=frozenset)  # question keys
    draft: bool = False  # the consultant's working copy, not what the dealer reads
    pending: bool = False  # (working copy) it differs from what the dealer reads

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


def feedback_for(
    assessment: Assessment, *, language: str = "fr", reviewer: bool = False
) -> Feedback:
    """The review of ``assessment`` (three queries; an empty ``Feedback`` when none):
    what the dealer reads, or (``reviewer``) the consultant's working copy."""
    review = (
        AssessmentReview.objects.filter(assessment=assessment).select_related("reviewed_by").first()
    )
    comments = list(AreaComment.objects.filter(assessment=assessment).select_related("author"))
    verified = frozenset(
        EvidenceCheck.objects.filter(assessment=assessment).values_list("question_key", flat=True)
    )
    return build_feedback(
        assessment, review, comments, verified, language=language, reviewer=reviewer
    )


def feedback_card(*, user: User, assessment: Assessment, language: str) -> dict[str, Any]:
    """The context of ``maturity/review/_card.html``: the consultant's comments as the
    reader sees them (a reviewer: their working copy), and whether they may write the
    review (an empty card for a dealer when nothing is published)."""
    reviewer = can_review(user=user, dealership=assessment.dealership)
    return {
        "feedback": feedback_for(assessment, language=language, reviewer=reviewer),
        "assessment": assessment,
        "can_review": reviewer,
    }


def build_feedback(
    assessment: Assessment,
    review: AssessmentReview | None,
    comments: list[AreaComment],
    verified: frozenset[str] = frozenset(),
    *,
    language: str = "fr",
    reviewer: bool = False,
) -> Feedback:
    """The dealer's reading (only what is published) or, ``reviewer``, the working copy."""
    definition = assessment.definition
    order = {area.key: i for i, area in enumerate(definition.areas)}
    titles = {area.key: area.title.get(language) for area in definition.areas}
    published = review is not None and review.reviewed_at is not None
    if not reviewer and not published:
        return Feedback(verified=verified)

    def text(comment: AreaComment) -> str:
        if reviewer and comment.draft_body is not None:
            return comment.draft_body
        return comment.body

    areas = tuple(
        AreaFeedback(
            key=c.area_key,
            title=titles.get(c.area_key, c.area_key),
            body=text(c),
            author=str(c.author) if c.author else "",
            updated_at=c.updated_at,
        )
        for c in sorted(comments, key=lambda c: order.get(c.area_key, 99))
        if text(c).strip()
    )
    pending = reviewer and (
        any(c.draft_body is not None for c in comments)
        or (review is not None and review.draft_note is not None)
    )
    if review is None:
        return Feedback(areas=areas, verified=verified, draft=reviewer, pending=pending)
    note = review.overall_note
    if reviewer and review.draft_note is not None:
        note = review.draft_note
    return Feedback(
        overall_note=note,
        reviewed_at=review.reviewed_at,
        reviewed_by=str(review.reviewed_by) if review.reviewed_by else "",
        updated_at=review.updated_at,
        areas=areas,
        verified=verified,
        draft=reviewer,
        pending=pending,
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
    definition = assessment.definition
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
