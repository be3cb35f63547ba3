"""The pages a French dealer principal and their consultant read: decimal comma in and
out, who is addressed, what the home says of the online presence, drop-downs and
controls that only offer what can be told apart or shown."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DealershipFactory, submitted_assessment, token_for
from tests.maturity.conftest import HTMX, answer_url, fill, step_url, stored

pytestmark = pytest.mark.django_db


def _get(client, user, url: str, language: str = "fr") -> str:
    client.force_login(user)
    client.cookies.load({"django_language": language})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _home(dealership) -> str:
    return reverse("dealership_detail", args=[dealership.pk])


# --- decimal comma ---------------------------------------------------------------------------


@pytest.fixture
def rating_shown(draft, owner):
    fill(draft, {"reviews_platforms": ["google"]}, owner)
    return draft


def test_a_rating_typed_4_virgule_2_is_saved_and_shown_back_with_its_comma(
    client, rating_shown, owner
):
    client.force_login(owner)
    data = {"q-reviews_rating": "4,2", "rev-reviews_rating": "0"}
    assert client.post(answer_url(rating_shown, "reviews_rating"), data, **HTMX).status_code == 200
    assert stored(rating_shown)["reviews_rating"] == 4.2

    french = _get(client, owner, step_url(rating_shown, "reviews"))
    assert 'value="4,2"' in french and 'inputmode="decimal"' in french
    assert 'type="number"' not in french  # a browser's number input refuses "4,2"
    english = _get(client, owner, step_url(rating_shown, "reviews"), "en")
    assert 'value="4.2"' in english
    review = reverse("assessment_review", args=[rating_shown.dealership_id, rating_shown.pk])
    assert "4,2\u00a0sur 5" in _get(client, owner, review)
    assert "4.2 out of 5" in _get(client, owner, review, "en")


# --- who is addressed -----------------------------------------------------------------------


def test_the_consultant_reads_of_the_dealership_not_as_the_dealer(
    client, dealership, owner, assigned_consultant, draft
):
    home = _get(client, assigned_consultant, _home(dealership), "en")
    assert "The first assessment is in progress" in home
    assert "Your first assessment" not in home
    review = reverse("assessment_review", args=[dealership.pk, draft.pk])
    page = _get(client, assigned_consultant, review, "en")
    assert "Answers of the draft" in page and "Review your answers" not in page
    assert "Review your answers" in _get(client, owner, review, "en")


def test_the_home_without_assessment_names_the_dealership_to_its_consultant(
    client, dealership, owner, assigned_consultant
):
    page = _get(client, assigned_consultant, _home(dealership))
    assert "Où en est Auto Rivière sur internet\u202f?" in page
    assert "Où en est votre concession sur internet\u202f?" in _get(
        client, owner, _home(dealership)
    )


def test_the_results_speak_to_the_dealer_and_of_the_dealer_to_the_consultant(
    client, dealership, owner, assigned_consultant
):
    assessment = submitted_assessment(dealership=dealership, persona="b", user=owner)
    url = reverse("assessment_results", args=[assessment.pk])
    assert "Your seven areas" in _get(client, owner, url, "en")
    page = _get(client, assigned_consultant, url, "en")
    assert "The seven areas" in page and "Your seven areas" not in page
    assert "Your consultant reads each submitted assessment" not in page


# --- the home's online presence, the peer control -------------------------------------------


def test_the_home_shows_the_social_networks_ticked_in_the_latest_assessment(
    client, dealership, owner
):
    dealership.social_urls = []
    dealership.save()
    submitted_assessment(dealership=dealership, persona="d", user=owner)
    page = _get(client, owner, _home(dealership))
    assert "Facebook, Instagram, LinkedIn, YouTube" in page
    assert "Adresses non renseignées" in page


def test_the_peer_median_control_is_hidden_while_no_group_has_enough_dealerships(
    client, dealership, owner
):
    submitted_assessment(dealership=dealership, persona="b", user=owner)
    page = _get(client, owner, _home(dealership), "en")
    assert 'id="home-peers"' not in page
    assert "Not enough comparable dealerships" not in page


def test_the_peer_median_control_offers_the_groups_that_can_show_a_median(
    client, dealership, owner
):
    submitted_assessment(dealership=dealership, persona="b", user=owner)
    for _ in range(5):
        peer = DealershipFactory(region=dealership.region)
        submitted_assessment(dealership=peer, persona="c")
    page = _get(client, owner, _home(dealership), "en")
    assert 'id="home-peers"' in page
    assert "The dotted line is the median of 5 comparable dealerships" in page


# --- compare ----------------------------------------------------------------------------------


def test_two_assessments_of_the_same_day_are_told_apart_by_their_time(client, dealership, owner):
    def at(hour: int, minute: int) -> datetime:
        return timezone.make_aware(datetime(2026, 12, 1, hour, minute))

    submitted_assessment(dealership=dealership, persona="a", submitted_at=at(9, 5), user=owner)
    submitted_assessment(dealership=dealership, persona="b", submitted_at=at(20, 2), user=owner)
    url = reverse("assessment_compare", args=[dealership.pk])
    french = _get(client, owner, url)
    assert "1er\u00a0décembre 2026 à 20\u00a0h\u00a002</option>" in french
    assert "1er\u00a0décembre 2026 à 9\u00a0h\u00a005</option>" in french
    english = _get(client, owner, url, "en")
    assert "1 December 2026, 20:02</option>" in english


def test_the_api_reads_a_decimal_comma_where_it_takes_text(client, rating_shown, owner):
    url = reverse("api_answer", args=[rating_shown.pk, "reviews_rating"])
    body = json.dumps({"value": "4,2", "revision": 0})
    headers = {"Authorization": f"Bearer {token_for(owner)}"}
    response = client.put(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    assert stored(rating_shown)["reviews_rating"] == 4.2
