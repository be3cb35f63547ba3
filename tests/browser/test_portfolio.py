"""A consultant works from their portfolio in headless Chromium: filters it, opens a
dealership, writes a review comment, comes back and exports the filtered table as CSV.

Screenshots at desktop (1280) and phone (375) width go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from maturity.models import AreaComment, Assessment
from tests.browser.conftest import SHOTS, needs_chromium, open_page, screenshot
from tests.factories import (
    PASSWORD,
    AssessmentResultFactory,
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    MembershipFactory,
)
from tests.maturity.portfolio_helpers import areas
from tests.maturity.results_helpers import submit_persona

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def browser_page(chromium):
    page = open_page(chromium, timeout_ms=15_000, locale="fr-FR", accept_downloads=True)
    yield page
    # A CSP violation or a script error shows up here: the page must have none.
    assert not page.errors, page.errors


def _shoot(page, name: str) -> None:
    screenshot(page, SHOTS / f"portfolio-{name}")


def _portfolio_world():
    """A consultant following real assessed dealerships (personas) and a few more."""
    consultant = ConsultantFactory(email="claire@conseil.example", full_name="Claire Martin")

    def follow(name: str, city: str, region: str):
        dealership = DealershipFactory(name=name, city=city, region=region)
        AssignmentFactory(consultant=consultant, dealership=dealership)
        return dealership

    riviere = follow("Auto Rivière", "Rennes", "bre")
    contact = MembershipFactory(dealership=riviere, role="owner").user
    # A year-old strong assessment, then today's weaker one: a drop and an old baseline.
    first = submit_persona(dealership=riviere, user=contact, letter="C")
    Assessment.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=420))
    submit_persona(dealership=riviere, user=contact, letter="B")

    centre = follow("Garage du Centre", "Quimper", "bre")
    submit_persona(
        dealership=centre,
        user=MembershipFactory(dealership=centre, role="owner").user,
        letter="A",
    )
    follow("Garage de l'Océan", "Brest", "bre")  # never assessed
    lyon = follow("Mega Motors", "Lyon", "ara")
    submit_persona(
        dealership=lyon, user=MembershipFactory(dealership=lyon, role="owner").user, letter="D"
    )
    for n, (city, score) in enumerate([("Lille", 35), ("Dijon", 62), ("Nantes", 48)]):
        dealership = follow(f"Concession {city}", city, ("hdf", "bfc", "pdl")[n])
        AssessmentResultFactory(
            assessment__dealership=dealership,
            assessment__submitted_at=timezone.now() - timedelta(days=30 * (n + 2) * 4),
            rung=1 + n,
            area_scores=areas(score, crm=score - 20),
        )
    # Dealerships outside the portfolio: only the anonymous median row uses them.
    for _ in range(4):
        AssessmentResultFactory(assessment__dealership=DealershipFactory(), area_scores=areas(55))
    return consultant, riviere


@pytest.mark.django_db(transaction=True)
def test_a_consultant_filters_reviews_and_exports_the_portfolio(live_server, browser_page):
    page = browser_page
    consultant, riviere = _portfolio_world()

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", consultant.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/portfolio/")

    table = page.locator("[data-testid=portfolio-table] tbody tr")
    assert table.count() == 7
    assert page.locator("[data-testid=alerts-dropped]").inner_text().count("Auto Rivière") == 1
    assert page.locator(".heatmap-scroll svg").count() == 1
    _shoot(page, "all")

    # Filter: one choice in a select applies at once (data-autosubmit), and lives in the URL.
    page.select_option("#id_region", "bre")
    page.wait_for_url("**/portfolio/?*region=bre*")
    assert table.count() == 3
    page.click("th a.sort-link >> nth=4")  # the score column: highest first
    page.wait_for_url("**sort=-score**")
    assert "region=bre" in page.url
    assert table.first.locator("td").first.inner_text().startswith(("Auto Rivière", "Garage"))
    _shoot(page, "filtered")

    # Open a dealership and write a review comment (the review UI).
    page.click("text=Auto Rivière")
    page.wait_for_url(f"**/dealerships/{riviere.pk}/")
    page.click(f"a[href*='/dealerships/{riviere.pk}/assessments/'][href$='/feedback/']")
    page.wait_for_url("**/feedback/")
    page.fill("#overall_note", "Bon socle : priorité au suivi des demandes dans le CRM.")
    page.fill("#comment-crm", "Les demandes Facebook ne sont pas saisies : à brancher sur le CRM.")
    page.click("button[name=action][value=save]")
    page.wait_for_url("**/feedback/")
    assert AreaComment.objects.filter(assessment__dealership=riviere, area_key="crm").exists()

    # Back to the portfolio with the same filters; the CSV holds what the table shows.
    page.go_back()
    page.goto(f"{live_server.url}/portfolio/?region=bre&sort=-score")
    with page.expect_download() as download_info:
        page.click("[data-testid=export-csv]")
    download = download_info.value
    assert download.suggested_filename.startswith("portefeuille-")
    content = Path(download.path()).read_bytes().decode("utf-8")
    assert content.startswith("\ufeff")
    lines = content.strip().split("\r\n")
    assert len(lines) == 4  # header + the three Breton dealerships
    assert ";" in lines[0]
    assert any(line.startswith("Auto Rivière;Rennes;Bretagne") for line in lines)
    assert "Mega Motors" not in content

    # The alert settings page, for the record.
    page.goto(f"{live_server.url}/portfolio/settings/")
    _shoot(page, "settings")


@pytest.mark.django_db(transaction=True)
def test_an_empty_portfolio_says_what_to_do(live_server, browser_page):
    page = browser_page
    consultant = ConsultantFactory(email="nouveau@conseil.example")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", consultant.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/portfolio/")
    assert page.locator(".empty-state").count() == 1
    _shoot(page, "empty")
