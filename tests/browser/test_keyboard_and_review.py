"""A dealer in headless Chromium: the review's submit, the wizard's progress and numbers,
and the keyboard path to the home's main action.

- The review page of an incomplete draft says how many answers are left, links to each
  and offers no submit button; once complete, it submits.
- While a step is answered, follow-ups appear, and the progress never moves back; the
  questions shown are numbered 1, 2, 3… whatever is hidden.
- From the top of the home, the main action ("Start a new assessment", "Continue the
  assessment") is at most 10 Tab presses away; the skip link comes first; in the wizard
  the steps (left) come before the questions; a focused checkbox shows a ring.
"""

from __future__ import annotations

import pytest

from maturity.assessments.services import assessment_start
from maturity.models import Answer, Assessment
from maturity.questionnaire.services import questionnaire_current
from tests.browser.answering import answer_question
from tests.browser.conftest import needs_chromium, open_page
from tests.factories import DealershipFactory, MembershipFactory, persona_answers
from tests.maturity.results_helpers import submit_persona

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]

MISSING = ("crm_followup", "strategy_budget")


@pytest.fixture
def owner():
    dealership = DealershipFactory(name="Auto Rivière", city="Angers")
    return MembershipFactory(dealership=dealership, role="owner").user


def _signed_in(chromium, client, live_server, user, **options):
    """A page whose context carries ``user``'s session."""
    client.force_login(user)
    page = open_page(chromium, timeout_ms=30_000, locale="fr-FR", **options)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def _draft_with(owner, answers: dict):
    dealership = owner.memberships.get().dealership
    draft, _created = assessment_start(dealership=dealership, user=owner)
    Answer.objects.bulk_create(
        Answer(assessment=draft, question_key=key, value=value, updated_by=owner)
        for key, value in answers.items()
    )
    return draft


def test_the_review_says_what_is_left_and_submits_only_when_complete(
    live_server, chromium, client, owner
):
    persona = persona_answers("B")
    draft = _draft_with(owner, {k: v for k, v in persona.items() if k not in MISSING})
    page = _signed_in(chromium, client, live_server, owner)
    review = f"{live_server.url}/dealerships/{draft.dealership_id}/assessments/{draft.pk}/review/"

    page.goto(review)
    blocked = page.locator("[data-testid=submit-blocked]")
    assert "2 questions" in blocked.inner_text()
    assert page.locator("form[action$='/submit/']").count() == 0
    links = blocked.locator("li a")
    assert links.count() == 2
    assert links.first.get_attribute("href").endswith("/steps/crm/#question-crm_followup")
    blocked.get_by_role("link", name="Répondre à la première").click()
    page.wait_for_url("**/steps/crm/#question-crm_followup")

    Answer.objects.bulk_create(
        Answer(assessment=draft, question_key=key, value=persona[key], updated_by=owner)
        for key in MISSING
    )
    page.goto(review)
    assert page.locator("[data-testid=submit-blocked]").count() == 0
    # From the top, as few Tab presses as to the home's main action, then the submit
    # button: not one press per answer.
    assert _tabs_to(page, "[data-testid=to-submit]") <= 10
    page.keyboard.press("Enter")
    assert _tabs_to(page, "form[action$='/submit/'] button[type=submit]", limit=2) == 1
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("form[action$='/submit/'] button[type=submit]")
    page.wait_for_url("**/results/")
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.SUBMITTED
    assert not page.errors, page.errors


def _percent(page) -> float:
    bar = page.locator("#wizard-progress progress")
    return float(bar.get_attribute("value")) / float(bar.get_attribute("max"))


def _numbers(page) -> list[str]:
    return page.locator(".question-block:not([hidden]) .question-number").all_inner_texts()


def test_progress_never_moves_back_and_numbers_never_skip_while_answering(
    live_server, chromium, client, owner
):
    definition = questionnaire_current().definition
    persona = persona_answers("D")
    draft = _draft_with(owner, {})
    page = _signed_in(chromium, client, live_server, owner)
    base = f"{live_server.url}/dealerships/{draft.dealership_id}/assessments/{draft.pk}/steps/"

    seen = []
    revealed = 0
    for area in definition.areas:
        page.goto(base + f"{area.key}/")
        seen.append(_percent(page))
        for question in area.questions:
            block = page.locator(f"#question-{question.key}")
            if question.key not in persona or block.is_hidden():
                continue
            shown_before = len(_numbers(page))
            if area.key == "social" and question.key == "social_networks":
                page.click("label[for='q-social_networks-none']")  # exclusive, then untick
            answer_question(page, question, persona[question.key])
            page.wait_for_timeout(50)  # the out-of-band swap of revealed questions settles
            revealed += len(_numbers(page)) > shown_before
            seen.append(_percent(page))
            numbers = _numbers(page)
            assert numbers == [f"{n}." for n in range(1, len(numbers) + 1)], numbers
    assert revealed >= 3, "persona D reveals follow-up questions"
    assert seen == sorted(seen), seen
    assert seen[-1] == 1.0
    assert not page.errors, page.errors


def _tabs_to(page, selector: str, limit: int = 40) -> int:
    """Tab presses from the top of the page until ``selector`` has the focus."""
    target = page.locator(selector)
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{selector} not reached in {limit} Tab presses")


@pytest.mark.parametrize("state", ["assessed", "draft"])
def test_the_homes_main_action_is_at_most_ten_tab_presses_away(
    live_server, chromium, client, owner, state
):
    dealership = owner.memberships.get().dealership
    submit_persona(dealership=dealership, user=owner, letter="B")
    if state == "draft":
        assessment_start(dealership=dealership, user=owner)
    page = _signed_in(chromium, client, live_server, owner)
    page.goto(f"{live_server.url}/dealerships/{dealership.pk}/")

    main_action = page.locator("[data-testid=main-action]")
    expected = "poursuivre" if state == "draft" else "nouvelle évaluation"
    assert expected in main_action.inner_text().lower()
    assert _tabs_to(page, "[data-testid=main-action]") <= 10

    # The skip link is the first stop and leads into the page, right before the action.
    page.reload()
    page.keyboard.press("Tab")
    skip = page.locator("a[href='#main']")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert _tabs_to(page, "[data-testid=main-action]") <= 2
    assert not page.errors, page.errors


def test_the_wizard_steps_come_before_the_questions_and_focus_shows(
    live_server, chromium, client, owner
):
    draft = _draft_with(owner, {})
    page = _signed_in(chromium, client, live_server, owner)
    page.goto(f"{live_server.url}/dealerships/{draft.dealership_id}/assessments/{draft.pk}/")
    page.wait_for_url("**/steps/website/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    order = []
    for _ in range(30):
        page.keyboard.press("Tab")
        kind = page.evaluate(
            "() => document.activeElement.closest('#wizard-steps') ? 'steps'"
            " : document.activeElement.closest('#step-form') ? 'form' : 'other'"
        )
        order.append(kind)
        if kind == "form":
            break
    assert "steps" in order and order.index("steps") < order.index("form"), order

    # A checkbox focused from the keyboard has a solid ring, not Bootstrap's faint halo.
    box = page.locator("#step-form input[type=checkbox], #step-form input[type=radio]").first
    box.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = box.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] == "solid" and float(outline[1].rstrip("px")) >= 2, outline
    assert not page.errors, page.errors
