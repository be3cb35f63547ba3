"""The ten checks of a website, each read from the pages a crawl fetched.

Each check answers ``ok`` True/False with short, concrete evidence (the URL and the element
or header found), or ``None`` when the pages read cannot tell. Rules lean towards what a
customer experiences: a search box is not a contact form, a "share on Facebook" button is
not a Facebook page, analytics mentioned in a privacy text are not a tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from .crawl import Crawl, host_of, words
from .hosts import MANUFACTURER_LOCATOR
from .page import Page
from .result import CHECK_KEYS, CheckResult

DEFAULT_FRESH_DAYS = 180
# A date this far past the check is a server clock or CMS bug, not freshness.
FUTURE_TOLERANCE = timedelta(days=1)

KIND_LABELS = {MANUFACTURER_LOCATOR: "manufacturer dealer-locator", "marketplace": "marketplace"}


# --- small helpers ------------------------------------------------------------------------


def start_tag(node: LexborNode, attributes: Iterable[str] = ("action", "href", "name")) -> str:
    """``<form action="/envoi">``: the element with its telling attributes, values cut."""
    shown = []
    for name in attributes:
        value = node.attributes.get(name)
        if value:
            value = value.strip()
            value = value if len(value) <= 80 else value[:79] + "…"
            shown.append(f'{name}="{value}"')
    return "<" + " ".join([node.tag or "?", *shown]) + ">"


def normalized(*parts: str | None) -> str:
    """Accent-free lower-case words joined by spaces, for word-boundary regexes."""
    return " ".join(words(" ".join(part for part in parts if part)))


def _unknown(reason: str, **details: Any) -> CheckResult:
    return CheckResult(ok=None, evidence=reason, details=details)


def _pages_read(pages: list[Page]) -> str:
    return f"{len(pages)} page{'s' if len(pages) != 1 else ''} read"


# --- own_domain and https -----------------------------------------------------------------


def check_own_domain(crawl: Crawl) -> CheckResult:
    home = crawl.home
    url = home.final_url if home is not None and home.result is not None else crawl.requested_url
    host = host_of(url)
    match = crawl.host_match
    if match is not None:
        return CheckResult(
            ok=False,
            evidence=f"{url}: {host} is a {KIND_LABELS[match.kind]} host ({match.suffix})",
            details={"host": host, "kind": match.kind, "matched": match.suffix},
        )
    if crawl.error is not None:
        return _unknown(f"home page not read: {crawl.error.reason}", host=host, kind=None)
    return CheckResult(
        ok=True,
        evidence=f"{url}: {host} is neither a manufacturer locator nor a marketplace",
        details={"host": host, "kind": "own", "matched": None},
    )


def _chain(redirects: Iterable[tuple[str, int]], final_url: str) -> str:
    return " → ".join([*(f"{url} {status}" for url, status in redirects), final_url])


def check_https(crawl: Crawl) -> CheckResult:
    home = crawl.home
    assert home is not None and home.result is not None
    final = home.final_url
    redirects = [[u, s] for u, s in home.result.redirects]
    details: dict[str, Any] = {
        "final_scheme": urlsplit(final).scheme,
        "hsts": "strict-transport-security" in home.result.headers,
        "http_redirects_to_https": None,
        "redirects": redirects,
    }
    if urlsplit(final).scheme != "https":
        details["http_redirects_to_https"] = False
        return CheckResult(False, f"{_chain(home.result.redirects, final)}: plain http", details)
    if any(urlsplit(url).scheme == "http" for url, _ in home.result.redirects):
        details["http_redirects_to_https"] = True
        return CheckResult(True, _chain(home.result.redirects, final), details)
    probe = crawl.http_probe
    if probe is None or probe.result is None:
        why = probe.error.reason if probe is not None and probe.error else "not tried"
        return _unknown(
            f"{final} is https; its http:// version could not be read: {why}", **details
        )
    details["redirects"] = [[u, s] for u, s in probe.result.redirects]
    if urlsplit(probe.final_url).scheme == "https" and probe.result.redirects:
        details["http_redirects_to_https"] = True
        return CheckResult(True, _chain(probe.result.redirects, probe.final_url), details)
    details["http_redirects_to_https"] = False
    return CheckResult(
        False,
        f"{probe.url} answers {probe.result.status} over plain http, no redirect to https",
        details,
    )


# --- page-level checks --------------------------------------------------------------------


def check_mobile(home: Page) -> CheckResult:
    if not home.is_html:
        return _unknown(f"{home.final_url} is not an HTML page", viewport=None)
    for meta in home.nodes("meta"):
        if (meta.attributes.get("name") or "").strip().lower() != "viewport":
            continue
        content = meta.attributes.get("content") or ""
        settings = re.sub(r"\s+", "", content.lower()).replace(";", ",").split(",")
        tag = f'<meta name="viewport" content="{content.strip()[:80]}">'
        ok = "width=device-width" in settings
        return CheckResult(ok, f"{home.final_url}: {tag}", {"viewport": content.strip()})
    return CheckResult(False, f'{home.final_url}: no <meta name="viewport">', {"viewport": None})


_FIELD_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"mail|courriel")),
    ("tel", re.compile(r"\btel\b|telephone|phone|portable|mobile|\bgsm\b")),
    ("name", re.compile(r"\bnom\b|\bname\b|prenom|firstname|lastname|fullname|surname")),
    ("date", re.compile(r"\bdate\b|creneau|\bheure\b|\bjour\b")),
    ("search", re.compile(r"^(q|s)$|search|recherche|query|keyword|mots? cles?")),
)
_SKIPPED_INPUTS = frozenset({"hidden", "submit", "button", "reset", "image", "checkbox", "radio"})
_CONTACT_ROLES = frozenset({"email", "tel", "name", "message"})


def field_roles(form: LexborNode) -> list[tuple[str, str]]:
    """(role, shown name) of the form's fields: email, tel, name, message, date, search..."""
    roles: list[tuple[str, str]] = []
    for element in form.css("input, textarea, select"):
        attrs = element.attributes
        kind = (attrs.get("type") or "text").strip().lower()
        if element.tag == "input" and kind in _SKIPPED_INPUTS:
            continue
        label = attrs.get("name") or attrs.get("id") or attrs.get("placeholder") or element.tag
        text = normalized(
            attrs.get("name"), attrs.get("id"), attrs.get("placeholder"), attrs.get("aria-label")
        )
        if element.tag == "textarea":
            role = "message"
        elif kind == "password":
            role = "password"
        elif kind in ("email", "tel", "search"):
            role = kind
        elif kind in ("date", "datetime-local", "time"):
            role = "date"
        else:
            role = next((r for r, pattern in _FIELD_ROLES if pattern.search(text)), "other")
        roles.append((role, label or "?"))
    return roles


