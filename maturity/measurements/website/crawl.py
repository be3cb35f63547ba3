"""Which resources of a dealer site the website check reads: few, chosen, and politely.

Why this shape: a check must stay cheap for us and for the dealer's server, and must read
the pages a customer would use. So it reads the home page (the URL the dealer gave us),
then ``robots.txt``, which it honours for everything else, then a few same-site pages
picked by purpose from the links' words (stock, booking, contact; by default five HTML
pages in all), then the sitemap for its ``lastmod`` dates. Every request goes through the
outgoing guard (:mod:`common.outgoing`), so each one, and each redirect, is checked.

On a manufacturer locator or a marketplace only the given page is read: the rest of such a
site belongs to the platform, not to the dealer.
"""

from __future__ import annotations

import re
import time
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

from common.outgoing import OutgoingClient, OutgoingError

from .hosts import HostLists, HostMatch
from .page import HOME, HTTP_PROBE, PAGE, ROBOTS, SITEMAP, FetchError, Page

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
ROBOTS_ACCEPT = "text/plain,*/*;q=0.5"
SITEMAP_ACCEPT = "application/xml,text/xml;q=0.9,*/*;q=0.5"
DEFAULT_MAX_PAGES = 5
# Past this, no new request starts: a site slow on every page cannot hold a worker long.
DEFAULT_MAX_SECONDS = 60.0
# Robots-disallowed links are recorded, not fetched; a few show the rule was applied.
MAX_SKIPPED_RECORDED = 10
MAX_SITEMAPS = 2
MAX_SITEMAP_CHILDREN = 2

