import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dealers.models import Invitation, Membership, User


def _invite(client, inviter, dealership, email="nouveau@garage.example", **extra):
    client.force_login(inviter)
    data = {"email": email, "full_name": "Nina Nouveau", "role": "member", **extra}
    return client.post(reverse("invitation_create", args=[dealership.pk]), data)


def _link_from_outbox() -> str:
    match = re.search(r"http://[^\s]+/invitations/[^\s/]+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return urlsplit(match.group(0)).path


@pytest.fixture
def accept_url(client, assigned_consultant, dealership, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, assigned_consultant, dealership)
    assert response.status_code == 302
    client.logout()
    return _link_from_outbox()


def test_it_emails_a_one_time_link_in_the_dealership_language(
    client, assigned_consultant, dealership, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, assigned_consultant, dealership)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouveau@garage.example"]
    assert dealership.name in message.subject
    assert "/invitations/" in message.body
    invitation = Invitation.objects.get()
    # Only a hash is stored: the token in the e-mail is not in the database.
    token = _link_from_outbox().rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash


def test_it_lets_the_contact_set_a_password_and_join(client, accept_url, dealership):
    response = client.get(accept_url)
    assert response.status_code == 200
    assert dealership.name in response.content.decode()

    response = client.post(
        accept_url,
        {
            "full_name": "Nina Nouveau",
            "password1": "un-garage-solide-42",
            "password2": "un-garage-solide-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouveau@garage.example")
    assert user.check_password("un-garage-solide-42")
    assert Membership.objects.filter(user=user, dealership=dealership, role="member").exists()
    # Logged in straight away.
    assert client.get(reverse("dealership_detail", args=[dealership.pk])).status_code == 200


def test_it_refuses_a_second_use_of_the_link(client, accept_url):
    data = {
        "full_name": "Nina",
        "password1": "un-garage-solide-42",
        "password2": "un-garage-solide-42",
    }
    client.post(accept_url, data)
    client.logout()

    response = client.get(accept_url)
    assert response.status_code == 410
    assert User.objects.filter(email="nouveau@garage.example").count() == 1
    response = client.post(
        accept_url,
        {**data, "password1": "autre-mot-de-passe-9", "password2": "autre-mot-de-passe-9"},
    )
    assert response.status_code == 410
    assert User.objects.get(email="nouveau@garage.example").check_password("un-garage-solide-42")


def test_it_refuses_an_expired_link(client, accept_url):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(accept_url)
    assert response.status_code == 410
    assert "expired" in response.content.decode() or "expir" in response.content.decode()
    data = {
        "full_name": "Nina",
        "password1": "un-garage-solide-42",
        "password2": "un-garage-solide-42",
    }
    assert client.post(accept_url, data).status_code == 410
    assert not User.objects.filter(email="nouveau@garage.example").exists()


def test_it_refuses_an_unknown_token(client, db):
    response = client.get(reverse("invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 410


def test_it_keeps_nothing_when_the_password_is_weak(client, accept_url):
    response = client.post(
        accept_url, {"full_name": "Nina", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(email="nouveau@garage.example").exists()
    assert Invitation.objects.get().accepted_at is None


def test_it_makes_an_existing_account_log_in_to_join(client, accept_url, outsider, dealership):
    Invitation.objects.update(email=outsider.email)
    response = client.get(accept_url)
    assert reverse("login") in response.content.decode()

    client.force_login(outsider)
    response = client.post(accept_url)
    assert response.status_code == 302
    assert Membership.objects.filter(user=outsider, dealership=dealership).exists()


def test_it_withdraws_older_invitations_for_the_same_address(
    client, assigned_consultant, dealership, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, assigned_consultant, dealership)
        _invite(client, assigned_consultant, dealership)
    first, second = Invitation.objects.order_by("created_at")
    first.refresh_from_db()
    assert not first.is_usable
    assert second.is_usable


def test_it_rejects_a_bad_email_with_a_form_error(client, assigned_consultant, dealership):
    response = _invite(client, assigned_consultant, dealership, email="pas-une-adresse")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert not mail.outbox
