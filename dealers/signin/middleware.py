"""Staff and consultants turn on two-factor sign-in before anything else."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# What they may still reach: the setup itself (and the re-entry of their password it may
# ask for), logging out, the language switch and static files.
_OPEN = ("/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/", "/i18n/")


def requires_two_factor(user: object) -> bool:
    """Whether ``user`` must have TOTP on (staff and consultants, when the setting says so)."""
    return bool(
        settings.MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS
        and getattr(user, "is_authenticated", False)
        and (user.is_staff or user.is_consultant)
    )


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            requires_two_factor(user)
            and not request.path.startswith((*_OPEN, settings.STATIC_URL))
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)
