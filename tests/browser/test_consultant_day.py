"""The consultant's day in headless Chromium, in French.

A consultant launches a campaign for three dealerships from the portfolio (ticked in the
table); the dealer of one of them, e-mailed a link, finds the draft pre-filled from last
year's assessment and submits it; the consultant sees the notification and the to-do
entry, writes a review (a draft first: the dealer does not see it), publishes it, and the
dealer reads it; the dealer then gives a roadmap action an owner and a due date.

Celery tasks run eagerly in the live server's thread (the e-mails land in ``mailoutbox``).
Screenshots at desktop and phone width go to test-artifacts/screenshots/consultant-day/.
No page may log a console error (CSP violations included).
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from config.celery import app
from dealers.models import Invitation, Region
from maturity.models import (
    AssessmentReview,
    Campaign,
    Notification,
    RoadmapActionChange,
    RoadmapActionStatus,
)
from tests.browser.conftest import SHOTS, needs_chromium, open_page, screenshot
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    MembershipFactory,
)
from tests.maturity.results_helpers import submit_persona

pytestmark = [pytest.mark.browser, needs_chromium]

DAY = SHOTS / "consultant-day"
NOTE = "Un bon site : priorité au suivi des demandes web dans le CRM."
COMMENT = "Répondez à chaque message Facebook sous 24 heures."
TITLE = "Réévaluation de printemps"


@pytest.fixture
def eager_tasks():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _login(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_the_consultants_day(live_server, chromium, mailoutbox, eager_tasks):
    consultant = ConsultantFactory(email="claire@conseil.example", full_name="Claire Martin")
    riviere = DealershipFactory(name="Auto Rivière", city="Saint-Omer", region=Region.HDF)
    dealer = MembershipFactory(
        dealership=riviere,
        role="owner",
        user__email="sophie@auto-riviere.example",
        user__full_name="Sophie Lefebvre",
    ).user
    last_year = submit_persona(dealership=riviere, user=dealer, letter="B")
    last_year.submitted_at = timezone.now() - timedelta(days=380)
    last_year.save(update_fields=["submitted_at"])
    lac = DealershipFactory(name="Garage du Lac", city="Annecy", region=Region.ARA)
    MembershipFactory(dealership=lac, role="owner", user__email="direction@garage-du-lac.example")
    neuve = DealershipFactory(name="Auto Neuve", city="Dijon", region=Region.BFC)  # nobody yet
    for d in (riviere, lac, neuve):
        AssignmentFactory(consultant=consultant, dealership=d)

    base = live_server.url
    claire = open_page(chromium, locale="fr-FR")
    sophie = open_page(chromium, locale="fr-FR")

    # --- Claire's morning: the to-do list, then a campaign for the three dealerships. ---
    _login(claire, base, consultant.email)
    claire.wait_for_url("**/portfolio/")
    claire.locator("[data-testid=todo-never]").wait_for()
    screenshot(claire, DAY / "01-consultant-todo")
    for d in (riviere, lac, neuve):
        claire.check(f"#pick-{d.pk}")
    claire.click("[data-testid=campaign-pick] button[type=submit]")
    claire.wait_for_url("**/campaigns/new/**")
    claire.fill("#id_title", TITLE)
    claire.fill("#id_due_date", (timezone.localdate() + timedelta(days=21)).isoformat())
    claire.fill("#id_message", "Avant notre réunion de réseau, merci de refaire le point.")
    claire.fill(f"#email-{neuve.pk}", "contact@auto-neuve.example")
    claire.fill(f"#name-{neuve.pk}", "Ana Leroy")
    screenshot(claire, DAY / "02-consultant-campaign-form")
    claire.click("[data-testid=campaign-form] button[type=submit]")
    claire.wait_for_url(re.compile(r".*/campaigns/\d+/$"))
    campaign = Campaign.objects.get(title=TITLE)
    assert campaign.participants.count() == 3
    rows = claire.locator("[data-testid=campaign-dealerships] tbody tr")
    assert rows.count() == 3
    assert "0\u00a0%" in claire.inner_text("[data-testid=completion-rate]")
    screenshot(claire, DAY / "03-consultant-campaign")

    # The e-mails: each contact's link, and an invitation for the dealership with nobody.
    to_sophie = next(m for m in mailoutbox if m.to == [dealer.email])
    assert to_sophie.body.startswith("Bonjour Sophie,")
    assert "de la part de Claire Martin" in to_sophie.body
    assert Invitation.objects.filter(dealership=neuve, email="contact@auto-neuve.example").exists()
    link = re.search(r"https?://\S+/assessments/\d+/", to_sophie.body).group(0)

    # --- Sophie follows the link: last year's answers are there; she submits. ---
    sophie.goto(base + urlsplit(link).path)
    sophie.wait_for_url("**/accounts/login/**")
    sophie.fill("input[name=username]", dealer.email)
    sophie.fill("input[name=password]", PASSWORD)
    sophie.click("main form button[type=submit]")
    sophie.wait_for_url("**/review/")  # every step is answered: straight to the review
    screenshot(sophie, DAY / "04-dealer-prefilled-review")
    sophie.on("dialog", lambda dialog: dialog.accept())
    sophie.click("form[action$='/submit/'] button[type=submit]")
    sophie.wait_for_url("**/results/")
    screenshot(sophie, DAY / "05-dealer-results")

    # --- Claire: the notification, the to-do entry, a draft review, then publication. ---
    claire.goto(f"{base}/portfolio/")
    assert claire.inner_text("[data-testid=nav-unread]").strip() == "1"
    claire.locator("[data-testid=todo-review]").wait_for()
    assert "Auto Rivière" in claire.inner_text("[data-testid=todo-review]")
    screenshot(claire, DAY / "06-consultant-todo-review")
    claire.click("[data-testid=nav-notifications]")
    claire.wait_for_url("**/notifications/")
    notifications = claire.inner_text("[data-testid=notifications]")
    assert "Sophie Lefebvre a soumis l’autodiagnostic de Auto Rivière" in notifications
    screenshot(claire, DAY / "07-consultant-notifications")
    claire.click("[data-testid=notifications] form button[type=submit]")
    claire.wait_for_url("**/feedback/")
    assert Notification.objects.get(user=consultant).read_at is not None
    claire.fill("#overall_note", NOTE)
    claire.fill("#comment-social", COMMENT)
    claire.click("button[name=action][value=save]")
    claire.wait_for_url("**/feedback/")
    assert "Brouillon" in claire.inner_text("[data-testid=review-state]")
    screenshot(claire, DAY / "08-consultant-review-draft")

    sophie.reload()
    assert NOTE not in sophie.content()  # a draft: the dealer sees nothing yet

    claire.click("button[name=action][value=review]")
    claire.wait_for_url("**/feedback/")
    claire.locator("[data-testid=review-state] .badge.text-bg-success").wait_for()
    review = AssessmentReview.objects.get(assessment__dealership=riviere, reviewed_at__isnull=False)
    assert review.overall_note == NOTE and review.reviewed_by == consultant
    screenshot(claire, DAY / "09-consultant-review-published")

    # --- Sophie reads it, told by a notification. ---
    sophie.reload()
    assert NOTE in sophie.content() and COMMENT in sophie.content()
    assert sophie.inner_text("[data-testid=nav-unread]").strip() == "1"
    screenshot(sophie, DAY / "10-dealer-reads-the-review")

    # --- Sophie gives the first roadmap action an owner and a due date. ---
    sophie.goto(f"{base}/dealerships/{riviere.pk}/roadmap/")
    first = sophie.locator(".plan-details").first
    key = first.get_attribute("data-testid").removeprefix("plan-")
    first.locator("summary").click()
    due = timezone.localdate() + timedelta(days=30)
    sophie.select_option(f"#owner-{key}", str(dealer.pk))
    sophie.fill(f"#due-{key}", due.isoformat())
    sophie.fill(f"#notes-{key}", "Devis de l'agence demandé.")
    first.locator("button[type=submit]").click()
    sophie.wait_for_url(f"**/roadmap/#action-{key}")
    row = RoadmapActionStatus.objects.get(dealership=riviere, action_key=key)
    assert (row.owner, row.due_date) == (dealer, due)
    assert RoadmapActionChange.objects.filter(dealership=riviere, action_key=key).count() == 3
    assert "Sophie Lefebvre" in sophie.inner_text(f"#action-{key}")
    screenshot(sophie, DAY / "11-dealer-owned-action")

    # --- The campaign page: one submitted and reviewed of three. ---
    claire.goto(f"{base}/campaigns/{campaign.pk}/")
    assert "33\u00a0%" in claire.inner_text("[data-testid=completion-rate]")
    assert "Relue" in claire.inner_text(f"[data-testid=participant-{riviere.pk}]")
    screenshot(claire, DAY / "12-consultant-campaign-progress")

    for who, page in (("consultant", claire), ("dealer", sophie)):
        assert not page.errors, (who, page.errors)
