"""allauth adapters: nobody signs up, SSO opens existing accounts by verified address.

Accounts are created by invitation (dealers) or by staff (consultants, staff), never by
allauth: signing up is closed for the password and the social flows alike.
"""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render

from dealers.models import User, normalise_email
from dealers.signin.selectors import app_domains, email_domain

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def login(self, request: HttpRequest, user: User) -> None:
        # After the two-factor step the user is reloaded without the backend that checked
        # the password: open the session with the one that loads people.
        if not hasattr(user, "backend"):
            user.backend = settings.AUTHENTICATION_BACKENDS[-1]
        super().login(request, user)

    def reauthenticate(self, user: User, password: str) -> bool:
        # allauth looks for its own e-mail rows, which the product does not keep: the
        # address is the login (and django-axes counts the attempt like any other).
        again = self.authenticate(context.request, username=user.email, password=password)
        return again is not None and again.pk == user.pk

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        *args: object,
        **kwargs: object,
    ) -> None:
        # The product never said "signed in as …"; keep the other messages (TOTP activated…).
        if message_template == "account/messages/logged_in.txt":
            return
        super().add_message(request, level, message_template, *args, **kwargs)


def _refuse(request: HttpRequest, reason: str) -> ImmediateHttpResponse:
    logger.warning("Single sign-on refused: %s", reason)
    return ImmediateHttpResponse(
        render(request, "dealers/signin/sso_refused.html", {"reason": reason}, status=403)
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Only a verified address of a domain the provider is configured for opens the
        account that has it; anything else is refused with a page that says why."""
        app = sociallogin.account.get_provider().app
        domains = app_domains(app)
        verified = [
            normalise_email(a.email)
            for a in sociallogin.email_addresses
            if a.verified and email_domain(a.email) in domains
        ]
        if not verified:
            raise _refuse(request, "unverified")
        user = User.objects.filter(email__in=verified, is_active=True).first()
        if user is None:
            raise _refuse(request, "no_account")
        if sociallogin.is_existing:
            if sociallogin.user.pk != user.pk:
                raise _refuse(request, "other_account")
            return
        # The provider's account is linked to the person once, by their verified address.
        sociallogin.connect(request, user)
