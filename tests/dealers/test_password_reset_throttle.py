"""Password reset sends a few e-mails per address and per client address, then none;
the visitor sees the same page whatever happens."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory


def _reset(client, email, ip="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def _page(client, response) -> tuple[int, str, str]:
    page = client.get(response.headers["Location"]).content.decode()
    return response.status_code, response.headers["Location"], re.sub(r"\w{64}", "CSRF", page)


def test_it_sends_at_most_three_emails_for_fifteen_requests(client, owner):
    responses = [_reset(client, owner.email) for _ in range(15)]
    assert len(mail.outbox) == 3
    assert all(mail.outbox[i].to == [owner.email] for i in range(3))
    # Every answer, sent or not, is the same redirect.
    assert {(r.status_code, r.headers["Location"]) for r in responses} == {
        (302, reverse("password_reset_done"))
    }


def test_it_counts_every_spelling_of_an_address_as_one(client, owner):
    for email in (
        "owner@example.com",
        "Owner@Example.com",
        "OWNER@EXAMPLE.COM",
        "owner@EXAMPLE.com",
    ):
        _reset(client, email)
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("over_the_limit", [False, True])
def test_it_answers_known_and_unknown_addresses_with_the_same_page(client, owner, over_the_limit):
    times = 5 if over_the_limit else 1
    known = [_reset(client, owner.email, ip="203.0.113.1") for _ in range(times)][-1]
    unknown = [_reset(client, "nobody@example.com", ip="203.0.113.2") for _ in range(times)][-1]
    assert _page(client, known) == _page(client, unknown)
    assert len(mail.outbox) == (3 if over_the_limit else 1)


def test_it_limits_one_client_address_across_addresses(client, db):
    people = [UserFactory(email=f"person{i}@example.com") for i in range(12)]
    for person in people:
        _reset(client, person.email, ip="198.51.100.9")
    assert len(mail.outbox) == 10
    # Another client is not held back by that one.
    _reset(client, people[-1].email, ip="198.51.100.10")
    assert len(mail.outbox) == 11


def test_it_counts_unknown_addresses_against_the_client_too(client, owner):
    for i in range(10):
        _reset(client, f"ghost{i}@example.com")
    _reset(client, owner.email)
    assert mail.outbox == []


def test_it_takes_its_limits_from_the_settings(client, owner, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 1
    for _ in range(3):
        _reset(client, owner.email)
    assert len(mail.outbox) == 1


def test_it_sends_again_once_the_window_has_passed(client, owner, settings):
    settings.PASSWORD_RESET_WINDOW_SECONDS = 1
    for _ in range(4):
        _reset(client, owner.email)
    assert len(mail.outbox) == 3
    time.sleep(1.2)
    _reset(client, owner.email)
    assert len(mail.outbox) == 4
