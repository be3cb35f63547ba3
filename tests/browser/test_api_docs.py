"""The API documentation page in headless Chromium: Swagger UI, from our static files,
renders every operation of the schema under the strict CSP (no inline script or style),
and a token pasted into "Authorize" reaches the API from the page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS, needs_chromium, open_page, screenshot
from tests.factories import MembershipFactory, token_for

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_documentation_page_shows_the_api_and_tries_it_with_a_token(
    chromium, live_server, transactional_db
):
    owner = MembershipFactory(role="owner", dealership__name="Garage du Centre").user
    secret = token_for(owner)
    page = open_page(chromium, timeout_ms=20_000, locale="fr-FR")
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/assessments/{id}/answers/{question_key}/" in p for p in paths)
    assert page.locator("text=Error").count() > 0  # the error shape is documented
    screenshot(page, SHOTS / "api-docs")

    page.click("button.authorize")
    page.fill(".auth-container input", secret)
    page.click(".auth-btn-wrapper button.authorize")
    page.click("button.btn-done")
    operation = page.locator(
        ".opblock-get", has=page.locator('[data-path="/api/v1/dealerships/"]')
    ).first
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    responses = operation.locator(".live-responses-table")
    responses.locator("tbody td.response-col_status").first.wait_for()
    assert responses.locator("tbody td.response-col_status").first.inner_text().strip() == "200"
    assert "Garage du Centre" in responses.inner_text()
    screenshot(page, SHOTS / "api-docs-tried")
    # A CSP violation or a script error shows up here: the page must have none.
    assert not page.errors, page.errors
