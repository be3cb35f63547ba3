"""Personal access tokens: ``Authorization: Bearer dmat_…`` (RFC 6750).

The token stands for its owner: the request runs as that user, with exactly their scope
and permissions. A missing header is "not authenticated" (401); a token that is unknown,
expired or revoked, or whose owner is deactivated, is "authentication failed" (401): the
same answer for all four, so nothing is learnt about which. Sessions are not accepted: a
program never holds a browser's cookie, and the API needs no CSRF token this way.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from dealers.models import PersonalAccessToken, User
from dealers.services import access_token_touch

SCHEME = "Bearer"


class AccessTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, PersonalAccessToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != SCHEME.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”, nothing else.")
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = PersonalAccessToken.objects.find_active(secret) if secret else None
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("This token is not valid: it is unknown, expired or revoked.")
            )
        access_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{SCHEME} realm="api"'
