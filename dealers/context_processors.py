from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, object]:
    """Which navigation the base layout shows: it depends on the user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": "anonymous", "nav_network": False}
    if user.is_staff:
        role = "staff"
    elif user.is_consultant:
        role = "consultant"
    elif user.network_id is not None:
        role = "network_manager"
    else:
        role = "dealer"
    # The network dashboard: staff (every network) and network managers, consultants too.
    return {"nav_role": role, "nav_network": user.is_staff or user.network_id is not None}
