"""``check_website``: read a dealer's site and measure the ten website checks.

The one entry point of the package. It owns the outgoing client (so the crawl reuses
connections and every request obeys one policy), runs the crawl, then the checks, and
returns a :class:`~.result.WebsiteMeasurement`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from common.outgoing import OutgoingClient, OutgoingPolicy

from .checks import DEFAULT_FRESH_DAYS, run_checks
from .crawl import DEFAULT_MAX_PAGES, DEFAULT_MAX_SECONDS, crawl_site
from .hosts import HostLists
from .result import WebsiteMeasurement


def normalize_url(url: str) -> str:
    """What people type ("www.garage.fr") as a URL: https is assumed without a scheme."""
    url = url.strip()
    return url if "://" in url else f"https://{url}"


def check_website(
    url: str,
    *,
    policy: OutgoingPolicy,
    hosts: HostLists,
    now: datetime | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    fresh_days: int = DEFAULT_FRESH_DAYS,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> WebsiteMeasurement:
    """Measure the site at ``url``. Never raises for a site problem: see ``error``.

    ``now`` (aware; default: the current time) dates the measurement and is the reference
    for freshness. ``max_pages`` bounds the HTML pages read, the home page included;
    ``max_seconds`` the time after which no new request starts (each request is bounded
    by the policy).
    """
    fetched_at = now or datetime.now(UTC)
    if fetched_at.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    requested = normalize_url(url)
    with OutgoingClient(policy) as client:
        crawl = crawl_site(
            requested, client=client, hosts=hosts, max_pages=max_pages, max_seconds=max_seconds
        )
    checks = run_checks(crawl, now=fetched_at, fresh_days=fresh_days)
    home = crawl.home
    return WebsiteMeasurement(
        url=requested,
        final_url=home.final_url if home is not None and home.result is not None else None,
        fetched_at=fetched_at,
        error=crawl.error.as_dict() if crawl.error else None,
        pages=[page.record() for page in crawl.pages],
        checks=checks,
    )
