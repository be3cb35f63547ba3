"""Writing the network aggregates: a refresh after a submission, a rebuild of every network.

A network's figures are read in four queries whatever its size (its dealerships'
region and profile, their latest submitted results, the results submitted over the
trend's quarters, its latest campaigns with their completion), then grouped in Python and
stored as one :class:`~maturity.models.NetworkAggregate` row: the dashboard reads that row
and nothing else. Every group keeps its count, so the page applies the rule of at least
``NETWORK_MIN_DEALERSHIPS`` dealerships when it shows it.

Refresh requests are debounced as the peer statistics' are (``maturity.peers.services``):
a request carries the moment it was sent, after the submission's commit; a network whose
row was computed from a read that started after that moment already contains the
submission and is skipped.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from dealers.models import Dealership, Network
from maturity.models import (
    Assessment,
    AssessmentResult,
    Campaign,
    CampaignDealership,
    NetworkAggregate,
)
from maturity.questionnaire.files import current_area_keys
from maturity.results.benchmarks import area_score_columns, latest_submitted_ids

__all__ = [
    "OVERALL",
    "network_aggregate_rebuild",
    "network_aggregate_refresh",
    "network_figures",
    "quarter_of",
    "quarters_ending",
]

OVERALL = ""  # the area key of the overall score, as in the peer statistics


def quarter_of(day: date) -> str:
    """``"2026-Q4"``: the key of the quarter ``day`` falls in."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarters_ending(day: date, count: int) -> list[str]:
    """The keys of ``count`` quarters, oldest first, the last one ``day``'s."""
    index = day.year * 4 + (day.month - 1) // 3
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]


def _medians(rows: Iterable[dict[str, float]], keys: Sequence[str]) -> dict[str, float | None]:
    found: dict[str, list[float]] = {key: [] for key in (OVERALL, *keys)}
    for scores in rows:
        for key, value in scores.items():
            found[key].append(value)
    return {key: (statistics.median(v) if v else None) for key, v in found.items()}


def _groups(
    members: dict[int, str], scores: dict[int, dict[str, float]], keys: Sequence[str]
) -> dict[str, dict[str, object]]:
    """``{group key: {"count": assessed dealerships, "medians": {area: median}}}``."""
    by_group: dict[str, list[dict[str, float]]] = defaultdict(list)
    for pk, group in members.items():
        if pk in scores:
            by_group[group].append(scores[pk])
    return {
        group: {"count": len(rows), "medians": _medians(rows, keys)}
        for group, rows in sorted(by_group.items())
    }