def is_contact_form(roles: list[tuple[str, str]]) -> bool:
    """A form a customer writes to the dealer with, not a search, login or newsletter box."""
    kinds = {role for role, _ in roles}
    if "password" in kinds:
        return False
    contact = kinds & _CONTACT_ROLES
    return "message" in contact or "tel" in contact or len(contact) >= 2


def _forms(pages: list[Page]) -> Iterable[tuple[Page, LexborNode, list[tuple[str, str]]]]:
    for page in pages:
        for form in page.nodes("form"):
            yield page, form, field_roles(form)


def _form_evidence(page: Page, form: LexborNode, roles: list[tuple[str, str]]) -> str:
    names = ", ".join(dict.fromkeys(name for role, name in roles if role != "other"))
    return f"{page.final_url}: {start_tag(form, ('action', 'id'))} with fields {names}"


def check_contact_form(pages: list[Page]) -> CheckResult:
    found: list[dict[str, Any]] = []
    best, best_score = "", 0
    others = 0
    for page, form, roles in _forms(pages):
        if not is_contact_form(roles):
            others += 1
            continue
        # The evidence shows the most complete form (the contact page's, not a callback box).
        score = len({role for role, _ in roles} & _CONTACT_ROLES)
        if score > best_score:
            best, best_score = _form_evidence(page, form, roles), score
        found.append(
            {
                "url": page.final_url,
                "action": form.attributes.get("action"),
                "fields": sorted({role for role, _ in roles if role != "other"}),
            }
        )
    details = {"forms": found, "other_forms": others}
    if found:
        return CheckResult(True, best, details)
    what = f"{others} search/login/newsletter form(s) only" if others else "no form"
    return CheckResult(False, f"no contact form on the {_pages_read(pages)}: {what}", details)


