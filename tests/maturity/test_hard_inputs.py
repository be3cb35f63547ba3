"""Inputs no database stores and numbers no float holds: refused with a clear message in
the wizard (a page, or one answer saved as it changes) and the API, never a 500, and a
step of the wizard saved all together or not at all.

Run on PostgreSQL too (``.ci/run``): it is PostgreSQL that refuses a NUL character.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.factories import token_for
from tests.maturity.conftest import HTMX, answer_url, fill, step_url, stored

HUGE_NUMBERS = ["9" * 400, "-" + "9" * 400, "1e400", "-1e400", "inf", "-inf", "nan", "1" * 5000]


@pytest.fixture
def rating_shown(draft, owner):
    """The rating question (a number between 1 and 5) is asked once reviews are on Google."""
    fill(draft, {"reviews_platforms": ["google"]}, owner)
    return draft


def _api(client, user):
    return {"Authorization": f"Bearer {token_for(user)}"}


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", HUGE_NUMBERS, ids=lambda v: repr(v)[:12])
def test_a_number_too_big_for_a_float_is_an_error_on_the_step(
    client, rating_shown, owner, english, number
):
    client.force_login(owner)
    data = {"q-reviews_rating": number, "rev-reviews_rating": "0", "go": "next"}

    response = client.post(step_url(rating_shown, "reviews"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Please enter a number between 1 and 5." in html
        or "Please enter a number, for example 12 or 4.5." in html
    )
    assert "reviews_rating" not in stored(rating_shown)


@pytest.mark.parametrize("number", HUGE_NUMBERS, ids=lambda v: repr(v)[:12])
def test_a_number_too_big_for_a_float_is_an_error_when_saved_as_it_changes(
    client, rating_shown, owner, english, number
):
    client.force_login(owner)

    response = client.post(
        answer_url(rating_shown, "reviews_rating"),
        {"q-reviews_rating": number, "rev-reviews_rating": "0"},
        **HTMX,
    )

    assert response.status_code == 400
    assert "Please enter a number" in response.content.decode()
    assert "reviews_rating" not in stored(rating_shown)


@pytest.mark.parametrize(
    "value",
    [10**400, -(10**400), 1e308 * 10, "9" * 400, "1e400", "nan", "-0", 1e-400],
    ids=lambda v: repr(v)[:12],
)
def test_a_number_too_big_for_a_float_is_a_400_in_the_api(client, rating_shown, owner, value):
    url = reverse("api_answer", args=[rating_shown.pk, "reviews_rating"])
    # json.dumps writes inf as Infinity, which the API refuses as not JSON: a 400 too.
    body = json.dumps({"value": value, "revision": 0})

    response = client.put(url, body, content_type="application/json", headers=_api(client, owner))

    assert response.status_code == 400, response.content
    assert "reviews_rating" not in stored(rating_shown)


def test_minus_zero_and_a_number_in_range_are_read_as_numbers(client, rating_shown, owner):
    client.force_login(owner)
    data = {"q-reviews_rating": "4,5", "rev-reviews_rating": "0"}
    assert client.post(answer_url(rating_shown, "reviews_rating"), data, **HTMX).status_code == 200
    assert stored(rating_shown)["reviews_rating"] == 4.5


# --- NUL characters --------------------------------------------------------------------------

NUL = "Refait\x00 en 2024"


def test_a_nul_in_an_answer_is_an_error_on_the_step_and_the_step_saves_nothing(
    client, draft, owner, english
):
    client.force_login(owner)
    data = {
        "q-website_own": "own_site",  # valid, but on the same page as the refused one
        "rev-website_own": "0",
        "q-website_comment": NUL,
        "rev-website_comment": "0",
        "go": "next",
    }

    response = client.post(step_url(draft, "website"), data)

    assert response.status_code == 200
    assert "holds an invisible character that cannot be saved" in response.content.decode()
    assert stored(draft) == {}


def test_a_later_conflict_undoes_the_answers_saved_before_it_on_the_step(
    client, draft, owner, member, english
):
    fill(draft, {"website_own": "own_site", "website_mobile": "yes"}, member)
    client.force_login(owner)
    data = {
        "q-website_own": "own_site",
        "rev-website_own": "1",
        "q-website_url": "https://www.garage.example/",  # saved first, undone with the page
        "rev-website_url": "0",
        "q-website_mobile": "no",  # read before the colleague answered: a conflict
        "rev-website_mobile": "0",
        "go": "next",
    }

    response = client.post(step_url(draft, "website"), data)

    assert response.status_code == 200
    assert "changed this answer at" in response.content.decode()
    assert stored(draft) == {"website_own": "own_site", "website_mobile": "yes"}


@pytest.mark.parametrize(
    ("key", "value"),
    [("website_comment", NUL), ("website_url", "https://www.garage.example/\x00")],
)
def test_a_nul_in_an_answer_saved_as_it_changes_is_a_400(client, draft, owner, english, key, value):
    fill(draft, {"website_own": "own_site"}, owner)
    client.force_login(owner)

    response = client.post(answer_url(draft, key), {f"q-{key}": value, f"rev-{key}": "0"}, **HTMX)

    assert response.status_code == 400
    assert "cannot be saved" in response.content.decode()
    assert key not in stored(draft)


@pytest.mark.parametrize(
    "value", [NUL, "\ud800", ["own_site\x00"]], ids=["nul", "surrogate", "list"]
)
def test_a_nul_in_an_answer_is_a_400_in_the_api(client, draft, owner, value):
    key = "website_own" if isinstance(value, list) else "website_comment"
    url = reverse("api_answer", args=[draft.pk, key])
    body = json.dumps({"value": value, "revision": 0})  # "\u0000" and "\ud800" escapes

    response = client.put(url, body, content_type="application/json", headers=_api(client, owner))

    assert response.status_code == 400, response.content
    assert stored(draft) == {}


def test_a_nul_in_a_review_is_an_error_of_its_field(client, assigned_consultant, dealership, owner):
    from maturity.models import AssessmentReview
    from tests.factories import submitted_assessment

    assessment = submitted_assessment(dealership=dealership, user=owner)
    client.force_login(assigned_consultant)
    url = reverse("assessment_feedback", args=[dealership.pk, assessment.pk])

    for data in ({"overall_note": NUL}, {"comment-website": NUL}):
        response = client.post(url, {**data, "action": "save"})
        assert response.status_code == 400
        assert "is-invalid" in response.content.decode()
    assert not AssessmentReview.objects.filter(assessment=assessment).exists()


def test_a_nul_in_a_delegation_message_is_refused(client, draft, owner, member):
    from maturity.models import AreaDelegation

    client.force_login(owner)
    url = reverse("assessment_delegate", args=[draft.dealership_id, draft.pk, "crm"])

    response = client.post(url, {"delegate": member.pk, "message": NUL})

    assert response.status_code == 400
    assert not AreaDelegation.objects.exists()


def test_a_nul_in_a_campaign_is_refused(client, assigned_consultant, dealership):
    from datetime import timedelta

    from django.utils import timezone

    from maturity.models import Campaign

    client.force_login(assigned_consultant)
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    valid = {
        "d": [dealership.pk],
        "title": "Automne",
        "due_date": due,
        "message": "",
        "reminder_every_days": "7",
        "reminder_max": "3",
        f"email-{dealership.pk}": "contact@auto.example",
        f"name-{dealership.pk}": "Ana Leroy",
    }
    for field in ("title", "message", f"name-{dealership.pk}"):
        response = client.post(reverse("campaign_new"), {**valid, field: NUL})
        assert response.status_code in (200, 400), field
        assert "is-invalid" in response.content.decode() or "invalid-feedback" in (
            response.content.decode()
        ), field
    assert not Campaign.objects.exists()
    # Ids out of any table's range are no dealership (SQLite could not even look them up).
    response = client.post(reverse("campaign_new"), {**valid, "d": ["9" * 400]})
    assert response.status_code in (200, 400) and not Campaign.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"website_url": "https://www.garage.example/\x00"},
        {"social_urls": "https://www.facebook.com/garage\x00"},
    ],
)
def test_a_nul_in_the_dealerships_profile_is_a_form_error(client, dealership, owner, data):
    client.force_login(owner)
    before = dealership.website_url, dealership.social_urls

    response = client.post(
        reverse("dealership_profile", args=[dealership.pk]),
        {"profile": dealership.profile, "size_band": "", "language": "fr", **data},
    )

    assert response.status_code in (200, 400)
    dealership.refresh_from_db()
    assert (dealership.website_url, dealership.social_urls) == before


def test_a_nul_in_an_invitation_is_a_form_error(client, dealership, owner):
    from dealers.models import Invitation

    client.force_login(owner)
    url = reverse("invitation_create", args=[dealership.pk])
    for data in (
        {"email": "ana@example.com", "full_name": NUL, "role": "member"},
        {"email": "ana\x00@example.com", "full_name": "Ana", "role": "member"},
    ):
        response = client.post(url, data)
        assert response.status_code in (200, 400)
        assert "invalid-feedback" in response.content.decode() or "is-invalid" in (
            response.content.decode()
        )
    assert not Invitation.objects.exists()


def test_a_nul_in_a_search_finds_what_the_rest_finds(client, dealership, owner):
    client.force_login(owner)
    response = client.get(reverse("dealership_list"), {"q": "Rivi\x00ère"})
    assert response.status_code == 200
