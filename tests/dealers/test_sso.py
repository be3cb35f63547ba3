"""Organisation login by OpenID Connect, end to end against a real identity provider.

The provider (``tests/sso_idp``: django-oauth-toolkit) runs in a second server process on
loopback; the product's allauth client discovers it, sends the person there, exchanges
the code, checks the signed ID token and reads the userinfo over real HTTP.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from dealers.models import User

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "maturity-client", "maturity-secret-0123456789"
CALLBACK = "http://testserver/accounts/oidc/horizon/login/callback/"
PEOPLE = [
    "isabelle.roche@groupe-horizon.example",  # has an account here
    "nobody@groupe-horizon.example",  # has none
    "unsure@groupe-horizon.example:unverified",  # the provider does not vouch for it
    "karim@elsewhere.example",  # a domain this provider is not set up for
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sso_idp.settings",
        "IDP_DB": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3"),
        "IDP_RSA_KEY": key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "tests.sso_idp.setup", CLIENT_ID, CLIENT_SECRET, CALLBACK, *PEOPLE],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/o/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            pytest.fail("the test identity provider did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def horizon(db, idp):
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id="horizon",
        name="Groupe Horizon",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": f"{idp}/o", "domains": ["groupe-horizon.example"]},
    )


@pytest.fixture
def isabelle(db):
    return User.objects.create_user("Isabelle.Roche@groupe-horizon.example", "x-unused-password")


def _sign_in_at_the_provider(authorize: str, email: str) -> str:
    """What the person's browser does at the provider; returns the URL it sends them back to."""
    with httpx.Client() as browser:
        response = browser.get(authorize)
        assert response.status_code == 302, response.text
        login_url = urljoin(authorize, response.headers["location"])
        page = browser.get(login_url).text
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        nxt = re.search(r'name="next" value="([^"]*)"', page).group(1).replace("&amp;", "&")
        response = browser.post(
            login_url,
            data={
                "username": email,
                "password": "idp-password",
                "csrfmiddlewaretoken": csrf,
                "next": nxt,
            },
        )
        assert response.status_code == 302, response.text
        response = browser.get(urljoin(login_url, response.headers["location"]))
        assert response.status_code == 302, response.text
        return response.headers["location"]


def _sso(client, typed: str, at_provider: str | None = None):
    response = client.post(reverse("sso_start"), {"email": typed})
    assert response.status_code == 302
    authorize = response.headers["Location"]
    back = _sign_in_at_the_provider(authorize, at_provider or typed)
    assert back.startswith(CALLBACK)
    return client.get(back)


def test_it_opens_the_existing_account_with_the_verified_address(client, horizon, isabelle, idp):
    response = client.post(reverse("sso_start"), {"email": "isabelle.roche@groupe-horizon.example"})
    assert response.headers["Location"].startswith(f"{idp}/o/authorize/")
    assert "login_hint=isabelle.roche" in response.headers["Location"]
    back = _sign_in_at_the_provider(
        response.headers["Location"], "isabelle.roche@groupe-horizon.example"
    )
    response = client.get(back)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.session["_auth_user_id"] == str(isabelle.pk)
    assert SocialAccount.objects.get(provider="horizon").user == isabelle
    # The next time, the linked account opens straight away.
    client.post(reverse("logout"))
    response = _sso(client, "isabelle.roche@groupe-horizon.example")
    assert client.session["_auth_user_id"] == str(isabelle.pk)
    assert SocialAccount.objects.count() == 1


def test_it_creates_no_account_for_an_address_nobody_has(client, horizon, isabelle):
    before = User.objects.count()
    response = _sso(client, "nobody@groupe-horizon.example")
    assert response.status_code == 403
    assert "invitation" in response.content.decode()
    assert User.objects.count() == before
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_it_refuses_an_address_the_provider_does_not_verify(client, horizon, db):
    User.objects.create_user("unsure@groupe-horizon.example", "x-unused-password")
    response = _sso(client, "unsure@groupe-horizon.example")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_address_outside_the_providers_domains(client, horizon, db):
    # A provider vouching for another organisation's address opens nothing there.
    User.objects.create_user("karim@elsewhere.example", "x-unused-password")
    response = _sso(client, "isabelle.roche@groupe-horizon.example", "karim@elsewhere.example")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_it_says_when_no_organisation_login_is_set_up_for_a_domain(client, horizon):
    response = client.post(reverse("sso_start"), {"email": "jean@garage-du-centre.example"})
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    response = client.post(reverse("sso_start"), {"email": "not an address"})
    assert response.status_code == 400


def test_the_login_page_offers_the_organisation_login(client, db):
    page = client.get(reverse("login")).content.decode()
    assert reverse("sso_start") in page
