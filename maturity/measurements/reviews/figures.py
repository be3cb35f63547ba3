"""A dealership's review figures (pure): what review sites now rank dealers on.

- **rating**: the mean rating of every imported review;
- **last 90 days**: how many reviews were written in the last 90 days;
- **share answered**: reviews with an answer, out of all;
- **median time to answer**: over the answered reviews;
- **negative reviews answered**: the share of reviews of 1 or 2 stars that got an answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

RECENT_DAYS = 90
NEGATIVE_AT_MOST = 2


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    created_at: datetime
    rating: int
    replied_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReviewFigures:
    count: int
    rating: float | None
    recent: int
    answered: int
    median_answer: timedelta | None
    negative: int
    negative_answered: int

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.count if self.count else None

    @property
    def negative_answered_share(self) -> float | None:
        return self.negative_answered / self.negative if self.negative else None


def review_figures(reviews: Iterable[ReviewFacts], *, now: datetime) -> ReviewFigures:
    reviews = list(reviews)
    since = now - timedelta(days=RECENT_DAYS)
    delays = [r.replied_at - r.created_at for r in reviews if r.replied_at is not None]
    negative = [r for r in reviews if r.rating <= NEGATIVE_AT_MOST]
    return ReviewFigures(
        count=len(reviews),
        rating=sum(r.rating for r in reviews) / len(reviews) if reviews else None,
        recent=sum(1 for r in reviews if r.created_at >= since),
        answered=len(delays),
        median_answer=median(delays) if delays else None,
        negative=len(negative),
        negative_answered=sum(1 for r in negative if r.replied_at is not None),
    )
