"""Request checks every view writes the same way: is this htmx, is this redirect ours."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_htmx(request: HttpRequest) -> bool:
    """The request comes from htmx (it answers with a fragment, not a whole page)."""
    return request.headers.get("HX-Request") == "true"


def safe_next_url(request: HttpRequest, url: str | None, *, default: str) -> str:
    """``url`` when it stays on this site (same host, same scheme security), else ``default``.

    For every "go back to" value that comes from the client (a ``next`` field, htmx's
    ``HX-Current-URL``): an open redirect would send a dealer to a look-alike login page.
    """
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default
