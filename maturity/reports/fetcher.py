"""A WeasyPrint URL fetcher that only serves the project's own static files.

The HTML is ours, but it carries dealer-entered text, and WeasyPrint would otherwise
follow any URL it meets (``file:///etc/passwd``, ``http://127.0.0.1:6379/``, a link that
redirects elsewhere...). This fetcher accepts exactly one kind of URL:
``REPORT_BASE_URL + STATIC_URL + <path>`` (what ``{% static %}`` gives in the report
template, resolved against the base URL), and reads ``<path>`` through the static files
finders (or from STATIC_ROOT, for the hashed names of the production storage). It opens
no socket and follows nothing: every other URL, scheme or host is refused with
:class:`ResourceRefused`, and so is a path that leaves the static folders (``..``, a
symbolic link pointing elsewhere).
"""

from __future__ import annotations

import mimetypes
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["REPORT_BASE_URL", "ResourceRefused", "StaticOnlyFetcher"]

# A host under the reserved ".invalid" top-level domain never resolves: even a fetcher bug
# could not reach a real server with it.
REPORT_BASE_URL = "https://report.invalid/"
_BASE = urlsplit(REPORT_BASE_URL)


class ResourceRefused(ValueError):
    """The report asked for a resource other than one of the project's static files."""

    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        shown = url if len(url) <= 120 else url[:117] + "..."
        super().__init__(
            f"Refused to load {shown!r} in a PDF report: {reason}. Reports may only use "
            f"the project's static files ({settings.STATIC_URL}...)."
        )


@lru_cache(maxsize=1)
def _static_roots() -> tuple[Path, ...]:
    """Every folder the static files finders read from, resolved (symbolic links followed)."""
    roots: list[Path] = [Path(settings.STATIC_ROOT).resolve()] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return tuple(dict.fromkeys(roots))


class StaticOnlyFetcher(URLFetcher):
    """Serve ``https://report.invalid/static/...`` from the static files; refuse the rest.

    ``fail_on_errors`` makes a refusal stop the rendering (WeasyPrint would otherwise log
    a warning and go on without the resource), so a template mistake cannot go unnoticed.
    """

    def __init__(self, *, fail_on_errors: bool = True) -> None:
        # No handlers are used (``fetch`` never calls the opener): no HTTP, no redirects.
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self._fail_on_errors = fail_on_errors

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self.static_path(url)
        return URLFetcherResponse(
            url=url,
            body=path.read_bytes(),
            headers={
                "Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            },
        )

    @staticmethod
    def static_path(url: str) -> Path:
        """The file behind ``url``, or :class:`ResourceRefused`."""
        parts = urlsplit(url)
        if parts.scheme != _BASE.scheme or parts.netloc != _BASE.netloc:
            raise ResourceRefused(url, "not a static file of the project")
        if parts.query or parts.username or parts.password or parts.port:
            raise ResourceRefused(url, "unexpected URL parts")
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if not parts.path.startswith(static_prefix):
            raise ResourceRefused(url, "outside the static files")
        relative = unquote(parts.path[len(static_prefix) :])
        pure = PurePosixPath(relative)
        if not relative or pure.is_absolute() or ".." in pure.parts or "\\" in relative:
            raise ResourceRefused(url, "not a plain path inside the static files")
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            raise ResourceRefused(url, "not a plain path inside the static files") from None
        if not found and settings.STATIC_ROOT:
            # In production ``{% static %}`` gives the hashed names of the manifest storage
            # (css/print.3f2a....css), which only exist in STATIC_ROOT (collectstatic).
            collected = Path(settings.STATIC_ROOT) / relative
            found = str(collected) if collected.is_file() else None
        if not found:
            raise ResourceRefused(url, "no such static file")
        # A symbolic link inside a static folder must not lead outside of it.
        real = Path(found).resolve()
        if not any(real.is_relative_to(root) for root in _static_roots()) or not real.is_file():
            raise ResourceRefused(url, "the file lies outside the static folders")
        return real
