"""The portfolio's alerts on measured website signals (the portfolio's alert list calls
:func:`website_signals`; lead-test and review signals sit beside it the same way).

- **website unreachable**: the dealership's latest website check could not read the site
  (the reason is kept);
- **stock pages gone**: the latest check found no vehicle where the previous successful
  one found some.

One query for the whole portfolio: every finished check of the last ``LOOKBACK_DAYS``,
with its stock result, newest first; two per dealership are read.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from dealers.models import Dealership
from maturity.models import Measurement, MeasurementCheck

WEBSITE_UNREACHABLE = "website_unreachable"
STOCK_GONE = "stock_gone"
# Monthly checks: three months hold the latest and the one before, even after a miss.
LOOKBACK_DAYS = 100


class MeasuredSignal(NamedTuple):
    signal: str  # WEBSITE_UNREACHABLE or STOCK_GONE
    dealership_id: int
    dealership_name: str
    city: str
    since: datetime  # when the latest check found it
    detail: dict[str, Any]


def website_signals(
    *, dealerships: QuerySet[Dealership], now: datetime | None = None
) -> list[MeasuredSignal]:
    """The measured website signals of ``dealerships`` (a scoped queryset), newest first."""
    now = now or timezone.now()
    stock = MeasurementCheck.objects.filter(measurement=OuterRef("pk"), key="stock")
    rows = (
        Measurement.objects.filter(
            dealership__in=dealerships.values("pk"),
            kind=Measurement.Kind.WEBSITE,
            status__in=(Measurement.Status.OK, Measurement.Status.FAILED),
            finished_at__gte=now - timedelta(days=LOOKBACK_DAYS),
        )
        .annotate(
            stock_ok=Subquery(stock.values("ok")[:1]),
            stock_details=Subquery(stock.values("details")[:1]),
        )
        .order_by("dealership_id", "-finished_at", "-pk")
        .values_list(
            "dealership_id",
            "dealership__name",
            "dealership__city",
            "status",
            "reason",
            "finished_at",
            "stock_ok",
            "stock_details",
        )
    )
    latest: dict[int, tuple] = {}
    previous_ok: dict[int, tuple] = {}
    for row in rows:
        pk, status = row[0], row[3]
        if pk not in latest:
            latest[pk] = row
        elif pk not in previous_ok and status == Measurement.Status.OK:
            previous_ok[pk] = row
    signals = []
    for pk, (_pk, name, city, status, reason, finished, stock_ok, _details) in latest.items():
        if status == Measurement.Status.FAILED:
            signals.append(
                MeasuredSignal(WEBSITE_UNREACHABLE, pk, name, city, finished, {"reason": reason})
            )
        elif stock_ok is False and pk in previous_ok and previous_ok[pk][6] is True:
            before = previous_ok[pk]
            count = (before[7] or {}).get("count", 0) if isinstance(before[7], dict) else 0
            signals.append(
                MeasuredSignal(
                    STOCK_GONE, pk, name, city, finished, {"before": before[5], "count": count}
                )
            )
    signals.sort(key=lambda s: (s.since, s.dealership_id), reverse=True)
    return signals
