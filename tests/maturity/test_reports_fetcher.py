"""WeasyPrint may only read the project's static files: no network, no other local path."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.staticfiles import finders

from maturity.reports import fetcher as fetcher_module
from maturity.reports.fetcher import REPORT_BASE_URL, ResourceRefused, StaticOnlyFetcher
from maturity.reports.render import ReportRenderError, html_to_pdf

STATIC = REPORT_BASE_URL + "static/"


class _Redirecting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Redirecting.hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", STATIC + "css/print.css")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def redirecting_server() -> Iterator[str]:
    """A local HTTP server that redirects every request to an allowed static file."""
    _Redirecting.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Redirecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def test_it_serves_the_project_static_files():
    response = StaticOnlyFetcher().fetch(STATIC + "css/print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:6379/",
        "https://report.invalid/etc/passwd",
        STATIC + "../../../../etc/passwd",
        STATIC + "..%2F..%2Fsettings.py",
        STATIC + "css/print.css?x=1",
        "https://example.com/static/css/print.css",
        "data:text/css,body{}",
        STATIC + "css/no-such-file.css",
        "ftp://127.0.0.1/",
    ],
)
def test_it_refuses_everything_else(url):
    with pytest.raises(ResourceRefused) as refused:
        StaticOnlyFetcher().fetch(url)
    assert "Refused to load" in str(refused.value)
    assert "static files" in str(refused.value)


def test_it_never_follows_a_redirect(redirecting_server):
    with pytest.raises(ResourceRefused):
        StaticOnlyFetcher().fetch(redirecting_server)
    assert _Redirecting.hits == []  # not even asked


def test_a_refused_resource_stops_the_rendering_with_a_clear_error(redirecting_server):
    for url in ("file:///etc/passwd", "http://127.0.0.1:6379/", redirecting_server):
        html = f'<html><body><p>x</p><img src="{url}"></body></html>'
        with pytest.raises(ReportRenderError, match="Refused to load"):
            html_to_pdf(html)
    html = '<html><head><link rel="stylesheet" href="file:///etc/passwd"></head></html>'
    with pytest.raises(ReportRenderError, match="file:///etc/passwd"):
        html_to_pdf(html)
    assert _Redirecting.hits == []


def test_a_symbolic_link_out_of_the_static_folders_is_refused(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "inside.css").write_text("p { color: red }")
    (static / "escape.css").symlink_to("/etc/passwd")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(static)]
    finders.get_finder.cache_clear()
    fetcher_module._static_roots.cache_clear()
    try:
        assert StaticOnlyFetcher().fetch(STATIC + "inside.css").read() == b"p { color: red }"
        with pytest.raises(ResourceRefused, match="outside the static folders"):
            StaticOnlyFetcher().fetch(STATIC + "escape.css")
    finally:
        finders.get_finder.cache_clear()
        fetcher_module._static_roots.cache_clear()


def test_it_reads_the_hashed_names_of_the_production_storage(settings, tmp_path):
    """With DEBUG off, {% static %} names collected files (css/print.<hash>.css)."""
    root = tmp_path / "staticfiles"
    (root / "css").mkdir(parents=True)
    (root / "css" / "print.0123abcd.css").write_text("@page { size: A4 }")
    (root / "css" / "leak.css").symlink_to("/etc/passwd")
    settings.STATIC_ROOT = str(root)
    fetcher_module._static_roots.cache_clear()
    try:
        body = StaticOnlyFetcher().fetch(STATIC + "css/print.0123abcd.css").read()
        assert body == b"@page { size: A4 }"
        with pytest.raises(ResourceRefused):
            StaticOnlyFetcher().fetch(STATIC + "css/leak.css")
    finally:
        fetcher_module._static_roots.cache_clear()
