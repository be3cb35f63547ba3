"""Limits on the e-mails an anonymous visitor can make the product send.

A password-reset request sends an e-mail to whoever owns the address typed. Unlimited,
it lets anyone flood a person's mailbox from a script (or our mail server's reputation
go down). Requests are counted in the cache per address and per client address over
``PASSWORD_RESET_WINDOW_SECONDS``; beyond ``PASSWORD_RESET_PER_ADDRESS`` or
``PASSWORD_RESET_PER_CLIENT`` nothing is sent. The visitor sees the same page in every
case (sent, not sent, unknown address): the answer tells nothing about who has an account.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from dealers.models import normalise_email

logger = logging.getLogger(__name__)


def _count(*, key: str, window: int) -> int:
    """One more request against ``key``; the number counted in the current window."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between ``add`` and ``incr``
        cache.set(key, 1, timeout=window)
        return 1


def _key(kind: str, value: str) -> str:
    # Hashed: no e-mail address or IP address in the cache's keys.
    return f"password-reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def password_reset_allowed(*, email: str, client: str | None) -> bool:
    """Count a password-reset request for ``email`` from ``client`` (an IP address) and
    say whether its e-mail may be sent. Every request counts, whether or not the address
    has an account, so the limits tell nothing either."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    per_address = _count(key=_key("address", normalise_email(email)), window=window)
    per_client = _count(key=_key("client", client or "unknown"), window=window)
    if per_address > settings.PASSWORD_RESET_PER_ADDRESS:
        logger.warning("Password reset not sent: too many requests for one address")
        return False
    if per_client > settings.PASSWORD_RESET_PER_CLIENT:
        logger.warning("Password reset not sent: too many requests from one client address")
        return False
    return True
