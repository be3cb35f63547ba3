"""A dealer group's dealerships side by side (what a group owner opens).

Only the dealerships of the group that the user may see are shown (``scoped``): a group
owner is an owner of each of the group's dealerships, so they see them all; someone who
belongs to one dealership sees that one. A fixed number of queries for any group size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from common.i18n import current_language
from dealers.models import Dealership, User
from dealers.scoping import scoped
from maturity.models import Assessment, AssessmentResult, RoadmapActionStatus
from maturity.results.presenters import level_tone


@dataclass(frozen=True)
class GroupCell:
    area_key: str
    score: float | None
    tone: str = "none"  # the area level's colour (``presenters.level_tone``), "none": no score


@dataclass(frozen=True)
class GroupRow:
    dealership: Dealership
    submitted_at: datetime | None
    overall_score: float | None
    rung: int | None
    rung_title: str
    cells: tuple[GroupCell, ...]
    has_draft: bool
    actions_done: int
    assessment_id: int | None


@dataclass(frozen=True)
class GroupOverview:
    group_name: str
    areas: tuple[tuple[str, str], ...]  # (key, title)
    rows: tuple[GroupRow, ...]
    assessed: int
    rung_legend: tuple[tuple[int, str], ...]  # (number, title) of the ladder

    @property
    def average_score(self) -> float | None:
        scores = [r.overall_score for r in self.rows if r.overall_score is not None]
        return sum(scores) / len(scores) if scores else None


def group_overview(*, user: User, dealership: Dealership) -> GroupOverview | None:
    """The group of ``dealership``, its visible dealerships side by side; ``None``: no group."""
    if dealership.group_id is None:
        return None
    language = current_language()
    latest = (
        Assessment.objects.filter(dealership=OuterRef("pk"))
        .submitted()
        .newest_first()
        .values("pk")[:1]
    )
    dealerships = list(
        scoped(Dealership.objects.filter(group_id=dealership.group_id), user)
        .annotate(
            latest_id=Subquery(latest),
            has_draft=Exists(Assessment.objects.filter(dealership=OuterRef("pk")).drafts()),
        )
        .order_by("name", "city")
    )
    done = dict(
        RoadmapActionStatus.objects.filter(
            dealership__in=[d.pk for d in dealerships], status=RoadmapActionStatus.Status.DONE
        )
        .values("dealership")
        .annotate(n=Count("pk", filter=Q(status=RoadmapActionStatus.Status.DONE)))
        .values_list("dealership", "n")
    )
    results = {
        r.assessment_id: r
        for r in AssessmentResult.objects.filter(
            assessment_id__in=[d.latest_id for d in dealerships if d.latest_id]
        )
        .select_related("assessment__version")
        .defer("snapshot", "assessment__version__content")
    }
    # Columns: the areas of the most recent questionnaire version among the results.
    newest = max(results.values(), key=lambda r: r.assessment.submitted_at, default=None)
    definition = newest.assessment.version.definition if newest else None
    areas = tuple((a.key, a.title.get(language)) for a in definition.areas) if definition else ()

    rows = []
    for d in dealerships:
        result = results.get(d.latest_id)
        rung_title = ""
        if result is not None:
            rung_title = result.assessment.version.definition.rung_title(result.rung, language)
        scores = result.area_scores if result else {}
        rows.append(
            GroupRow(
                dealership=d,
                submitted_at=result.assessment.submitted_at if result else None,
                overall_score=result.overall_score if result else None,
                rung=result.rung if result else None,
                rung_title=rung_title,
                cells=tuple(
                    GroupCell(key, scores[key], level_tone(definition, scores[key]))
                    if key in scores and definition is not None
                    else GroupCell(key, None)
                    for key, _title in areas
                ),
                has_draft=d.has_draft,
                actions_done=done.get(d.pk, 0),
                assessment_id=d.latest_id,
            )
        )
    assessed = [r for r in rows if r.overall_score is not None]
    legend = (
        tuple((r.number, r.title.get(language)) for r in definition.rungs) if definition else ()
    )
    return GroupOverview(
        group_name=dealership.group.name if dealership.group else "",
        areas=areas,
        rows=tuple(rows),
        assessed=len(assessed),
        rung_legend=legend,
    )
