"""The one guard for every outgoing HTTP request of the product.

Why: the website check (and, later, webhooks) fetches URLs that users type. Left alone, such
a request can be aimed at our own infrastructure: cloud metadata (169.254.169.254), an admin
port on 127.0.0.1, a database on 10.x (server-side request forgery, SSRF). Every outgoing
request therefore goes through :func:`fetch` or :class:`OutgoingClient`, which

- accept only ``http`` and ``https`` URLs, without credentials;
- resolve the host name themselves and refuse it when *any* of its addresses is not public
  (loopback, private, link-local, CGNAT, multicast, reserved, IPv4 embedded in IPv6...).
  The check runs inside the network backend, at connect time, and the socket is opened to
  the very address that was checked: a DNS answer that changes between a check and the
  connect (DNS rebinding) has no window to slip through;
- follow redirects here, one hop at a time, each hop re-checked and counted;
- stream bodies and stop at a size cap, and bound connect, read and total time;
- ignore proxy environment variables (a proxy would connect on our behalf, unchecked).

Plain Python, no Django import: the Django side builds an :class:`OutgoingPolicy` from
``settings.OUTGOING_ALLOW_PRIVATE`` and passes it in.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpcore
import httpx

__all__ = [
    "DEFAULT_USER_AGENT",
    "BodyTooLarge",
    "ConnectFailed",
    "CredentialsNotAllowed",
    "DNSFailure",
    "FetchResult",
    "GuardedBackend",
    "GuardedTransport",
    "HTTPStatusError",
    "InvalidURL",
    "OutgoingClient",
    "OutgoingError",
    "OutgoingPolicy",
    "OutgoingTimeout",
    "PrivateAddress",
    "ProtocolFailure",
    "RedirectLoop",
    "SchemeNotAllowed",
    "TLSFailure",
    "TooManyRedirects",
    "address_problem",
    "check_url_allowed",
    "fetch",
    "system_resolver",
]

DEFAULT_USER_AGENT = "DealerMaturityBot/1.0 (+https://dealer-maturity.example/bot; website check)"
ALLOWED_SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# A host with many addresses must not multiply the connect timeout without bound.
MAX_ADDRESSES_TRIED = 3
# Headers that must not follow a redirect to another host.
_SENSITIVE_HEADERS = ("authorization", "cookie", "proxy-authorization")

Resolver = Callable[[str], list[str]]
Dialer = Callable[[str, int], tuple[str, int]]


# --- errors -------------------------------------------------------------------------------


class OutgoingError(Exception):
    """Why an outgoing request was refused or failed.

    ``code`` is stable (the UI translates it); ``reason`` is a short English sentence for
    logs and for people who read the raw measurement.
    """

    code = "error"

    def __init__(self, reason: str, *, url: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "reason": self.reason}


class InvalidURL(OutgoingError):
    code = "invalid_url"


class SchemeNotAllowed(OutgoingError):
    code = "scheme"


class CredentialsNotAllowed(OutgoingError):
    code = "credentials"


class PrivateAddress(OutgoingError):
    code = "private_address"


class DNSFailure(OutgoingError):
    code = "dns"


class OutgoingTimeout(OutgoingError):
    code = "timeout"


class ConnectFailed(OutgoingError):
    code = "connect"


class TLSFailure(ConnectFailed):
    code = "tls"


class ProtocolFailure(OutgoingError):
    code = "protocol"


class TooManyRedirects(OutgoingError):
    code = "too_many_redirects"


class RedirectLoop(TooManyRedirects):
    code = "redirect_loop"


class BodyTooLarge(OutgoingError):
    code = "too_large"


class HTTPStatusError(OutgoingError):
    code = "http_status"

    def __init__(self, reason: str, *, url: str | None = None, status: int) -> None:
        super().__init__(reason, url=url)
        self.status = status


# --- policy -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingPolicy:
    """Limits of outgoing requests. The defaults are the production ones.

    ``resolver`` maps a host name to IP address strings (default :func:`system_resolver`).
    ``ssl_context`` replaces the default verifying TLS context (e.g. a private CA bundle).
    ``dial`` is a test hook only: it maps an address that passed the check to the
    (host, port) really dialled, so tests can pretend a public address lives on loopback.
    Production code never sets it.
    """

    allow_private: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    # Read timeouts apply per read; this bounds a server that trickles bytes forever.
    total_timeout: float = 30.0
    max_body_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    resolver: Resolver | None = field(default=None, compare=False)
    ssl_context: ssl.SSLContext | None = field(default=None, compare=False)
    dial: Dialer | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"OutgoingPolicy.{name} must be positive")
        if self.max_body_bytes <= 0:
            raise ValueError("OutgoingPolicy.max_body_bytes must be positive")
        if self.max_redirects < 0:
            raise ValueError("OutgoingPolicy.max_redirects must not be negative")


# --- addresses ----------------------------------------------------------------------------

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_METADATA = ipaddress.ip_address("169.254.169.254")


def system_resolver(host: str) -> list[str]:
    """The addresses the system resolver gives for ``host``, in its order, without repeats."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    # IPv6 forms that carry an IPv4 address a gateway may deliver to: mapped, 6to4, Teredo
    # and NAT64. ::ffff:127.0.0.1 reaches loopback on dual-stack sockets.
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in network for network in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(address: str) -> str | None:
    """Why ``address`` must not be connected to, or ``None`` when it is a public address."""
    try:
        # A zone index ("fe80::1%eth0") is not part of the address itself.
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "invalid"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            problem = address_problem(str(embedded))
            if problem is not None:
                return f"{problem} (IPv4 {embedded} embedded in IPv6)"
    # Explicit checks first, for a precise reason; ``is_global`` last catches the rest
    # (0.0.0.0/8, 192.0.0.0/24, benchmarking 198.18/15, documentation ranges...).
    if ip.is_loopback:
        return "loopback"
    if ip == _METADATA:
        return "link-local (cloud metadata)"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "shared (CGNAT)"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "non-global"
    return None


