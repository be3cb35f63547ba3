"""The website check: own domain, HTTPS, mobile, forms, stock markup, tags, freshness.

Usage::

    from common.outgoing import OutgoingPolicy
    from maturity.measurements.website import check_website, load_host_lists

    measurement = check_website(
        "https://www.garage-du-centre.fr/",
        policy=OutgoingPolicy(allow_private=settings.OUTGOING_ALLOW_PRIVATE),
        hosts=load_host_lists(),
    )
    measurement.to_dict()  # JSON-ready, see result.py

Modules: ``crawl`` (which pages, robots.txt, sitemap), ``page`` (decoding and parsing),
``checks`` (the ten rules), ``hosts`` (locator and marketplace lists), ``result`` (output).
No Django import anywhere in this package.
"""

from .checks import DEFAULT_FRESH_DAYS
from .crawl import DEFAULT_MAX_PAGES, DEFAULT_MAX_SECONDS
from .hosts import (
    DEFAULT_HOSTS_FILE,
    MANUFACTURER_LOCATOR,
    MARKETPLACE,
    HostListError,
    HostLists,
    HostMatch,
    load_host_lists,
)
from .measure import check_website, normalize_url
from .result import CHECK_KEYS, CheckResult, WebsiteMeasurement

__all__ = [
    "CHECK_KEYS",
    "DEFAULT_FRESH_DAYS",
    "DEFAULT_HOSTS_FILE",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_MAX_SECONDS",
    "MANUFACTURER_LOCATOR",
    "MARKETPLACE",
    "CheckResult",
    "HostListError",
    "HostLists",
    "HostMatch",
    "WebsiteMeasurement",
    "check_website",
    "load_host_lists",
    "normalize_url",
]
