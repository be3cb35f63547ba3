"""Fixture web sites on loopback for the website-check tests.

One plain-HTTP server and one HTTPS server on 127.0.0.1 (random ports) serve every site of
``tests/fixtures/sites/``, chosen by the Host header, so URLs look real
(``https://www.garage-du-centre.test/``). Tests reach them through the policy hooks of
:mod:`common.outgoing`: the ``resolver`` maps fixture names to an address and ``dial`` maps
ports 80/443 to the two servers. Behaviours a static folder cannot give (redirects, a slow
answer, a huge body) are routes in :data:`SITES`. Every request is logged for assertions.

Two ways to build a policy:

- :meth:`FixtureWeb.loopback_policy`: ``allow_private=True``, names resolve to 127.0.0.1
  (what the checker sees is loopback, allowed in this mode);
- :meth:`FixtureWeb.production_policy`: ``allow_private=False``; fixture names resolve to
  :data:`PUBLIC_STANDIN` (a public address) that ``dial`` sends to loopback, trap names
  resolve to private addresses. ``dial`` refuses anything else, so even a guard bug could
  never send a packet beyond this machine.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import mimetypes
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.outgoing import OutgoingPolicy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
# Stands for "some public address" in production-mode tests; never really dialled.
PUBLIC_STANDIN = "1.2.3.4"
BOT_NAME = "DealerMaturityBot"

Route = Callable[["_Handler", "FixtureWeb"], None]


@dataclass(frozen=True)
class Site:
    host: str
    folder: str | None = None  # under tests/fixtures/sites/
    # "serve": http:// answers like https://; "redirect_https": http:// answers 301 to https.
    http: str = "serve"
    https: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    # Send "text/html" without a charset (the page declares its own in <meta>).
    html_charset_header: bool = True
    routes: dict[str, Route] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    scheme: str
    host: str
    path: str
    user_agent: str


# --- routes -------------------------------------------------------------------------------


def redirect(location: str, status: int = 302) -> Route:
    def route(handler: _Handler, web: FixtureWeb) -> None:
        handler.send_response(status)
        handler.send_header("Location", location.format(http_port=web.http_port))
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def hop(handler: _Handler, web: FixtureWeb) -> None:
    """/hops/N redirects to /hops/N+1, forever."""
    number = int(handler.path.rsplit("/", 1)[-1] or 0)
    redirect(f"/hops/{number + 1}")(handler, web)


def slow(delay: float) -> Route:
    def route(handler: _Handler, web: FixtureWeb) -> None:
        time.sleep(delay)
        handler.answer(200, b"<html><body>late</body></html>", "text/html; charset=utf-8")

    return route


def trickle(handler: _Handler, web: FixtureWeb) -> None:
    """Headers at once, then a byte every 0.1 s: each read is quick, the whole is not."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    for _ in range(40):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.1)


HUGE_HEAD = (
    b'<!doctype html><html><head><meta name="viewport" content="width=device-width">'
    b'<title>Huge</title></head><body><a href="tel:+33241000000">Appeler</a>'
)


def huge(size: int) -> Route:
    """An HTML page of ``size`` bytes, streamed without Content-Length."""

    def route(handler: _Handler, web: FixtureWeb) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.end_headers()
        handler.wfile.write(HUGE_HEAD)
        filler = b"<p>" + b"a" * 1020 + b"</p>"
        for _ in range(size // len(filler)):
            handler.wfile.write(filler)

    return route


def declared_huge(handler: _Handler, web: FixtureWeb) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(50 * 1024 * 1024))
    handler.end_headers()
    handler.wfile.write(b"<html>")


def gzip_bomb(handler: _Handler, web: FixtureWeb) -> None:
    """1 MiB of zeros that travels as about 1 KiB of gzip."""
    body = gzip.compress(b"\0" * (1024 * 1024))
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def server_error(handler: _Handler, web: FixtureWeb) -> None:
    handler.answer(500, b"<html><body>Erreur</body></html>", "text/html")


def echo_headers(handler: _Handler, web: FixtureWeb) -> None:
    lines = "\n".join(f"{k}: {v}" for k, v in handler.headers.items())
    handler.answer(200, lines.encode(), "text/plain")


# --- sites --------------------------------------------------------------------------------

