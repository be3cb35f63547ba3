"""Reads on dealerships (always through the scoping module)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from dealers.models import Dealership, PersonalAccessToken, User
from dealers.scoping import scoped


def dealership_list(*, user: User, search: str = "") -> QuerySet[Dealership]:
    queryset = (
        scoped(Dealership.objects.all(), user)
        .select_related("group")
        .prefetch_related("brands")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name", "city")
    )
    if search:
        queryset = queryset.filter(name__icontains=search)
    return queryset


def dealership_people(*, dealership: Dealership) -> dict[str, QuerySet]:
    """The dealership's people and its consultants, for the dealership page."""
    return {
        "members": dealership.memberships.select_related("user").order_by("role", "user__email"),
        "consultants": dealership.assignments.select_related("consultant").order_by(
            "consultant__email"
        ),
    }


def access_tokens_of(*, user: User) -> QuerySet[PersonalAccessToken]:
    """The person's tokens, newest first, revoked and expired ones included (the account
    page shows what stopped and when)."""
    return PersonalAccessToken.objects.filter(user=user).select_related("revoked_by")
