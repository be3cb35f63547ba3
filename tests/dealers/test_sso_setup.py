"""Staff set up an organisation login per e-mail domain (allauth's social application)."""

import json

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse


def _add(admin_client, settings, provider_id="horizon"):
    return admin_client.post(
        reverse("admin:socialaccount_socialapp_add"),
        {
            "provider": "openid_connect",
            "provider_id": provider_id,
            "name": "Groupe Horizon",
            "client_id": "maturity",
            "secret": "s3cret",
            "key": "",
            "settings": json.dumps(settings),
        },
    )


def test_staff_add_an_organisation_login_for_its_domains(admin_client):
    response = _add(
        admin_client,
        {
            "server_url": "https://idp.groupe-horizon.example/o",
            "domains": ["groupe-horizon.example"],
        },
    )
    assert response.status_code == 302
    assert SocialApp.objects.get().settings["domains"] == ["groupe-horizon.example"]


@pytest.mark.parametrize(
    "value",
    [
        {"domains": ["groupe-horizon.example"]},  # no provider address
        {"server_url": "https://idp.example/o"},  # no domain
        {"server_url": "https://idp.example/o", "domains": 5},
        [],
    ],
)
def test_staff_are_told_what_an_organisation_login_lacks(admin_client, value):
    response = _add(admin_client, value)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["settings"]
    assert not SocialApp.objects.exists()


def test_one_domain_belongs_to_one_provider(admin_client):
    first = {"server_url": "https://a.example/o", "domains": ["groupe-horizon.example"]}
    assert _add(admin_client, first, "first").status_code == 302
    second = {"server_url": "https://b.example/o", "domains": ["Groupe-Horizon.example"]}
    response = _add(admin_client, second, "second")
    assert response.status_code == 200
    assert "groupe-horizon.example" in str(response.context["adminform"].form.errors["settings"])


def test_a_malformed_setting_in_the_database_is_no_error_page(client, db):
    SocialApp.objects.create(
        provider="openid_connect", provider_id="x", name="x", settings={"domains": 5}
    )
    response = client.post(reverse("sso_start"), {"email": "jean@groupe-horizon.example"})
    assert response.status_code == 400
