"""The advice on the results page in a real browser, for reference dealers A (no website,
rung 1), D (top rung) and E (independent, rung 3): the way up as first-quarter actions,
the folded backlog, advice on staying at the top.

Screenshots at desktop (1280) and phone (375) width: test-artifacts/screenshots/advice/.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from maturity.demo.personas import load_persona
from tests.browser.conftest import PHONE, SHOTS, needs_chromium, open_page, screenshot
from tests.factories import PASSWORD, DealershipFactory, MembershipFactory, submitted_assessment

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]


def _results(live_server, chromium, letter: str):
    persona = load_persona(letter)
    dealership = DealershipFactory(
        name=persona.dealership["name"], city=persona.dealership["city"], profile=persona.profile
    )
    owner = MembershipFactory(
        dealership=dealership, role="owner", user__email=f"owner-{letter.lower()}@example.com"
    ).user
    owner.language = "en"
    owner.save(update_fields=["language"])
    assessment = submitted_assessment(dealership=dealership, persona=letter.lower(), user=owner)
    page = open_page(chromium, locale="en-GB")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    english = page.locator("form[action*='i18n'] button[value=en]")
    if english.count():
        english.first.click()
        page.wait_for_load_state("networkidle")
    response = page.goto(live_server.url + reverse("assessment_results", args=[assessment.pk]))
    assert response is not None and response.status == 200
    return page


def _fits_a_phone(page) -> None:
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"


@pytest.mark.parametrize("letter", ["A", "E"])
def test_the_way_up_is_a_few_first_quarter_actions_and_the_rest_waits(
    live_server, chromium, letter
):
    page = _results(live_server, chromium, letter)
    steps = page.locator(".suggested-action")
    assert 1 <= steps.count() <= 5
    first = page.locator("#horizon-0-3").locator("xpath=../..").locator("li[id^=action-]")
    assert first.count() <= 5
    # Each suggested action links to its card in the first horizon.
    key = steps.first.get_attribute("data-action")
    assert page.locator(f"#horizon-0-3 ~ * #action-{key}, #action-{key}").count() >= 1
    backlog = page.locator("details.backlog")
    assert backlog.count() == 1
    assert not backlog.locator(".backlog-list").is_visible()  # folded
    backlog.locator("summary").click()
    assert backlog.locator(".backlog-list li").count() >= 1
    assert "0 actions" not in page.inner_text("main")
    screenshot(page, SHOTS / "advice" / f"results-{letter.lower()}")
    _fits_a_phone(page)
    assert not page.errors, page.errors  # no CSP violation, no script error


def test_the_top_rung_gets_advice_on_staying_there(live_server, chromium):
    page = _results(live_server, chromium, "D")
    text = page.inner_text("main")
    assert "Staying at the top" in text
    assert page.locator("ol.maintenance li").count() == 3
    assert "0 actions" not in text and "lists what can still be improved" not in text
    screenshot(page, SHOTS / "advice" / "results-d")
    _fits_a_phone(page)
    assert not page.errors, page.errors
