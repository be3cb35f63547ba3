"""The outgoing-request guard: schemes, SSRF refusals, redirects, size and time bounds.

Production-mode tests (``allow_private=False``) use ``FixtureWeb.production_policy``: its
``dial`` hook only ever connects to the two loopback fixture servers, so a refused request
is provably never sent anywhere.
"""

from __future__ import annotations

import dataclasses
import socket
import time

import pytest

from common.outgoing import (
    DEFAULT_USER_AGENT,
    BodyTooLarge,
    ConnectFailed,
    CredentialsNotAllowed,
    DNSFailure,
    FetchResult,
    HTTPStatusError,
    InvalidURL,
    OutgoingError,
    OutgoingPolicy,
    OutgoingTimeout,
    PrivateAddress,
    RedirectLoop,
    SchemeNotAllowed,
    TLSFailure,
    TooManyRedirects,
    address_problem,
    check_url_allowed,
    fetch,
)
from tests.measurements.sites import PUBLIC_STANDIN, FixtureWeb, url

PRIVATE_ADDRESSES = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "169.254.1.1",
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.10",
    "198.18.0.1",
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",
    "2002:a00:1::1",
    "2001:db8::1",
    "not-an-address",
]
PUBLIC_ADDRESSES = ["1.2.3.4", "8.8.8.8", "93.184.215.14", "2606:4700:4700::1111"]


@pytest.mark.parametrize("address", PRIVATE_ADDRESSES)
def test_it_classifies_non_public_addresses(address):
    assert address_problem(address) is not None


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_it_classifies_public_addresses(address):
    assert address_problem(address) is None


def test_it_names_the_cloud_metadata_address():
    assert "metadata" in (address_problem("169.254.169.254") or "")
    assert "CGNAT" in (address_problem("100.64.0.1") or "")
    assert "127.0.0.1" in (address_problem("::ffff:127.0.0.1") or "")


@pytest.mark.parametrize(
    "target",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.org/",
        "gopher://example.org/",
        "javascript:alert(1)",
        "data:text/html,hi",
        "dict://example.org:11211/",
        "//example.org/no-scheme",
    ],
)
def test_it_refuses_schemes_other_than_http_and_https(target):
    with pytest.raises(SchemeNotAllowed) as refused:
        check_url_allowed(target, policy=OutgoingPolicy())
    assert refused.value.code == "scheme"


def test_it_refuses_urls_with_credentials():
    with pytest.raises(CredentialsNotAllowed) as refused:
        fetch("https://admin:secret@www.garage-du-centre.test/", policy=OutgoingPolicy())
    assert refused.value.code == "credentials"


def test_it_refuses_urls_without_a_host():
    with pytest.raises(InvalidURL) as refused:
        check_url_allowed("http://", policy=OutgoingPolicy())
    assert refused.value.code == "invalid_url"


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[fe80::1]/",
        "http://100.64.1.1/",
        "http://0.0.0.0:8000/",
    ],
)
def test_it_refuses_private_ip_urls_without_connecting(fresh_web: FixtureWeb, target):
    policy = fresh_web.production_policy()
    with pytest.raises(PrivateAddress) as refused:
        fetch(target, policy=policy)
    assert refused.value.code == "private_address"
    assert "refused" in refused.value.reason
    with pytest.raises(PrivateAddress):
        check_url_allowed(target, policy=policy)
    assert fresh_web.dialled == []


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("intranet.garage-piege.test", "10.1.2.3"),
        ("metadata.garage-piege.test", "169.254.169.254"),
        ("localhost.garage-piege.test", "127.0.0.1"),
        ("mapped.garage-piege.test", "::ffff:10.0.0.1"),
    ],
)
def test_it_refuses_a_public_looking_name_that_resolves_to_a_private_address(
    fresh_web: FixtureWeb, host, address
):
    with pytest.raises(PrivateAddress) as refused:
        fetch(f"https://{host}/", policy=fresh_web.production_policy())
    assert host in refused.value.reason
    assert address in refused.value.reason
    assert fresh_web.dialled == []


def test_it_refuses_a_name_when_any_of_its_addresses_is_private(fresh_web: FixtureWeb):
    policy = dataclasses.replace(
        fresh_web.production_policy(), resolver=lambda host: [PUBLIC_STANDIN, "10.0.0.7"]
    )
    with pytest.raises(PrivateAddress, match=r"10\.0\.0\.7"):
        fetch(url("full_dealer"), policy=policy)
    assert fresh_web.dialled == []


@pytest.mark.parametrize(
    "target", ["http://localhost/", "http://2130706433/", "http://0x7f.0.0.1/", "http://127.1/"]
)
def test_it_refuses_loopback_in_disguise_with_the_system_resolver(target):
    # Decimal, hexadecimal and short forms are names to httpx; the system resolver turns
    # them into 127.0.0.1 locally (no DNS query), and the resolved address is what counts.
    with pytest.raises(PrivateAddress, match=r"127\.0\.0\.1"):
        check_url_allowed(target, policy=OutgoingPolicy())


