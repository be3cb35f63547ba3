"""A dealer logs in, lands on their dealership's home, marks a roadmap action done (htmx),
reloads and finds it still done; the whole roadmap page works without JavaScript too.

Screenshots at desktop (1280) and phone (375) width go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maturity.models import AreaComment, AssessmentReview, RoadmapActionStatus
from tests.browser.conftest import PHONE, SHOTS, needs_chromium, open_page, screenshot
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    MembershipFactory,
    UserFactory,
    submitted_assessment,
)

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def browser_page(chromium):
    return open_page(chromium, locale="en-GB")


def _shoot(page, name: str) -> None:
    screenshot(page, SHOTS / name)


def _login(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def _english(page) -> None:
    english = page.locator("form[action*='i18n'] button[value=en]")
    if english.count():
        english.first.click()
        page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_a_dealer_marks_a_roadmap_action_done(live_server, browser_page):
    page = browser_page
    dealership = DealershipFactory(name="Auto Rivière", city="Saint-Omer")
    owner = MembershipFactory(
        dealership=dealership, role="owner", user__email="principal@auto-riviere.example"
    ).user
    owner.language = "en"
    owner.save()
    consultant = ConsultantFactory(email="conseil@agence.example", full_name="Claire Martin")
    AssignmentFactory(consultant=consultant, dealership=dealership)
    now = timezone.now()
    submitted_assessment(
        dealership=dealership, persona="a", user=owner, submitted_at=now - timedelta(days=200)
    )
    latest = submitted_assessment(
        dealership=dealership, persona="b", user=owner, submitted_at=now - timedelta(days=20)
    )
    AssessmentReview.objects.create(
        assessment=latest,
        overall_note="Your website is a good base. Next: put your stock online and answer "
        "every comment on Facebook.",
        reviewed_by=consultant,
        reviewed_at=now - timedelta(days=10),
    )
    AreaComment.objects.create(
        assessment=latest,
        area_key="social",
        body="Answer comments and messages within a day.",
        author=consultant,
    )

    _login(page, live_server, owner.email)
    _english(page)
    # A dealer with one dealership lands on its home.
    assert page.url.rstrip("/").endswith(f"/dealerships/{dealership.pk}")
    page.get_by_role("heading", name="Your next three actions").wait_for()
    _shoot(page, "dealer-home")

    first = page.locator(".home-action").first
    action_id = first.get_attribute("id")
    key = action_id.removeprefix("action-")
    title = first.locator("h3").inner_text()
    # htmx: the status control is swapped in place, no page load.
    first.get_by_role("button", name="Done").click()
    page.locator(f"#status-{key} [role=status]", has_text="Saved").wait_for()
    assert first.get_by_role("button", name="Done").get_attribute("aria-pressed") == "true"
    row = RoadmapActionStatus.objects.get(dealership=dealership, action_key=key)
    assert row.status == "done" and row.done_at is not None

    # After a reload it is done: it left the top three and is listed as done since.
    page.reload()
    page.get_by_role("heading", name="Your next three actions").wait_for()
    assert page.locator(f".home-action#{action_id}").count() == 0
    assert "1 action done since your latest assessment" in page.content()
    assert title in page.locator(".alert-success").inner_text()
    assert "Answer comments and messages within a day." in page.content()

    # The whole roadmap shows it done too.
    page.get_by_role("link", name="See the whole roadmap").click()
    page.locator(f"#action-{key}").wait_for()
    done_button = page.locator(f"#status-{key}").get_by_role("button", name="Done")
    assert done_button.get_attribute("aria-pressed") == "true"
    _shoot(page, "dealer-roadmap")
    assert not [e for e in page.errors if "Content Security Policy" in e]


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_status_form_still_works(live_server, chromium):
    dealership = DealershipFactory()
    owner = MembershipFactory(
        dealership=dealership, role="owner", user__email="nojs@example.com"
    ).user
    submitted_assessment(dealership=dealership, persona="b", user=owner)
    page = open_page(chromium, viewport=PHONE, java_script_enabled=False)
    _login(page, live_server, owner.email)
    page.goto(f"{live_server.url}/dealerships/{dealership.pk}/roadmap/")
    item = page.locator(".roadmap-item").first
    key = item.get_attribute("id").removeprefix("action-")
    item.locator("button[value=in_progress]").click()
    page.wait_for_load_state("load")
    assert f"/dealerships/{dealership.pk}/roadmap/" in page.url
    pressed = page.locator(f"#status-{key} button[value=in_progress]")
    assert pressed.get_attribute("aria-pressed") == "true"
    assert RoadmapActionStatus.objects.get(action_key=key).status == "in_progress"


@pytest.mark.django_db(transaction=True)
def test_screens_of_the_empty_home_group_review_and_compare(live_server, browser_page):
    """Not a behaviour test: screenshots of the other pages, for a human look."""
    from tests.factories import DealerGroupFactory

    page = browser_page
    group = DealerGroupFactory(name="Groupe Horizon")
    owner = UserFactory(email="isabelle.roche@groupe-horizon.example", full_name="Isabelle Roche")
    owner.language = "en"
    owner.save()
    dealerships = []
    for index, city in enumerate(["Lyon", "Villeurbanne", "Grenoble", "Annecy"]):
        d = DealershipFactory(name=f"Groupe Horizon – {city}", city=city, group=group)
        dealerships.append(d)
        MembershipFactory(dealership=d, role="owner", user=owner)
        if index < 3:
            persona = "dcba"[index]
            submitted_assessment(
                dealership=d,
                persona="a",
                user=owner,
                submitted_at=timezone.now() - timedelta(days=300),
            )
            submitted_assessment(dealership=d, persona=persona, user=owner)
    consultant = ConsultantFactory(email="claire@agence.example", full_name="Claire Martin")
    AssignmentFactory(consultant=consultant, dealership=dealerships[0])

    _login(page, live_server, owner.email)
    _english(page)
    page.goto(f"{live_server.url}/dealerships/{dealerships[3].pk}/")
    _shoot(page, "dealer-home-empty")
    page.goto(f"{live_server.url}/dealerships/{dealerships[0].pk}/group/")
    page.get_by_role("heading", name="Groupe Horizon").first.wait_for()
    _shoot(page, "dealer-group")
    page.goto(f"{live_server.url}/dealerships/{dealerships[2].pk}/compare/")
    _shoot(page, "dealer-compare")

    page.context.clear_cookies()
    _login(page, live_server, consultant.email)
    _english(page)
    latest = dealerships[0].assessments.order_by("-submitted_at").first()
    page.goto(
        f"{live_server.url}/dealerships/{dealerships[0].pk}/assessments/{latest.pk}/feedback/"
    )
    page.fill("#comment-website", "Keep the stock feed running daily.")
    # Publishing is what "reviewed" means now (a saved review is a draft).
    page.get_by_role("button", name="Publish the review").click()
    page.wait_for_load_state("networkidle")
    assert "Published on" in page.content()
    _shoot(page, "consultant-review")
