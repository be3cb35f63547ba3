"""Two-factor sign-in (allauth's TOTP and recovery codes) after the product's login page."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories import PASSWORD


def _login(client, user, **extra):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD, **extra})


def _logged_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


@pytest.fixture
def secret(owner):
    value = generate_totp_secret()
    TOTP.activate(owner, value)
    return value


def test_it_asks_for_the_code_after_the_password_and_then_opens_the_session(client, owner, secret):
    response = _login(client, owner)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert not _logged_in(client, owner)  # the password alone is not enough
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("home")
    assert _logged_in(client, owner)
    assert (
        client.get(
            reverse("dealership_detail", args=[owner.memberships.get().dealership_id])
        ).status_code
        == 200
    )


def test_it_refuses_a_wrong_code(client, owner, secret):
    _login(client, owner)
    right = pyotp.TOTP(secret).now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not _logged_in(client, owner)
    assert client.get(reverse("dealership_list")).status_code == 302


def test_it_accepts_a_recovery_code_once(client, owner, secret):
    code = RecoveryCodes.activate(owner).get_unused_codes()[0]
    _login(client, owner)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert _logged_in(client, owner)
    client.post(reverse("logout"))
    _login(client, owner)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert not _logged_in(client, owner)


def test_it_keeps_the_page_it_was_asked_for(client, owner, secret):
    target = reverse("account")
    response = client.post(
        reverse("login"), {"username": owner.email, "password": PASSWORD, "next": target}
    )
    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == target


def test_a_dealer_without_totp_logs_in_with_the_password_alone(client, owner, settings):
    settings.MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS = True
    assert _login(client, owner).headers["Location"] == reverse("home")
    assert _logged_in(client, owner)
    assert client.get(reverse("account")).status_code == 200


@pytest.mark.parametrize("role", ["assigned_consultant", "staff"])
def test_staff_and_consultants_set_up_totp_before_anything_else(client, request, settings, role):
    settings.MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS = True
    user = request.getfixturevalue(role)
    _login(client, user)
    assert _logged_in(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("mfa_activate_totp"))
    # The setup page: scan, type the code, and the rest opens.
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    # Recovery codes come with it, shown once the setup is done.
    assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get(reverse("account")).status_code == 200


def test_the_rule_for_staff_and_consultants_is_a_setting(client, assigned_consultant, settings):
    settings.MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS = False
    _login(client, assigned_consultant)
    assert client.get(reverse("account")).status_code == 200


def test_a_dealer_turns_totp_on_from_the_account_page(client, owner):
    _login(client, owner)
    assert reverse("mfa_index") in client.get(reverse("account")).content.decode()
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert Authenticator.objects.filter(user=owner, type="totp").exists()
    client.post(reverse("logout"))
    assert _login(client, owner).headers["Location"] == reverse("mfa_authenticate")


def test_the_login_throttle_still_counts_before_the_code(client, owner, secret):
    for _ in range(5):
        _login(client, owner, password="wrong")
    response = client.post(reverse("login"), {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 429


def test_it_asks_for_the_password_again_before_a_later_setup(client, owner):
    _login(client, owner)
    session = client.session
    session.pop("account_authentication_methods", None)  # as if the login was long ago
    session.save()
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_reauthenticate"))
    wrong = client.post(response.headers["Location"], {"password": "wrong"})
    assert wrong.status_code == 200
    right = client.post(response.headers["Location"], {"password": PASSWORD})
    assert right.status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_api_tokens_are_not_held_back_by_the_setup(client, assigned_consultant, settings):
    from dealers.services import access_token_create

    settings.MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS = True
    _token, secret = access_token_create(user=assigned_consultant, name="CRM", days=30)
    response = client.get("/api/v1/dealerships/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_the_admin_login_goes_through_the_two_factor_step(client, staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    response = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    _login(client, staff, next=reverse("admin:index"))
    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
