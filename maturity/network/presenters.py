"""What the network dashboard shows, in one language, from the precomputed figures.

No query, no request. The peer rule is applied here, on every group (the network itself,
a region, a profile, a quarter, a campaign): a group of fewer than
``NETWORK_MIN_DEALERSHIPS`` assessed dealerships is not shown, only counted, so that
nobody works back to one dealership's scores. Nothing here names a dealership.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dealers.models import DealerProfile, Region
from maturity.charts import distribution_svg, trend_svg
from maturity.charts.distribution import share_of
from maturity.engine.definition import Questionnaire
from maturity.network.services import OVERALL

__all__ = ["GroupRow", "NetworkDashboard", "network_dashboard"]


@dataclass(frozen=True, slots=True)
class GroupRow:
    label: str
    count: int
    overall: float | None
    areas: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class QuarterRow:
    label: str
    count: int
    median: float | None  # None: fewer dealerships than the rule asks


@dataclass(frozen=True, slots=True)
class CampaignRow:
    title: str
    due_date: date
    closed: bool
    total: int
    submitted: int

    @property
    def rate(self) -> int:
        return share_of(self.submitted, self.total)


@dataclass(frozen=True, slots=True)
class RungRow:
    number: int
    title: str
    count: int
    share: int


@dataclass(slots=True)
class NetworkDashboard:
    minimum: int
    dealerships: int = 0
    assessed: int = 0
    refreshed_at: datetime | None = None
    computed: bool = False
    area_titles: tuple[str, ...] = ()
    overall: GroupRow | None = None
    rungs: tuple[RungRow, ...] = ()
    rungs_svg: SafeString | None = None
    regions: tuple[GroupRow, ...] = ()
    regions_hidden: int = 0
    profiles: tuple[GroupRow, ...] = ()
    profiles_hidden: int = 0
    quarters: tuple[QuarterRow, ...] = ()
    trend_svg: SafeString | None = None
    campaigns: tuple[CampaignRow, ...] = ()
    campaigns_hidden: int = 0

    @property
    def enough(self) -> bool:
        """Whether the network has enough assessed dealerships to show any figure."""
        return self.assessed >= self.minimum


def quarter_label(key: str, language: str) -> str:
    """``"2026-Q4"`` as shown: "T4 2026" in French, "Q4 2026" in English."""
    year, quarter = key.split("-Q")
    return f"T{quarter} {year}" if language == "fr" else f"Q{quarter} {year}"


def _label(choices: type[Region] | type[DealerProfile], key: str) -> str:
    try:
        return str(choices(key).label)
    except ValueError:
        return key


def _groups(
    found: dict[str, dict[str, Any]],
    keys: tuple[str, ...],
    minimum: int,
    label: Any,
) -> tuple[tuple[GroupRow, ...], int]:
    rows, hidden = [], 0
    for group_key, data in found.items():
        if data["count"] < minimum:
            hidden += 1
            continue
        medians = data["medians"]
        rows.append(
            GroupRow(
                label=label(group_key),
                count=data["count"],
                overall=medians.get(OVERALL),
                areas=tuple(medians.get(key) for key in keys),
            )
        )
    rows.sort(key=lambda row: row.label)
    return tuple(rows), hidden


def network_dashboard(
    *, aggregate: Any, definition: Questionnaire, language: str
) -> NetworkDashboard:
    """The dashboard of one network's ``aggregate`` (``None``: not computed yet)."""
    minimum = settings.NETWORK_MIN_DEALERSHIPS
    board = NetworkDashboard(minimum=minimum)
    if aggregate is None:
        return board
    figures = aggregate.figures
    board.computed = True
    board.dealerships = aggregate.dealerships
    board.assessed = aggregate.assessed
    board.refreshed_at = aggregate.refreshed_at
    if not board.enough:
        return board
    titles = {area.key: area.title.get(language) for area in definition.areas}
    keys = tuple(figures.get("areas", ()))
    board.area_titles = tuple(titles.get(key, key) for key in keys)
    every = figures["all"]
    board.overall = GroupRow(
        label=_("Whole network"),
        count=every["count"],
        overall=every["medians"].get(OVERALL),
        areas=tuple(every["medians"].get(key) for key in keys),
    )

    counts = {int(rung): count for rung, count in figures["rungs"].items()}
    numbers = sorted({rung.number for rung in definition.rungs} | set(counts))
    board.rungs = tuple(
        RungRow(
            number=n,
            title=definition.rung_title(n, language) or str(n),
            count=counts.get(n, 0),
            share=share_of(counts.get(n, 0), board.assessed),
        )
        for n in numbers
    )
    board.rungs_svg = mark_safe(  # noqa: S308 - the chart escapes every text itself
        distribution_svg(
            [(f"{row.number}. {row.title}", row.count) for row in board.rungs],
            title=_("Dealerships per rung of the ladder"),
            lang="fr" if language == "fr" else "en",
        )
    )

    board.regions, board.regions_hidden = _groups(
        figures["regions"], keys, minimum, lambda key: _label(Region, key)
    )
    board.profiles, board.profiles_hidden = _groups(
        figures["profiles"], keys, minimum, lambda key: _label(DealerProfile, key)
    )

    board.quarters = tuple(
        QuarterRow(
            label=quarter_label(q["quarter"], language),
            count=q["count"],
            median=q["median"] if q["count"] >= minimum else None,
        )
        for q in figures["trend"]
    )
    points = [(q.label, q.median) for q in board.quarters if q.median is not None]
    if points:
        board.trend_svg = mark_safe(  # noqa: S308 - the chart escapes every text itself
            trend_svg(
                points,
                title=_("Median overall score of the assessments submitted each quarter"),
                lang="fr" if language == "fr" else "en",
            )
        )

    campaigns, hidden = [], 0
    for c in figures["campaigns"]:
        if c["total"] < minimum:
            hidden += 1
            continue
        campaigns.append(
            CampaignRow(
                title=c["title"],
                due_date=date.fromisoformat(c["due_date"]),
                closed=c["closed"],
                total=c["total"],
                submitted=c["submitted"],
            )
        )
    board.campaigns, board.campaigns_hidden = tuple(campaigns), hidden
    return board
