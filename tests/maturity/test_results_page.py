"""The results page: rung on the ladder, radar, explanations, next rung, roadmap; FR and EN."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from maturity.engine.answers import answer_label
from maturity.engine.roadmap import actions_outcome, build_roadmap
from maturity.engine.scoring import Result
from maturity.models import Assessment, AssessmentResult
from maturity.questionnaire.catalogues import catalogue_for
from maturity.questionnaire.services import questionnaire_current
from maturity.results.services import NEXT_RUNG_KEY, changes_from_dicts
from tests.maturity.results_helpers import submit_persona


def _page(client, user, assessment, language: str = "fr") -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("assessment_results", args=[assessment.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _text(page: str) -> str:
    """The visible text, without markup and SVG, spaces collapsed (not the no-break
    spaces of French typography: they are part of the text)."""
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    return re.sub(r"[ \t\r\n\f\v]+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_shows_rung_radar_explanations_next_rung_and_roadmap(
    client, owner, dealership, language
):
    assessment = submit_persona(dealership=dealership, user=owner, letter="b")
    definition = assessment.definition
    result = Result.from_dict(assessment.result.snapshot)
    page = _page(client, owner, assessment, language)
    text = _text(page)

    # The rung, in words and on the ladder picture.
    rung = definition.rungs[1]
    assert rung.title.get(language) in text and rung.description.get(language) in text
    ladder = re.search(r'<div class="chart chart-ladder">\s*(<svg.*?</svg>)', page, re.S)
    assert ladder and rung.title.get(language).split()[0] in ladder.group(1)
    assert ("Vous êtes ici" if language == "fr" else "You are here") in ladder.group(1)
    # The seven areas on the radar, and their cards.
    radar = re.search(r'<div class="chart chart-radar[^"]*">\s*(<svg.*?</svg>)', page, re.S)
    assert radar
    for area in definition.areas:
        label = area.title.get(language).split()[0]
        assert label in radar.group(1)
        assert area.title.get(language) in text
    # Why: the failing conditions of the next rung, the answers that lowered an area.
    for condition in result.blockers():
        assert condition.label.get(language) in text
    stock = definition.question("website_stock")
    assert stock.text.get(language) in text
    assert answer_label(stock, "none", language) in text
    # The way to the next rung: the first horizon's actions, and the answers they change.
    catalogue = catalogue_for(definition)
    roadmap = build_roadmap(definition, {}, result, catalogue)
    assert roadmap.suggestion
    _reached, outcome = actions_outcome(definition, result, catalogue, roadmap.suggestion)
    for key, changes in outcome:
        assert catalogue.action(key).title.get(language) in text
        for question_key, _before, after in changes:
            question = definition.question(question_key)
            assert question.text.get(language) in text
            assert answer_label(question, after, language) in text
    # The stored answer-level changes agree: each is a question one of those actions raises.
    changed = {q for _key, changes in outcome for q, _b, _a in changes}
    for change in changes_from_dicts(assessment.result.snapshot[NEXT_RUNG_KEY]):
        if not change.any_answer:
            assert change.question in changed, change.question
    # The roadmap by horizon, in the generator's order, with owner, effort and KPI.
    first = roadmap.horizon("0-3")
    assert first
    titles = [item.action.title.get(language) for item in roadmap.items]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert first[0].action.kpi.get(language) in text
    horizon_title = "Les 3 premiers mois" if language == "fr" else "First 3 months"
    if language == "en":
        assert horizon_title in text
        assert "To reach the next rung" in text and "Why this rung" in text


def test_it_caps_the_rung_without_a_website_and_says_why(client, owner, dealership):
    assessment = submit_persona(dealership=dealership, user=owner, letter="c")
    text = _text(_page(client, owner, assessment, "en"))
    assert "Isolated presence" in text
    assert "The website comes first." in text
    website_first = assessment.version.definition.website_prerequisite[0]
    assert website_first.label.en in text


def test_it_shows_the_top_rung_with_advice_to_stay_there(client, owner, dealership):
    assessment = submit_persona(dealership=dealership, user=owner, letter="d")
    text = _text(_page(client, owner, assessment, "en"))
    assert "Integrated strategy" in text
    assert "Staying at the top" in text
    assert "Keep the monthly indicator review" in text
    assert "Take the assessment again every year" in text
    assert "Your weakest area is “Customer reviews and reputation”" in text
    assert "The fewest changes" not in text
    assert "0 actions" not in text and "lists what can still be improved" not in text


def test_it_draws_the_previous_assessment_beside_this_one(client, owner, dealership):
    earlier = submit_persona(dealership=dealership, user=owner, letter="a")
    Assessment.objects.filter(pk=earlier.pk).update(
        submitted_at=timezone.now() - timedelta(days=200)
    )
    later = submit_persona(dealership=dealership, user=owner, letter="b")
    page = _page(client, owner, later, "en")
    radar = re.search(r'<div class="chart chart-radar[^"]*">\s*(<svg.*?</svg>)', page, re.S)
    assert "Previous assessment" in radar.group(1) and "This assessment" in radar.group(1)
    assert "Up from rung 1 at the previous assessment." in _text(page)
    # The earlier one has nothing before it.
    assert "Previous assessment" not in _page(client, owner, earlier, "en")


def test_it_sends_a_draft_to_the_wizard(client, owner, dealership):
    draft = Assessment.objects.create(dealership=dealership, version=questionnaire_current())
    client.force_login(owner)
    response = client.get(reverse("assessment_results", args=[draft.pk]))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(
        "assessment_detail", args=[dealership.pk, draft.pk]
    )


def test_it_explains_a_submitted_assessment_without_result(client, owner, dealership):
    assessment = submit_persona(dealership=dealership, user=owner, letter="b")
    AssessmentResult.objects.all().delete()
    text = _text(_page(client, owner, assessment, "en"))
    assert "No results yet for this assessment." in text


def test_it_survives_a_damaged_snapshot(client, owner, dealership):
    assessment = submit_persona(dealership=dealership, user=owner, letter="b")
    AssessmentResult.objects.update(snapshot={})
    text = _text(_page(client, owner, assessment, "en"))
    assert "These results cannot be shown." in text


def test_it_lets_the_consultant_read_and_hides_it_from_others(
    client, owner, dealership, assigned_consultant, outsider
):
    assessment = submit_persona(dealership=dealership, user=owner, letter="b")
    assert "Isolated presence" in _page(client, assigned_consultant, assessment, "en")
    client.force_login(outsider)
    assert client.get(reverse("assessment_results", args=[assessment.pk])).status_code == 404


def test_it_keeps_to_the_content_security_policy(client, owner, dealership):
    assessment = submit_persona(dealership=dealership, user=owner, letter="a")
    page = _page(client, owner, assessment)
    assert " style=" not in page
    assert "<script>" not in page and " on" + "click=" not in page


@pytest.mark.parametrize("letter", ["a", "d"])  # few answers (A) and every answer (D)
def test_it_renders_in_a_fixed_number_of_queries(
    client, owner, dealership, django_assert_num_queries, letter
):
    # Earlier assessments too: the previous one is looked up whatever their number.
    for _ in range(2):
        submit_persona(dealership=dealership, user=owner, letter="b")
    assessment = submit_persona(dealership=dealership, user=owner, letter=letter)
    assert assessment.answers.count() > (40 if letter == "d" else 10)
    client.force_login(owner)
    url = reverse("assessment_results", args=[assessment.pk])
    client.get(url)  # the session is written once after login
    # session, user, assessment + dealership + version + result, previous result, and
    # the consultant's feedback (review, area comments, whether the viewer may review),
    # declared and measured (the latest website check, what the viewer may do with it).
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200


def test_it_shows_the_consultants_comments_to_the_dealer(
    client, owner, assigned_consultant, dealership
):
    from maturity.models import AreaComment, AssessmentReview

    assessment = submit_persona(dealership=dealership, user=owner, letter="b")
    # A published review (the dealer reads only what is published).
    AssessmentReview.objects.create(
        assessment=assessment,
        overall_note="Priorité : refaire le site.",
        reviewed_by=assigned_consultant,
        reviewed_at=timezone.now(),
    )
    AreaComment.objects.create(
        assessment=assessment,
        area_key="social",
        body="Répondez aux messages Facebook.",
        author=assigned_consultant,
    )
    page = _page(client, owner, assessment)
    assert "Priorité : refaire le site." in page
    assert "Répondez aux messages Facebook." in page


def test_a_draft_review_is_the_consultants_only(client, owner, assigned_consultant, dealership):
    from maturity.review.services import review_save

    assessment = submit_persona(dealership=dealership, user=owner, letter="b")
    review_save(
        assessment=assessment,
        user=assigned_consultant,
        overall_note="Brouillon : refaire le site.",
        area_comments={"social": "Brouillon : répondez sous 24 heures."},
    )
    page = _page(client, owner, assessment)
    assert "Brouillon" not in page
    consultant_page = _page(client, assigned_consultant, assessment, language="en")
    assert "Brouillon : refaire le site." in consultant_page
    assert "Brouillon : répondez sous 24 heures." in consultant_page
    assert "Only consultants and staff see it" in consultant_page
