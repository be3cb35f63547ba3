"""Reads of imported reviews: a dealership's figures, its latest reviews and imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from dealers.models import Dealership, User
from dealers.scoping import scoped
from maturity.measurements.reviews.figures import ReviewFacts, ReviewFigures, review_figures
from maturity.models import CustomerReview, ReviewImport

LATEST_SHOWN = 10
IMPORTS_SHOWN = 10


def review_facts(*, dealership: Dealership) -> list[ReviewFacts]:
    return [
        ReviewFacts(created_at=created_at, rating=rating, replied_at=replied_at)
        for created_at, rating, replied_at in CustomerReview.objects.filter(
            dealership=dealership
        ).values_list("created_at", "rating", "replied_at")
    ]


@dataclass(frozen=True, slots=True)
class ReviewOverview:
    figures: ReviewFigures
    latest: list[CustomerReview]
    imports: list[ReviewImport]


def review_overview(*, dealership: Dealership, now: datetime | None = None) -> ReviewOverview:
    """Three queries whatever the number of reviews."""
    return ReviewOverview(
        figures=review_figures(review_facts(dealership=dealership), now=now or timezone.now()),
        latest=list(CustomerReview.objects.filter(dealership=dealership)[:LATEST_SHOWN]),
        imports=list(
            ReviewImport.objects.filter(dealership=dealership).select_related("imported_by")[
                :IMPORTS_SHOWN
            ]
        ),
    )


def review_imports_visible(*, user: User) -> QuerySet[ReviewImport]:
    """The imports of every dealership ``user`` sees, newest first (the API's list)."""
    return scoped(ReviewImport.objects.select_related("imported_by"), user).order_by(
        "-imported_at", "-pk"
    )
