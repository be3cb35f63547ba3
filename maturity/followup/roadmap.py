"""Roadmap follow-up: the dealer marks roadmap actions as planned, in progress or done;
each action may have an owner, a due date and notes, with the history of their changes.

A status belongs to the dealership and the catalogue action key, not to one assessment:
an action marked done stays done when the next roadmap lists it again, and
"done since the previous assessment" is a status whose ``done_at`` falls after that
assessment's submission. An action marked done keeps its place in its horizon but takes
no room there: the backlog moves up (a roadmap fits in a quarter). These are the reads;
the writes are in ``followup.services``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.i18n import format_date
from dealers.models import Assignment, Dealership, Membership
from dealers.permissions import DealershipPermissions
from maturity.engine.scoring import Result
from maturity.models import Assessment, RoadmapActionChange, RoadmapActionStatus
from maturity.questionnaire.catalogues import catalogue_for
from maturity.results.presenters import HorizonBlock, RoadmapAction, RoadmapPlan, roadmap_plan

Status = RoadmapActionStatus.Status

# The buttons a dealer clicks, in the order they appear.
STATUS_CHOICES = (
    (Status.TODO, gettext_lazy("To do")),
    (Status.PLANNED, gettext_lazy("Planned")),
    (Status.IN_PROGRESS, gettext_lazy("In progress")),
    (Status.DONE, gettext_lazy("Done")),
)
STATUS_LABELS = dict(STATUS_CHOICES)


# --- reads ---------------------------------------------------------------------------------


def reader_dealership_name(
    *, permissions: DealershipPermissions, dealership: Dealership
) -> str | None:
    """``dealership_name`` for the results presenters: ``None`` when the reader is one of
    the dealership's people (the advice says "you"), else its name (its consultants and
    staff read "Auto Rivière ...")."""
    return None if permissions.is_dealer else dealership.name


def roadmap_plan_of(
    assessment: Assessment,
    snapshot: Mapping[str, Any] | None = None,
    *,
    language: str,
    statuses: Mapping[str, RoadmapActionStatus] | None = None,
    dealership_name: str | None = None,
) -> RoadmapPlan | None:
    """The roadmap of a submitted assessment, rebuilt from its frozen result.

    ``statuses``: the dealership's (``statuses_for``); the actions marked done take no
    room in their horizon. ``None`` when the assessment has no result or the action
    catalogue does not fit its questionnaire version (an old version): pages then say the
    roadmap is not available. ``dealership_name``: the reader is not one of the
    dealership's people, the advice names it instead of saying "you".
    """
    if snapshot is None:
        result_row = getattr(assessment, "result", None)
        snapshot = result_row.snapshot if result_row is not None else None
    if not snapshot:
        return None
    definition = assessment.definition
    done = [key for key, row in (statuses or {}).items() if row.status == Status.DONE]
    return roadmap_plan(
        definition,
        Result.from_dict(snapshot),
        language=language,
        catalogue=catalogue_for(definition),
        done=done,
        assessed_on=assessment.submitted_at,
        dealership_name=dealership_name,
    )


def latest_scored(dealership: Dealership | int) -> Assessment | None:
    """The dealership's newest submitted assessment with a result: whose roadmap the
    follow-up tracks."""
    return (
        Assessment.objects.filter(dealership=dealership)
        .scored()
        .select_related("version", "result")
        .newest_first()
        .first()
    )


def statuses_for(dealership: Dealership | int) -> dict[str, RoadmapActionStatus]:
    """Every stored status and plan of the dealership, by action key (one query)."""
    return {
        row.action_key: row
        for row in RoadmapActionStatus.objects.filter(dealership=dealership).select_related(
            "updated_by", "owner"
        )
    }


@dataclass(frozen=True)
class StatusControl:
    """What the status buttons of one action need (the htmx answer renders only this)."""

    key: str
    title: str
    status: str
    done_at: datetime | None = None
    updated_by: str = ""

    @property
    def is_done(self) -> bool:
        return self.status == Status.DONE

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def choices(self) -> list[tuple[str, str, bool]]:
        """``(value, label, current)`` for each status button."""
        return [(value, str(label), value == self.status) for value, label in STATUS_CHOICES]


@dataclass(frozen=True)
class Change:
    """One line of an action's history."""

    field: str
    field_label: str
    before: str
    after: str
    by: str
    at: datetime


