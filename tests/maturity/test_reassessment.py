"""Re-assessing on a new questionnaire version: answers are carried over where the
question survives (same key, the answer still one of its options, asked of the
dealership's profile); the rest is marked "To answer"."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from maturity.assessments.services import assessment_start, assessment_submit
from maturity.models import Answer, Assessment
from maturity.questionnaire.answers_file import read_answers_file
from maturity.questionnaire.services import questionnaire_current, questionnaire_publish
from tests.maturity.conftest import fill, persona_answers, step_url, stored

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def previous(dealership, owner) -> Assessment:
    """Groupe Horizon's answers, submitted on questionnaire 2026.1 (alerts, not a tool)."""
    old, _created = questionnaire_publish(path=FIXTURES / "questionnaire_2026_1.yaml")
    assert old.label == "2026.1"
    answers = read_answers_file(FIXTURES / "persona_d_2026_1.yaml").answers
    answers["monitoring_listening"] = "alerts"  # "simple free alerts (... platform notifications)"
    assessment = Assessment.objects.create(
        dealership=dealership,
        version=old,
        status=Assessment.Status.SUBMITTED,
        created_by=owner,
        submitted_by=owner,
        submitted_at=timezone.now(),
        profile="brand_dealer",
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question_key=k, value=v, updated_by=owner)
        for k, v in answers.items()
    )
    return assessment


def test_it_carries_over_what_survives_and_asks_the_rest_again(dealership, owner, previous):
    draft, created = assessment_start(dealership=dealership, user=owner)
    assert created and draft.previous == previous
    assert draft.version == questionnaire_current() and draft.version != previous.version
    carried = stored(draft)
    old = stored(previous)
    # Same key, same options: carried over as they were.
    for key in ("website_own", "website_stock", "social_networks", "social_replies", "crm_used"):
        assert carried[key] == old[key], key
    assert carried["crm_web_leads"] == "all"
    # A single choice that became a multi-choice, an option whose meaning changed: asked again.
    assert "reviews_asking" not in carried  # was "systematic": sales and workshop now apart
    assert "monitoring_listening" not in carried  # "alerts" mixed in platform notifications
    # A new question: nothing to carry.
    assert "crm_social_leads" not in carried
    assert set(carried) < set(old)


def test_the_wizard_marks_what_is_left_to_answer(client, dealership, owner, previous):
    draft, _created = assessment_start(dealership=dealership, user=owner)
    client.force_login(owner)
    client.cookies.load({"django_language": "en"})
    page = client.get(step_url(draft, "monitoring")).content.decode()
    block = page[page.index('id="question-monitoring_listening"') :]
    assert "To answer" in block[: block.index('class="question-feedback"') + 400]
    assert "Your previous answers are filled in" in page
    crm = client.get(step_url(draft, "crm")).content.decode()
    social_leads = crm[crm.index('id="feedback-crm_social_leads"') :][:400]
    assert "To answer" in social_leads
    web_leads = crm[crm.index('id="feedback-crm_web_leads"') :][:400]
    assert "To answer" not in web_leads  # carried over


def test_it_submits_once_the_questions_left_are_answered(dealership, owner, previous):
    draft, _created = assessment_start(dealership=dealership, user=owner)
    fill(
        draft,
        {
            "reviews_asking": ["after_sale", "after_workshop"],
            "monitoring_listening": "own_alerts",
            "crm_social_leads": "all",
        },
        owner,
    )
    submitted = assessment_submit(assessment=draft, user=owner)
    assert submitted.result.rung == 5
    assert submitted.profile == "brand_dealer"


def test_it_does_not_carry_over_what_the_profile_is_not_asked(dealership, owner, draft):
    fill(draft, persona_answers("B"), owner)
    assessment_submit(assessment=draft, user=owner)
    dealership.profile = "repairer"  # the owner corrects what kind of dealer it is
    dealership.save(update_fields=["profile"])

    again, _created = assessment_start(dealership=dealership, user=owner)
    carried = stored(again)
    assert "website_stock" not in carried  # a body shop has no stock to put online
    assert again.definition.has_question("website_booking")
    assert "website_booking" not in carried
    assert carried["website_own"] == "own_site"


def test_a_draft_follows_the_profile_and_a_submitted_one_keeps_it(dealership, owner, draft):
    fill(draft, {"website_own": "own_site"}, owner)
    dealership.profile = "repairer"
    dealership.save(update_fields=["profile"])
    again = Assessment.objects.select_related("dealership").get(pk=draft.pk)
    assert again.definition.profile == "repairer"
    assert not again.definition.has_question("website_stock")
    # (the step page asks the body shop about bookings, not stock)
    from django.test import Client

    client = Client()
    client.force_login(owner)
    page = client.get(reverse("assessment_step", args=[dealership.pk, draft.pk, "website"]))
    assert 'id="question-website_booking"' in page.content.decode()
    assert 'id="question-website_stock"' not in page.content.decode()
