"""Importing a reviews export: the whole file or nothing.

The file is read first (``parsing``); a file with any bad row stores nothing and its rows'
errors go back to the page. A good file is stored in one transaction: new reviews are
added, reviews already known (same key: the platform's id, else date, rating and text)
are not duplicated, only their answer date is brought up to date. Each import records the
dealership's rating and share answered after it, for the portfolio's alerts.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from dealers.models import Dealership, User
from maturity.measurements.reviews.figures import review_figures
from maturity.measurements.reviews.parsing import ParsedFile, RowError, parse_reviews
from maturity.measurements.reviews.selectors import review_facts
from maturity.models import CustomerReview, ReviewImport, WebhookEndpoint
from maturity.results.services import result_refresh_measured
from maturity.webhooks.services import webhook_event_emit


class ReviewImportRejected(ValueError):
    """Rows of the file are wrong: nothing was imported (``errors`` says where and why)."""

    def __init__(self, parsed: ParsedFile) -> None:
        super().__init__(f"{len(parsed.errors)} bad rows")
        self.errors: list[RowError] = parsed.errors


def reviews_import(
    *, dealership: Dealership, user: User | None, data: bytes, filename: str
) -> ReviewImport:
    """Import the file ``data``; ``ReviewFileError`` (unreadable) or
    ``ReviewImportRejected`` (bad rows) leave the database as it was."""
    now = timezone.now()
    parsed = parse_reviews(data, filename=filename, now=now)
    if parsed.errors:
        raise ReviewImportRejected(parsed)
    with transaction.atomic():
        # One import at a time per dealership: two uploads of one file add it once.
        Dealership.objects.select_for_update().filter(pk=dealership.pk).first()
        known = dict(
            CustomerReview.objects.filter(
                dealership=dealership, key__in=[r.key for r in parsed.reviews]
            ).values_list("key", "pk")
        )
        record = ReviewImport.objects.create(
            dealership=dealership,
            file_format=parsed.file_format,
            filename=filename[:200],
            file_hash=hashlib.sha256(data).hexdigest(),
            rows=len(parsed.reviews),
            added=0,
            imported_by=user,
            imported_at=now,
        )
        fresh, updated = [], 0
        for review in parsed.reviews:
            if review.key in known:
                updated += (
                    CustomerReview.objects.filter(pk=known[review.key])
                    .exclude(replied_at=review.replied_at)
                    .update(replied_at=review.replied_at)
                )
                continue
            fresh.append(
                CustomerReview(
                    dealership=dealership,
                    source=record,
                    key=review.key,
                    created_at=review.created_at,
                    rating=review.rating,
                    text=review.text,
                    replied_at=review.replied_at,
                )
            )
        CustomerReview.objects.bulk_create(fresh, batch_size=500)
        figures = review_figures(review_facts(dealership=dealership), now=now)
        record.added, record.updated = len(fresh), updated
        record.rating, record.answered_share = figures.rating, figures.answered_share
        record.save(update_fields=["added", "updated", "rating", "answered_share"])
        webhook_event_emit(event=WebhookEndpoint.Event.REVIEWS_IMPORTED, measured=record)
        # The figures inform the reviews questions: the latest result is rescored.
        result_refresh_measured(dealership_id=dealership.pk)
    return record
