"""The whole journey in headless Chromium, in French, with a real Celery worker.

A consultant invites a dealer; the dealer sets a password from the invitation e-mail,
fills the questionnaire with reference dealer B's answers, submits, sees the rung,
generates the PDF, waits for it on the status page and downloads it. The consultant then
reviews the assessment (an area comment, an overall note, "reviewed"), generates the PDF
again with the comments in it, and exports the portfolio as CSV.

Screenshots of each main page, at phone and desktop width, go to
test-artifacts/screenshots/journey/. No page may log a console error (CSP violations
included).
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dealers.models import Membership, Region, User
from maturity.demo.personas import load_persona
from maturity.models import Assessment, AssessmentReview, Report
from maturity.portfolio.export import COLUMN_KEYS
from maturity.questionnaire.services import questionnaire_current
from tests.browser.answering import answer_question
from tests.browser.conftest import SHOTS, needs_chromium, open_page, screenshot
from tests.factories import PASSWORD, AssignmentFactory, ConsultantFactory, DealershipFactory
from tests.maturity.reports_helpers import pdf_text
from tests.worker import running_worker

pytestmark = [pytest.mark.browser, pytest.mark.worker, needs_chromium]

JOURNEY = SHOTS / "journey"
DEALER_EMAIL = "s.lefebvre@auto-riviere.example"
DEALER_PASSWORD = "Renault-Dacia-Saint-Omer-62"
# Persona B's answers, plus the two kinds of input it leaves out (no effect on the score).
EXTRA_ANSWERS = {
    "website_url": "https://www.auto-riviere.example",
    "website_comment": "Site refait en 2019 par une agence locale, mis à jour par la direction.",
}
AREA_COMMENT = "Répondez à chaque commentaire Facebook sous 24 heures."
OVERALL_NOTE = "Un site solide : priorité au suivi des demandes web dans le CRM."
# Rendering a PDF takes seconds; the worker may still be warming up for the first one.
PDF_DEADLINE_MS = 90_000


def _download(page, click_selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(click_selector)
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _pdf_when_ready(page, name: str) -> tuple[Report, str]:
    """On a report's status page: wait for the htmx poll to show the link, download, read."""
    assert re.search(r"/reports/\d+/$", page.url), page.url
    report = Report.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    link = page.locator("#report-status a[href$='/download/']")
    link.wait_for(timeout=PDF_DEADLINE_MS)
    screenshot(page, JOURNEY / name)
    filename, data = _download(page, "#report-status a[href$='/download/']")
    assert filename.endswith(".pdf"), filename
    assert data.startswith(b"%PDF-"), data[:20]
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    return report, pdf_text(data)


