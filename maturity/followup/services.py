"""Writes of the roadmap follow-up: the dealer marks an action planned, in progress or done."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dealers.models import Dealership, User
from maturity.followup.roadmap import STATUS_LABELS, Status
from maturity.models import Assessment, RoadmapActionStatus
from maturity.questionnaire.catalogues import catalogue_for


class UnknownAction(LookupError):
    """The key is not an action of the dealership's current roadmap catalogue."""


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
    definition = catalogue_of.definition
    catalogue = catalogue_for(definition)
    if catalogue is None or not catalogue.for_questionnaire(definition).has_action(action_key):
        raise UnknownAction(action_key)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row, created = RoadmapActionStatus.objects.select_for_update().get_or_create(
                    dealership=dealership,
                    action_key=action_key,
                    defaults={"status": Status.TODO, "updated_by": user},
                )
                if not created and row.status == status:
                    return row
                row.status = status
                row.done_at = timezone.now() if status == Status.DONE else None
                row.updated_by = user
                row.save()
                return row
        except IntegrityError:
            continue  # a colleague created the row at the same moment: update theirs
    raise RuntimeError("could not store the roadmap status")  # pragma: no cover


def status_message(row: RoadmapActionStatus) -> str:
    return _("Saved: %(status)s.") % {"status": STATUS_LABELS[row.status]}
