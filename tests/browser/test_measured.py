"""A consultant checks a dealer's website from the review page (htmx button and status),
sees declared beside measured with the disagreement flagged, confirms the declared answer
with a comment, and the dealer reads it on the results page.

The check runs at once (the task is applied in the request) against the loopback fixture
sites. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS, needs_chromium, open_page, screenshot
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    MembershipFactory,
    submitted_assessment,
)
from tests.measured.test_website_measurement import C_LOCATOR, CLAIMS_OWN_SITE
from tests.measurements.conftest import web  # noqa: F401  (the fixture web)

pytestmark = [pytest.mark.browser, needs_chromium]


def _login(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_a_consultant_checks_the_website_and_confirms_a_declared_answer(
    live_server,
    chromium,
    web,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr("maturity.measured.services.outgoing_policy", web.loopback_policy)
    monkeypatch.setattr(
        "maturity.measured.tasks.publish", lambda task, *, args: bool(task.apply(args=args))
    )
    dealership = DealershipFactory(
        name="Méga Motors", city="Mérignac", website_url=C_LOCATOR, profile="independent"
    )
    owner = MembershipFactory(dealership=dealership, role="owner").user
    consultant = ConsultantFactory(full_name="Claire Martin")
    AssignmentFactory(consultant=consultant, dealership=dealership)
    assessment = submitted_assessment(dealership=dealership, answers=CLAIMS_OWN_SITE, user=owner)

    page = open_page(chromium, locale="fr-FR")
    _login(page, live_server, consultant.email)
    page.goto(
        f"{live_server.url}/dealerships/{dealership.pk}/assessments/{assessment.pk}/feedback/"
    )
    page.get_by_role("button", name="Vérifier le site").click()
    page.wait_for_selector("#website-check-status:has-text('Vérifié le')")
    page.reload()
    section = page.locator("#measured")
    section.get_by_text("Déclaré, non confirmé").first.wait_for()
    assert "pas de site à votre nom" in section.inner_text()
    screenshot(page, SHOTS / "measured-review")

    row = section.locator("tr", has_text="propre site internet")
    row.locator("textarea").fill("Nouveau site en ligne depuis lundi, vu avec le gérant.")
    row.get_by_role("button", name="Confirmer la réponse déclarée").click()
    page.wait_for_load_state("networkidle")
    assert "Nouveau site en ligne depuis lundi" in page.locator("#measured").inner_text()

    page = open_page(chromium, locale="fr-FR")  # the dealer, in a browser of their own
    _login(page, live_server, owner.email)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/results/")
    text = page.locator("#measured").inner_text()
    assert "Déclaré, confirmé par le consultant" in text
    assert "Confirmer la réponse déclarée" not in text
    screenshot(page, SHOTS / "measured-results")
