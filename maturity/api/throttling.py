"""A request budget per token (``API_THROTTLE_RATE``, e.g. ``600/min``): one program in a
loop cannot slow the product down for everybody else. Over budget: 429 with
``Retry-After``. The counter is keyed on the token, not the person, so a person's two
programs do not share one budget; it lives in the cache (Redis in production, shared by
the web workers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from dealers.models import PersonalAccessToken

if TYPE_CHECKING:  # DRF's views import this module (a setting): no import back at run time
    from rest_framework.request import Request
    from rest_framework.views import APIView


class AccessTokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self) -> str:
        # Read on every request (not frozen at import), so settings apply as they are.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        token = request.auth
        if not isinstance(token, PersonalAccessToken):
            return None  # the public schema and docs: no token, no budget to count
        return f"api:throttle:token:{token.pk}"
