"""One fetched resource of a website check, and its parsed forms (parsed once, on demand).

Real dealer sites are messy: wrong or missing charsets, broken HTML, a JSON-LD block with a
trailing comma beside good ones, a PDF where a page was expected. Decoding goes through
w3lib (extruct's own dependency: BOM, HTTP header, ``<meta charset>``, then a lenient
fallback), HTML through selectolax's lexbor parser, structured data through extruct, each
JSON-LD block separately so one broken block does not hide the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import extruct
from extruct.jsonld import JsonLdExtractor
from selectolax.lexbor import LexborHTMLParser, LexborNode
from w3lib.encoding import html_to_unicode

from common.outgoing import FetchResult, OutgoingError

logger = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# Kinds of fetch recorded in a measurement.
HOME, PAGE, ROBOTS, SITEMAP, HTTP_PROBE = "home", "page", "robots", "sitemap", "http_probe"


@dataclass(frozen=True)
class FetchError:
    """A failed or skipped fetch: an :class:`OutgoingError` code, or ``robots``."""

    code: str
    reason: str

    @classmethod
    def of(cls, error: OutgoingError) -> FetchError:
        return cls(code=error.code, reason=error.reason)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "reason": self.reason}


@dataclass(eq=False)
class Page:
    url: str
    kind: str
    result: FetchResult | None = None
    error: FetchError | None = None
    # Why this URL was fetched ("stock", "contact", "booking"), for pages only.
    purpose: str | None = None

    @property
    def final_url(self) -> str:
        return self.result.final_url if self.result else self.url

    @property
    def status(self) -> int | None:
        return self.result.status if self.result else None

    @property
    def ok(self) -> bool:
        """Fetched with a 2xx answer."""
        return self.result is not None and 200 <= self.result.status < 300

    @property
    def is_html(self) -> bool:
        if not self.ok:
            return False
        assert self.result is not None
        content_type = self.result.content_type
        if content_type in HTML_TYPES:
            return True
        if content_type:
            return False
        # No Content-Type at all: sniff the start, as browsers do.
        start = self.result.body[:512].lstrip().lower()
        return start.startswith((b"<!doctype html", b"<html"))

    @cached_property
    def text(self) -> str:
        """The body as text ("" when not fetched)."""
        if self.result is None:
            return ""
        _, text = html_to_unicode(self.result.headers.get("content-type"), self.result.body)
        return text

    @cached_property
    def tree(self) -> LexborHTMLParser | None:
        """The parsed HTML, or ``None`` for a failed fetch or a non-HTML answer."""
        if not self.is_html:
            return None
        return LexborHTMLParser(self.text)

    def nodes(self, selector: str) -> list[LexborNode]:
        return [] if self.tree is None else list(self.tree.css(selector))

    @cached_property
    def structured_data(self) -> dict[str, list[dict[str, Any]]]:
        """schema.org items found in JSON-LD and microdata, by syntax."""
        found: dict[str, list[dict[str, Any]]] = {"json-ld": [], "microdata": [], "broken": []}
        if self.tree is None:
            return found
        extractor = JsonLdExtractor()
        for script in self.nodes("script"):
            script_type = (script.attributes.get("type") or "").split(";", 1)[0].strip().lower()
            if script_type != "application/ld+json":
                continue
            snippet = f'<script type="application/ld+json">{script.text() or ""}</script>'
            try:
                found["json-ld"].extend(extractor.extract(snippet, base_url=self.final_url))
            except ValueError as exc:
                # One invalid block (a trailing comma, a CMS bug) must not hide the others.
                found["broken"].append({"syntax": "json-ld", "error": str(exc)[:120]})
        if "itemscope" in self.text.lower():
            try:
                data = extruct.extract(
                    self.text,
                    base_url=self.final_url,
                    syntaxes=["microdata"],
                    uniform=True,
                    errors="strict",
                )
            except Exception as exc:  # lxml and extruct raise many kinds on broken markup
                logger.info("microdata of %s not readable: %s", self.final_url, exc)
                found["broken"].append({"syntax": "microdata", "error": str(exc)[:120]})
            else:
                found["microdata"].extend(data.get("microdata", []))
        return found

    def record(self) -> dict[str, Any]:
        """The JSON-ready line of ``WebsiteMeasurement.pages``."""
        return {
            "url": self.url,
            "kind": self.kind,
            "status": self.status,
            "final_url": self.final_url if self.result else None,
            "truncated": bool(self.result and self.result.truncated),
            "error": self.error.as_dict() if self.error else None,
        }