SITES: dict[str, Site] = {
    "full_dealer": Site(
        host="www.garage-du-centre.test",
        folder="full_dealer",
        http="redirect_https",
        headers={"Strict-Transport-Security": "max-age=31536000"},
    ),
    "brochure": Site(
        host="www.garage-brochure.test",
        folder="brochure",
        https=False,
        headers={"Last-Modified": "Tue, 05 Mar 2019 10:00:00 GMT"},
    ),
    "body_shop": Site(
        host="carrosserie-martin.test",
        folder="body_shop",
        http="serve",
        html_charset_header=False,
    ),
    "locator_only": Site(host="concessions.citroen.fr", folder="locator_only"),
    "marketplace": Site(host="www.leboncoin.fr", folder="marketplace"),
    "robots_blocked": Site(host="www.garage-discret.test", folder="robots_blocked"),
    "private_links": Site(
        host="www.garage-piege.test",
        folder="private_links",
        routes={
            "/occasions": redirect("http://169.254.169.254/latest/meta-data/"),
            "/contact": redirect("http://10.0.0.1/contact"),
            "/rendez-vous": redirect("http://127.0.0.1:{http_port}/secret"),
            "/intranet": redirect("http://intranet.garage-piege.test/"),
            "/to-file": redirect("file:///etc/passwd"),
            "/to-echo": redirect("https://loop.test/echo"),
            "/secret": lambda handler, web: handler.answer(200, b"secret", "text/plain"),
        },
    ),
    "news_garage": Site(host="www.garage-actu.test", folder="news_garage"),
    "robots_down": Site(
        host="www.garage-panne.test",
        routes={
            "/": lambda handler, web: handler.answer(
                200,
                b'<html><body><a href="/contact.html">Contact</a></body></html>',
                "text/html",
            ),
            "/robots.txt": server_error,
        },
    ),
    "redirect_loop": Site(
        host="loop.test",
        routes={
            "/": redirect("/a"),
            "/a": redirect("/b"),
            "/b": redirect("/a"),
            "/hops/": hop,
            "/echo": echo_headers,
        },
    ),
    "slow": Site(host="slow.test", routes={"/": slow(1.0), "/trickle": trickle}),
    "huge_body": Site(
        host="huge.test",
        routes={
            "/": huge(3 * 1024 * 1024),
            "/declared": declared_huge,
            "/gzip": gzip_bomb,
            "/error": server_error,
        },
    ),
}
# Names that exist only to resolve to private addresses in production-mode tests.
TRAP_NAMES = {
    "intranet.garage-piege.test": "10.1.2.3",
    "metadata.garage-piege.test": "169.254.169.254",
    "localhost.garage-piege.test": "127.0.0.1",
    "mapped.garage-piege.test": "::ffff:10.0.0.1",
}


def url(name: str, path: str = "/", scheme: str | None = None) -> str:
    site = SITES[name]
    return f"{scheme or ('https' if site.https else 'http')}://{site.host}{path}"


