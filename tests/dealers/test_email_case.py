"""E-mail addresses are case-insensitive: login, login throttling, uniqueness, invitations."""

from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from dealers.models import User
from tests.factories import PASSWORD, UserFactory


def _login(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_it_logs_in_whatever_the_case_of_the_address(client, owner):
    response = _login(client, "  Owner@Example.COM ")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_it_counts_the_failures_of_every_spelling_as_one_lockout(client, owner):
    spellings = ("Owner@example.com", "OWNER@EXAMPLE.COM", "owner@Example.com", "oWnEr@example.com")
    for email in spellings:
        assert _login(client, email, "wrong").status_code == 200
    _login(client, "owner@example.com", "wrong")
    # Five failures, whatever the spelling: the right password is now refused too.
    response = _login(client, "Owner@Example.com")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["owner@example.com"]


def test_it_stores_addresses_in_lower_case(db):
    assert User.objects.create_user("Nina.Nouveau@Garage.Example").email == (
        "nina.nouveau@garage.example"
    )
    user = UserFactory(email="paul@garage.example")
    user.email = "Paul.Riviere@Garage.Example"
    user.save()
    user.refresh_from_db()
    assert user.email == "paul.riviere@garage.example"


def test_the_database_refuses_an_address_that_differs_only_in_case(owner):
    other = UserFactory(email="someone@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        # Around the model (no ``save``): the constraint still holds.
        User.objects.filter(pk=other.pk).update(email="OWNER@example.com")


def test_the_admin_refuses_a_new_person_whose_address_differs_only_in_case(admin_client, owner):
    response = admin_client.post(
        reverse("admin:dealers_user_add"),
        {
            "email": "Owner@Example.com",
            "password1": "un-garage-solide-42",
            "password2": "un-garage-solide-42",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    assert User.objects.filter(email__iexact="owner@example.com").count() == 1


def test_the_admin_creates_a_person_with_the_address_in_lower_case(admin_client):
    response = admin_client.post(
        reverse("admin:dealers_user_add"),
        {
            "email": "Nina.Nouveau@Garage.Example",
            "password1": "un-garage-solide-42",
            "password2": "un-garage-solide-42",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="nina.nouveau@garage.example").exists()


def test_the_admin_refuses_changing_an_address_to_another_persons_in_other_case(
    admin_client, owner, member
):
    client = admin_client
    url = reverse("admin:dealers_user_change", args=[member.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "email": "OWNER@example.com",
            "groups": [],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    member.refresh_from_db()
    assert member.email == "member@example.com"


def test_an_invitation_to_an_existing_address_in_other_case_asks_to_log_in(
    client,
    assigned_consultant,
    owner,
    other_dealership,
    dealership,
    django_capture_on_commit_callbacks,
):
    from dealers.services import invitation_create

    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            invited_by=assigned_consultant, dealership=dealership, email="Owner@Example.COM"
        )
    link = next(w for w in mail.outbox[-1].body.split() if "/invitations/" in w)
    response = client.get(urlsplit(link).path)
    # The account exists: joining goes through its login, not a second account.
    assert response.status_code == 200
    assert "login_url" in response.context
    assert User.objects.filter(email__iexact="owner@example.com").count() == 1


def test_an_api_token_still_authenticates(client, owner):
    from dealers.services import access_token_create

    _token, secret = access_token_create(user=owner, name="CRM", days=30)
    response = client.get("/api/v1/dealerships/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


# --- the migration's data step --------------------------------------------------------

BEFORE = [("dealers", "0004_dealership_profile")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_migration_lower_cases_the_stored_addresses():
    try:
        old = _migrate(BEFORE)
        OldUser = old.get_model("dealers", "User")
        OldUser.objects.create(email="Claire.Conseil@Demo.Example", password="!")
        _migrate(_latest())
        assert list(User.objects.values_list("email", flat=True)) == ["claire.conseil@demo.example"]
    finally:
        _migrate(_latest())


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_on_addresses_that_differ_only_in_case_and_merges_nothing():
    from importlib import import_module

    step = import_module("dealers.migrations.0005_user_email_ci")
    try:
        old = _migrate(BEFORE)
        OldUser = old.get_model("dealers", "User")
        OldUser.objects.create(email="Claire.Conseil@demo.example", password="!")
        OldUser.objects.create(email="claire.conseil@demo.example", password="!")
        with pytest.raises(step.DuplicateEmails, match=r"Claire\.Conseil@demo\.example \(id"):
            _migrate(_latest())
        assert sorted(OldUser.objects.values_list("email", flat=True)) == [
            "Claire.Conseil@demo.example",
            "claire.conseil@demo.example",
        ]
        OldUser.objects.filter(email="Claire.Conseil@demo.example").delete()
    finally:
        _migrate(_latest())
    assert list(User.objects.values_list("email", flat=True)) == ["claire.conseil@demo.example"]
