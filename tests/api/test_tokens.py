"""Personal access tokens: created on "My account" (the secret shown once, only its hash
kept), used as ``Authorization: Bearer``, stopped by expiry or revocation (by the owner
or staff), and throttled per token; every refusal in the one error shape."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from dealers.admin import PersonalAccessTokenAdmin
from dealers.models import PersonalAccessToken
from dealers.services import TooManyTokens, access_token_create, access_token_revoke
from tests.api.conftest import Api, assert_error
from tests.factories import token_for

LIST = "/api/v1/dealerships/"


def test_the_account_page_creates_a_token_and_shows_its_secret_once(client, owner):
    client.force_login(owner)
    page = client.get(reverse("account"))
    assert page.status_code == 200
    assert "Aucun jeton pour l’instant" in page.content.decode()  # French by default

    response = client.post(reverse("access_token_create"), {"name": "CRM sync", "days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret.startswith("dmat_") and secret in response.content.decode()
    token = PersonalAccessToken.objects.get(user=owner)
    # Only the hash is kept; the list shows the start of the secret, never the rest.
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix} and secret.startswith(token.prefix)
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    again = client.get(reverse("account")).content.decode()
    assert secret not in again and token.prefix in again and "CRM sync" in again


def test_the_account_page_is_in_french_by_default(client, owner):
    client.force_login(owner)
    page = client.get(reverse("account")).content.decode()
    assert "Mon compte" in page and "Jetons d’accès à l’API" in page


def test_it_refuses_an_expiry_beyond_the_limit_and_a_blank_name(client, owner, settings):
    client.force_login(owner)
    response = client.post(reverse("access_token_create"), {"name": "x", "days": "3650"})
    assert response.status_code == 400 and response.context["form"].errors["days"]
    response = client.post(reverse("access_token_create"), {"name": "  ", "days": "30"})
    assert response.status_code == 400 and response.context["form"].errors["name"]
    assert not PersonalAccessToken.objects.exists()
    with pytest.raises(ValueError):
        access_token_create(user=owner, name="x", days=settings.API_TOKEN_MAX_DAYS + 1)


def test_it_caps_the_active_tokens_of_a_person(client, owner, settings):
    settings.API_TOKENS_PER_USER = 2
    token_for(owner)
    token_for(owner)
    with pytest.raises(TooManyTokens):
        token_for(owner)
    client.force_login(owner)
    response = client.post(reverse("access_token_create"), {"name": "third", "days": "30"})
    assert response.status_code == 400
    assert "revoke one" in response.content.decode().lower() or response.context["form"].errors


def test_the_owner_revokes_a_token_after_confirming(client, owner):
    secret = token_for(owner, name="CRM")
    token = PersonalAccessToken.objects.get(user=owner)
    client.force_login(owner)
    confirm = client.get(reverse("access_token_revoke", args=[token.pk]))
    assert confirm.status_code == 200 and "CRM" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # asking is not revoking

    response = client.post(reverse("access_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == owner and token.revoked_at is not None
    body = assert_error(Api(client, secret).get(LIST), 401, "authentication_failed")
    assert "revoked" in body["message"] or "révoqué" in body["message"]


def test_nobody_else_reaches_a_persons_token_page(client, owner, member):
    token_for(owner)
    token = PersonalAccessToken.objects.get(user=owner)
    client.force_login(member)
    assert client.get(reverse("access_token_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("access_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_staff_revoke_any_token_in_the_admin(owner, staff):
    secret = token_for(owner)
    admin = PersonalAccessTokenAdmin(PersonalAccessToken, site)
    request = RequestFactory().post("/admin/")
    request.user = staff
    request._messages = _Messages()
    admin.revoke(request, PersonalAccessToken.objects.all())
    token = PersonalAccessToken.objects.get(user=owner)
    assert token.revoked_by == staff
    assert PersonalAccessToken.objects.find_active(secret) is None
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, token)


class _Messages:
    def add(self, *args, **kwargs) -> None:
        pass


def test_a_request_without_a_token_is_told_how_to_authenticate(client, db):
    response = client.get(LIST)
    body = assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert body["fields"] == {} and body["data"] is None


@pytest.mark.parametrize(
    "header",
    ["Bearer dmat_not-a-real-token", "Bearer", "Bearer a b", "Bearer no-prefix", "Bearer é"],
)
def test_a_bad_token_is_refused_the_same_way(client, db, header):
    response = client.get(LIST, headers={"Authorization": header})
    assert_error(response, 401, "authentication_failed")


def test_a_session_is_not_enough_for_the_api(client, owner):
    client.force_login(owner)
    assert_error(client.get(LIST), 401, "not_authenticated")


def test_an_expired_token_or_a_deactivated_person_is_refused(client, owner):
    secret = token_for(owner)
    api = Api(client, secret)
    assert api.get(LIST).status_code == 200
    PersonalAccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(api.get(LIST), 401, "authentication_failed")

    fresh = Api(client, token_for(owner))
    owner.is_active = False
    owner.save()
    assert_error(fresh.get(LIST), 401, "authentication_failed")


def test_it_records_the_last_use_at_most_once_a_minute(client, owner, django_assert_num_queries):
    api = Api(client, token_for(owner))
    assert api.get(LIST).status_code == 200
    token = PersonalAccessToken.objects.get(user=owner)
    first = token.last_used_at
    assert first is not None
    assert api.get(LIST).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # not written again within the minute

    PersonalAccessToken.objects.update(last_used_at=first - timedelta(minutes=2))
    api.get(LIST)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_it_throttles_per_token(client, owner, settings):
    settings.API_THROTTLE_RATE = "3/min"
    first, second = Api(client, token_for(owner)), Api(client, token_for(owner))
    for _ in range(3):
        assert first.get(LIST).status_code == 200
    response = first.get(LIST)
    body = assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) == body["data"]["retry_after"] > 0
    assert second.get(LIST).status_code == 200  # another token has its own budget


def test_a_revoke_twice_changes_nothing(owner, staff):
    token_for(owner)
    token = PersonalAccessToken.objects.get(user=owner)
    access_token_revoke(token=token, by=owner)
    when = PersonalAccessToken.objects.get(pk=token.pk).revoked_at
    access_token_revoke(token=PersonalAccessToken.objects.get(pk=token.pk), by=staff)
    token.refresh_from_db()
    assert token.revoked_at == when and token.revoked_by == owner
