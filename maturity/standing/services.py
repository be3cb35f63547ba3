"""Keep ``DealershipStanding`` (each dealership's latest and previous result) up to date.

The portfolio sorts and filters a national network by each dealership's latest submitted
result. Looking that up per row (a correlated subquery per dealership) cost more than a
second for 20,000 dealerships, so the values are copied onto one row per dealership
when they change: :func:`standing_refresh` after a write of one dealership's assessment,
result or review (``maturity.standing.receivers`` connects it to every such save and
delete), :func:`standings_rebuild` after bulk writes that send no signals (the demo and
bench seeding, ``QuerySet.update``) and from the ``rebuild_standings`` command.

Both read the same expressions (:func:`_computed`), so a row refreshed alone and a row
rebuilt with all the others never differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from django.db import transaction
from django.db.models import Exists, FloatField, JSONField, OuterRef, QuerySet, Subquery

from dealers.models import Dealership
from maturity.models import Assessment, DealershipStanding

_FIELDS = (
    "latest_assessment_id",
    "latest_rung",
    "latest_score",
    "latest_area_scores",
    "latest_submitted_at",
    "latest_reviewed_at",
    "previous_rung",
    "previous_score",
    "previous_area_scores",
    "has_draft",
)
BATCH_SIZE = 2000


def _submitted(offset: int) -> Subquery:
    """The dealership's submitted assessments, newest first (``offset`` 1: the previous)."""
    return (
        Assessment.objects.filter(dealership=OuterRef("pk"))
        .submitted()
        .newest_first()[offset : offset + 1]
    )


def _latest(field: str, *, offset: int = 0, output_field=None) -> Subquery:
    return Subquery(_submitted(offset).values(field), output_field=output_field)


def _computed(dealerships: QuerySet[Dealership]) -> QuerySet:
    """What each dealership's standing should hold, as read from its assessments."""
    return (
        dealerships.order_by("pk")
        .annotate(
            latest_assessment_id=_latest("pk"),
            latest_rung=_latest("result__rung"),
            latest_score=_latest("result__overall_score", output_field=FloatField()),
            latest_area_scores=_latest("result__area_scores", output_field=JSONField()),
            latest_submitted_at=_latest("submitted_at"),
            latest_reviewed_at=_latest("review__reviewed_at"),
            previous_rung=_latest("result__rung", offset=1),
            previous_score=_latest("result__overall_score", offset=1, output_field=FloatField()),
            previous_area_scores=_latest("result__area_scores", offset=1, output_field=JSONField()),
            has_draft=Exists(
                Assessment.objects.filter(dealership=OuterRef("pk"), status=Assessment.Status.DRAFT)
            ),
        )
        .values_list("pk", *_FIELDS)
    )


def _write(rows: Iterable[tuple]) -> int:
    """Upsert standings from ``_computed`` rows, one statement per batch (a batch at a
    time in memory, however many dealerships)."""
    rows = iter(rows)
    written = 0
    while batch := list(islice(rows, BATCH_SIZE)):
        DealershipStanding.objects.bulk_create(
            [
                DealershipStanding(dealership_id=pk, **dict(zip(_FIELDS, values, strict=True)))
                for pk, *values in batch
            ],
            update_conflicts=True,
            unique_fields=["dealership"],
            update_fields=[*_FIELDS, "refreshed_at"],
        )
        written += len(batch)
    return written


def standing_refresh(*, dealership_id: int) -> None:
    """Copy the dealership's latest and previous results onto its standing (3 queries).

    Called inside the writer's transaction, so the portfolio never sees a submission
    without its standing. The dealership row is locked first (PostgreSQL; ``NO KEY``
    so that rows referencing it can still be inserted): of two submissions committing at
    the same moment, the second one reads the first before writing.
    """
    with transaction.atomic():
        dealership = Dealership.objects.select_for_update(no_key=True).filter(pk=dealership_id)
        if not dealership.exists():
            return  # being deleted (a cascade): its standing goes with it
        _write(_computed(dealership))


def standings_rebuild(*, dealership_ids: Iterable[int] | None = None) -> int:
    """Recompute the standings of ``dealership_ids`` (every dealership when ``None``) in a
    few statements; returns how many were written. For bulk writes that send no signals."""
    dealerships = Dealership.objects.all()
    if dealership_ids is not None:
        dealerships = dealerships.filter(pk__in=list(dealership_ids))
    with transaction.atomic():
        return _write(_computed(dealerships).iterator(chunk_size=BATCH_SIZE))


def standings_stale(*, dealership_ids: Iterable[int] | None = None) -> list[int]:
    """Ids of dealerships whose standing differs from what their assessments say (a
    check for tests and the command's ``--check``; no row counts as nothing started)."""
    dealerships = Dealership.objects.all()
    if dealership_ids is not None:
        dealerships = dealerships.filter(pk__in=list(dealership_ids))
    stored = {
        row[0]: tuple(row[1:])
        for row in DealershipStanding.objects.filter(
            dealership__in=dealerships.values("pk")
        ).values_list("dealership_id", *_FIELDS)
    }
    empty = (None,) * (len(_FIELDS) - 1) + (False,)
    return [
        pk
        for pk, *values in _computed(dealerships).iterator(chunk_size=BATCH_SIZE)
        if stored.get(pk, empty) != tuple(values)
    ]