BOOKING_TERMS = re.compile(
    r"rendez vous|\brdv\b|\bessai|\bessayer|test drive|\bdevis\b|\breserv|\bbooking\b|"
    r"\bbook\b|appointment|\bquote\b"
)
# Hosts of online booking tools seen on garage and dealer sites.
BOOKING_WIDGETS = (
    "calendly.com",
    "idgarages.com",
    "vroomly.com",
    "simplybook.me",
    "setmore.com",
    "youcanbook.me",
    "agendize.com",
    "timify.com",
    "planity.com",
)


def _widget_host(url: str) -> str | None:
    host = host_of(url)
    return next((w for w in BOOKING_WIDGETS if host == w or host.endswith("." + w)), None)


def check_booking(pages: list[Page]) -> CheckResult:
    # Strongest evidence first: a booking form, then a booking tool, then a link.
    for page, form, roles in _forms(pages):
        if not is_contact_form(roles):
            continue
        heading = " ".join(node.text() for node in page.nodes("title, h1")[:3])
        context = normalized(
            form.attributes.get("action"),
            form.attributes.get("id"),
            form.attributes.get("class"),
            form.text(deep=True, separator=" "),
            heading,
            urlsplit(page.final_url).path,
        )
        term = BOOKING_TERMS.search(context)
        has_date = any(role == "date" for role, _ in roles)
        if term or has_date:
            why = f"words '{term.group(0)}'" if term else "a date field"
            return CheckResult(
                True,
                f"{_form_evidence(page, form, roles)} ({why})",
                {"kind": "form", "url": page.final_url, "term": term.group(0) if term else None},
            )
    for page in pages:
        for node in page.nodes("script[src], iframe[src], a[href]"):
            source = node.attributes.get("src") or node.attributes.get("href") or ""
            widget = _widget_host(source)
            if widget:
                return CheckResult(
                    True,
                    f"{page.final_url}: {start_tag(node, ('src', 'href'))}",
                    {"kind": "widget", "url": page.final_url, "widget": widget},
                )
    for page in pages:
        for node in page.nodes("a[href]"):
            href = node.attributes.get("href") or ""
            if href.lower().startswith(("tel:", "mailto:", "#")):
                continue
            text = normalized(node.text(deep=True, separator=" "), node.attributes.get("title"))
            term = BOOKING_TERMS.search(text) or BOOKING_TERMS.search(normalized(href))
            if term:
                label = node.text(deep=True, separator=" ").strip()[:60]
                return CheckResult(
                    True,
                    f"{page.final_url}: {start_tag(node, ('href',))} {label}",
                    {"kind": "link", "url": page.final_url, "term": term.group(0)},
                )
    return CheckResult(
        False,
        f"no appointment, test-drive or quote booking on the {_pages_read(pages)}",
        {"kind": None},
    )


def check_click_to_call(pages: list[Page]) -> CheckResult:
    numbers: list[str] = []
    first = ""
    for page in pages:
        for node in page.nodes("a[href]"):
            href = (node.attributes.get("href") or "").strip()
            if not href.lower().startswith("tel:"):
                continue
            number = re.sub(r"[\s.()-]", "", href[4:])
            if sum(c.isdigit() for c in number) < 4:
                continue  # "tel:" with no number is a broken button, not a way to call
            if not first:
                first = f"{page.final_url}: {start_tag(node, ('href',))}"
            if number not in numbers:
                numbers.append(number)
    if numbers:
        return CheckResult(True, first, {"numbers": numbers[:5]})
    return CheckResult(False, f'no <a href="tel:..."> on the {_pages_read(pages)}', {"numbers": []})


