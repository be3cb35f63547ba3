"""Writes of the roadmap follow-up: the dealer marks an action planned, in progress or done;
the dealer or the consultant gives it an owner, a due date and notes; a target is set.

Every change of a status, an owner, a due date or notes is kept (``RoadmapActionChange``:
who, when, from what to what), so the roadmap page can show an action's history.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dealers.models import Dealership, User
from maturity.followup.roadmap import STATUS_LABELS, Status, owner_choices
from maturity.models import (
    Assessment,
    DealershipTarget,
    RoadmapActionChange,
    RoadmapActionStatus,
)
from maturity.questionnaire.catalogues import catalogue_for

NOTES_MAX = RoadmapActionStatus._meta.get_field("notes").max_length
Field = RoadmapActionChange.Field


class UnknownAction(LookupError):
    """The key is not an action of the dealership's current roadmap catalogue."""


class PlanError(ValueError):
    """The plan of an action cannot be stored as asked (``field`` says which part)."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def _check_action(catalogue_of: Assessment, action_key: str) -> None:
    """The key is an action of the catalogue as it applies to this dealer's questionnaire
    (its profile included), else ``UnknownAction``."""
    definition = catalogue_of.definition
    catalogue = catalogue_for(definition)
    if catalogue is None or not catalogue.for_questionnaire(definition).has_action(action_key):
        raise UnknownAction(action_key)


def _row_for_update(dealership: Dealership, action_key: str, user: User) -> RoadmapActionStatus:
    """The dealership's row for the action, locked (created "to do" when there is none)."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row, _created = RoadmapActionStatus.objects.select_for_update().get_or_create(
                    dealership=dealership,
                    action_key=action_key,
                    defaults={"status": Status.TODO, "updated_by": user},
                )
                return row
        except IntegrityError:
            continue  # a colleague created the row at the same moment: take theirs
    raise RuntimeError("could not store the roadmap action")  # pragma: no cover


def _record(
    row: RoadmapActionStatus, field: str, before: str, after: str, user: User, now
) -> RoadmapActionChange:
    return RoadmapActionChange(
        dealership_id=row.dealership_id,
        action_key=row.action_key,
        field=field,
        before=before[:300],
        after=after[:300],
        changed_by=user,
        changed_at=now,
    )


def _person(user: User | None) -> str:
    return user.get_full_name() if user else ""


def roadmap_status_set(
    *, dealership: Dealership, action_key: str, status: str, user: User, catalogue_of: Assessment
) -> RoadmapActionStatus:
    """Set the dealer's status for one action of the roadmap of ``catalogue_of``.

    Raises ``UnknownAction`` for a key the catalogue does not have (for the assessment's
    dealer profile) and ``ValueError`` for an
    unknown status. Setting the same status again changes nothing (``updated_at`` keeps
    meaning "last moved"); ``done_at`` is set when the action becomes done, cleared when it
    is reopened.
    """
    if status not in Status.values:
        raise ValueError(f"unknown status {status!r}")
    _check_action(catalogue_of, action_key)
    with transaction.atomic():
        row = _row_for_update(dealership, action_key, user)
        before = row.status
        if before == status:
            return row
        now = timezone.now()
        row.status = status
        row.done_at = now if status == Status.DONE else None
        row.updated_by = user
        row.save()
        _record(row, Field.STATUS, before, status, user, now).save()
        return row


def roadmap_plan_set(
    *,
    dealership: Dealership,
    action_key: str,
    user: User,
    catalogue_of: Assessment,
    owner: User | None,
    due_date: date | None,
    notes: str,
) -> RoadmapActionStatus:
    """Give one roadmap action an owner, a due date and notes; record what changed.

    ``owner``: a person of the dealership or one of its consultants (``PlanError``
    otherwise), or ``None``. Raises ``UnknownAction`` for a key the catalogue does not
    have. A new due date is announced to the owner again when it comes
    (``followup.due``).
    """
    _check_action(catalogue_of, action_key)
    notes = notes.strip()
    if len(notes) > NOTES_MAX:
        raise PlanError("notes", _("Keep the notes under %(n)s characters.") % {"n": NOTES_MAX})
    if owner is not None and owner.pk not in {pk for pk, _label in owner_choices(dealership)}:
        raise PlanError("owner", _("Choose the owner among the dealership's people."))
    with transaction.atomic():
        row = _row_for_update(dealership, action_key, user)
        now = timezone.now()
        changes = []
        if row.owner_id != (owner.pk if owner else None):
            changes.append(_record(row, Field.OWNER, _person(row.owner), _person(owner), user, now))
            row.owner = owner
            row.due_notified_on = None  # the new owner has not been told yet
        if row.due_date != due_date:
            changes.append(
                _record(
                    row,
                    Field.DUE_DATE,
                    row.due_date.isoformat() if row.due_date else "",
                    due_date.isoformat() if due_date else "",
                    user,
                    now,
                )
            )
            row.due_date = due_date
            row.due_notified_on = None
        if row.notes != notes:
            changes.append(_record(row, Field.NOTES, row.notes, notes, user, now))
            row.notes = notes
        if changes:
            row.updated_by = user
            row.save()
            RoadmapActionChange.objects.bulk_create(changes)
        return row


def target_set(
    *, dealership: Dealership, user: User, rung: int, due_date: date, rung_count: int = 5
) -> DealershipTarget:
    """Set the rung the dealership aims for and by when (``ValueError``: out of range)."""
    if not 1 <= rung <= rung_count:
        raise ValueError(f"rung {rung} is not on the ladder")
    if due_date <= timezone.localdate():
        raise ValueError("the target date must be in the future")
    target, _created = DealershipTarget.objects.update_or_create(
        dealership=dealership,
        defaults={"rung": rung, "due_date": due_date, "set_by": user, "set_at": timezone.now()},
    )
    return target


def target_clear(*, dealership: Dealership) -> None:
    DealershipTarget.objects.filter(dealership=dealership).delete()


def status_message(row: RoadmapActionStatus) -> str:
    return _("Saved: %(status)s.") % {"status": STATUS_LABELS[row.status]}
