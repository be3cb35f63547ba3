"""The website check on the fixture sites: every check true and false, the crawl's bounds,
robots.txt, the SSRF guard in a crawl, host lists and the ``to_dict`` contract.

Sites are served on loopback (``tests/measurements/sites.py``); a measurement is taken once
per module and shared by the tests that read it.
"""

from __future__ import annotations

import ast
import gzip
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from common.outgoing import FetchResult
from maturity.measurements.website import (
    CHECK_KEYS,
    DEFAULT_HOSTS_FILE,
    MANUFACTURER_LOCATOR,
    MARKETPLACE,
    CheckResult,
    HostListError,
    HostLists,
    WebsiteMeasurement,
    check_website,
    load_host_lists,
)
from maturity.measurements.website.checks import (
    check_analytics,
    check_booking,
    check_click_to_call,
    check_contact_form,
    check_mobile,
    check_social_links,
    check_stock,
)
from maturity.measurements.website.crawl import Crawl, parse_sitemap, parse_w3c_datetime
from maturity.measurements.website.page import HOME, Page
from tests.measurements.sites import PUBLIC_STANDIN, FixtureWeb, url

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def measure(web: FixtureWeb, hosts: HostLists):
    """check_website on a fixture site in loopback mode, taken once per arguments."""
    taken: dict[tuple, WebsiteMeasurement] = {}

    def take(name: str, path: str = "/", scheme: str | None = None, **options) -> dict:
        key = (name, path, scheme, tuple(sorted(options.items())))
        if key not in taken:
            taken[key] = check_website(
                url(name, path, scheme),
                policy=web.loopback_policy(),
                hosts=hosts,
                now=NOW,
                **options,
            )
        return taken[key].to_dict()

    return take


def html_page(html: str | bytes, page_url: str = "https://garage.test/", **headers: str) -> Page:
    """A fetched page built in memory, for the rules that do not need a server."""
    body = html.encode() if isinstance(html, str) else html
    result = FetchResult(
        url=page_url,
        final_url=page_url,
        status=200,
        headers=httpx.Headers({"Content-Type": "text/html", **headers}),
        body=body,
    )
    return Page(url=page_url, kind=HOME, result=result)


def kinds(measurement: dict) -> list[str]:
    return [page["kind"] for page in measurement["pages"]]


# --- the contract -------------------------------------------------------------------------


def test_it_returns_json_ready_data_with_all_ten_checks(measure):
    data = measure("full_dealer")
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"url", "final_url", "fetched_at", "error", "pages", "checks"}
    assert data["url"] == "https://www.garage-du-centre.test/"
    assert data["final_url"] == "https://www.garage-du-centre.test/"
    assert data["fetched_at"] == NOW.isoformat()
    assert data["error"] is None
    assert tuple(data["checks"]) == CHECK_KEYS
    assert len(CHECK_KEYS) == 10
    for result in data["checks"].values():
        assert set(result) == {"ok", "evidence", "details"}
        assert result["ok"] in (True, False, None)
        assert 0 < len(result["evidence"]) <= 240
    for page in data["pages"]:
        assert set(page) == {"url", "kind", "status", "final_url", "truncated", "error"}


def test_it_finds_everything_on_a_full_dealer_site(measure):
    checks = measure("full_dealer")["checks"]
    assert {key: result["ok"] for key, result in checks.items()} == dict.fromkeys(CHECK_KEYS, True)


def test_it_gives_concrete_evidence(measure):
    checks = measure("full_dealer")["checks"]
    assert checks["contact_form"]["evidence"] == (
        'https://www.garage-du-centre.test/contact.html: <form action="/envoi" id="contact"> '
        "with fields nom, email, telephone, message"
    )
    assert checks["click_to_call"]["evidence"] == (
        'https://www.garage-du-centre.test/: <a href="tel:+33 2 41 00 00 00">'
    )
    assert checks["mobile"]["evidence"].endswith(
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
    )


def test_it_measures_a_brochure_site_as_mostly_absent(measure):
    checks = measure("brochure")["checks"]
    for key in (
        "https",
        "mobile",
        "contact_form",
        "booking",
        "click_to_call",
        "stock",
        "social_links",
        "analytics",
        "fresh",
    ):
        assert checks[key]["ok"] is False, key
    assert checks["own_domain"]["ok"] is True