# --- server -------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "FixtureSites/1.0"
    web: FixtureWeb
    scheme: str

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log below is what tests read

    def answer(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        path = self.path.split("?", 1)[0]
        self.web.log(Hit(self.scheme, host, path, self.headers.get("User-Agent") or ""))
        site = next((s for s in SITES.values() if s.host == host), None)
        if site is None or (self.scheme == "https" and not site.https):
            self.answer(421, b"unknown site", "text/plain")
            return
        if self.scheme == "http" and site.http == "redirect_https":
            redirect(f"https://{site.host}{self.path}", 301)(self, self.web)
            return
        route = site.routes.get(path) or next(
            (
                r
                for prefix, r in site.routes.items()
                if prefix.endswith("/") and prefix != "/" and path.startswith(prefix)
            ),
            None,
        )
        if route is not None:
            route(self, self.web)
            return
        self.serve_file(site, path)

    def serve_file(self, site: Site, path: str) -> None:
        if site.folder is None:
            self.answer(404, b"not found", "text/plain")
            return
        root = (FIXTURES / site.folder).resolve()
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            self.answer(404, b"<html><body>Introuvable</body></html>", "text/html")
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type == "text/html" and site.html_charset_header:
            content_type += "; charset=utf-8"
        self.answer(200, target.read_bytes(), content_type, **site.headers)

    def handle(self) -> None:
        # Clients that give up (caps, timeouts) are what many tests do.
        with contextlib.suppress(ConnectionError, ssl.SSLError, TimeoutError):
            super().handle()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # never wait for a slow route the client already left

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def make_certificate(directory: Path, hosts: list[str]) -> tuple[Path, Path]:
    """A throw-away self-signed certificate for ``hosts`` (made with the openssl CLI)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the website-check tests need the openssl command")
    cert, key = directory / "cert.pem", directory / "key.pem"
    san = ",".join(f"DNS:{host}" for host in hosts)
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=fixture-sites",
            "-addext",
            f"subjectAltName={san}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


class FixtureWeb:
    """The two servers, their request log and the policies that reach them."""

    def __init__(self, workdir: Path) -> None:
        self._lock = threading.Lock()
        self.hits: list[Hit] = []
        self.dialled: list[tuple[str, int]] = []
        hosts = sorted({site.host for site in SITES.values()})
        cert, key = make_certificate(workdir, hosts)
        self.client_ssl_context = ssl.create_default_context(cafile=str(cert))
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(cert, key)
        self._http = self._server("http")
        self._https = self._server("https")
        # Handshakes happen in the handler threads, not in the accept loop.
        self._https.socket = server_context.wrap_socket(
            self._https.socket, server_side=True, do_handshake_on_connect=False
        )
        self._threads = [
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            for s in (self._http, self._https)
        ]
        for thread in self._threads:
            thread.start()

    def _server(self, scheme: str) -> _Server:
        handler = type(f"_{scheme.title()}Handler", (_Handler,), {"web": self, "scheme": scheme})
        return _Server(("127.0.0.1", 0), handler)

    @property
    def http_port(self) -> int:
        return self._http.server_address[1]

    @property
    def https_port(self) -> int:
        return self._https.server_address[1]

    def close(self) -> None:
        for server in (self._http, self._https):
            server.shutdown()
            server.server_close()

    def log(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def reset(self) -> None:
        with self._lock:
            self.hits.clear()
            self.dialled.clear()

    def paths(self, host: str | None = None) -> list[str]:
        with self._lock:
            return [hit.path for hit in self.hits if host is None or hit.host == host]

    # --- policies ---

    def _dial(self, expected: str) -> Callable[[str, int], tuple[str, int]]:
        def dial(address: str, port: int) -> tuple[str, int]:
            with self._lock:
                self.dialled.append((address, port))
            # The safety net: only the address fixture names resolve to is ever dialled,
            # and only to our own two servers.
            if address != expected:
                raise AssertionError(f"test policy refuses to dial {address}:{port}")
            if port == 443:
                return "127.0.0.1", self.https_port
            if port in (80, self.http_port):
                return "127.0.0.1", self.http_port
            raise AssertionError(f"test policy refuses to dial port {port}")

        return dial

    def resolver(
        self, address: str, extra: dict[str, str] | None = None
    ) -> Callable[[str], list[str]]:
        names = {site.host: address for site in SITES.values()} | dict(extra or {})

        def resolve(host: str) -> list[str]:
            if host in names:
                return [names[host]]
            # Never ask real DNS from a test.
            raise socket.gaierror(socket.EAI_NONAME, f"unknown fixture host {host}")

        return resolve

    def loopback_policy(self, **limits: Any) -> OutgoingPolicy:
        limits.setdefault("connect_timeout", 2.0)
        limits.setdefault("read_timeout", 2.0)
        return OutgoingPolicy(
            allow_private=True,
            resolver=self.resolver("127.0.0.1"),
            ssl_context=self.client_ssl_context,
            dial=self._dial("127.0.0.1"),
            **limits,
        )

    def production_policy(self, **limits: Any) -> OutgoingPolicy:
        limits.setdefault("connect_timeout", 2.0)
        limits.setdefault("read_timeout", 2.0)
        return OutgoingPolicy(
            allow_private=False,
            resolver=self.resolver(PUBLIC_STANDIN, TRAP_NAMES),
            ssl_context=self.client_ssl_context,
            dial=self._dial(PUBLIC_STANDIN),
            **limits,
        )