@pytest.mark.django_db(transaction=True)
def test_the_whole_journey(live_server, chromium, mailoutbox, settings, tmp_path):
    started = time.monotonic()
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media  # the live server and the worker share it
    persona = load_persona("B")
    answers = {**persona.answers, **EXTRA_ANSWERS}
    definition = questionnaire_current().definition
    rung_title = definition.rungs[persona.expected_rung - 1].title.get("fr")

    dealership = DealershipFactory(
        name=persona.dealership["name"], city=persona.dealership["city"], region=Region.HDF
    )
    assert dealership.language == "fr"
    consultant = ConsultantFactory(email="claire.martin@conseil.example", full_name="Claire Martin")
    AssignmentFactory(consultant=consultant, dealership=dealership)

    consultant_page = open_page(chromium, locale="fr-FR", accept_downloads=True)
    dealer_page = open_page(chromium, locale="fr-FR", accept_downloads=True)
    pages = {"consultant": consultant_page, "dealer": dealer_page}
    base = live_server.url
    worker_env = {"MEDIA_ROOT": str(media), "REPORTS_EMAIL_WHEN_READY": "0"}
    with running_worker(extra_env=worker_env):
        # --- The consultant logs in (first try: login throttling is on) and invites. ---
        page = consultant_page
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", consultant.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url("**/portfolio/")
        screenshot(page, JOURNEY / "01-consultant-portfolio")
        page.click(f"[data-testid=portfolio-table] a[href$='/dealerships/{dealership.pk}/']")
        page.wait_for_url(f"**/dealerships/{dealership.pk}/")
        screenshot(page, JOURNEY / "02-consultant-dealership")
        page.click(f"a[href$='/dealerships/{dealership.pk}/invite/']")
        page.wait_for_url("**/invite/")
        page.fill("#id_email", DEALER_EMAIL)
        page.fill("#id_full_name", "Sophie Lefebvre")
        page.select_option("#id_role", Membership.Role.OWNER)
        screenshot(page, JOURNEY / "03-consultant-invite")
        page.click("main form button[type=submit]")
        page.wait_for_url(f"**/dealerships/{dealership.pk}/")

        # --- The dealer opens the link of the e-mail and chooses a password. ---
        assert [m.to for m in mailoutbox] == [[DEALER_EMAIL]]
        found = re.search(r"https?://\S+/invitations/\S+/", mailoutbox[0].body)
        assert found, mailoutbox[0].body
        page = dealer_page
        page.goto(base + urlsplit(found.group(0)).path)
        assert page.input_value("#id_full_name") == "Sophie Lefebvre"
        screenshot(page, JOURNEY / "04-dealer-invitation")
        page.fill("#id_password1", DEALER_PASSWORD)
        page.fill("#id_password2", DEALER_PASSWORD)
        page.click("main form button[type=submit]")
        # A new owner first says what kind of dealership it is (the questions depend on
        # it), then lands on its home.
        page.wait_for_url(f"**/dealerships/{dealership.pk}/profile/")
        assert page.is_checked("input[name=profile][value=brand_dealer]")
        screenshot(page, JOURNEY / "04b-dealer-profile")
        page.click("main form button[type=submit]")
        page.wait_for_url(f"**/dealerships/{dealership.pk}/")
        dealer = User.objects.get(email=DEALER_EMAIL)
        assert dealer.check_password(DEALER_PASSWORD)
        assert Membership.objects.get(user=dealer, dealership=dealership).role == "owner"
        screenshot(page, JOURNEY / "05-dealer-home-empty")

        # --- The questionnaire, area by area. ---
        page.click(f"form[action$='/dealerships/{dealership.pk}/assessments/start/'] button")
        page.wait_for_url("**/steps/website/")
        for number, area in enumerate(definition.areas, start=1):
            assert page.url.endswith(f"/steps/{area.key}/"), page.url
            for question in area.questions:
                if question.key in answers:
                    answer_question(page, question, answers[question.key])
            if number == 1:
                screenshot(page, JOURNEY / "06-dealer-wizard-step")
            last = number == len(definition.areas)
            page.click(f"#step-form button[name=go][value={'review' if last else 'next'}]")
        page.wait_for_url("**/review/")
        screenshot(page, JOURNEY / "07-dealer-review")
        page.on("dialog", lambda dialog: dialog.accept())  # "Submit? Answers get locked."
        page.click("form[action$='/submit/'] button[type=submit]")

        # --- The place on the ladder. ---
        page.wait_for_url("**/results/")
        assessment = Assessment.objects.get(dealership=dealership)
        assert assessment.status == Assessment.Status.SUBMITTED
        assert assessment.submitted_by == dealer
        assert {a.question_key: a.value for a in assessment.answers.all()} == answers
        assert assessment.result.rung == persona.expected_rung
        assert page.locator("#rung-title").inner_text().strip() == rung_title
        screenshot(page, JOURNEY / "08-dealer-results")

        # --- The PDF: generate, watch the status page, download. ---
        page.click("form[action$='/report/'] button[type=submit]")
        page.wait_for_url("**/reports/*/")
        screenshot(page, JOURNEY / "09-dealer-report-waiting")
        first, text = _pdf_when_ready(page, "10-dealer-report-ready")
        assert dealership.name in text
        assert rung_title in text
        assert AREA_COMMENT not in text

        # --- The consultant reviews: a comment on an area, a note, "reviewed". ---
        page = consultant_page
        page.goto(f"{base}/portfolio/")
        page.click(f"[data-testid=portfolio-table] a[href$='/dealerships/{dealership.pk}/']")
        page.wait_for_url(f"**/dealerships/{dealership.pk}/")
        screenshot(page, JOURNEY / "11-consultant-dealership-assessed")
        page.click(f"a[href$='/assessments/{assessment.pk}/feedback/'] >> nth=0")
        page.wait_for_url("**/feedback/")
        page.fill("#overall_note", OVERALL_NOTE)
        page.fill("#comment-social", AREA_COMMENT)
        page.click("button[name=action][value=review]")
        page.wait_for_url("**/feedback/")
        page.locator(".badge.text-bg-success").wait_for()
        review = AssessmentReview.objects.get(assessment=assessment)
        assert review.reviewed_by == consultant and review.reviewed_at is not None
        assert review.overall_note == OVERALL_NOTE
        assert assessment.area_comments.get(area_key="social").body == AREA_COMMENT
        screenshot(page, JOURNEY / "12-consultant-review")

        # --- The PDF again: new content, so a new report, with the comments in it. ---
        page.click(f"a[href$='/assessments/{assessment.pk}/results/']")
        page.wait_for_url("**/results/")
        page.click("form[action$='/report/'] button[type=submit]")
        page.wait_for_url("**/reports/*/")
        second, text = _pdf_when_ready(page, "13-consultant-report-ready")
        assert second.pk != first.pk
        assert AREA_COMMENT in text
        assert OVERALL_NOTE in text

    # --- The portfolio as CSV: the dealership's row, with its rung. ---
    page.goto(f"{base}/portfolio/")
    screenshot(page, JOURNEY / "14-consultant-portfolio-after")
    filename, data = _download(page, "[data-testid=export-csv]")
    assert filename.endswith(".csv"), filename
    content = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    row = next((r for r in rows[1:] if r and r[0] == dealership.name), None)
    assert row is not None, content
    assert row[COLUMN_KEYS.index("city")] == dealership.city
    assert row[COLUMN_KEYS.index("rung")] == str(persona.expected_rung)
    assert row[COLUMN_KEYS.index("rung_title")] == rung_title

    for who, each in pages.items():
        assert not each.errors, (who, each.errors)
    assert time.monotonic() - started < 180, "the journey should take under 3 minutes"