def test_it_refuses_to_credit_more_pages_than_a_site_has(measure):
    # The brochure has two purpose links at most (Accès); the crawl does not invent pages.
    assert kinds(measure("brochure")) == ["home", "robots", "page", "sitemap"]


# --- own_domain ---------------------------------------------------------------------------


def test_it_sees_a_manufacturer_locator_page(measure):
    data = measure("locator_only", "/garage-du-port-angers/")
    own = data["checks"]["own_domain"]
    assert own["ok"] is False
    assert own["details"] == {
        "host": "concessions.citroen.fr",
        "kind": MANUFACTURER_LOCATOR,
        "matched": "concessions.citroen.fr",
    }
    assert "manufacturer dealer-locator" in own["evidence"]
    # Only the given page is read: the rest of the platform is not the dealer's.
    assert kinds(data) == ["home"]
    for key in ("https", "mobile", "analytics", "fresh"):
        assert data["checks"][key]["ok"] is None, key
        assert data["checks"][key]["details"] == {"platform": MANUFACTURER_LOCATOR}
    # Address and hours only.
    for key in ("contact_form", "booking", "click_to_call", "stock", "social_links"):
        assert data["checks"][key]["ok"] is False, key


def test_it_sees_a_marketplace_page(measure):
    data = measure("marketplace", "/boutique/12345/")
    own = data["checks"]["own_domain"]
    assert own["ok"] is False
    assert own["details"]["kind"] == MARKETPLACE
    assert own["details"]["matched"] == "leboncoin.fr"
    assert kinds(data) == ["home"]
    # The dealer's cars listed there are still its stock; the mat is not a vehicle.
    assert data["checks"]["stock"]["ok"] is True
    assert data["checks"]["stock"]["details"]["count"] == 2


def test_it_says_own_domain_false_for_a_locator_host_it_cannot_reach(web, hosts):
    data = check_website(
        "https://angers.concession.renault.fr/", policy=web.loopback_policy(), hosts=hosts, now=NOW
    ).to_dict()
    assert data["error"]["code"] == "dns"
    assert data["checks"]["own_domain"]["ok"] is False
    assert data["checks"]["own_domain"]["details"]["kind"] == MANUFACTURER_LOCATOR


# --- https --------------------------------------------------------------------------------


def test_it_credits_https_when_http_redirects_to_it(measure):
    https = measure("full_dealer", scheme="http")["checks"]["https"]
    assert https["ok"] is True
    assert https["evidence"] == (
        "http://www.garage-du-centre.test/ 301 → https://www.garage-du-centre.test/"
    )
    assert https["details"]["hsts"] is True
    assert https["details"]["http_redirects_to_https"] is True


def test_it_probes_the_http_version_of_an_https_address(measure):
    data = measure("full_dealer")
    assert "http_probe" in kinds(data)
    assert data["checks"]["https"]["ok"] is True


def test_it_refuses_https_when_http_answers_without_redirecting(measure):
    https = measure("body_shop")["checks"]["https"]
    assert https["ok"] is False
    assert https["evidence"] == (
        "http://carrosserie-martin.test/ answers 200 over plain http, no redirect to https"
    )


def test_it_refuses_https_for_a_plain_http_site(measure):
    https = measure("brochure")["checks"]["https"]
    assert https["ok"] is False
    assert https["details"]["final_scheme"] == "http"


# --- mobile -------------------------------------------------------------------------------


def test_it_needs_a_device_width_viewport():
    fixed = html_page('<meta name="viewport" content="width=1024">')
    assert check_mobile(fixed).ok is False
    upper = html_page('<META NAME="Viewport" CONTENT="initial-scale=1; WIDTH = device-width">')
    assert check_mobile(upper).ok is True
    assert check_mobile(html_page("<p>no head</p>")).ok is False


# --- contact_form -------------------------------------------------------------------------


