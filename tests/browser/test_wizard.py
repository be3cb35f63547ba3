"""A dealer fills a whole assessment in headless Chromium (persona D), reloads half-way,
finds every answer still there, and submits.

Screenshots of each step at desktop and phone width go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from maturity.demo.personas import load_persona
from maturity.models import Assessment
from maturity.questionnaire.services import questionnaire_current
from tests.browser.answering import answer_question, wait_saved
from tests.browser.conftest import PHONE, SHOTS, needs_chromium, open_page, screenshot
from tests.factories import PASSWORD, DealershipFactory, MembershipFactory

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def browser_page(chromium):
    return open_page(chromium, locale="fr-FR")


def _shoot(page, number: int, area: str) -> None:
    screenshot(page, SHOTS / f"step-{number}-{area}")


def _is_checked(page, key: str, option: str) -> bool:
    return page.locator(f"#q-{key}-{option}").is_checked()


@pytest.mark.django_db(transaction=True)
def test_a_dealer_fills_reloads_and_submits_a_whole_assessment(live_server, browser_page):
    page = browser_page
    persona = load_persona("D")
    dealership = DealershipFactory(name="Groupe Horizon – Lyon", city="Lyon")
    owner = MembershipFactory(
        dealership=dealership, role="owner", user__email="isabelle@horizon.example"
    ).user
    definition = questionnaire_current().definition

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/dealerships/{dealership.pk}/")
    page.click("form[action$='/assessments/start/'] button")
    page.wait_for_url("**/steps/website/")

    for number, area in enumerate(definition.areas, start=1):
        assert page.url.endswith(f"/steps/{area.key}/")
        asked = [q for q in area.questions if q.key in persona.answers]
        if area.key == "social":
            # "None" is exclusive: ticking a network afterwards unticks it.
            page.click("label[for='q-social_networks-none']")
            wait_saved("social_networks", ["none"])
        for question in asked:
            answer_question(page, question, persona.answers[question.key])
        if area.key == "reviews":
            # Half-way: a reload shows every answer saved so far, gates included.
            page.reload()
            assert _is_checked(page, "reviews_asking", "after_workshop")
            assert _is_checked(page, "reviews_platforms", "google")
            assert page.input_value("#q-reviews_rating") == "4,6"  # French: decimal comma
            page.goto(f"{live_server.url}/dealerships/{dealership.pk}/")
            page.click(f"a[href$='/assessments/{Assessment.objects.get().pk}/']")
            # Resuming goes to the first step with a question left: the monitoring one.
            page.wait_for_url("**/steps/monitoring/")
            page.goto(page.url.replace("/monitoring/", "/reviews/"))
        _shoot(page, number, area.key)
        button = "next" if number < len(definition.areas) else "review"
        page.click(f"#step-form button[name=go][value={button}]")

    page.wait_for_url("**/review/")
    progress = page.locator("#wizard-progress progress")
    assert progress.get_attribute("value") == progress.get_attribute("max")
    page.screenshot(path=str(SHOTS / "review-desktop.png"), full_page=True)
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("form[action$='/submit/'] button[type=submit]")
    # Submitting leads straight to the place on the ladder (persona D: rung 5).
    page.wait_for_url("**/results/")
    assert "Stratégie intégrée" in page.locator("main").inner_text()

    assessment = Assessment.objects.get()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.submitted_by == owner
    assert {a.question_key: a.value for a in assessment.answers.all()} == persona.answers
    page.goto(f"{live_server.url}/dealerships/{dealership.pk}/assessments/{assessment.pk}/review/")
    assert page.locator("form[action$='/submit/']").count() == 0
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / "submitted-phone.png"), full_page=True)
    page.goto(
        f"{live_server.url}/dealerships/{dealership.pk}/assessments/{assessment.pk}/steps/website/"
    )
    assert page.locator("fieldset[disabled]").count() > 0