SOCIAL_NETWORKS: dict[str, tuple[str, ...]] = {
    "facebook": ("facebook.com", "fb.com", "fb.me"),
    "instagram": ("instagram.com",),
    "linkedin": ("linkedin.com",),
    "tiktok": ("tiktok.com",),
    "youtube": ("youtube.com", "youtu.be"),
    "x": ("x.com", "twitter.com"),
}
# First path segments that share, embed or track rather than point at a profile.
NOT_A_PROFILE = frozenset(
    {
        "sharer",
        "sharer.php",
        "share",
        "share.php",
        "dialog",
        "plugins",
        "tr",
        "intent",
        "sharearticle",
        "sharing",
        "cws",
        "embed",
        "watch",
        "results",
        "login",
        "privacy",
        "policies",
    }
)


def _network(url: str) -> str | None:
    host = host_of(url)
    for network, domains in SOCIAL_NETWORKS.items():
        if any(host == d or host.endswith("." + d) for d in domains):
            return network
    return None


def check_social_links(pages: list[Page]) -> CheckResult:
    profiles: dict[str, str] = {}
    first_page = ""
    ignored = 0
    for page in pages:
        for node in page.nodes("a[href]"):
            href = (node.attributes.get("href") or "").strip()
            network = _network(href)
            if network is None:
                continue
            segments = [s for s in urlsplit(href).path.lower().split("/") if s]
            if not segments or segments[0] in NOT_A_PROFILE:
                ignored += 1
                continue
            if network not in profiles:
                profiles[network] = href
                first_page = first_page or page.final_url
    details = {"networks": sorted(profiles), "profiles": profiles, "ignored_share_links": ignored}
    if profiles:
        shown = ", ".join(f"{network} ({url})" for network, url in profiles.items())
        return CheckResult(True, f"{first_page}: {shown}", details)
    extra = f" ({ignored} share button(s) ignored)" if ignored else ""
    return CheckResult(False, f"no social profile link on the {_pages_read(pages)}{extra}", details)


ANALYTICS_TOOLS: dict[str, re.Pattern[str]] = {
    "google_analytics": re.compile(
        r"googletagmanager\.com/gtag/js|google-analytics\.com/(?:analytics|ga)\.js|"
        r"gtag\(\s*['\"]config['\"]\s*,\s*['\"](?:G|UA)-",
        re.I,
    ),
    "google_tag_manager": re.compile(
        r"googletagmanager\.com/(?:gtm\.js|ns\.html)|GTM-[A-Z0-9]{4,}"
    ),
    "matomo": re.compile(r"matomo\.(?:js|php|cloud)|piwik\.(?:js|php)|_paq\.push", re.I),
    "piwik_pro": re.compile(r"piwik\.pro\b|ppms\.js", re.I),
    "meta_pixel": re.compile(r"connect\.facebook\.net/[^'\"\s]*fbevents\.js|fbq\(\s*['\"]init"),
    "at_internet": re.compile(r"xiti\.com|smarttag\.js|tag\.aticdn\.net|ATInternet", re.I),
    "eulerian": re.compile(r"eulerian\.(?:net|com)", re.I),
    "microsoft_clarity": re.compile(r"clarity\.ms/tag", re.I),
    "hotjar": re.compile(r"static\.hotjar\.com", re.I),
    "plausible": re.compile(r"plausible\.io/js", re.I),
    "adobe_analytics": re.compile(r"assets\.adobedtm\.com", re.I),
}
CONSENT_MANAGERS: dict[str, re.Pattern[str]] = {
    "didomi": re.compile(r"didomi|sdk\.privacy-center\.org", re.I),
    "onetrust": re.compile(r"onetrust|cdn\.cookielaw\.org|otSDKStub|optanon", re.I),
    "axeptio": re.compile(r"axeptio|axept\.io", re.I),
    "tarteaucitron": re.compile(r"tarteaucitron", re.I),
    "cookiebot": re.compile(r"cookiebot", re.I),
    "usercentrics": re.compile(r"usercentrics", re.I),
    "sirdata": re.compile(r"sddan\.com|sirdata", re.I),
    "quantcast_choice": re.compile(r"quantcast\.mgr\.consensu\.org|cmp\.quantcast\.com", re.I),
    "trustcommander": re.compile(r"trustcommander|privacy\.commander1\.com", re.I),
    "iubenda": re.compile(r"iubenda", re.I),
    "cookiefirst": re.compile(r"cookiefirst", re.I),
    "cookieyes": re.compile(r"cookieyes", re.I),
    "complianz": re.compile(r"complianz", re.I),
}