@dataclass(frozen=True)
class TrackedAction:
    """A roadmap action (as the results page presents it) with the dealer's status."""

    action: RoadmapAction
    horizon_title: str
    status: str
    updated_at: datetime | None = None
    updated_by: str = ""
    done_at: datetime | None = None
    # The plan: who owns it, by when, notes.
    owner_id: int | None = None
    owner_name: str = ""
    due_date: date | None = None
    notes: str = ""
    today: date | None = None  # what "overdue" is measured against
    changes: tuple[Change, ...] = ()  # its history, newest first (``with_history``)

    @property
    def key(self) -> str:
        return self.action.key

    @property
    def is_done(self) -> bool:
        return self.status == Status.DONE

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.today is not None
            and self.due_date < self.today
            and not self.is_done
        )

    @property
    def has_plan(self) -> bool:
        return bool(self.owner_id or self.due_date or self.notes)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def control(self) -> StatusControl:
        return StatusControl(
            key=self.action.key,
            title=self.action.title,
            status=self.status,
            done_at=self.done_at,
            updated_by=self.updated_by,
        )


@dataclass(frozen=True)
class DoneAction:
    """A roadmap action marked done, and when (the home and the comparison list them)."""

    key: str
    title: str
    done_at: datetime | None


@dataclass(frozen=True)
class TrackedHorizon:
    key: str
    title: str
    subtitle: str
    actions: tuple[TrackedAction, ...]
    capacity: int = 0

    @property
    def done(self) -> int:
        return sum(1 for a in self.actions if a.is_done)


BACKLOG_TITLE = gettext_lazy("Later")


def track(
    blocks: tuple[HorizonBlock, ...], statuses: Mapping[str, RoadmapActionStatus]
) -> tuple[TrackedHorizon, ...]:
    """Attach the dealer's statuses and plans to the roadmap's actions."""
    today = timezone.localdate()
    return tuple(
        TrackedHorizon(
            key=block.key,
            title=block.title,
            subtitle=block.subtitle,
            actions=tuple(
                tracked(action, block.title, statuses.get(action.key), today=today)
                for action in block.actions
            ),
            capacity=block.capacity,
        )
        for block in blocks
    )


def track_backlog(
    plan: RoadmapPlan, statuses: Mapping[str, RoadmapActionStatus]
) -> tuple[TrackedAction, ...]:
    """The backlog's actions with the dealer's statuses (one may be started early)."""
    title = str(BACKLOG_TITLE)
    return tuple(tracked(action, title, statuses.get(action.key)) for action in plan.backlog)


def tracked(
    action: RoadmapAction,
    horizon_title: str,
    row: RoadmapActionStatus | None,
    *,
    today: date | None = None,
) -> TrackedAction:
    if row is None:
        return TrackedAction(
            action=action, horizon_title=horizon_title, status=Status.TODO, today=today
        )
    return TrackedAction(
        action=action,
        horizon_title=horizon_title,
        status=row.status,
        updated_at=row.updated_at,
        updated_by=str(row.updated_by) if row.updated_by else "",
        done_at=row.done_at,
        owner_id=row.owner_id,
        owner_name=row.owner.get_full_name() if row.owner else "",
        due_date=row.due_date,
        notes=row.notes,
        today=today,
    )


def overdue_actions(horizons: tuple[TrackedHorizon, ...]) -> list[TrackedAction]:
    """The roadmap's actions past their due date and not done, most overdue first."""
    late = [a for a in all_actions(horizons) if a.is_overdue]
    return sorted(late, key=lambda a: (a.due_date, a.action.number))


