"""Answering an assessment: start, steps, autosave, resume, conditions, review, submit."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from maturity.assessments.services import assessment_submit
from maturity.models import Answer, Assessment
from tests.maturity.conftest import (
    HTMX,
    answer_url,
    fill,
    persona_answers,
    revision,
    step_url,
    stored,
)

AREAS = ("website", "social", "reviews", "monitoring", "crm", "contact_center", "strategy")


def detail_url(assessment: Assessment) -> str:
    return reverse("assessment_detail", args=[assessment.dealership_id, assessment.pk])


def review_url(assessment: Assessment) -> str:
    return reverse("assessment_review", args=[assessment.dealership_id, assessment.pk])


def submit_url(assessment: Assessment) -> str:
    return reverse("assessment_submit", args=[assessment.dealership_id, assessment.pk])


# --- starting --------------------------------------------------------------------------------


def test_it_lets_a_dealer_start_an_assessment_from_the_dealership_page(client, dealership, owner):
    client.force_login(owner)
    page = client.get(reverse("dealership_detail", args=[dealership.pk]))
    assert reverse("assessment_start", args=[dealership.pk]) in page.content.decode()

    response = client.post(reverse("assessment_start", args=[dealership.pk]))

    draft = Assessment.objects.get(dealership=dealership)
    assert draft.is_draft and draft.created_by == owner and draft.previous is None
    assert response.url == detail_url(draft)
    assert client.get(response.url).url == step_url(draft, "website")


def test_it_takes_colleagues_to_the_same_draft(client, dealership, owner, member, draft):
    client.force_login(member)

    response = client.post(reverse("assessment_start", args=[dealership.pk]))

    assert response.url == detail_url(draft)
    assert Assessment.objects.filter(dealership=dealership).count() == 1


def test_consultants_read_a_draft_but_cannot_answer_it(client, draft, assigned_consultant):
    client.force_login(assigned_consultant)

    step = client.get(step_url(draft, "website"))
    assert step.status_code == 200
    html = step.content.decode()
    assert "disabled" in html and "hx-post" not in html
    saved = client.post(
        answer_url(draft, "website_own"),
        {"q-website_own": "own_site", "rev-website_own": "0"},
        **HTMX,
    )
    assert saved.status_code == 403
    posted = client.post(
        step_url(draft, "website"), {"q-website_own": "own_site", "rev-website_own": "0"}
    )
    assert posted.status_code == 403
    assert client.post(submit_url(draft)).status_code == 403
    assert not Answer.objects.exists()
    # Resuming takes a reader to the review page, not into the form.
    assert client.get(detail_url(draft)).url == review_url(draft)


# --- every step renders ------------------------------------------------------------------------


@pytest.mark.parametrize("area", AREAS)
def test_each_step_renders_in_a_bounded_number_of_queries(
    client, draft, owner, area, django_assert_max_num_queries
):
    fill(draft, persona_answers("D"), owner)  # every question shown
    client.force_login(owner)
    client.get(step_url(draft, "website"))  # warm the per-process definition cache

    # session, user, assessment, role, answers, area delegations, the role read again
    # by the delegation check, and on the website step the latest website check:
    # constant whatever the number of questions.
    with django_assert_max_num_queries(8):
        response = client.get(step_url(draft, area))

    assert response.status_code == 200


def test_a_step_shows_each_kind_of_question_accessibly(client, draft, owner):
    fill(draft, persona_answers("D"), owner)
    client.force_login(owner)

    reviews = client.get(step_url(draft, "reviews")).content.decode()
    # multiple choice with an exclusive "none" option, a number with unit and range
    assert 'type="checkbox" name="q-reviews_platforms"' in reviews
    assert 'value="none" data-exclusive' in reviews
    assert 'data-number data-min="1" data-max="5" inputmode="decimal"' in reviews
    assert "sur 5" in reviews  # the unit, from the questionnaire in French
    assert 'id="q-reviews_rating-dont_know"' in reviews  # "Je ne sais pas" where allowed
    assert "Je ne sais pas" in reviews
    assert 'maxlength="2000"' in reviews  # the comment's textarea
    assert "<legend" in reviews and "<details" in reviews  # legend + "why it matters"
    contact = client.get(step_url(draft, "contact_center")).content.decode()
    assert 'class="btn-check" name="q-contact_center_consistency"' in contact  # 1..5 scale
    assert "La même sur tous les canaux" in contact  # the scale's max label
    crm = client.get(step_url(draft, "crm")).content.decode()
    assert 'name="q-crm_assignment" id="q-crm_assignment-yes" value="yes"' in crm
    website = client.get(step_url(draft, "website")).content.decode()
    assert 'type="url" class="form-control" name="q-website_url"' in website


def test_it_shows_the_questionnaire_in_the_readers_language(client, draft, owner):
    question = draft.version.definition.question("website_own")
    client.force_login(owner)

    french = client.get(step_url(draft, "website")).content.decode()
    client.cookies.load({"django_language": "en"})
    english = client.get(step_url(draft, "website")).content.decode()

    assert question.text.fr.replace("'", "&#x27;") in french
    assert question.text.en.replace("'", "&#x27;") in english


# --- autosave ----------------------------------------------------------------------------------


def test_htmx_saves_each_answer_as_it_changes(client, draft, owner, english):
    client.force_login(owner)

    response = client.post(
        answer_url(draft, "website_own"),
        {"q-website_own": "own_site", "rev-website_own": "0"},
        **HTMX,
    )

    assert response.status_code == 200
    assert stored(draft) == {"website_own": "own_site"}
    html = response.content.decode()
    assert "Saved at" in html
    assert 'id="rev-website_own" name="rev-website_own" value="1" hx-swap-oob="true"' in html
    assert 'id="wizard-progress"' in html and 'id="wizard-steps"' in html
    # The next change uses the new revision and is saved too.
    again = client.post(
        answer_url(draft, "website_own"),
        {"q-website_own": "locator_only", "rev-website_own": "1"},
        **HTMX,
    )
    assert again.status_code == 200
    assert stored(draft) == {"website_own": "locator_only"}
    assert revision(draft, "website_own") == 2


def test_an_autosave_costs_at_most_five_queries(
    client, draft, owner, django_assert_max_num_queries
):
    fill(draft, {"website_own": "own_site"}, owner)
    client.force_login(owner)
    client.get(step_url(draft, "website"))  # warm the per-process definition cache

    # session, user, the assessment with the role, the answer rows, one conditional write:
    # a first answer (an insert) and a change (an update) alike.
    with django_assert_max_num_queries(5):
        first = client.post(
            answer_url(draft, "website_mobile"),
            {"q-website_mobile": "yes", "rev-website_mobile": "0"},
            **HTMX,
        )
    with django_assert_max_num_queries(5):
        changed = client.post(
            answer_url(draft, "website_mobile"),
            {"q-website_mobile": "partly", "rev-website_mobile": "1"},
            **HTMX,
        )

    assert first.status_code == changed.status_code == 200
    assert stored(draft)["website_mobile"] == "partly"
    assert revision(draft, "website_mobile") == 2
    # The first answer moved the progress bar, the change of value did not: only the
    # first re-renders it.
    assert 'id="wizard-progress"' in first.content.decode()
    assert 'id="wizard-progress"' not in changed.content.decode()
    assert 'value="2"' in changed.content.decode()


def test_without_javascript_next_saves_the_whole_step(client, draft, owner):
    client.force_login(owner)
    data = {
        "q-website_own": "own_site",
        "rev-website_own": "0",
        "q-website_contact": ["contact_form", "online_booking"],
        "rev-website_contact": "0",
        "q-website_comment": "  Refait en 2024.  ",
        "rev-website_comment": "0",
        "rev-website_mobile": "0",  # shown but not answered yet
        "go": "next",
    }
    # The page showed every website question (the dealer had answered "own site" before).
    for key in ("website_url", "website_stock", "website_updates", "website_analytics"):
        data[f"rev-{key}"] = "0"

    response = client.post(step_url(draft, "website"), data)

    assert response.status_code == 302
    assert response.url == step_url(draft, "social")
    assert stored(draft) == {
        "website_own": "own_site",
        "website_contact": ["contact_form", "online_booking"],
        "website_comment": "Refait en 2024.",
    }
    back = client.post(step_url(draft, "social"), {"go": "previous"})
    assert back.url == step_url(draft, "website")
    assert client.post(step_url(draft, "strategy"), {"go": "next"}).url == review_url(draft)


def test_without_javascript_a_refused_answer_comes_back_with_its_error(
    client, draft, owner, english
):
    fill(draft, {"website_own": "own_site"}, owner)
    client.force_login(owner)
    data = {
        "q-website_own": "own_site",
        "rev-website_own": "1",
        "q-website_url": "www.garage",  # not a full address
        "rev-website_url": "0",
        "q-website_mobile": "yes",
        "rev-website_mobile": "0",
        "go": "next",
    }

    response = client.post(step_url(draft, "website"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Please enter a full web address starting with https://." in html
    assert 'value="www.garage"' in html  # what the dealer typed is still there
    # The step is saved as a whole or not at all: the valid answer waits with the page.
    assert stored(draft) == {"website_own": "own_site"}
    assert re.search(r'id="q-website_mobile-yes" value="yes"[^>]* checked', html)


def test_clearing_an_answer_keeps_its_revision(client, draft, owner):
    fill(draft, {"website_own": "own_site", "website_comment": "Refait"}, owner)
    client.force_login(owner)

    response = client.post(
        answer_url(draft, "website_comment"),
        {"q-website_comment": "", "rev-website_comment": "1"},
        **HTMX,
    )

    assert response.status_code == 200
    assert "website_comment" not in stored(draft)
    assert revision(draft, "website_comment") == 2


# --- resume ------------------------------------------------------------------------------------


def test_it_resumes_at_the_first_step_with_a_question_left(client, draft, owner):
    answers = persona_answers("B")
    client.force_login(owner)
    website = {k: v for k, v in answers.items() if k.startswith("website_")}
    fill(draft, website, owner)
    assert client.get(detail_url(draft)).url == step_url(draft, "social")

    social = {k: v for k, v in answers.items() if k.startswith(("social_", "reviews_"))}
    fill(draft, social, owner)
    assert client.get(detail_url(draft)).url == step_url(draft, "monitoring")

    fill(draft, answers, owner)
    assert client.get(detail_url(draft)).url == review_url(draft)


# --- conditional questions ---------------------------------------------------------------------


def test_hidden_questions_are_not_shown_required_or_counted(client, draft, owner):
    client.force_login(owner)
    fill(draft, {"website_own": "own_site"}, owner)
    before = client.get(step_url(draft, "website")).context["progress"]
    assert before.area("website").total == 6

    fill(draft, {"website_own": "locator_only"}, owner)
    page = client.get(step_url(draft, "website"))

    html = page.content.decode()
    assert 'name="q-website_mobile"' not in html
    assert 'name="q-website_stock"' not in html
    after = page.context["progress"]
    assert after.area("website").total == 1 and after.area("website").complete
    assert after.total == before.total - 5  # five website detail questions hidden
    assert client.get(detail_url(draft)).url == step_url(draft, "social")


def test_changing_a_gate_answer_reveals_its_questions_with_htmx(client, draft, owner):
    client.force_login(owner)

    response = client.post(
        answer_url(draft, "website_own"),
        {"q-website_own": "own_site", "rev-website_own": "0"},
        **HTMX,
    )

    html = response.content.decode()
    assert '<div id="question-website_mobile" class="question-block" hx-swap-oob="true">' in html
    assert 'name="q-website_mobile"' in html

    hidden = client.post(
        answer_url(draft, "website_own"),
        {"q-website_own": "locator_only", "rev-website_own": "1"},
        **HTMX,
    ).content.decode()
    assert '<div id="question-website_mobile" class="question-block" hidden hx-swap-oob' in hidden
    assert 'name="q-website_mobile"' not in hidden


def test_without_javascript_questions_revealed_by_a_save_are_shown_next(client, draft, owner):
    client.force_login(owner)

    response = client.post(
        step_url(draft, "website"),
        {"q-website_own": "own_site", "rev-website_own": "0", "go": "next"},
    )

    assert response.url == step_url(draft, "website") + "#question-website_mobile"
    assert 'name="q-website_mobile"' in client.get(response.url).content.decode()
    assert stored(draft) == {"website_own": "own_site"}


def test_a_page_saved_without_javascript_ignores_answers_its_gate_hides(client, draft, owner):
    fill(draft, {"website_own": "own_site"}, owner)
    client.force_login(owner)
    data = {
        "q-website_own": "locator_only",
        "rev-website_own": "1",
        "q-website_stock": "not-an-option",  # now hidden: neither saved nor an error
        "rev-website_stock": "0",
        "go": "next",
    }

    response = client.post(step_url(draft, "website"), data)

    assert response.status_code == 302
    assert stored(draft) == {"website_own": "locator_only"}


# --- review and submit -------------------------------------------------------------------------


def test_the_review_lists_every_visible_answer_with_a_link_to_edit_it(client, draft, owner):
    fill(draft, persona_answers("B"), owner)
    client.force_login(owner)

    html = client.get(review_url(draft)).content.decode()

    assert "Page Facebook" in html or "Facebook" in html
    assert step_url(draft, "crm") + "#question-crm_used" in html
    assert reverse("assessment_submit", args=[draft.dealership_id, draft.pk]) in html


def test_submit_refuses_an_incomplete_assessment_and_links_to_the_steps(
    client, draft, owner, english
):
    answers = persona_answers("B")
    del answers["crm_followup"]
    del answers["strategy_budget"]
    fill(draft, answers, owner)
    client.force_login(owner)

    response = client.post(submit_url(draft))

    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be submitted yet" in html
    assert step_url(draft, "crm") + "#question-crm_followup" in html
    assert step_url(draft, "strategy") + "#question-strategy_budget" in html
    draft.refresh_from_db()
    assert draft.is_draft and draft.submitted_at is None


def test_submitting_locks_the_assessment(client, draft, owner, member, english):
    fill(draft, persona_answers("A"), owner)
    client.force_login(member)

    response = client.post(submit_url(draft))

    assert response.url == reverse("assessment_results", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.SUBMITTED
    assert draft.submitted_by == member and draft.submitted_at is not None
    page = client.get(review_url(draft)).content.decode()
    assert "Submitted and locked." in page
    assert "Submit the assessment</button>" not in page
    step = client.get(step_url(draft, "website")).content.decode()
    assert "disabled" in step and "hx-post" not in step


def test_every_write_to_a_submitted_assessment_is_refused(client, draft, owner, english):
    answers = persona_answers("A")
    fill(draft, answers, owner)
    assessment_submit(assessment=draft, user=owner)
    before = list(Answer.objects.filter(assessment=draft).values_list("question_key", "value"))
    client.force_login(owner)

    autosave = client.post(
        answer_url(draft, "website_own"),
        {"q-website_own": "own_site", "rev-website_own": str(revision(draft, "website_own"))},
        **HTMX,
    )
    page = client.post(
        step_url(draft, "website"),
        {"q-website_own": "own_site", "rev-website_own": "1", "go": "next"},
    )
    again = client.post(submit_url(draft))

    assert autosave.status_code == 409
    assert "has been submitted" in autosave.content.decode()
    assert page.status_code == 409 and "has been submitted" in page.content.decode()
    assert again.status_code == 409
    after = list(Answer.objects.filter(assessment=draft).values_list("question_key", "value"))
    assert after == before


# --- re-assessment -----------------------------------------------------------------------------


def test_a_new_assessment_starts_from_the_last_submitted_answers(client, draft, owner):
    fill(draft, persona_answers("B"), owner)
    assessment_submit(assessment=draft, user=owner)
    client.force_login(owner)

    client.post(reverse("assessment_start", args=[draft.dealership_id]))

    again = Assessment.objects.get(dealership=draft.dealership, status="draft")
    assert again.previous == draft
    assert stored(again) == stored(draft)
    assert client.get(detail_url(again)).url == review_url(again)  # nothing left to answer


def test_pre_fill_keeps_only_answers_that_fit_the_new_version(
    dealership, owner, draft, monkeypatch
):
    from maturity.assessments import services
    from maturity.models import QuestionnaireVersion

    answers = persona_answers("D")
    fill(draft, answers, owner)
    assessment_submit(assessment=draft, user=owner)
    content = QuestionnaireVersion.objects.get(pk=draft.version_id).content
    website = content["areas"][0]["questions"]
    website[:] = [q for q in website if q["key"] != "website_analytics"]  # retired
    stock = next(q for q in website if q["key"] == "website_stock")
    stock["options"] = [o for o in stock["options"] if o["key"] != "live"]  # option removed
    content["version"] = "2099.1"
    new, _created = _publish(content)
    monkeypatch.setattr(services, "questionnaire_current", lambda: new)

    again, created = services.assessment_start(dealership=dealership, user=owner)

    assert created and again.version == new and again.previous == draft
    copied = stored(again)
    assert "website_analytics" not in copied
    assert "website_stock" not in copied
    expected = {k: v for k, v in answers.items() if k not in {"website_analytics", "website_stock"}}
    assert copied == expected


def _publish(content):
    import json

    from maturity.engine.loader import parse_questionnaire
    from maturity.models import QuestionnaireVersion

    content = json.loads(json.dumps(content))
    definition = parse_questionnaire(content, source="test")
    return QuestionnaireVersion.objects.get_or_create(
        content_hash=definition.content_hash,
        defaults={"label": definition.version, "content": content},
    )


# --- the dealership page ----------------------------------------------------------------------


def test_the_dealership_page_shows_the_draft_and_its_progress(
    client, draft, owner, member, english
):
    fill(draft, {"website_own": "locator_only"}, owner)
    client.force_login(member)

    html = client.get(reverse("dealership_detail", args=[draft.dealership_id])).content.decode()

    assert detail_url(draft) in html
    assert "Continue the assessment" in html
    assert reverse("assessment_start", args=[draft.dealership_id]) not in html


def test_the_dealership_page_offers_no_start_to_a_consultant(
    client, dealership, assigned_consultant
):
    client.force_login(assigned_consultant)

    html = client.get(reverse("dealership_detail", args=[dealership.pk])).content.decode()

    assert reverse("assessment_start", args=[dealership.pk]) not in html