def test_it_tells_a_contact_form_from_search_login_and_newsletter_forms():
    not_contact = html_page(
        """
        <form role="search"><input type="search" name="q"></form>
        <form><input type="email" name="email"><button>Newsletter</button></form>
        <form><input name="email"><input type="password" name="password">
              <textarea></textarea></form>
        <form><input name="s" placeholder="Rechercher"></form>
        """
    )
    result = check_contact_form([not_contact])
    assert result.ok is False
    assert result.details["other_forms"] == 4
    contact = html_page('<form action="/rappel"><input name="nom"><input name="e-mail"></form>')
    assert check_contact_form([contact]).ok is True
    callback = html_page('<form><input type="tel" name="numero"></form>')
    assert check_contact_form([callback]).ok is True


def test_it_finds_no_contact_form_on_the_home_page_alone(measure):
    contact = measure("full_dealer", max_pages=1)["checks"]["contact_form"]
    assert contact["ok"] is False
    assert contact["details"]["other_forms"] == 2  # the search box and the newsletter


# --- booking ------------------------------------------------------------------------------


def test_it_finds_an_appointment_form(measure):
    booking = measure("full_dealer")["checks"]["booking"]
    assert booking["details"]["kind"] == "form"
    assert booking["details"]["url"].endswith("/atelier/rendez-vous.html")


def test_it_finds_a_quote_form_at_a_body_shop(measure):
    checks = measure("body_shop")["checks"]
    assert checks["booking"]["ok"] is True
    assert checks["booking"]["details"] == {
        "kind": "form",
        "url": "https://carrosserie-martin.test/devis.html",
        "term": "devis",
    }
    assert checks["stock"]["ok"] is False
    assert checks["contact_form"]["ok"] is True


def test_it_accepts_a_booking_link_or_widget():
    link = html_page('<a href="/essai">Réservez un essai</a>')
    assert check_booking([link]).details["kind"] == "link"
    widget = html_page('<iframe src="https://calendly.com/garage-x/revision"></iframe>')
    result = check_booking([widget])
    assert result.ok is True
    assert result.details == {
        "kind": "widget",
        "url": "https://garage.test/",
        "widget": "calendly.com",
    }
    plain = html_page('<a href="/atelier">Notre atelier</a><a href="tel:0241">Réserver</a>')
    assert check_booking([plain]).ok is False


# --- click_to_call ------------------------------------------------------------------------


def test_it_needs_a_tel_link_with_a_number():
    assert check_click_to_call([html_page('<a href="tel:">Appeler</a>')]).ok is False
    result = check_click_to_call([html_page('<a href="TEL:+33 (0)2.41.00.00.00">x</a>')])
    assert result.ok is True
    assert result.details["numbers"] == ["+330241000000"]


def test_it_does_not_count_a_phone_number_in_text(measure):
    assert measure("brochure")["checks"]["click_to_call"]["ok"] is False
    assert measure("full_dealer")["checks"]["click_to_call"]["details"]["numbers"] == [
        "+33241000000"
    ]


# --- stock --------------------------------------------------------------------------------


def test_it_counts_vehicle_offers_across_syntaxes_despite_a_broken_block(measure):
    stock = measure("full_dealer")["checks"]["stock"]
    assert stock["ok"] is True
    assert stock["details"]["count"] == 4  # three in JSON-LD, one in microdata
    assert stock["details"]["syntaxes"] == ["json-ld", "microdata"]
    assert stock["details"]["types"] == ["Car"]
    assert stock["details"]["broken_blocks"] == 1
    assert stock["details"]["pages"] == {"https://www.garage-du-centre.test/occasions/": 4}


def test_it_needs_vehicle_hints_on_a_plain_product():
    product = html_page(
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "Product", "name": "Essuie-glace", "offers": {"@type": "Offer"}}</script>'
    )
    assert check_stock([product], []).ok is False
    offered = html_page(
        '<script type="application/ld+json">{"@graph": [{"@type": "Offer", '
        '"itemOffered": {"@type": "http://schema.org/Vehicle", "name": "Kangoo"}}]}</script>'
    )
    assert check_stock([offered], []).details["count"] == 1


