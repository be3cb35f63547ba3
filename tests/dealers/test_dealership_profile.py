"""The dealership's profile: what kind of dealer it is (set at onboarding, corrected by
its owner), its website and social pages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from dealers.models import DealerProfile, Dealership
from maturity.engine.definition import PROFILES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies.load({"django_language": "en"})


def _url(dealership) -> str:
    return reverse("dealership_profile", args=[dealership.pk])


def test_the_profiles_are_the_engines():
    assert tuple(DealerProfile.values) == PROFILES


def test_the_owner_says_what_kind_of_dealer_it_is_and_where_it_is_online(client, dealership, owner):
    client.force_login(owner)
    page = client.get(_url(dealership)).content.decode()
    assert "Independent used-car dealer" in page and "Repairer or body shop" in page
    response = client.post(
        _url(dealership),
        {
            "profile": "independent",
            "website_url": "www.auto-riviere.example",
            "social_urls": "https://facebook.com/autoriviere\n\nhttps://instagram.com/ar\n",
        },
        follow=True,
    )
    dealership.refresh_from_db()
    assert dealership.profile == "independent"
    assert dealership.website_url == "https://www.auto-riviere.example"
    assert dealership.social_urls == [
        "https://facebook.com/autoriviere",
        "https://instagram.com/ar",
    ]
    text = response.content.decode()
    assert "The dealership&#x27;s profile is saved." in text or "profile is saved" in text
    assert "Independent used-car dealer" in text  # the dealership page says it


def test_a_bad_address_or_an_unknown_kind_saves_nothing(client, dealership, owner):
    client.force_login(owner)
    response = client.post(
        _url(dealership),
        {"profile": "independent", "website_url": "", "social_urls": "not a web address"},
    )
    assert response.status_code == 200
    assert "is not a web address" in response.content.decode()
    response = client.post(_url(dealership), {"profile": "castle", "social_urls": ""})
    assert response.status_code == 200
    dealership.refresh_from_db()
    assert dealership.profile == "brand_dealer" and dealership.social_urls == []


def test_members_and_consultants_may_not_change_it(client, dealership, member, assigned_consultant):
    data = {"profile": "repairer", "website_url": "", "social_urls": ""}
    for user in (member, assigned_consultant):
        client.force_login(user)
        assert client.post(_url(dealership), data).status_code == 403
    dealership.refresh_from_db()
    assert dealership.profile == "brand_dealer"


def test_the_dealership_page_offers_the_owner_to_edit_the_profile(
    client, dealership, owner, member
):
    client.force_login(owner)
    page = client.get(reverse("dealership_detail", args=[dealership.pk])).content.decode()
    assert _url(dealership) in page and "Brand dealer" in page
    client.force_login(member)
    page = client.get(reverse("dealership_detail", args=[dealership.pk])).content.decode()
    assert _url(dealership) not in page


def test_an_invited_owner_starts_by_checking_the_profile(
    client, assigned_consultant, dealership, django_capture_on_commit_callbacks
):
    client.force_login(assigned_consultant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("invitation_create", args=[dealership.pk]),
            {"email": "patron@garage.example", "full_name": "Paul Patron", "role": "owner"},
        )
    client.logout()
    link = re.search(r"http://[^\s]+/invitations/[^\s/]+/", mail.outbox[-1].body).group(0)
    response = client.post(
        urlsplit(link).path,
        {
            "full_name": "Paul Patron",
            "password1": "un-garage-solide-42",
            "password2": "un-garage-solide-42",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == _url(dealership)
    page = client.get(_url(dealership)).content.decode()
    assert "vos questions en dépendent" in page  # in the new owner's language


def test_staff_set_the_profile_when_they_create_a_dealership(admin_client):
    field = Dealership._meta.get_field("profile")
    assert not field.blank and not field.has_default()  # no silent default: onboarding says it
    response = admin_client.post(
        reverse("admin:dealers_dealership_add"),
        {
            "name": "Carrosserie Martin",
            "city": "Angers",
            "region": "pdl",
            "size_band": "small",
            "language": "fr",
            "social_urls": "[]",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # refused: the profile is missing
    assert not Dealership.objects.filter(name="Carrosserie Martin").exists()
