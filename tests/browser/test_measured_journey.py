"""Declared versus measured, end to end in headless Chromium and in French: a consultant
checks a dealer's website, records a lead-response test and its reply, imports a reviews
file, then reads declared beside measured on the review page and in the PDF (its text
read back with pypdf).

The dealer (Méga Motors' answers) declares an own mobile site with stock whose address is
a manufacturer locator page, a first reply within the hour and a 4.3 rating. The website
check and the PDF run in the request (their tasks applied at once) against the loopback
fixture sites. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from common.i18n import day_month
from tests.browser.conftest import SHOTS, needs_chromium, open_page, screenshot
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    MembershipFactory,
    submitted_assessment,
)
from tests.maturity.reports_helpers import pdf_text
from tests.measured.test_website_measurement import C_LOCATOR, CLAIMS_OWN_SITE
from tests.measurements.conftest import web  # noqa: F401  (the fixture web)

pytestmark = [pytest.mark.browser, needs_chromium]

REVIEWS = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"
PDF_DEADLINE_MS = 180_000


def _apply_at_once(task, *, args) -> bool:
    return bool(task.apply(args=args))


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.django_db(transaction=True)
def test_a_consultant_measures_a_dealer_and_reads_declared_beside_measured_in_the_pdf(
    live_server,
    chromium,
    web,  # noqa: F811
    monkeypatch,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("maturity.measured.services.outgoing_policy", web.loopback_policy)
    monkeypatch.setattr("maturity.measured.tasks.publish", _apply_at_once)
    monkeypatch.setattr("maturity.reports.tasks.publish", _apply_at_once)
    dealership = DealershipFactory(
        name="Méga Motors", city="Mérignac", website_url=C_LOCATOR, profile="independent"
    )
    owner = MembershipFactory(dealership=dealership, role="owner").user
    consultant = ConsultantFactory(full_name="Claire Martin")
    AssignmentFactory(consultant=consultant, dealership=dealership)
    assessment = submitted_assessment(dealership=dealership, answers=CLAIMS_OWN_SITE, user=owner)
    base = live_server.url
    feedback = f"{base}/dealerships/{dealership.pk}/assessments/{assessment.pk}/feedback/"

    page = open_page(chromium, locale="fr-FR", accept_downloads=True, timeout_ms=30_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", consultant.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")

    # --- The website check, from the review page (the status updates itself). ---
    page.goto(feedback)
    page.get_by_role("button", name="Vérifier le site").click()
    page.wait_for_selector("#website-check-status:has-text('Vérifié le')")

    # --- A lead-response test by the site's form, answered 26 hours later. ---
    page.goto(f"{base}/dealerships/{dealership.pk}/lead-tests/")
    page.click("text=Enregistrer un test")
    sent = timezone.localtime() - timedelta(hours=30)
    page.select_option("select[name=channel]", "website_form")
    page.fill("textarea[name=question]", "La Kia Sportage est-elle encore disponible ?")
    page.fill("input[name=sent_at]", sent.strftime("%Y-%m-%dT%H:%M"))
    page.click("main form button[type=submit]")
    assert "Le test est enregistré" in page.inner_text("body")
    page.click("text=Noter la réponse")
    replied = sent + timedelta(hours=26)
    page.fill("input[name=replied_at]", replied.strftime("%Y-%m-%dT%H:%M"))
    page.check("input[value=question_answered]")
    page.click("main form button[type=submit]")
    assert page.inner_text("[data-testid=lead-answered]").startswith("100")

    # --- The reviews file (5 reviews, 3,4/5, 60 % answered). ---
    page.goto(f"{base}/dealerships/{dealership.pk}/customer-reviews/")
    page.set_input_files("input[name=file]", str(REVIEWS / "avis_fr.csv"))
    page.click("main form button[type=submit]")
    assert "5 nouveaux avis" in page.inner_text("body")

    # --- Declared beside measured on the review page, disagreements flagged. ---
    page.goto(feedback)
    section = page.locator("#measured")
    section.get_by_text("Déclaré, non confirmé").first.wait_for()
    text = _flat(section.inner_text())
    today = _flat(day_month(timezone.localdate(), "fr"))
    reply_day = _flat(day_month(timezone.localdate(replied), "fr"))
    assert f"mesuré le {today} : pas de site à votre nom" in text
    assert f"mesuré le {reply_day} : première réponse médiane 1 j 2 h sur 1 test" in text
    assert f"mesuré le {today} : note 3,4/5 sur 5 avis" in text
    assert "réponse à 60 % de 5 avis" in text
    flagged = section.locator("tr.table-warning")
    assert flagged.filter(has_text="propre site internet").count() == 1
    assert flagged.filter(has_text="première réponse").count() == 1
    assert flagged.filter(has_text="note moyenne").count() == 1
    # The share answered (60 %: "most") agrees with what was declared: not flagged.
    assert flagged.filter(has_text="Répondez-vous aux avis").count() == 0
    screenshot(page, SHOTS / "measured-journey-review")

    # --- The PDF: generated, downloaded, read back. ---
    page.goto(f"{base}/assessments/{assessment.pk}/results/")
    # Rendered within the request here: seconds on a busy machine.
    page.click("form[action$='/report/'] button[type=submit]", timeout=PDF_DEADLINE_MS)
    page.wait_for_url(re.compile(r".*/reports/\d+/$"), timeout=PDF_DEADLINE_MS)
    link = page.locator("#report-status a[href$='/download/']")
    link.wait_for(timeout=PDF_DEADLINE_MS)
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    pdf = _flat(pdf_text(data))
    assert "Déclaré et mesuré" in pdf
    assert "Déclaré, non confirmé" in pdf
    assert f"mesuré le {today} : pas de site à votre nom" in pdf
    assert f"mesuré le {reply_day} : première réponse médiane 1 j 2 h sur 1 test" in pdf
    assert "note 3,4/5 sur 5 avis" in pdf
    assert "Présence isolée" in pdf  # capped at rung 2 by the locator page
    assert not page.errors, page.errors