def test_it_checks_the_address_it_connects_to_against_dns_rebinding(fresh_web: FixtureWeb):
    answers = iter([[PUBLIC_STANDIN], ["10.0.0.1"], [PUBLIC_STANDIN]])
    calls: list[str] = []

    def rebinding(host: str) -> list[str]:
        calls.append(host)
        return next(answers)

    policy = dataclasses.replace(fresh_web.production_policy(), resolver=rebinding)
    check_url_allowed(url("full_dealer"), policy=policy)  # public at save time
    with pytest.raises(PrivateAddress):
        fetch(url("full_dealer"), policy=policy)  # private when the request is made
    result = fetch(url("full_dealer"), policy=policy)
    assert result.status == 200
    # One resolution per connection, and the socket went to the very address checked.
    assert len(calls) == 3
    assert fresh_web.dialled == [(PUBLIC_STANDIN, 443)]


@pytest.mark.parametrize(
    ("path", "address"),
    [
        ("/occasions", "169.254.169.254"),
        ("/contact", "10.0.0.1"),
        ("/rendez-vous", "127.0.0.1"),
        ("/intranet", "10.1.2.3"),
    ],
)
def test_it_refuses_a_redirect_to_a_private_address(fresh_web: FixtureWeb, path, address):
    with pytest.raises(PrivateAddress, match=address.replace(".", r"\.")):
        fetch(url("private_links", path), policy=fresh_web.production_policy())
    assert fresh_web.paths() == [path]  # the first hop only; /secret is never asked for
    assert {address for address, _ in fresh_web.dialled} == {PUBLIC_STANDIN}


def test_it_refuses_a_redirect_to_another_scheme(fresh_web: FixtureWeb):
    with pytest.raises(SchemeNotAllowed):
        fetch(url("private_links", "/to-file"), policy=fresh_web.production_policy())


def test_it_follows_redirects_and_records_each_hop(fresh_web: FixtureWeb):
    result = fetch(
        url("full_dealer", "/contact.html", scheme="http"), policy=fresh_web.production_policy()
    )
    assert isinstance(result, FetchResult)
    assert result.status == 200
    assert result.final_url == "https://www.garage-du-centre.test/contact.html"
    assert result.redirects == [("http://www.garage-du-centre.test/contact.html", 301)]
    assert b"<form" in result.body
    assert result.content_type == "text/html"


def test_it_keeps_the_host_name_for_tls_and_the_host_header(fresh_web: FixtureWeb):
    # The socket goes to the checked IP; certificate verification (SNI) and Host still use
    # the name: the fixture certificate names www.garage-du-centre.test, not an address.
    result = fetch(url("full_dealer"), policy=fresh_web.production_policy())
    assert result.status == 200
    assert fresh_web.hits[-1].host == "www.garage-du-centre.test"
    assert fresh_web.hits[-1].scheme == "https"


def test_it_reports_a_certificate_it_cannot_verify(web: FixtureWeb):
    policy = dataclasses.replace(web.production_policy(), ssl_context=None)
    with pytest.raises(TLSFailure) as failed:
        fetch(url("full_dealer"), policy=policy)
    assert failed.value.code == "tls"
    assert isinstance(failed.value, ConnectFailed)


def test_it_stops_a_redirect_loop(web: FixtureWeb):
    with pytest.raises(RedirectLoop) as looped:
        fetch(url("redirect_loop"), policy=web.production_policy())
    assert looped.value.code == "redirect_loop"
    assert isinstance(looped.value, TooManyRedirects)


def test_it_bounds_the_number_of_redirects(fresh_web: FixtureWeb):
    with pytest.raises(TooManyRedirects) as bounded:
        fetch(url("redirect_loop", "/hops/0"), policy=fresh_web.production_policy(max_redirects=3))
    assert bounded.value.code == "too_many_redirects"
    assert "more than 3 redirects" in bounded.value.reason
    assert fresh_web.paths() == ["/hops/0", "/hops/1", "/hops/2", "/hops/3"]


def test_it_refuses_any_redirect_when_the_policy_allows_none(web: FixtureWeb):
    with pytest.raises(TooManyRedirects):
        fetch(url("redirect_loop", "/hops/0"), policy=web.production_policy(max_redirects=0))


def test_it_drops_credentials_when_a_redirect_changes_host(web: FixtureWeb):
    result = fetch(
        url("private_links", "/to-echo"),
        policy=web.production_policy(),
        headers={"Authorization": "Bearer test-token", "X-Trace": "kept"},
    )
    echoed = result.body.decode().lower()
    assert "x-trace: kept" in echoed
    assert "authorization" not in echoed


def test_it_sends_its_user_agent(web: FixtureWeb):
    result = fetch(url("redirect_loop", "/echo"), policy=web.production_policy())
    assert f"User-Agent: {DEFAULT_USER_AGENT}" in result.body.decode()
    custom = fetch(
        url("redirect_loop", "/echo"), policy=web.production_policy(user_agent="TestBot/2.0")
    )
    assert "User-Agent: TestBot/2.0" in custom.body.decode()