def network_figures(network_id: int, *, keys: Sequence[str], today: date) -> dict[str, object]:
    """The figures of one network (four queries), as ``NetworkAggregate`` stores them."""
    members = Network.dealerships.through.objects.filter(network_id=network_id).values(
        "dealership_id"
    )
    attributes = {
        pk: (region, profile)
        for pk, region, profile in Dealership.objects.filter(pk__in=members).values_list(
            "pk", "region", "profile"
        )
    }
    columns = area_score_columns(keys)
    latest = (
        AssessmentResult.objects.filter(
            assessment_id__in=latest_submitted_ids(
                dealerships=Dealership.objects.filter(pk__in=members)
            )
        )
        .annotate(dealership_id=F("assessment__dealership_id"), **columns)
        .values_list("dealership_id", "rung", "overall_score", *columns)
    )
    rungs: Counter[int] = Counter()
    scores: dict[int, dict[str, float]] = {}
    for pk, rung, overall, *areas in latest:
        rungs[rung] += 1
        found = {OVERALL: float(overall)}
        found.update(
            (key, float(value)) for key, value in zip(keys, areas, strict=True) if value is not None
        )
        scores[pk] = found

    # The trend: each dealership's latest result submitted in each quarter.
    quarters = quarters_ending(today, settings.NETWORK_TREND_QUARTERS)
    first_year, first_quarter = (int(part) for part in quarters[0].split("-Q"))
    start = timezone.make_aware(datetime(first_year, 3 * first_quarter - 2, 1))
    in_quarter: dict[str, dict[int, float]] = {key: {} for key in quarters}
    submitted = (
        AssessmentResult.objects.filter(
            assessment__dealership_id__in=members,
            assessment__status=Assessment.Status.SUBMITTED,
            assessment__submitted_at__gte=start,
        )
        .order_by("assessment__submitted_at", "assessment_id")
        .values_list("assessment__dealership_id", "assessment__submitted_at", "overall_score")
    )
    for pk, submitted_at, overall in submitted:
        key = quarter_of(timezone.localdate(submitted_at))
        if key in in_quarter:
            in_quarter[key][pk] = float(overall)  # later rows overwrite: the latest stays
    trend = [
        {
            "quarter": key,
            "count": len(values),
            "median": statistics.median(values.values()) if values else None,
        }
        for key, values in in_quarter.items()
    ]

    # Campaigns that asked dealerships of the network, the latest first.
    in_network = Q(participants__dealership_id__in=members)
    campaigns = (
        Campaign.objects.filter(
            pk__in=CampaignDealership.objects.filter(dealership_id__in=members).values(
                "campaign_id"
            )
        )
        .annotate(
            total=Count("participants", filter=in_network, distinct=True),
            done=Count(
                "participants",
                filter=in_network & Q(participants__assessment__status=Assessment.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
        .values("pk", "title", "due_date", "closed_at", "total", "done")[
            : settings.NETWORK_CAMPAIGNS_SHOWN
        ]
    )
    return {
        "dealerships": len(attributes),
        "assessed": len(scores),
        "figures": {
            "areas": list(keys),
            "rungs": {str(rung): count for rung, count in sorted(rungs.items())},
            "all": {"count": len(scores), "medians": _medians(scores.values(), keys)},
            "regions": _groups({pk: a[0] for pk, a in attributes.items()}, scores, keys),
            "profiles": _groups({pk: a[1] for pk, a in attributes.items()}, scores, keys),
            "trend": trend,
            "campaigns": [
                {
                    "id": c["pk"],
                    "title": c["title"],
                    "due_date": c["due_date"].isoformat(),
                    "closed": c["closed_at"] is not None,
                    "total": c["total"],
                    "submitted": c["done"],
                }
                for c in campaigns
            ],
        },
    }


def _write(network_ids: Iterable[int], started: datetime) -> int:
    keys = current_area_keys()
    today = timezone.localdate(started)
    count = 0
    for network_id in network_ids:
        found = network_figures(network_id, keys=keys, today=today)
        NetworkAggregate.objects.update_or_create(
            network_id=network_id, defaults={**found, "refreshed_at": started}
        )
        count += 1
    return count


def network_aggregate_refresh(
    *, dealership_ids: Iterable[int], requested_at: datetime | None = None
) -> int:
    """Refresh the aggregates of every network of ``dealership_ids``; how many networks.

    ``requested_at``: when the request was sent (after the submission's commit); networks
    computed since are skipped (debounce). ``None`` refreshes every network of them.
    """
    pks = list(dict.fromkeys(dealership_ids))
    if not pks:
        return 0
    started = timezone.now()  # before any read: what is committed now will be included
    networks = set(
        Network.dealerships.through.objects.filter(dealership_id__in=pks).values_list(
            "network_id", flat=True
        )
    )
    if requested_at is not None and networks:
        networks -= set(
            NetworkAggregate.objects.filter(
                network_id__in=networks, refreshed_at__gte=requested_at
            ).values_list("network_id", flat=True)
        )
    with transaction.atomic():
        return _write(sorted(networks), started)


def network_aggregate_rebuild() -> int:
    """Recompute the aggregates of every network from scratch; how many networks."""
    started = timezone.now()
    with transaction.atomic():
        return _write(Network.objects.order_by("pk").values_list("pk", flat=True), started)