def _tag_haystack(page: Page) -> str:
    """What tags are made of: script sources and code, noscript pixels, iframes, preloads."""
    parts: list[str] = []
    for node in page.nodes("script, noscript, iframe[src], link[href], img[src]"):
        if node.tag in ("script", "noscript"):
            parts.append(node.attributes.get("src") or "")
            parts.append(node.text() or "")
        else:
            parts.append(node.attributes.get("src") or node.attributes.get("href") or "")
    return "\n".join(p for p in parts if p)


def _scan(patterns: dict[str, re.Pattern[str]], pages: list[Page]) -> dict[str, tuple[str, str]]:
    """name -> (page URL, matched text) for each pattern found, first page first."""
    found: dict[str, tuple[str, str]] = {}
    for page in pages:
        haystack = _tag_haystack(page)
        for name, pattern in patterns.items():
            if name in found:
                continue
            match = pattern.search(haystack)
            if match:
                found[name] = (page.final_url, match.group(0))
    return found


def check_analytics(pages: list[Page]) -> CheckResult:
    tools = _scan(ANALYTICS_TOOLS, pages)
    consent = _scan(CONSENT_MANAGERS, pages)
    details = {
        "tools": list(tools),
        "consent_manager": bool(consent),
        "consent_managers": list(consent),
    }
    consent_text = f"; consent: {', '.join(consent)}" if consent else "; no consent manager found"
    if tools:
        url = next(iter(tools.values()))[0]
        shown = ", ".join(f"{name} ({match})" for name, (_, match) in tools.items())
        return CheckResult(True, f"{url}: {shown}{consent_text}", details)
    return CheckResult(
        False, f"no analytics tag on the {_pages_read(pages)}{consent_text}", details
    )


VEHICLE_TYPES = frozenset({"Car", "Vehicle", "Motorcycle", "MotorizedBicycle", "BusOrCoach"})
VEHICLE_PROPERTIES = frozenset(
    {
        "vehicleIdentificationNumber",
        "mileageFromOdometer",
        "fuelType",
        "vehicleEngine",
        "vehicleModelDate",
        "modelDate",
        "bodyType",
        "vehicleTransmission",
        "numberOfDoors",
        "vehicleConfiguration",
        "driveWheelConfiguration",
    }
)


def _types(item: dict[str, Any]) -> set[str]:
    raw = item.get("@type") or item.get("type") or []
    values = raw if isinstance(raw, list) else [raw]
    # "http://schema.org/Car" and "Car" are the same type.
    return {str(v).rstrip("/").rsplit("/", 1)[-1] for v in values}


def _is_vehicle(item: dict[str, Any]) -> bool:
    types = _types(item)
    if types & VEHICLE_TYPES:
        return True
    return "Product" in types and "offers" in item and bool(VEHICLE_PROPERTIES & set(item))


def _vehicle_key(item: dict[str, Any]) -> str:
    offers = item.get("offers")
    offer = offers[0] if isinstance(offers, list) and offers else offers
    price = offer.get("price") if isinstance(offer, dict) else None
    for name in ("vehicleIdentificationNumber", "sku", "@id", "url"):
        if item.get(name):
            return f"{name}:{item[name]}"
    return f"name:{item.get('name')}:{price}"


def find_vehicles(data: Any) -> Iterable[dict[str, Any]]:
    """Vehicle items anywhere in parsed structured data (lists, @graph, offers...)."""
    if isinstance(data, list):
        for element in data:
            yield from find_vehicles(element)
    elif isinstance(data, dict):
        if _is_vehicle(data):
            yield data  # its nested offers belong to it: not searched again
            return
        for value in data.values():
            yield from find_vehicles(value)


