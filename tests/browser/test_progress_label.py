"""The wizard's progress line: "41 questions sur 52 ont une réponse" and "79 %" side by
side, never touching, on a step and on the review page, at desktop and phone width."""

from __future__ import annotations

import pytest

from maturity.models import Assessment
from maturity.questionnaire.services import questionnaire_current
from tests.browser.conftest import DESKTOP, PHONE, needs_chromium, open_page
from tests.factories import PASSWORD, DealershipFactory, MembershipFactory

pytestmark = [pytest.mark.browser, needs_chromium]

# At least a normal space at the small font size, so the number never reads as part of
# the word before it ("réponse41 %").
MIN_GAP_PX = 4


def _gap(page) -> float:
    return page.evaluate(
        """() => {
            const label = document.querySelector('#wizard-progress-label');
            const percent = label.parentElement.querySelector('[aria-hidden="true"]');
            const a = label.getBoundingClientRect(), b = percent.getBoundingClientRect();
            // Side by side: the space between them; wrapped under: it cannot touch.
            return b.top >= a.bottom ? 999 : b.left - a.right;
        }"""
    )


@pytest.mark.django_db(transaction=True)
def test_the_progress_count_and_percent_never_touch(live_server, chromium):
    dealership = DealershipFactory(name="Garage du Centre", city="Tours")
    owner = MembershipFactory(
        dealership=dealership, role="owner", user__email="jean@centre.example"
    ).user
    draft = Assessment.objects.create(dealership=dealership, version=questionnaire_current())
    page = open_page(chromium, locale="fr-FR")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    base = f"{live_server.url}/dealerships/{dealership.pk}/assessments/{draft.pk}"
    for path in ("/steps/website/", "/review/"):
        page.goto(base + path)
        for viewport in (DESKTOP, PHONE, {"width": 320, "height": 700}):
            page.set_viewport_size(viewport)
            gap = _gap(page)
            assert gap >= MIN_GAP_PX, (path, viewport, gap)