def _resolve(host: str, policy: OutgoingPolicy) -> list[str]:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    else:
        return [host]
    resolver = policy.resolver or system_resolver
    try:
        addresses = [str(a) for a in resolver(host)]
    except (OSError, UnicodeError) as exc:
        raise DNSFailure(f"cannot resolve {host}: {exc}") from exc
    if not addresses:
        raise DNSFailure(f"{host} resolves to no address")
    return addresses


def _checked_addresses(host: str, policy: OutgoingPolicy) -> list[str]:
    """Resolve ``host`` and refuse it when any of its addresses is not public."""
    addresses = _resolve(host, policy)
    if not policy.allow_private:
        # Any bad address refuses the host: skipping it would let a name that mixes a
        # public and a private answer reach the private one on a retry.
        for address in addresses:
            problem = address_problem(address)
            if problem is not None:
                shown = host if host == address else f"{host} resolves to {address}, which"
                raise PrivateAddress(f"{shown} is a {problem} address: refused")
    return addresses


# --- httpx / httpcore wiring --------------------------------------------------------------


class GuardedBackend(httpcore.SyncBackend):
    """httpcore network backend that resolves, checks, then connects to the checked IP.

    httpcore hands ``connect_tcp`` the origin's host name; TLS (SNI and certificate
    checks) and the Host header keep using that name, only the socket goes to the IP.
    """

    def __init__(self, policy: OutgoingPolicy) -> None:
        self._policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _checked_addresses(host, self._policy)
        last_error: httpcore.ConnectError | None = None
        for address in addresses[:MAX_ADDRESSES_TRIED]:
            dial_host, dial_port = (
                (address, port) if self._policy.dial is None else self._policy.dial(address, port)
            )
            try:
                return super().connect_tcp(
                    dial_host,
                    dial_port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                # Try the host's next address, as socket.create_connection would.
                last_error = exc
        assert last_error is not None  # addresses is never empty
        raise last_error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise ConnectFailed("unix sockets are never used for outgoing requests")


class GuardedTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` whose connection pool uses :class:`GuardedBackend`.

    ``HTTPTransport.__init__`` builds its ``httpcore.ConnectionPool`` with the default
    backend and offers no way to pass one; we rebuild the pool with the same arguments it
    uses (httpx/_transports/default.py) plus ours, and keep its ``handle_request``.
    """

    def __init__(self, policy: OutgoingPolicy) -> None:
        ssl_context = policy.ssl_context or httpx.create_ssl_context(trust_env=False)
        super().__init__(verify=ssl_context, trust_env=False, retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            http1=True,
            http2=False,
            retries=0,
            network_backend=GuardedBackend(policy),
        )


# --- fetching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchResult:
    """A response read under the policy. ``redirects`` lists each hop as (url, status)."""

    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    body: bytes
    redirects: list[tuple[str, int]] = field(default_factory=list)
    # True only when the caller asked for ``allow_truncated`` and the body was over the cap.
    truncated: bool = False

    @property
    def content_type(self) -> str:
        """The media type, lower-case, without parameters ("" when absent)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def raise_for_status(self) -> None:
        if self.status >= 400:
            raise HTTPStatusError(
                f"{self.final_url} answered {self.status}", url=self.final_url, status=self.status
            )


def _parse(url: str | httpx.URL) -> httpx.URL:
    """The URL, refused unless it is http(s), has a host and carries no credentials."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise InvalidURL(f"not a valid URL: {exc}", url=str(url)) from exc
    if parsed.scheme not in ALLOWED_SCHEMES:
        raise SchemeNotAllowed(
            f"only http and https URLs are fetched, not {parsed.scheme or 'a relative'} URL",
            url=str(url),
        )
    if parsed.userinfo:
        raise CredentialsNotAllowed("URLs with a user name or password are refused", url=str(url))
    if not parsed.host:
        raise InvalidURL("the URL has no host", url=str(url))
    return parsed


def _raw_host(url: httpx.URL) -> str:
    # raw_host is IDNA-encoded and lower-case: the name the backend will see.
    return url.raw_host.decode("ascii")


def check_url_allowed(url: str, *, policy: OutgoingPolicy) -> None:
    """Refuse ``url`` as :func:`fetch` would, without fetching it (e.g. a webhook at save).

    The check is repeated at every real request: an answer that was public today may not be
    tomorrow.
    """
    parsed = _parse(url)
    _checked_addresses(_raw_host(parsed), policy)


def _cause_chain(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _translate(exc: httpx.HTTPError, url: str) -> OutgoingError:
    """Our error for an httpx one, so callers only ever catch :class:`OutgoingError`."""
    if isinstance(exc, httpx.TimeoutException):
        return OutgoingTimeout(f"{url}: timed out ({type(exc).__name__})", url=url)
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in _cause_chain(exc)):
            return TLSFailure(f"{url}: TLS failed: {exc}", url=url)
        return ConnectFailed(f"{url}: cannot connect: {exc}", url=url)
    if isinstance(exc, httpx.ProtocolError | httpx.DecodingError):
        return ProtocolFailure(f"{url}: invalid HTTP answer: {exc}", url=url)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return InvalidURL(f"{url}: {exc}", url=url)
    return ConnectFailed(f"{url}: network error: {exc}", url=url)


class OutgoingClient:
    """A reusable guarded client (keeps connections alive across requests of one job).

    Use as a context manager; :func:`fetch` is the one-shot form.
    """

    def __init__(self, policy: OutgoingPolicy) -> None:
        self.policy = policy
        self._client = httpx.Client(
            transport=GuardedTransport(policy),
            trust_env=False,
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=policy.connect_timeout,
                read=policy.read_timeout,
                write=policy.read_timeout,
                pool=policy.connect_timeout,
            ),
            # Only encodings httpx decodes without optional packages.
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def __enter__(self) -> OutgoingClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        allow_truncated: bool = False,
        content: bytes | None = None,
    ) -> FetchResult:
        """Fetch ``url`` under the policy, following redirects one checked hop at a time.

        Any HTTP status is returned (see :meth:`FetchResult.raise_for_status`). A body over
        ``max_body_bytes`` raises :class:`BodyTooLarge`, or with ``allow_truncated`` is cut
        at the cap and flagged ``truncated``. Every failure is an :class:`OutgoingError`.
        ``content`` is the request body (e.g. a webhook's JSON); a redirect that turns the
        request into a GET drops it.
        """
        policy = self.policy
        deadline = time.monotonic() + policy.total_timeout
        current = _parse(url)
        method = method.upper()
        request_headers = dict(headers or {})
        redirects: list[tuple[str, int]] = []
        seen: set[tuple[str, str]] = set()
        while True:
            key = (method, str(current))
            if key in seen:
                raise RedirectLoop(
                    f"redirect loop: {current} was already visited", url=str(current)
                )
            seen.add(key)
            if time.monotonic() > deadline:
                raise OutgoingTimeout(f"{url}: over {policy.total_timeout:g} s in total", url=url)
            response = self._send(method, current, request_headers, content)
            try:
                if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                    redirects.append((str(current), response.status_code))
                    if len(redirects) > policy.max_redirects:
                        raise TooManyRedirects(
                            f"{url}: more than {policy.max_redirects} redirects", url=url
                        )
                    target = self._redirect_target(current, response.headers["location"])
                    if response.status_code == 303 or (
                        response.status_code in (301, 302) and method == "POST"
                    ):
                        method = "GET"
                        content = None
                    if target.raw_host != current.raw_host:
                        request_headers = {
                            k: v
                            for k, v in request_headers.items()
                            if k.lower() not in _SENSITIVE_HEADERS
                        }
                    current = target
                    continue
                body, truncated = self._read_body(response, deadline, allow_truncated)
                return FetchResult(
                    url=str(url),
                    final_url=str(current),
                    status=response.status_code,
                    headers=response.headers,
                    body=body,
                    redirects=redirects,
                    truncated=truncated,
                )
            finally:
                response.close()

    def _redirect_target(self, current: httpx.URL, location: str) -> httpx.URL:
        try:
            joined = current.join(location)
        except (httpx.InvalidURL, ValueError) as exc:
            raise InvalidURL(f"{current}: invalid redirect to {location!r}", url=location) from exc
        # A redirect to file:, gopher: or a URL with credentials is refused like a request.
        return _parse(joined.copy_with(fragment=None))

    def _send(
        self,
        method: str,
        url: httpx.URL,
        headers: Mapping[str, str],
        content: bytes | None = None,
    ) -> httpx.Response:
        request = self._client.build_request(method, url, headers=headers, content=content)
        try:
            return self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            # OutgoingError raised by the backend (private address, DNS) is not an
            # httpx error: httpx re-raises it untouched and it passes through here.
            raise _translate(exc, str(url)) from exc

    def _read_body(
        self, response: httpx.Response, deadline: float, allow_truncated: bool
    ) -> tuple[bytes, bool]:
        cap = self.policy.max_body_bytes
        url = str(response.request.url)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap and not allow_truncated:
            raise BodyTooLarge(f"{url}: announces {declared} bytes, over {cap}", url=url)
        chunks: list[bytes] = []
        size = 0
        try:
            # iter_bytes yields decoded content: the cap applies to what we keep in memory,
            # so a small gzip "bomb" cannot expand past it.
            for chunk in response.iter_bytes():
                if size + len(chunk) > cap:
                    if not allow_truncated:
                        raise BodyTooLarge(f"{url}: body over {cap} bytes", url=url)
                    chunks.append(chunk[: cap - size])
                    return b"".join(chunks), True
                chunks.append(chunk)
                size += len(chunk)
                if time.monotonic() > deadline:
                    raise OutgoingTimeout(
                        f"{url}: over {self.policy.total_timeout:g} s in total", url=url
                    )
        except httpx.HTTPError as exc:
            raise _translate(exc, url) from exc
        return b"".join(chunks), False


def fetch(
    url: str,
    *,
    policy: OutgoingPolicy,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    allow_truncated: bool = False,
    content: bytes | None = None,
) -> FetchResult:
    """Fetch one URL under ``policy`` (see :meth:`OutgoingClient.fetch`)."""
    with OutgoingClient(policy) as client:
        return client.fetch(
            url,
            method=method,
            headers=headers,
            allow_truncated=allow_truncated,
            content=content,
        )
