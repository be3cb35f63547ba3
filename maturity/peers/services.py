"""Writing the peer statistics: a refresh after a submission, a rebuild of every group.

One pass reads the latest submitted result of every dealership (one query) and the
brands (one query), then groups them in Python: a group is a region, a size band, a
profile, a set of brands ("any shared brand", as ``peer_dealerships`` defines it) or all
dealerships. Each group gets one :class:`~maturity.models.PeerStatistic` row per area
and one for the overall score, written in one transaction per refresh.

Refresh requests are idempotent and debounced: a request carries the moment it was sent
(after the submission's commit); a group whose stored rows were computed from a read
that started after that moment already contains the submission and is skipped, so a
burst of submissions in one region costs about one refresh of that region.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dealers.models import Dealership
from maturity.models import AssessmentResult, PeerContribution, PeerStatistic
from maturity.peers.quartiles import summarise
from maturity.questionnaire.files import current_area_keys
from maturity.results.benchmarks import area_score_columns, latest_submitted_ids

__all__ = [
    "OVERALL",
    "Group",
    "brand_key",
    "peer_statistics_rebuild",
    "peer_statistics_refresh",
]

OVERALL = ""  # the area key of the overall score
Group = tuple[str, str]  # (group_by, group_key)


def brand_key(brand_ids: Iterable[int]) -> str:
    """The group key of a set of brands: sorted ids, comma-joined ("" for no brand)."""
    return ",".join(str(pk) for pk in sorted(set(brand_ids)))


class _Network:
    """Every dealership's group attributes and latest scores, read in two queries."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys
        self.attributes: dict[int, tuple[str, str, str]] = {
            pk: (region, size_band, profile)
            for pk, region, size_band, profile in Dealership.objects.values_list(
                "pk", "region", "size_band", "profile"
            )
        }
        brands: dict[int, set[int]] = defaultdict(set)
        through = Dealership.brands.through
        for dealership_id, brand_id in through.objects.values_list("dealership_id", "brand_id"):
            brands[dealership_id].add(brand_id)
        self.brands = brands
        columns = area_score_columns(keys)
        rows = (
            AssessmentResult.objects.filter(
                assessment_id__in=latest_submitted_ids(dealerships=Dealership.objects.all())
            )
            .annotate(dealership_id=F("assessment__dealership_id"), **columns)
            .values_list("dealership_id", "overall_score", *columns)
        )
        # pk -> {area key or OVERALL: score}
        self.scores: dict[int, dict[str, float]] = {}
        for pk, overall, *areas in rows:
            found = {OVERALL: float(overall)}
            found.update(
                (key, float(value))
                for key, value in zip(keys, areas, strict=True)
                if value is not None
            )
            self.scores[pk] = found

    def groups_of(self, pk: int) -> set[Group]:
        """Every group ``pk`` is a member of (a brand set counts when it shares a brand)."""
        if pk not in self.attributes:
            return set()
        region, size_band, profile = self.attributes[pk]
        groups = {("region", region), ("size_band", size_band), ("profile", profile), ("all", "")}
        own = self.brands.get(pk, set())
        if own:
            for brand_set in self.brand_sets():
                if own & brand_set:
                    groups.add(("brand", brand_key(brand_set)))
        return groups

    def brand_sets(self) -> set[frozenset[int]]:
        """The brand sets of every dealership, and every single brand (the portfolio's
        brand filter compares with one brand)."""
        sets = {frozenset(s) for s in self.brands.values()}
        sets |= {frozenset([brand]) for s in self.brands.values() for brand in s}
        return sets

    def all_groups(self) -> set[Group]:
        groups: set[Group] = {("all", "")}
        for region, size_band, profile in self.attributes.values():
            groups |= {("region", region), ("size_band", size_band), ("profile", profile)}
        groups |= {("brand", brand_key(s)) for s in self.brand_sets()}
        return groups

    def members(self, group: Group) -> Iterable[int]:
        group_by, key = group
        if group_by == "all":
            return self.attributes.keys()
        if group_by == "brand":
            wanted = {int(pk) for pk in key.split(",") if pk}
            return [pk for pk, own in self.brands.items() if own & wanted]
        position = ("region", "size_band", "profile").index(group_by)
        return [pk for pk, values in self.attributes.items() if values[position] == key]

    def rows(self, group: Group, started: datetime) -> list[PeerStatistic]:
        found: dict[str, list[float]] = {key: [] for key in (OVERALL, *self.keys)}
        for pk in self.members(group):
            for key, value in self.scores.get(pk, {}).items():
                found[key].append(value)
        out = []
        for area_key, values in found.items():
            count, quartiles, window = summarise(sorted(values))
            q1, median, q3 = quartiles or (None, None, None)
            out.append(
                PeerStatistic(
                    group_by=group[0],
                    group_key=group[1],
                    area_key=area_key,
                    count=count,
                    q1=q1,
                    median=median,
                    q3=q3,
                    window=window,
                    refreshed_at=started,
                )
            )
        return out


def _write(network: _Network, groups: set[Group], started: datetime, *, everything: bool) -> None:
    rows = [row for group in sorted(groups) for row in network.rows(group, started)]
    with transaction.atomic():
        if everything:
            PeerStatistic.objects.all().delete()
        else:
            for group_by, key in groups:
                PeerStatistic.objects.filter(group_by=group_by, group_key=key).delete()
        PeerStatistic.objects.bulk_create(rows, batch_size=1000)


def _contributions(network: _Network, pks: Iterable[int]) -> None:
    pks = [pk for pk in pks if pk in network.attributes]
    PeerContribution.objects.filter(dealership_id__in=pks).delete()
    PeerContribution.objects.bulk_create(
        [
            PeerContribution(dealership_id=pk, scores=network.scores[pk])
            for pk in pks
            if pk in network.scores
        ],
        batch_size=1000,
    )


def peer_statistics_refresh(
    *, dealership_ids: Iterable[int], requested_at: datetime | None = None
) -> int:
    """Refresh the groups of ``dealership_ids`` and their contributions; how many groups.

    ``requested_at``: when the request was sent (after the submission's commit); groups
    computed since are skipped (debounce). ``None`` refreshes every group of them.
    """
    pks = list(dict.fromkeys(dealership_ids))
    if not pks:
        return 0
    started = timezone.now()  # before any read: what is committed now will be included
    network = _Network(current_area_keys())
    groups: set[Group] = set()
    for pk in pks:
        groups |= network.groups_of(pk)
    if requested_at is not None and groups:
        fresh = set(
            PeerStatistic.objects.filter(area_key=OVERALL, refreshed_at__gte=requested_at)
            .filter(group_by__in={g[0] for g in groups}, group_key__in={g[1] for g in groups})
            .values_list("group_by", "group_key")
        )
        groups -= fresh
    with transaction.atomic():
        _write(network, groups, started, everything=False)
        _contributions(network, pks)
    return len(groups)


def peer_statistics_rebuild() -> int:
    """Recompute every group and every contribution from scratch; how many groups.

    Also drops the rows of groups that no longer exist (a brand set nobody has now).
    """
    started = timezone.now()
    network = _Network(current_area_keys())
    groups = network.all_groups()
    with transaction.atomic():
        _write(network, groups, started, everything=True)
        PeerContribution.objects.all().delete()
        PeerContribution.objects.bulk_create(
            [PeerContribution(dealership_id=pk, scores=s) for pk, s in network.scores.items()],
            batch_size=1000,
        )
    return len(groups)