def check_stock(pages: list[Page], candidate_urls: list[str]) -> CheckResult:
    keys: set[str] = set()
    per_page: dict[str, int] = {}
    types: set[str] = set()
    syntaxes: set[str] = set()
    first = ""
    broken = 0
    for page in pages:
        data = page.structured_data
        broken += len(data["broken"])
        for syntax in ("json-ld", "microdata"):
            for vehicle in find_vehicles(data[syntax]):
                key = _vehicle_key(vehicle)
                if key in keys:
                    continue
                keys.add(key)
                per_page[page.final_url] = per_page.get(page.final_url, 0) + 1
                types |= _types(vehicle) & (VEHICLE_TYPES | {"Product"})
                syntaxes.add(syntax)
                if not first:
                    name = vehicle.get("name") or "unnamed"
                    first = f"{page.final_url}: schema.org {'/'.join(sorted(_types(vehicle)))}"
                    first += f" '{name}' ({syntax})"
    details = {
        "count": len(keys),
        "pages": per_page,
        "types": sorted(types),
        "syntaxes": sorted(syntaxes),
        "stock_pages": candidate_urls,
        "broken_blocks": broken,
    }
    if keys:
        return CheckResult(True, f"{len(keys)} vehicle item(s); first: {first}", details)
    where = f" (stock-like pages: {', '.join(candidate_urls[:3])})" if candidate_urls else ""
    return CheckResult(
        False,
        f"no schema.org Car/Vehicle/Offer markup on the {_pages_read(pages)}{where}",
        details,
    )


# --- freshness ----------------------------------------------------------------------------


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_fresh(crawl: Crawl, pages: list[Page], now: datetime, days: int) -> CheckResult:
    limit = now + FUTURE_TOLERANCE
    source = "sitemap"
    dated = [(url, date) for url, date in crawl.sitemap_dates if date <= limit]
    if not dated:
        # Only without sitemap dates: many CMSs stamp every answer with the current time.
        source = "last_modified"
        for page in pages:
            assert page.result is not None
            date = _http_date(page.result.headers.get("last-modified"))
            if date is not None and date <= limit:
                dated.append((page.final_url, date))
    if not dated:
        return _unknown(
            f"no sitemap <lastmod> nor Last-Modified header on the {_pages_read(pages)}",
            newest=None,
            source=None,
            max_age_days=days,
        )
    url, newest = max(dated, key=lambda pair: pair[1])
    age = max((now - newest).days, 0)
    what = "newest sitemap <lastmod>" if source == "sitemap" else "Last-Modified"
    return CheckResult(
        age <= days,
        f"{url}: {what} {newest.date().isoformat()} ({age} days before the check)",
        {
            "newest": newest.isoformat(),
            "source": source,
            "age_days": age,
            "max_age_days": days,
        },
    )


# --- all checks ---------------------------------------------------------------------------


def run_checks(crawl: Crawl, *, now: datetime, fresh_days: int) -> dict[str, CheckResult]:
    """The ten results, in :data:`CHECK_KEYS` order."""
    own = check_own_domain(crawl)
    if crawl.error is not None:
        reason = f"home page not read: {crawl.error.reason}"
        return {key: own if key == "own_domain" else _unknown(reason) for key in CHECK_KEYS}
    pages = crawl.site_pages
    home = crawl.home
    assert home is not None
    checks: dict[str, Callable[[], CheckResult]] = {
        "own_domain": lambda: own,
        "https": lambda: check_https(crawl),
        "mobile": lambda: check_mobile(home),
        "contact_form": lambda: check_contact_form(pages),
        "booking": lambda: check_booking(pages),
        "click_to_call": lambda: check_click_to_call(pages),
        "stock": lambda: check_stock(pages, _stock_pages(crawl)),
        "social_links": lambda: check_social_links(pages),
        "analytics": lambda: check_analytics(pages),
        "fresh": lambda: check_fresh(crawl, pages, now, fresh_days),
    }
    # Properties of the hosting platform, not of the dealer, on a locator or marketplace.
    platform = {"https", "mobile", "analytics", "fresh"}
    results: dict[str, CheckResult] = {}
    for key in CHECK_KEYS:
        if crawl.host_match is not None and key in platform:
            label = KIND_LABELS[crawl.host_match.kind]
            results[key] = _unknown(
                f"a {label} page: this belongs to the platform, not to the dealer",
                platform=crawl.host_match.kind,
            )
        elif not pages and key != "own_domain" and key != "https":
            results[key] = _unknown("the home page is not an HTML page")
        else:
            results[key] = checks[key]()
    return results


def _stock_pages(crawl: Crawl) -> list[str]:
    return [p.final_url for p in crawl.pages if p.purpose == "stock" and p.ok]
