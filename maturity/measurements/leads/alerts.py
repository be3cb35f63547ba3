"""Portfolio alerts on measured signals from lead-response tests and imported reviews.

- **lead_unanswered**: a test sent in the last ``ALERT_LEAD_TEST_DAYS`` days is still
  without reply after the grid's delay;
- **review_answers**: after the latest import, under ``ALERT_REVIEW_ANSWERED_BELOW`` of the
  reviews are answered;
- **rating_down**: the rating after the latest import is ``ALERT_RATING_DROP`` or more
  below the one after the import before.

One query for the whole portfolio (``portfolio.attention`` adds them to its alerts).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Literal, NamedTuple

from django.conf import settings
from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from dealers.models import Dealership
from maturity.measurements.leads.grid import current_grid
from maturity.models import LeadTest, ReviewImport

MeasuredKind = Literal["lead_unanswered", "review_answers", "rating_down"]
MEASURED_KINDS: tuple[MeasuredKind, ...] = ("lead_unanswered", "review_answers", "rating_down")


class MeasuredAlert(NamedTuple):
    kind: MeasuredKind
    dealership_id: int
    dealership_name: str
    city: str
    since: datetime | None  # the oldest unanswered test, or the import
    # lead_unanswered: count; review_answers: share; rating_down: before, after.
    detail: Mapping[str, object]


def measured_alerts(
    *, dealerships: QuerySet[Dealership], now: datetime | None = None
) -> list[MeasuredAlert]:
    """The measured alerts of ``dealerships`` (a scoped queryset), newest signal first."""
    now = now or timezone.now()
    unanswered = (
        LeadTest.objects.filter(
            dealership=OuterRef("pk"),
            replied_at__isnull=True,
            sent_at__lte=now - current_grid().no_reply_after,
            sent_at__gte=now - timedelta(days=settings.ALERT_LEAD_TEST_DAYS),
        )
        .order_by()
        .values("dealership")
    )
    imports = ReviewImport.objects.filter(dealership=OuterRef("pk")).order_by("-imported_at", "-pk")
    rows = (
        dealerships.annotate(
            unanswered=Subquery(
                unanswered.annotate(n=Count("pk")).values("n"), output_field=IntegerField()
            ),
            unanswered_since=Subquery(unanswered.annotate(first=Min("sent_at")).values("first")),
            imported_at=Subquery(imports.values("imported_at")[:1]),
            rating=Subquery(imports.values("rating")[:1]),
            answered_share=Subquery(imports.values("answered_share")[:1]),
            rating_before=Subquery(imports.values("rating")[1:2]),
        )
        .filter(Q(unanswered__gt=0) | Q(imported_at__isnull=False))
        .order_by()
        .values_list(
            "pk",
            "name",
            "city",
            "unanswered",
            "unanswered_since",
            "imported_at",
            "rating",
            "answered_share",
            "rating_before",
        )
    )
    alerts: list[MeasuredAlert] = []
    below = settings.ALERT_REVIEW_ANSWERED_BELOW
    drop = settings.ALERT_RATING_DROP
    for pk, name, city, count, since, imported_at, rating, share, before in rows:
        if count:
            alerts.append(MeasuredAlert("lead_unanswered", pk, name, city, since, {"count": count}))
        if share is not None and share < below:
            alerts.append(
                MeasuredAlert("review_answers", pk, name, city, imported_at, {"share": share})
            )
        if rating is not None and before is not None and before - rating >= drop - 1e-9:
            alerts.append(
                MeasuredAlert(
                    "rating_down", pk, name, city, imported_at, {"before": before, "after": rating}
                )
            )
    alerts.sort(key=lambda a: (a.since or now, a.dealership_id), reverse=True)
    return alerts
