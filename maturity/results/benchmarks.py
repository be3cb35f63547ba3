"""Peer benchmarks: where a dealership stands among comparable dealerships.

``peer_benchmark(dealership=..., group_by=...)`` is the one entry point for the dealer home,
the consultant portfolio and the PDF. It returns, for each area and for the overall score,
the first quartile, the median and the third quartile of the **latest submitted result**
of every comparable dealership, the dealership itself excluded.

Privacy rule: a benchmark is only returned when at least ``settings.PEER_MIN_OTHERS`` (5) *other*
dealerships with a submitted result are in the group, so that nobody can work back to a
single peer's answers; otherwise the answer is ``None`` and the caller shows nothing (or
"not enough comparable dealerships yet"). An area that fewer than that many peers have
a score for (an older questionnaire version without it) is left out the same way.

Peers are taken from **all** dealerships, not from the viewer's scope: a dealer never sees
the other dealerships, only these aggregates (no name, no id, no single score leaves here).

Pages and the PDF read **precomputed** statistics (``maturity.peers``: one
``PeerStatistic`` row per group and area, refreshed after each submission): one small
query whatever the size of the network. The dealership itself is taken out of its groups
with its ``PeerContribution`` (the scores it put in at the last refresh) and the stored
windows of sorted scores (``maturity.peers.quartiles``): the same quartiles as computing
them over the other dealerships. :func:`benchmark_of` is the live computation over any
set of dealerships: what the refresh is checked against.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    JSONField,
    QuerySet,
    Subquery,
    Window,
    prefetch_related_objects,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dealers.models import Dealership
from maturity.engine.scoring import display
from maturity.models import Assessment, AssessmentResult, PeerContribution, PeerStatistic
from maturity.peers.quartiles import without
from maturity.questionnaire.files import current_area_keys

__all__ = [
    "GROUP_BY_CHOICES",
    "Benchmark",
    "GroupBy",
    "Quartiles",
    "area_score_columns",
    "benchmark_of",
    "group_benchmark",
    "group_by_or_default",
    "group_key",
    "latest_submitted_ids",
    "peer_benchmark",
    "peer_dealerships",
]

GroupBy = Literal["region", "brand", "size_band", "profile", "all"]


# For a selector on a page (a GET parameter ``peers``) or a form field.
GROUP_BY_CHOICES: list[tuple[GroupBy, str]] = [
    ("region", gettext_lazy("Same region")),
    ("brand", gettext_lazy("Same brand")),
    ("size_band", gettext_lazy("Same size")),
    ("profile", gettext_lazy("Same kind of dealer")),
    ("all", gettext_lazy("All dealerships")),
]


def group_by_or_default(value: str | None, default: GroupBy = "region") -> GroupBy:
    """A ``GroupBy`` from an untrusted query-string value (unknown values give ``default``)."""
    return value if value in get_args(GroupBy) else default  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Quartiles:
    q1: float
    median: float
    q3: float
    count: int  # how many peers contributed: always >= settings.PEER_MIN_OTHERS

    @classmethod
    def of(cls, values: Sequence[float]) -> Quartiles:
        # "inclusive" treats the peers as the whole population (no extrapolation past the
        # lowest and highest score), which is what "among comparable dealerships" means.
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        return cls(q1=display(q1), median=display(median), q3=display(q3), count=len(values))


@dataclass(frozen=True, slots=True)
class Benchmark:
    """Aggregates only: never a dealership id, name or single score."""

    group_by: GroupBy
    label: str  # what the group is, for people: "Bretagne", "Peugeot, Kia", "All dealerships"
    peer_count: int
    overall: Quartiles
    areas: dict[str, Quartiles] = field(default_factory=dict)

    def median(self, area_key: str) -> float | None:
        stats = self.areas.get(area_key)
        return stats.median if stats else None

    def medians(self, area_keys: Iterable[str]) -> list[float | None]:
        """One median per area key, in that order (``None`` for an area left out)."""
        return [self.median(key) for key in area_keys]


def peer_dealerships(*, dealership: Dealership, group_by: GroupBy) -> QuerySet[Dealership] | None:
    """The dealerships comparable with ``dealership`` (itself excluded), unscoped.

    ``None`` when the group is undefined: "same brand" for a dealership with no brand.
    """
    others = Dealership.objects.exclude(pk=dealership.pk)
    if group_by == "region":
        return others.filter(region=dealership.region)
    if group_by == "size_band":
        return others.filter(size_band=dealership.size_band)
    if group_by == "profile":
        # Brand dealers, agents, independents and body shops are asked different questions.
        return others.filter(profile=dealership.profile)
    if group_by == "brand":
        # ``.all()`` uses the caller's prefetch when there is one.
        brand_ids = [brand.pk for brand in dealership.brands.all()]
        if not brand_ids:
            return None
        # Sharing any brand makes a peer: multi-brand dealerships compete on each.
        return others.filter(brands__in=brand_ids).distinct()
    if group_by == "all":
        return others
    raise ValueError(f"unknown group_by: {group_by!r}")


def _group_label(*, dealership: Dealership, group_by: GroupBy) -> str:
    if group_by == "region":
        return dealership.get_region_display()
    if group_by == "size_band":
        return str(dealership.get_size_band_display())
    if group_by == "profile":
        return str(dealership.get_profile_display())
    if group_by == "brand":
        return ", ".join(b.name for b in dealership.brands.all())
    return _("All dealerships")


def latest_submitted_ids(*, dealerships: QuerySet[Dealership], depth: int = 1) -> QuerySet:
    """Ids of the ``depth`` latest submitted assessments of each of ``dealerships``.

    A subquery (``.values("pk")``) for ``assessment_id__in``: one window function over the
    narrow assessment rows, rather than a correlated subquery per result row.
    """
    return (
        Assessment.objects.filter(
            dealership__in=dealerships.values("pk"), status=Assessment.Status.SUBMITTED
        )
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("dealership_id")],
                order_by=[F("submitted_at").desc(), F("pk").desc()],
            )
        )
        .filter(position__lte=depth)
        .values("pk")
    )


def area_score_columns(
    keys: Sequence[str], *, field: str = "area_scores", prefix: str = "area_"
) -> dict[str, Cast]:
    """One float column per area, read inside the database from ``field`` (a JSON object
    of area scores: a result's ``area_scores``, or a path to one).

    Cheaper than decoding the JSON of every row in Python (most of the time it took for
    2,000 dealerships); an area missing from an older result is NULL.
    """
    return {f"{prefix}{key}": Cast(KeyTextTransform(key, field), FloatField()) for key in keys}


class _Percentile(Aggregate):
    """PostgreSQL's ``PERCENTILE_CONT``: the same interpolation as ``Quartiles.of``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float) -> None:
        super().__init__(expression, fraction=repr(float(fraction)))


def _quartiles_in_database(rows: QuerySet, columns: dict[str, object]) -> dict[str, Quartiles]:
    """Count and quartiles of each column in ONE aggregate query (PostgreSQL).

    Only 4 numbers per column leave the database, instead of one row per dealership.
    """
    aggregates = {}
    for name, column in columns.items():
        aggregates[f"{name}_n"] = Count(column)
        for suffix, fraction in (("q1", 0.25), ("median", 0.5), ("q3", 0.75)):
            aggregates[f"{name}_{suffix}"] = _Percentile(column, fraction)
    values = rows.aggregate(**aggregates)
    return {
        name: Quartiles(
            q1=display(values[f"{name}_q1"]),
            median=display(values[f"{name}_median"]),
            q3=display(values[f"{name}_q3"]),
            count=values[f"{name}_n"],
        )
        for name in columns
        if values[f"{name}_n"] >= settings.PEER_MIN_OTHERS
    }


def _quartiles_in_python(rows: QuerySet, columns: dict[str, object]) -> dict[str, Quartiles]:
    """The same as ``_quartiles_in_database``, for SQLite (no percentile function)."""
    found: dict[str, list[float]] = {name: [] for name in columns}
    for row in rows.annotate(**columns).values_list(*columns):
        for name, value in zip(columns, row, strict=True):
            if value is not None:
                found[name].append(float(value))
    return {
        name: Quartiles.of(values)
        for name, values in found.items()
        if len(values) >= settings.PEER_MIN_OTHERS
    }


def benchmark_of(
    *, dealerships: QuerySet[Dealership], group_by: GroupBy, label: str
) -> Benchmark | None:
    """Quartiles over the latest results of ``dealerships``; ``None`` under ``PEER_MIN_OTHERS``.

    The building block of ``peer_benchmark``; also used on its own for a group that has no
    "self" to exclude (the portfolio's reference row: all dealerships, one region...).
    One query. Areas are those of the current questionnaire.
    """
    keys = current_area_keys()
    columns: dict[str, object] = {"overall": F("overall_score")}
    columns.update(zip(keys, area_score_columns(keys).values(), strict=True))
    rows = AssessmentResult.objects.filter(
        assessment_id__in=latest_submitted_ids(dealerships=dealerships)
    )
    if connection.vendor == "postgresql":
        stats = _quartiles_in_database(rows, columns)
    else:
        stats = _quartiles_in_python(rows, columns)
    overall = stats.pop("overall", None)
    # The overall score exists for every result: its count is the number of peers.
    if overall is None:
        return None
    return Benchmark(
        group_by=group_by, label=label, peer_count=overall.count, overall=overall, areas=stats
    )


def group_key(*, dealership: Dealership, group_by: GroupBy) -> str | None:
    """The key of ``dealership``'s group in the precomputed statistics (``None``: no group,
    "same brand" without a brand). Brands: the sorted ids of all its brands."""
    if group_by == "region":
        return dealership.region
    if group_by == "size_band":
        return dealership.size_band
    if group_by == "profile":
        return dealership.profile
    if group_by == "brand":
        ids = sorted(brand.pk for brand in dealership.brands.all())
        return ",".join(str(pk) for pk in ids) if ids else None
    if group_by == "all":
        return ""
    raise ValueError(f"unknown group_by: {group_by!r}")


def group_benchmark(
    *,
    group_by: GroupBy,
    key: str,
    label: str,
    excluding: Dealership | None = None,
    live: Callable[[], Benchmark | None] | None = None,
) -> Benchmark | None:
    """The precomputed quartiles of one group; ``None`` under ``PEER_MIN_OTHERS``.

    ``excluding``: a member whose own latest score is taken out (its peers' view). One
    query. Areas are those of the current questionnaire. ``live``: what to compute when
    the group has no precomputed rows yet (a brand set that appeared since the last
    refresh); called at most until the next refresh or hourly rebuild.
    """
    keys = current_area_keys()
    rows = PeerStatistic.objects.filter(
        group_by=group_by, group_key=key, area_key__in=("", *keys)
    ).values_list("area_key", "count", "q1", "median", "q3", "window")
    if excluding is not None:
        own = PeerContribution.objects.filter(dealership_id=excluding.pk).values("scores")[:1]
        rows = rows.annotate(own=Subquery(own, output_field=JSONField())).values_list(
            "area_key", "count", "q1", "median", "q3", "window", "own"
        )
    rows = list(rows)
    if not rows and live is not None:
        return live()
    stats: dict[str, Quartiles] = {}
    for area_key, count, q1, median, q3, window, *own in rows:
        mine = (own[0] or {}).get(area_key) if own else None
        others = count if mine is None else count - 1
        if others < settings.PEER_MIN_OTHERS:
            continue
        if mine is not None:
            q1, median, q3 = without(count, window, mine)
        stats[area_key] = Quartiles(
            q1=display(q1), median=display(median), q3=display(q3), count=others
        )
    overall = stats.pop("", None)
    if overall is None:
        return None
    areas = {k: stats[k] for k in keys if k in stats}
    return Benchmark(
        group_by=group_by, label=label, peer_count=overall.count, overall=overall, areas=areas
    )


def peer_benchmark(*, dealership: Dealership, group_by: GroupBy = "region") -> Benchmark | None:
    """Median and quartiles per area among dealerships comparable with ``dealership``.

    ``None`` when fewer than ``PEER_MIN_OTHERS`` other dealerships of the group have a submitted
    result (or the group is undefined): show nothing then. One query (two for "same brand",
    none more when the caller prefetched ``brands``), from the precomputed statistics.
    """
    if group_by == "brand":
        # The key and the label both read the brands: fetch them once.
        prefetch_related_objects([dealership], "brands")
    key = group_key(dealership=dealership, group_by=group_by)
    peers = peer_dealerships(dealership=dealership, group_by=group_by)
    if key is None or peers is None:
        return None
    label = _group_label(dealership=dealership, group_by=group_by)
    return group_benchmark(
        group_by=group_by,
        key=key,
        label=label,
        excluding=dealership,
        live=lambda: benchmark_of(dealerships=peers, group_by=group_by, label=label),
    )
