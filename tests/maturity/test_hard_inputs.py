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
