"""Reads of the network dashboard: the networks a user may read and one network's
precomputed row. A constant number of queries whatever the size of the network: the
figures are precomputed (``maturity.network.services``), never aggregated per page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealers.scoping import networks_for
from maturity.models import NetworkAggregate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dealers.models import Network, User


def network_list(*, user: User | AnonymousUser) -> list[Network]:
    """The networks ``user`` may read, with their aggregate when computed (one query)."""
    return list(networks_for(user).select_related("aggregate").order_by("name"))


def network_aggregate(*, network: Network) -> NetworkAggregate | None:
    """The network's precomputed figures; ``None`` before their first computation."""
    return NetworkAggregate.objects.filter(network=network).first()