# Purposes in the order their best link is taken, one each per round.
STOCK, BOOKING, CONTACT = "stock", "booking", "contact"
PURPOSE_WORDS: dict[str, tuple[str, ...]] = {
    STOCK: (
        "occasion",
        "stock",
        "vehicule",
        "voiture",
        "used",
        "inventory",
        "inventaire",
        "annonce",
        "vo",
        "vn",
        "neuf",
        "cars",
        "vehicle",
    ),
    BOOKING: (
        "rendez",
        "rdv",
        "devis",
        "atelier",
        "booking",
        "book",
        "appointment",
        "reservation",
        "reserver",
        "essai",
        "entretien",
        "quote",
    ),
    CONTACT: ("contact", "contacter", "contactez", "coordonnees", "acces"),
}
# Links never worth a page of our budget.
SKIP_WORDS = (
    "mentions",
    "legal",
    "cgv",
    "cgu",
    "cookie",
    "privacy",
    "confidentialite",
    "rgpd",
    "login",
    "connexion",
    "compte",
    "panier",
    "cart",
)
ASSET_EXTENSIONS = (
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".svg",
    ".zip",
    ".mp4",
    ".css",
    ".js",
    ".xml",
    ".doc",
    ".docx",
)


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` without accents ("Rendez-vous Véhicules" -> rendez...)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return [w for w in re.split(r"[^a-z0-9]+", plain) if w]


def has_word(tokens: list[str], vocabulary: tuple[str, ...]) -> list[str]:
    """Vocabulary entries found: short ones (<= 3 letters) as whole words, others as prefixes."""
    found = []
    for entry in vocabulary:
        if len(entry) <= 3:
            hit = entry in tokens
        else:
            hit = any(token.startswith(entry) for token in tokens)
        if hit:
            found.append(entry)
    return found


def site_key(host: str) -> str:
    """Hosts that count as the same site: ``www.x.fr`` and ``x.fr``."""
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def page_links(page: Page) -> Iterator[Link]:
    """Absolute http(s) links of an HTML page, without fragments, in document order."""
    base = page.final_url
    for node in page.nodes("base[href]")[:1]:
        base = urljoin(base, (node.attributes.get("href") or "").strip())
    for node in page.nodes("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        try:
            absolute = urldefrag(urljoin(base, href)).url
        except ValueError:  # e.g. an invalid IPv6 literal in a hand-typed link
            continue
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        label = " ".join(
            part
            for part in (
                node.text(deep=True, separator=" "),
                node.attributes.get("title") or "",
                node.attributes.get("aria-label") or "",
            )
            if part
        )
        yield Link(url=absolute, text=label)


def link_purposes(link: Link) -> list[str]:
    parts = urlsplit(link.url)
    tokens = words(f"{parts.path} {parts.query} {link.text}")
    if has_word(tokens, SKIP_WORDS) or parts.path.lower().endswith(ASSET_EXTENSIONS):
        return []
    return [
        purpose for purpose, vocabulary in PURPOSE_WORDS.items() if has_word(tokens, vocabulary)
    ]


class Robots:
    """robots.txt as read (RFC 9309): 4xx = allow all, 5xx or unreachable = disallow all."""

    def __init__(self, user_agent: str, parser: RobotFileParser | None, allow_all: bool) -> None:
        self.user_agent = user_agent
        self.parser = parser
        self.allow_all = allow_all

    @classmethod
    def from_page(cls, page: Page, user_agent: str) -> Robots:
        if page.result is None or page.result.status >= 500:
            return cls(user_agent, None, allow_all=False)
        if page.result.status >= 400:
            return cls(user_agent, None, allow_all=True)
        parser = RobotFileParser()
        parser.parse(page.text.splitlines())
        return cls(user_agent, parser, allow_all=False)

    def allowed(self, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(self.user_agent, url)

    def sitemaps(self) -> list[str]:
        if self.parser is None:
            return []
        return list(self.parser.site_maps() or [])


# --- sitemaps -----------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_W3C_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def parse_w3c_datetime(value: str) -> datetime | None:
    """A sitemap ``lastmod`` (W3C datetime: YYYY, YYYY-MM, YYYY-MM-DD[Thh:mm[:ss]TZD]), UTC."""
    value = value.strip()
    if not value:
        return None
    partial = _W3C_PARTIAL.match(value)
    try:
        if partial:
            parsed = datetime(int(partial.group(1)), int(partial.group(2) or 1), 1)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _gunzip(body: bytes, limit: int) -> bytes:
    # Bounded: a small .xml.gz must not expand without limit in memory.
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        return decompressor.decompress(body, limit)
    except zlib.error:
        return b""


@dataclass(frozen=True)
class Sitemap:
    kind: str  # "urlset", "sitemapindex" or "unreadable"
    lastmods: tuple[datetime, ...] = ()
    children: tuple[tuple[str, datetime | None], ...] = ()


def parse_sitemap(body: bytes, *, limit: int) -> Sitemap:
    """``lastmod`` dates of a sitemap or sitemap index (namespace-agnostic)."""
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, limit)
    try:
        # ElementTree never fetches external entities; expat >= 2.4 bounds entity expansion.
        root = ElementTree.fromstring(body)  # noqa: S314
    except ElementTree.ParseError:
        return Sitemap(kind="unreadable")

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    kind = local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        return Sitemap(kind="unreadable")
    lastmods: list[datetime] = []
    children: list[tuple[str, datetime | None]] = []
    for entry in root:
        loc, lastmod = "", None
        for element in entry:
            name = local(element.tag)
            if name == "loc":
                loc = (element.text or "").strip()
            elif name == "lastmod":
                lastmod = parse_w3c_datetime(element.text or "")
        if lastmod is not None:
            lastmods.append(lastmod)
        if kind == "sitemapindex" and loc:
            children.append((loc, lastmod))
    return Sitemap(kind=kind, lastmods=tuple(lastmods), children=tuple(children))


# --- the crawl ----------------------------------------------------------------------------


@dataclass
class Crawl:
    """Everything the checks read. ``pages`` lists every fetch attempt in order."""

    requested_url: str
    pages: list[Page] = field(default_factory=list)
    home: Page | None = None
    error: FetchError | None = None
    host_match: HostMatch | None = None
    http_probe: Page | None = None
    robots: Robots | None = None
    # (sitemap URL, lastmod) for every dated entry read.
    sitemap_dates: list[tuple[str, datetime]] = field(default_factory=list)

    @property
    def site_pages(self) -> list[Page]:
        """HTML pages of the site that answered 2xx, home first.

        A link that redirected to another site (a booking tool, a group portal) is left
        out: that page's tags and forms are not the dealer's.
        """
        if self.home is None or self.home.result is None:
            return []
        site = site_key(host_of(self.home.final_url))
        return [
            p
            for p in self.pages
            if p.kind in (HOME, PAGE) and p.is_html and site_key(host_of(p.final_url)) == site
        ]


class _Crawler:
    def __init__(
        self,
        client: OutgoingClient,
        hosts: HostLists,
        max_pages: int,
        max_seconds: float,
        crawl: Crawl,
    ) -> None:
        self.client = client
        self.hosts = hosts
        self.max_pages = max_pages
        self.deadline = time.monotonic() + max_seconds
        self.crawl = crawl
        self.user_agent = client.policy.user_agent

    def over_budget(self) -> bool:
        return time.monotonic() > self.deadline

    def get(self, url: str, kind: str, accept: str, purpose: str | None = None) -> Page:
        if kind != HOME and self.over_budget():
            page = Page(
                url=url,
                kind=kind,
                purpose=purpose,
                error=FetchError("budget", "the check's time budget was spent before this"),
            )
            self.crawl.pages.append(page)
            return page
        try:
            result = self.client.fetch(
                url,
                headers={"Accept": accept, "Accept-Language": "fr,en;q=0.8"},
                # A very long page is still worth reading up to the cap.
                allow_truncated=True,
            )
        except OutgoingError as exc:
            page = Page(url=url, kind=kind, error=FetchError.of(exc), purpose=purpose)
        else:
            page = Page(url=url, kind=kind, result=result, purpose=purpose)
        self.crawl.pages.append(page)
        return page

    def run(self) -> Crawl:
        crawl = self.crawl
        home = self.get(crawl.requested_url, HOME, HTML_ACCEPT)
        crawl.home = home
        if home.result is None:
            crawl.error = home.error
            crawl.host_match = self.hosts.classify(host_of(crawl.requested_url))
            return crawl
        crawl.host_match = self.hosts.classify(host_of(home.final_url))
        if home.result.status >= 400:
            crawl.error = FetchError(
                code="http_status", reason=f"the home page answered {home.result.status}"
            )
            return crawl
        if crawl.host_match is not None:
            return crawl

        parts = urlsplit(home.final_url)
        origin = f"{parts.scheme}://{parts.netloc}"
        robots_page = self.get(f"{origin}/robots.txt", ROBOTS, ROBOTS_ACCEPT)
        crawl.robots = Robots.from_page(robots_page, self.user_agent)
        if parts.scheme == "https" and not any(
            urlsplit(hop).scheme == "http" for hop, _ in home.result.redirects
        ):
            # What a visitor typing the bare name reaches: the http:// version, on the
            # default port (an explicit https port says nothing about port 80).
            host = parts.hostname or ""
            shown = f"[{host}]" if ":" in host else host
            crawl.http_probe = self.get(f"http://{shown}/", HTTP_PROBE, HTML_ACCEPT)
        self.follow_links(home)
        self.read_sitemaps(origin)
        return crawl

    def follow_links(self, home: Page) -> None:
        crawl = self.crawl
        assert crawl.robots is not None
        home_site = site_key(host_of(home.final_url))
        seen = {urldefrag(home.url).url, urldefrag(home.final_url).url}
        queues: dict[str, list[str]] = {purpose: [] for purpose in PURPOSE_WORDS}

        def enqueue(page: Page) -> None:
            if site_key(host_of(page.final_url)) != home_site:
                return  # a page that redirected off-site: its links are not the dealer's
            for link in page_links(page):
                if site_key(host_of(link.url)) != home_site:
                    continue
                for purpose in link_purposes(link):
                    if link.url not in queues[purpose]:
                        queues[purpose].append(link.url)

        enqueue(home)
        pages_left = self.max_pages - 1
        skipped = 0
        while pages_left > 0:
            progressed = False
            for purpose, queue in queues.items():
                if pages_left <= 0:
                    break
                url = next((u for u in queue if u not in seen), None)
                if url is None:
                    continue
                seen.add(url)
                progressed = True
                if self.over_budget():
                    # Recorded once (by get), then the crawl stops: not a robots refusal.
                    self.get(url, PAGE, HTML_ACCEPT, purpose=purpose)
                    return
                if not crawl.robots.allowed(url):
                    if skipped < MAX_SKIPPED_RECORDED:
                        crawl.pages.append(
                            Page(
                                url=url,
                                kind=PAGE,
                                purpose=purpose,
                                error=FetchError("robots", "disallowed by robots.txt"),
                            )
                        )
                    skipped += 1
                    continue
                page = self.get(url, PAGE, HTML_ACCEPT, purpose=purpose)
                pages_left -= 1
                if page.is_html:
                    enqueue(page)
            if not progressed:
                break

    def read_sitemaps(self, origin: str) -> None:
        crawl = self.crawl
        assert crawl.robots is not None
        home_site = site_key(host_of(origin))
        named = [
            url
            for url in crawl.robots.sitemaps()
            if urlsplit(url).scheme in ("http", "https") and site_key(host_of(url)) == home_site
        ]
        if named:
            candidates = named[:MAX_SITEMAPS]
        elif crawl.robots.allowed(f"{origin}/sitemap.xml"):
            candidates = [f"{origin}/sitemap.xml"]
        else:
            candidates = []
        limit = self.client.policy.max_body_bytes
        for url in candidates:
            sitemap = self._read_sitemap(url, limit)
            if sitemap is None or sitemap.kind != "sitemapindex":
                continue
            # A few children are enough for a date: undated ones first (any may be the
            # newest), then by the date the index gives them, newest first.
            children = [c for c in sitemap.children if site_key(host_of(c[0])) == home_site]
            undated = [c for c in children if c[1] is None]
            dated = sorted((c for c in children if c[1] is not None), key=_child_date, reverse=True)
            for child, _ in [*undated, *dated][:MAX_SITEMAP_CHILDREN]:
                self._read_sitemap(child, limit)

    def _read_sitemap(self, url: str, limit: int) -> Sitemap | None:
        page = self.get(url, SITEMAP, SITEMAP_ACCEPT)
        if not page.ok or page.result is None:
            return None
        sitemap = parse_sitemap(page.result.body, limit=limit)
        self.crawl.sitemap_dates.extend((url, date) for date in sitemap.lastmods)
        return sitemap


def _child_date(child: tuple[str, datetime | None]) -> datetime:
    return child[1] or _EPOCH


def crawl_site(
    url: str,
    *,
    client: OutgoingClient,
    hosts: HostLists,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> Crawl:
    """Fetch what the checks need from the site at ``url`` (see the module docstring)."""
    if max_pages < 1:
        raise ValueError("max_pages must be at least 1 (the home page)")
    crawler = _Crawler(client, hosts, max_pages, max_seconds, Crawl(requested_url=url))
    return crawler.run()
