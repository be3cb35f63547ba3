"""A consultant records a lead-response test, then its reply, imports a reviews file (a bad
one first), and the dealer reads the figures; in headless Chromium, in French.

Screenshots at desktop (1280) and phone (375) width go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from maturity.models import CustomerReview, LeadTest
from tests.browser.conftest import SHOTS, needs_chromium, open_page, screenshot
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    MembershipFactory,
)

pytestmark = [pytest.mark.browser, needs_chromium]

REVIEWS = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"


@pytest.fixture
def browser_page(chromium):
    page = open_page(chromium, timeout_ms=15_000, locale="fr-FR")
    yield page
    assert not page.errors, page.errors


def login(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_a_consultant_records_a_lead_test_and_imports_reviews(live_server, browser_page, chromium):
    page = browser_page
    consultant = ConsultantFactory(email="claire@conseil.example", full_name="Claire Martin")
    dealership = DealershipFactory(name="Auto Rivière", city="Rennes")
    AssignmentFactory(consultant=consultant, dealership=dealership)
    owner = MembershipFactory(dealership=dealership, role="owner").user
    base = live_server.url
    login(page, base, consultant.email)

    page.goto(f"{base}/dealerships/{dealership.pk}/")
    page.click("text=Tests de réponse aux contacts")
    page.click("text=Enregistrer un test")
    sent = timezone.localtime() - timedelta(hours=26)
    page.select_option("select[name=channel]", "facebook")
    page.fill("textarea[name=question]", "Faites-vous la reprise de mon véhicule ?")
    page.fill("input[name=sent_at]", sent.strftime("%Y-%m-%dT%H:%M"))
    page.click("main form button[type=submit]")
    assert "Le test est enregistré" in page.inner_text("body")
    assert "En attente de réponse" in page.inner_text("[data-testid=lead-tests]")

    page.click("text=Noter la réponse")
    page.fill("input[name=replied_at]", (sent + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.check("input[value=question_answered]")
    page.check("input[value=appointment_proposed]")
    page.click("main form button[type=submit]")
    assert page.inner_text("[data-testid=lead-answered]").startswith("100")
    assert page.inner_text("[data-testid=lead-quality]") == "70/100"
    assert LeadTest.objects.get().grid_items == ["question_answered", "appointment_proposed"]
    screenshot(page, SHOTS / "measured-lead-tests")

    page.goto(f"{base}/dealerships/{dealership.pk}/customer-reviews/")
    page.set_input_files("input[name=file]", str(REVIEWS / "avis_mauvaises_lignes.csv"))
    page.click("main form button[type=submit]")
    errors = page.inner_text("[data-testid=import-errors]")
    assert "Rien n’a été importé" in errors and "Ligne 4" in errors
    assert not CustomerReview.objects.exists()
    # The refused file is answered with a 400, which the browser logs: nothing else may be.
    assert page.errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.errors.clear()
    page.set_input_files("input[name=file]", str(REVIEWS / "google_reviews.json"))
    page.click("main form button[type=submit]")
    assert "3 nouveaux avis" in page.inner_text("body")
    assert "3,7/5" in page.inner_text("[data-testid=review-figures]")
    screenshot(page, SHOTS / "measured-reviews")

    dealer = open_page(chromium, timeout_ms=15_000, locale="fr-FR")
    login(dealer, base, owner.email)
    dealer.goto(f"{base}/dealerships/{dealership.pk}/lead-tests/")
    assert "Faites-vous la reprise" in dealer.inner_text("[data-testid=lead-tests]")
    assert dealer.locator("text=Enregistrer un test").count() == 0
    assert not dealer.errors, dealer.errors
