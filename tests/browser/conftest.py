"""Shared launch code for the browser tests: headless Debian Chromium driven by Playwright.

Playwright cannot download its own browsers here, so every test uses ``/usr/bin/chromium``
with the same flags. Screenshots go under ``test-artifacts/screenshots/`` (see README).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connections

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Playwright's sync API runs an event loop in the test's thread; Django's ORM calls from the
# test itself are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")


@pytest.fixture
def chromium() -> Iterator[Browser]:
    """A headless Chromium for one test, closed afterwards."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Once Playwright runs, the test's ORM calls get a connection of their own (its
            # greenlet has its own context); close it, or PostgreSQL refuses to drop the
            # test database at the end ("being accessed by other users").
            connections.close_all()


def open_page(browser: Browser, *, timeout_ms: float = 10_000, **context_options: Any) -> Page:
    """A page in a fresh context (its own cookies), desktop-sized unless told otherwise.

    ``page.errors`` collects console errors (CSP violations show up there) and uncaught
    script exceptions. Closing the browser closes the context too.
    """
    context = browser.new_context(**{"viewport": DESKTOP, **context_options})
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def screenshot(page: Page, stem: Path) -> None:
    """Full-page screenshots at desktop and phone width: ``<stem>-desktop.png``, ``-phone``."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size or DESKTOP
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=f"{stem}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=f"{stem}-phone.png", full_page=True)
    page.set_viewport_size(viewport)
