"""How a login attempt is recognised, whatever the case the address was typed in.

django-axes counts failures per (username, client address). Left to itself it counts
``Claire.Conseil@…`` and ``claire.conseil@…`` apart, so each spelling would get its own
five attempts; it is given the stored form of the address instead (``normalise_email``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest

from dealers.models import normalise_email


def axes_username(request: HttpRequest | None, credentials: Mapping[str, object] | None) -> str:
    """The username django-axes counts (``AXES_USERNAME_CALLABLE``): the normalised e-mail."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field)
    if value is None and request is not None:
        value = getattr(request, "data", None) or request.POST
        value = value.get(field)
    return normalise_email(value if isinstance(value, str) else "")