def test_it_names_the_stock_pages_it_read_without_markup(measure):
    stock = measure("robots_blocked")["checks"]["stock"]
    assert stock["ok"] is False
    assert stock["details"]["stock_pages"] == ["https://www.garage-discret.test/occasions.html"]


# --- social_links -------------------------------------------------------------------------


def test_it_lists_social_profiles_and_ignores_share_buttons(measure):
    social = measure("full_dealer")["checks"]["social_links"]
    assert social["details"]["networks"] == ["facebook", "instagram", "youtube"]
    assert social["details"]["ignored_share_links"] == 2


def test_it_refuses_share_buttons_alone():
    shares = html_page(
        '<a href="https://www.facebook.com/sharer/sharer.php?u=x">f</a>'
        '<a href="https://x.com/intent/post?text=x">x</a>'
        '<a href="https://www.linkedin.com/shareArticle?url=x">in</a>'
        '<a href="https://www.facebook.com/">f</a>'
    )
    result = check_social_links([shares])
    assert result.ok is False
    assert result.details["ignored_share_links"] == 4
    profiles = html_page(
        '<a href="https://www.tiktok.com/@garage">t</a><a href="https://x.com/garage">x</a>'
        '<a href="https://fr.linkedin.com/company/garage">in</a>'
    )
    assert check_social_links([profiles]).details["networks"] == ["linkedin", "tiktok", "x"]


# --- analytics ----------------------------------------------------------------------------


def test_it_finds_analytics_and_the_consent_manager(measure):
    analytics = measure("full_dealer")["checks"]["analytics"]
    assert analytics["details"] == {
        "tools": ["google_analytics"],
        "consent_manager": True,
        "consent_managers": ["axeptio"],
    }
    body_shop = measure("body_shop")["checks"]["analytics"]
    assert body_shop["ok"] is True
    assert body_shop["details"]["tools"] == ["matomo"]
    assert body_shop["details"]["consent_manager"] is False


def test_it_does_not_take_a_privacy_text_for_a_tag():
    text_only = html_page("<p>Nous utilisons Google Analytics, Matomo et Didomi.</p>")
    result = check_analytics([text_only])
    assert result.ok is False
    assert result.details["consent_manager"] is False
    tags = html_page(
        "<script>!function(f,b,e,v,n,t,s){}(window, document,'script',"
        "'https://connect.facebook.net/en_US/fbevents.js'); fbq('init', '1');</script>"
        '<script src="https://tag.aticdn.net/123/smarttag.js"></script>'
        '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js"></script>'
    )
    found = check_analytics([tags])
    assert found.details["tools"] == ["meta_pixel", "at_internet"]
    assert found.details["consent_managers"] == ["onetrust"]


# --- fresh --------------------------------------------------------------------------------


def test_it_dates_a_site_by_its_sitemap(measure):
    fresh = measure("full_dealer")["checks"]["fresh"]
    assert fresh["ok"] is True
    assert fresh["details"]["source"] == "sitemap"
    assert fresh["details"]["newest"] == "2026-01-28T07:30:00+00:00"
    assert "2026-01-28" in fresh["evidence"]


def test_it_honours_the_freshness_window(measure):
    fresh = measure("full_dealer", fresh_days=2)["checks"]["fresh"]
    assert fresh["ok"] is False
    assert fresh["details"]["age_days"] == 4


def test_it_falls_back_to_last_modified(measure):
    fresh = measure("brochure")["checks"]["fresh"]
    assert fresh["ok"] is False
    assert fresh["details"]["source"] == "last_modified"
    assert "Last-Modified 2019-03-05" in fresh["evidence"]


def test_it_cannot_tell_freshness_without_dates(measure):
    assert measure("body_shop")["checks"]["fresh"]["ok"] is None


def test_it_reads_a_sitemap_index_and_a_gzipped_child_ignoring_future_dates(measure):
    data = measure("news_garage")
    sitemaps = [page["url"] for page in data["pages"] if page["kind"] == "sitemap"]
    assert sitemaps == [
        "https://www.garage-actu.test/sitemap_index.xml",
        "https://www.garage-actu.test/sitemap-news.xml.gz",
        "https://www.garage-actu.test/sitemap-pages.xml",
    ]
    fresh = data["checks"]["fresh"]
    assert fresh["ok"] is True
    assert fresh["details"]["newest"] == "2025-12-15T10:00:00+00:00"  # not the 2031 entry


