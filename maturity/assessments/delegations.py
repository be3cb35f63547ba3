"""Who answers which step of a draft (reads; the writes are ``assessments.services``)."""

from __future__ import annotations

from dealers.models import Membership, User
from maturity.models import AreaDelegation, Assessment


def delegations_of(assessment: Assessment) -> dict[str, AreaDelegation]:
    """``{area key: delegation}`` of the draft, with both people (one query)."""
    return {
        d.area_key: d
        for d in AreaDelegation.objects.filter(assessment=assessment).select_related(
            "delegate", "requested_by"
        )
    }


def colleagues(assessment: Assessment, *, user: User) -> list[User]:
    """The dealership's other people with an active account: who may be asked to help."""
    return list(
        User.objects.filter(
            pk__in=Membership.objects.filter(dealership=assessment.dealership_id).values("user_id"),
            is_active=True,
        )
        .exclude(pk=user.pk)
        .order_by("full_name", "email")
    )