def test_it_refuses_a_body_over_the_cap(web: FixtureWeb):
    with pytest.raises(BodyTooLarge) as refused:
        fetch(url("huge_body"), policy=web.production_policy(max_body_bytes=64 * 1024))
    assert refused.value.code == "too_large"


def test_it_cuts_a_body_at_the_cap_when_asked(web: FixtureWeb):
    cap = 64 * 1024
    result = fetch(
        url("huge_body"), policy=web.production_policy(max_body_bytes=cap), allow_truncated=True
    )
    assert result.truncated is True
    assert len(result.body) == cap
    small = fetch(url("full_dealer"), policy=web.production_policy(), allow_truncated=True)
    assert small.truncated is False


def test_it_refuses_an_announced_oversized_body_before_reading_it(web: FixtureWeb):
    with pytest.raises(BodyTooLarge, match="announces"):
        fetch(url("huge_body", "/declared"), policy=web.production_policy())


def test_it_caps_the_decompressed_size_of_a_gzip_answer(web: FixtureWeb):
    with pytest.raises(BodyTooLarge):
        fetch(url("huge_body", "/gzip"), policy=web.production_policy(max_body_bytes=64 * 1024))


def test_it_times_out_on_a_slow_answer(web: FixtureWeb):
    started = time.monotonic()
    with pytest.raises(OutgoingTimeout) as late:
        fetch(url("slow"), policy=web.production_policy(read_timeout=0.3))
    assert late.value.code == "timeout"
    assert time.monotonic() - started < 0.9


def test_it_bounds_the_total_time_of_a_trickling_answer(web: FixtureWeb):
    started = time.monotonic()
    with pytest.raises(OutgoingTimeout, match="in total"):
        fetch(url("slow", "/trickle"), policy=web.production_policy(total_timeout=0.4))
    assert time.monotonic() - started < 1.5


def test_it_returns_error_statuses_and_raises_them_on_request(web: FixtureWeb):
    result = fetch(url("huge_body", "/error"), policy=web.production_policy())
    assert result.status == 500
    with pytest.raises(HTTPStatusError) as failed:
        result.raise_for_status()
    assert failed.value.code == "http_status"
    assert failed.value.status == 500


def test_it_reports_a_refused_connection():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on that port any more: a loopback connect is refused at once.
    with pytest.raises(ConnectFailed) as failed:
        fetch(f"http://127.0.0.1:{port}/", policy=OutgoingPolicy(allow_private=True))
    assert failed.value.code == "connect"


def test_it_reports_a_name_that_does_not_resolve(web: FixtureWeb):
    with pytest.raises(DNSFailure) as failed:
        fetch("https://unknown.garage.test/", policy=web.production_policy())
    assert failed.value.code == "dns"
    empty = dataclasses.replace(web.production_policy(), resolver=lambda host: [])
    with pytest.raises(DNSFailure, match="no address"):
        check_url_allowed("https://www.garage-du-centre.test/", policy=empty)


def test_it_checks_a_url_without_fetching_it(fresh_web: FixtureWeb):
    check_url_allowed(url("full_dealer", "/webhook"), policy=fresh_web.production_policy())
    assert fresh_web.hits == []
    assert fresh_web.dialled == []


def test_it_ignores_proxy_environment_variables(fresh_web: FixtureWeb, monkeypatch):
    # A proxy would connect on our behalf to any address: the guard never uses one.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "http://10.9.9.9:3128")
    result = fetch(url("full_dealer"), policy=fresh_web.production_policy())
    assert result.status == 200
    assert {address for address, _ in fresh_web.dialled} == {PUBLIC_STANDIN}


def test_it_gives_every_error_a_code_and_a_reason():
    error = PrivateAddress("10.0.0.1 is a private address: refused", url="http://10.0.0.1/")
    assert isinstance(error, OutgoingError)
    assert error.as_dict() == {
        "code": "private_address",
        "reason": "10.0.0.1 is a private address: refused",
    }


@pytest.mark.parametrize(
    "limits",
    [
        {"connect_timeout": 0},
        {"read_timeout": -1},
        {"total_timeout": 0},
        {"max_body_bytes": 0},
        {"max_redirects": -1},
    ],
)
def test_it_refuses_a_policy_without_bounds(limits):
    with pytest.raises(ValueError, match="OutgoingPolicy"):
        OutgoingPolicy(**limits)


def test_it_has_production_defaults():
    policy = OutgoingPolicy()
    assert policy.allow_private is False
    assert (policy.connect_timeout, policy.read_timeout) == (5.0, 10.0)
    assert policy.max_body_bytes == 2 * 1024 * 1024
    assert policy.max_redirects == 5
    assert policy.user_agent.startswith("DealerMaturityBot/1.0")
    assert policy.dial is None