def test_it_parses_sitemap_dates_leniently():
    assert parse_w3c_datetime("2025-11") == datetime(2025, 11, 1, tzinfo=UTC)
    assert parse_w3c_datetime("2024") == datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_w3c_datetime("2025-03-04T10:00+02:00") == datetime(2025, 3, 4, 8, tzinfo=UTC)
    assert parse_w3c_datetime("hier") is None
    assert parse_sitemap(b"<html>not xml", limit=1000).kind == "unreadable"
    packed = gzip.compress(b"<urlset><url><lastmod>2025-01-02</lastmod></url></urlset>")
    assert parse_sitemap(packed, limit=1000).lastmods == (datetime(2025, 1, 2, tzinfo=UTC),)


# --- the crawl's bounds and manners -------------------------------------------------------


def test_it_reads_at_most_max_pages_html_pages(fresh_web, hosts):
    data = check_website(
        url("full_dealer"), policy=fresh_web.loopback_policy(), hosts=hosts, now=NOW, max_pages=2
    ).to_dict()
    assert kinds(data).count("home") + kinds(data).count("page") == 2
    site_paths = fresh_web.paths("www.garage-du-centre.test")
    assert "/occasions/" in site_paths  # the stock page comes first
    assert "/contact.html" not in site_paths


def test_it_reads_five_pages_by_default_chosen_by_purpose(measure):
    data = measure("full_dealer")
    read = [page["url"] for page in data["pages"] if page["kind"] in ("home", "page")]
    assert read == [
        "https://www.garage-du-centre.test/",
        "https://www.garage-du-centre.test/occasions/",
        "https://www.garage-du-centre.test/atelier/rendez-vous.html",
        "https://www.garage-du-centre.test/contact.html",
        "https://www.garage-du-centre.test/vehicules-neufs.html",
    ]


def test_it_starts_no_request_once_the_time_budget_is_spent(fresh_web, hosts):
    data = check_website(
        url("full_dealer"), policy=fresh_web.loopback_policy(), hosts=hosts, now=NOW, max_seconds=0
    ).to_dict()
    assert fresh_web.paths() == ["/"]
    assert data["checks"]["own_domain"]["ok"] is True
    assert {page["error"]["code"] for page in data["pages"][1:]} == {"budget"}


def test_it_does_not_credit_a_page_that_redirected_to_another_site():
    crawl_home = html_page('<a href="/rendez-vous">Rendez-vous</a>', "https://garage.test/")
    elsewhere = html_page(
        '<script src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>',
        "https://booking-tool.test/garage",
    )
    elsewhere.kind = "page"
    crawl = Crawl(requested_url="https://garage.test/", pages=[crawl_home, elsewhere])
    crawl.home = crawl_home
    assert crawl.site_pages == [crawl_home]


def test_it_honours_robots_txt_for_our_user_agent(fresh_web, hosts):
    data = check_website(
        url("robots_blocked"), policy=fresh_web.loopback_policy(), hosts=hosts, now=NOW
    ).to_dict()
    paths = fresh_web.paths("www.garage-discret.test")
    assert "/contact.html" not in paths
    assert "/sitemap.xml" not in paths
    assert "/occasions.html" in paths
    skipped = [
        page for page in data["pages"] if page["error"] and page["error"]["code"] == "robots"
    ]
    assert [page["url"] for page in skipped] == ["https://www.garage-discret.test/contact.html"]
    assert skipped[0]["status"] is None
    assert data["checks"]["contact_form"]["ok"] is False


def test_it_reads_nothing_more_when_robots_txt_fails(fresh_web, hosts):
    data = check_website(
        url("robots_down"), policy=fresh_web.loopback_policy(), hosts=hosts, now=NOW
    ).to_dict()
    # RFC 9309: a robots.txt that answers 5xx means "disallow everything".
    assert fresh_web.paths("www.garage-panne.test") == ["/", "/robots.txt", "/"]  # + http probe
    assert [page["error"]["code"] for page in data["pages"] if page["error"]] == ["robots"]


