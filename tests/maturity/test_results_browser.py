"""The results page in a real browser, at phone and desktop widths.

Needs Chromium at /usr/bin/chromium (``make browser``). Screenshots go where every browser
test puts them, ``test-artifacts/screenshots/`` (``results-*.png``), to look at after a run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from tests.browser.conftest import SHOTS
from tests.maturity.results_helpers import submit_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = SHOTS


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make browser)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()
            # Once Playwright runs, the test's ORM calls get a connection of their own (its
            # greenlet has its own context): close it, or PostgreSQL refuses to drop the
            # test database at the end and the run leaves it behind.
            connections.close_all()


def _logged_in_page(browser, live_server, client, user, width: int, language: str):
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in (
                (settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value),
                (settings.LANGUAGE_COOKIE_NAME, language),
            )
        ]
    )
    return context.new_page()


@pytest.mark.parametrize(
    ("width", "language", "letter"), [(375, "fr", "c"), (1280, "fr", "b"), (1280, "en", "a")]
)
def test_it_fits_the_screen_without_errors(
    browser, live_server, client, owner, dealership, width, language, letter
):
    assessment = submit_persona(dealership=dealership, user=owner, letter=letter)
    page = _logged_in_page(browser, live_server, client, owner, width, language)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = live_server.url + reverse("assessment_results", args=[assessment.pk])
    response = page.goto(url)
    assert response is not None and response.status == 200
    # Opening the explanations must not break the layout either.
    for summary in page.locator("details > summary").all()[:3]:
        summary.click()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"results-{letter}-{language}-{width}.png"), full_page=True
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    # The ladder and the radar, except for persona A: every area under 25, its radar would
    # be a dot, so the bars beside it are the picture (one per area, with its score).
    assert page.locator("svg[role=img]").count() >= (1 if letter == "a" else 2)
    assert page.locator("svg.score-bar").count() >= 7
    assert not errors, errors  # no CSP violation, no script error
