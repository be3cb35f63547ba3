"""The one place that decides which dealer-owned objects a user may see.

Every view fetches dealerships, and anything that belongs to a dealership, through
``scoped()`` or ``get_scoped_or_404()``:

- staff see everything;
- a consultant sees the dealerships assigned to them (their portfolio);
- an owner or member sees the dealerships they belong to;
- a network manager sees no dealership through their network: only the network's
  aggregates (``networks_for``), unless they are also a consultant assigned to one;
- anybody else sees nothing, and gets a 404 rather than a 403, so that an id cannot be
  probed for existence.

What a user may *change* among what they see is decided next door, in
``dealers.permissions``.

A model owned by a dealership declares the path to it in ``dealership_path`` (for
example ``"assessment__dealership"``); ``Dealership`` itself needs none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from dealers.models import Assignment, Dealership, Membership, Network

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dealers.models import User

M = TypeVar("M", bound=Model)


def dealership_ids_for(user: User | AnonymousUser) -> QuerySet[Any] | None:
    """Ids of the dealerships ``user`` may see, as a subquery; ``None`` means all of them."""
    if not user.is_authenticated or not user.is_active:
        return Dealership.objects.none().values("pk")
    if user.is_staff:
        return None
    condition = Q(pk__in=Membership.objects.filter(user=user).values("dealership_id"))
    if user.is_consultant:
        condition |= Q(pk__in=Assignment.objects.filter(consultant=user).values("dealership_id"))
    return Dealership.objects.filter(condition).values("pk")


def _dealership_lookup(model: type[Model]) -> str:
    if model is Dealership:
        return "pk"
    path = getattr(model, "dealership_path", None)
    if path is None:
        raise TypeError(f"{model.__name__} has no dealership_path: it cannot be scoped.")
    return path


def scoped(queryset: QuerySet[M], user: User | AnonymousUser) -> QuerySet[M]:
    """Narrow ``queryset`` to the rows ``user`` may see."""
    ids = dealership_ids_for(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{_dealership_lookup(queryset.model)}__in": ids})


def get_scoped_or_404(queryset: QuerySet[M], user: User | AnonymousUser, **lookup: Any) -> M:
    """Fetch one row the user may see, or raise ``Http404`` (also for rows of others)."""
    try:
        return scoped(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def networks_for(user: User | AnonymousUser) -> QuerySet[Network]:
    """The networks whose aggregates ``user`` may read: staff every one, a network manager
    their own, anybody else none. Reading a network's figures never opens its dealerships:
    those stay behind ``scoped``."""
    if not user.is_authenticated or not user.is_active:
        return Network.objects.none()
    if user.is_staff:
        return Network.objects.all()
    if user.network_id is None:
        return Network.objects.none()
    return Network.objects.filter(pk=user.network_id)


def get_network_or_404(user: User | AnonymousUser, pk: Any) -> Network:
    """One network ``user`` may read the figures of, or ``Http404`` (also for others')."""
    try:
        return networks_for(user).get(pk=pk)
    except (Network.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