def test_it_sends_its_user_agent_on_every_request(fresh_web, hosts):
    check_website(url("full_dealer"), policy=fresh_web.loopback_policy(), hosts=hosts, now=NOW)
    agents = {hit.user_agent for hit in fresh_web.hits}
    assert agents == {fresh_web.loopback_policy().user_agent}
    assert agents.pop().startswith("DealerMaturityBot/1.0")


def test_it_reports_a_home_page_that_times_out(web, hosts):
    started = time.monotonic()
    data = check_website(
        url("slow"), policy=web.loopback_policy(read_timeout=0.3), hosts=hosts, now=NOW
    ).to_dict()
    assert time.monotonic() - started < 0.9
    assert data["error"]["code"] == "timeout"
    assert data["final_url"] is None
    assert {result["ok"] for result in data["checks"].values()} == {None}


def test_it_reports_a_redirect_loop(measure):
    data = measure("redirect_loop")
    assert data["error"]["code"] == "redirect_loop"
    assert {result["ok"] for result in data["checks"].values()} == {None}
    assert data["checks"]["own_domain"]["evidence"].startswith("home page not read")


def test_it_reports_a_home_page_in_error(measure):
    data = measure("huge_body", "/error")
    assert data["error"] == {"code": "http_status", "reason": "the home page answered 500"}
    assert kinds(data) == ["home"]


def test_it_reads_a_huge_home_page_up_to_the_cap(web, hosts):
    cap = 256 * 1024
    data = check_website(
        url("huge_body"), policy=web.loopback_policy(max_body_bytes=cap), hosts=hosts, now=NOW
    ).to_dict()
    assert data["error"] is None
    assert data["pages"][0]["truncated"] is True
    assert data["checks"]["mobile"]["ok"] is True
    assert data["checks"]["click_to_call"]["ok"] is True


def test_it_cannot_tell_page_checks_on_a_non_html_answer(measure):
    data = measure("brochure", "/plaquette.pdf")
    assert data["error"] is None
    assert data["checks"]["mobile"]["ok"] is None
    assert data["checks"]["contact_form"]["ok"] is None
    assert data["checks"]["own_domain"]["ok"] is True


def test_it_decodes_a_page_by_its_meta_charset():
    page = html_page(
        '<meta charset="windows-1252"><a href="/x">Réservez</a>'.encode("cp1252"),
        **{"Content-Type": "text/html"},
    )
    assert "Réservez" in page.text
    assert check_booking([page]).details["term"] == "reserv"


def test_it_survives_garbage():
    garbage = html_page(b"\x00\xff<html><body><form><<<a href='tel:12345'>x</form></div></p>")
    assert check_click_to_call([garbage]).ok is True
    assert check_stock([garbage], []).ok is False


def test_it_assumes_https_for_a_bare_host_name(web, hosts):
    measurement = check_website(
        "www.garage-du-centre.test", policy=web.loopback_policy(), hosts=hosts, now=NOW
    )
    assert measurement.url == "https://www.garage-du-centre.test"
    assert measurement.error is None


def test_it_refuses_a_url_that_is_not_http(web, hosts):
    data = check_website(
        "ftp://www.garage-du-centre.test/", policy=web.loopback_policy(), hosts=hosts, now=NOW
    ).to_dict()
    assert data["error"]["code"] == "scheme"
    assert data["pages"] == [
        {
            "url": "ftp://www.garage-du-centre.test/",
            "kind": "home",
            "status": None,
            "final_url": None,
            "truncated": False,
            "error": data["error"],
        }
    ]


# --- SSRF in a crawl ----------------------------------------------------------------------