def owner_choices(dealership: Dealership | int) -> list[tuple[int, str]]:
    """Who may own a roadmap action: the dealership's people, then its consultants
    (``(user id, label)``; two queries)."""
    people = [
        (m.user_id, m.user.get_full_name())
        for m in Membership.objects.filter(dealership=dealership, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]
    consultants = [
        (a.consultant_id, _("%(name)s (consultant)") % {"name": a.consultant.get_full_name()})
        for a in Assignment.objects.filter(dealership=dealership, consultant__is_active=True)
        .select_related("consultant")
        .order_by("consultant__full_name", "consultant__email")
    ]
    return people + [c for c in consultants if c[0] not in {p[0] for p in people}]


def history(dealership: Dealership | int, keys: Iterable[str]) -> dict[str, list[Change]]:
    """``{action key: its changes, newest first}`` for ``keys`` (one query)."""
    out: dict[str, list[Change]] = {}
    rows = (
        RoadmapActionChange.objects.filter(dealership=dealership, action_key__in=list(keys))
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )
    for row in rows:
        out.setdefault(row.action_key, []).append(
            Change(
                field=row.field,
                field_label=str(RoadmapActionChange.Field(row.field).label)
                if row.field in RoadmapActionChange.Field.values
                else row.field,
                before=_shown(row.field, row.before),
                after=_shown(row.field, row.after),
                by=row.changed_by.get_full_name() if row.changed_by else "",
                at=row.changed_at,
            )
        )
    return out


def with_history(
    horizons: tuple[TrackedHorizon, ...], changes: Mapping[str, list[Change]]
) -> tuple[TrackedHorizon, ...]:
    """The horizons with each action's history attached (for the roadmap page)."""
    return tuple(
        replace(
            horizon,
            actions=tuple(
                replace(a, changes=tuple(changes.get(a.key, ()))) for a in horizon.actions
            ),
        )
        for horizon in horizons
    )


def _shown(field: str, value: str) -> str:
    """A stored value as a person reads it (a status label, a date in the page's format)."""
    if not value:
        return "—"
    if field == RoadmapActionChange.Field.STATUS and value in STATUS_LABELS:
        return str(STATUS_LABELS[value])
    if field == RoadmapActionChange.Field.DUE_DATE:
        try:
            return format_date(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return value


def all_actions(horizons: tuple[TrackedHorizon, ...]) -> list[TrackedAction]:
    return [action for horizon in horizons for action in horizon.actions]


def next_actions(horizons: tuple[TrackedHorizon, ...], count: int = 3) -> list[TrackedAction]:
    """The first ``count`` actions of the roadmap that are not done, in roadmap order."""
    return [a for a in all_actions(horizons) if not a.is_done][:count]


def done_between(
    statuses: Mapping[str, RoadmapActionStatus], start: datetime | None, end: datetime | None
) -> list[RoadmapActionStatus]:
    """Statuses marked done after ``start`` and up to ``end`` (``None``: open-ended)."""
    rows = [
        row
        for row in statuses.values()
        if row.status == Status.DONE
        and row.done_at is not None
        and (start is None or row.done_at > start)
        and (end is None or row.done_at <= end)
    ]
    return sorted(rows, key=lambda row: (row.done_at, row.action_key))


def action_titles(assessment: Assessment, keys: Iterable[str], *, language: str) -> dict[str, str]:
    """Catalogue titles of ``keys``, worded for the assessment's dealer profile (the key
    itself when the catalogue lacks it)."""
    definition = assessment.definition
    catalogue = catalogue_for(definition)
    if catalogue is not None:
        catalogue = catalogue.for_questionnaire(definition)
    out = {}
    for key in keys:
        has = catalogue is not None and catalogue.has_action(key)
        out[key] = catalogue.action(key).title.get(language) if has else key.replace("_", " ")
    return out
