"""Request checks every view writes the same way: is this htmx, is this redirect ours,
does a text read straight from the request hold a character no database stores."""

from __future__ import annotations

from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# Django's own words (translated by Django), as its forms say it.
NULL_CHARACTER_MESSAGE = ProhibitNullCharactersValidator.message


def is_htmx(request: HttpRequest) -> bool:
    """The request comes from htmx (it answers with a fragment, not a whole page)."""
    return request.headers.get("HX-Request") == "true"


def safe_next_url(request: HttpRequest, url: str | None, *, default: str) -> str:
    """``url`` when it stays on this site (same host, same scheme security), else ``default``.

    For every "go back to" value that comes from the client (a ``next`` field, htmx's
    ``HX-Current-URL``): an open redirect would send a dealer to a look-alike login page.
    A relative one (``en``, ``../x``) is refused too: it depends on the page it is sent
    from, and ``redirect()`` would take a bare word for the name of a route.
    """
    if (
        url
        and (url.startswith("/") or "://" in url)
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return default


def has_null_character(*texts: str) -> bool:
    """Whether one of ``texts`` holds a NUL character, which PostgreSQL cannot store.

    Django's form fields refuse it already (``ProhibitNullCharactersValidator``); a view
    that reads a field itself asks this and refuses with ``NULL_CHARACTER_MESSAGE``.
    """
    return any("\x00" in text for text in texts)