def test_it_never_follows_a_site_into_private_addresses(fresh_web, hosts):
    data = check_website(
        url("private_links"), policy=fresh_web.production_policy(), hosts=hosts, now=NOW
    ).to_dict()
    refused = {
        page["url"].rsplit("/", 1)[-1]: page["error"]["reason"]
        for page in data["pages"]
        if page["error"] and page["error"]["code"] == "private_address"
    }
    assert set(refused) == {"occasions", "contact", "rendez-vous", "intranet"}
    assert "169.254.169.254" in refused["occasions"]
    assert "10.0.0.1" in refused["contact"]
    assert "127.0.0.1" in refused["rendez-vous"]
    assert "10.1.2.3" in refused["intranet"]
    # Never asked for, never dialled: the internal targets and the private sitemaps.
    assert "/secret" not in fresh_web.paths()
    assert {address for address, _ in fresh_web.dialled} == {PUBLIC_STANDIN}
    assert not any("10.0.0.1" in page["url"] for page in data["pages"])


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://127.0.0.1/",
        "https://metadata.garage-piege.test/",
    ],
)
def test_it_refuses_to_check_a_private_address(fresh_web, hosts, target):
    data = check_website(
        target, policy=fresh_web.production_policy(), hosts=hosts, now=NOW
    ).to_dict()
    assert data["error"]["code"] == "private_address"
    assert fresh_web.dialled == []
    assert fresh_web.hits == []


# --- host lists ---------------------------------------------------------------------------


def test_it_ships_host_lists_that_load(hosts):
    assert "concessions.citroen.fr" in hosts.manufacturer_locators
    assert "reseau.peugeot.fr" in hosts.manufacturer_locators
    assert {"leboncoin.fr", "lacentrale.fr", "autoscout24.fr", "spoticar.fr", "mobile.de"} <= set(
        hosts.marketplaces
    )
    assert load_host_lists(DEFAULT_HOSTS_FILE) == hosts


def test_it_matches_hosts_on_label_boundaries(hosts):
    assert hosts.classify("angers.concessions.citroen.fr").kind == MANUFACTURER_LOCATOR
    assert hosts.classify("WWW.LEBONCOIN.FR.").kind == MARKETPLACE
    assert hosts.classify("myconcessions.citroen.fr") is None
    assert hosts.classify("leboncoin.fr.garage.test") is None
    assert hosts.classify("notleboncoin.fr") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- leboncoin.fr\n", "expected a mapping"),
        ("manufacturer_locators: []\n", "marketplaces: missing"),
        ("manufacturer_locators: []\nmarketplace: []\n", "marketplace: unknown key"),
        ("manufacturer_locators: reseau.peugeot.fr\nmarketplaces: []\n", "manufacturer_locators:"),
        (
            "manufacturer_locators: []\nmarketplaces:\n  - leboncoin.fr\n  - https://lacentrale.fr/\n",
            "marketplaces[1]: 'https://lacentrale.fr/' is not a lower-case host name",
        ),
        ("manufacturer_locators: []\nmarketplaces: [42]\n", "marketplaces[0]: 42"),
        ("manufacturer_locators: [\n", "not valid YAML"),
    ],
)
def test_it_refuses_a_malformed_host_list_file(tmp_path, content, message):
    path = tmp_path / "website_hosts.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(HostListError) as refused:
        load_host_lists(path)
    assert message in str(refused.value)
    assert str(refused.value).startswith("website_hosts.yaml: ")


# --- results and framework independence ---------------------------------------------------


def test_it_keeps_evidence_short():
    result = CheckResult(ok=True, evidence="x" * 1000 + "\n  y")
    assert len(result.evidence) == 240
    assert result.evidence.endswith("…")


def test_it_refuses_a_measurement_without_every_check():
    with pytest.raises(ValueError, match="own_domain"):
        WebsiteMeasurement(
            url="https://x.test/",
            final_url=None,
            fetched_at=NOW,
            error=None,
            pages=[],
            checks={"own_domain": CheckResult(None, "?")},
        )


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_it_never_imports_django_in_measurements_or_the_outgoing_guard():
    from tests.test_architecture import MEASUREMENT_DJANGO_SIDE

    files = [
        *(
            path
            for path in sorted((ROOT / "maturity" / "measurements").rglob("*.py"))
            if path.stem not in MEASUREMENT_DJANGO_SIDE  # the Django side of a measurement
        ),
        ROOT / "common/outgoing.py",
    ]
    assert len(files) >= 9
    for path in files:
        for name in _imported_modules(path):
            assert name.split(".")[0] != "django", f"{path.relative_to(ROOT)} imports {name}"
