from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, object]:
    """Which navigation the base layout shows: it depends on the user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": "anonymous"}
    if user.is_staff:
        role = "staff"
    elif user.is_consultant:
        role = "consultant"
    else:
        role = "dealer"
    return {"nav_role": role}
