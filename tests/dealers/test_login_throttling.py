import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD


def _attempt(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


@pytest.mark.parametrize("exists", [True, False])
def test_it_locks_an_address_after_five_failures(client, owner, exists):
    email = owner.email if exists else "ghost@example.com"
    for _ in range(5):
        _attempt(client, email, "wrong")
    response = _attempt(client, email, PASSWORD)
    assert response.status_code == 429
    assert "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_gives_the_same_answer_whether_the_account_exists(client, owner):
    answers = []
    for email in (owner.email, "ghost@example.com"):
        for _ in range(5):
            _attempt(client, email, "wrong")
        response = _attempt(client, email, "wrong")
        page = response.content.decode().replace(email, "EMAIL")
        answers.append((response.status_code, re.sub(r"[A-Za-z0-9]{64}", "CSRF", page)))
    assert answers[0] == answers[1]


def test_it_still_lets_other_accounts_in(client, owner, member):
    for _ in range(5):
        _attempt(client, owner.email, "wrong")
    assert _attempt(client, member.email, PASSWORD).status_code == 302


def test_it_forgets_failures_after_a_success(client, owner):
    for _ in range(4):
        _attempt(client, owner.email, "wrong")
    assert _attempt(client, owner.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _attempt(client, owner.email, "wrong")
    assert _attempt(client, owner.email, PASSWORD).status_code == 302
