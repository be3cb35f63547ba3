import re

from django.urls import reverse


def test_it_sends_a_dealer_with_one_dealership_to_it(client, owner, dealership):
    client.force_login(owner)
    response = client.get(reverse("home"))
    assert response.headers["Location"] == reverse("dealership_detail", args=[dealership.pk])


def test_it_sends_a_consultant_to_the_portfolio(client, assigned_consultant):
    client.force_login(assigned_consultant)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.headers["Location"] != reverse("login")


def test_it_lists_only_the_consultants_dealerships(
    client, assigned_consultant, dealership, other_dealership
):
    client.force_login(assigned_consultant)
    page = client.get(reverse("dealership_list"), follow=True).content.decode()
    assert dealership.name in page
    assert other_dealership.name not in page


def test_it_lists_every_dealership_for_staff(client, staff, dealership, other_dealership):
    client.force_login(staff)
    page = client.get(reverse("dealership_list"), follow=True).content.decode()
    assert dealership.name in page and other_dealership.name in page


def test_it_searches_by_name(client, staff, dealership, other_dealership):
    client.force_login(staff)
    page = client.get(reverse("dealership_list"), {"q": "rivi"}, follow=True).content.decode()
    assert dealership.name in page and other_dealership.name not in page


def test_it_shows_an_empty_state_that_says_what_to_do(
    client, unassigned_consultant, other_dealership
):
    other_dealership.assignments.all().delete()
    client.force_login(unassigned_consultant)
    response = client.get(reverse("dealership_list"), follow=True)
    assert "empty-state" in response.content.decode()


def test_it_shows_the_navigation_for_the_role(client, staff, owner):
    client.force_login(staff)
    assert reverse("admin:index") in client.get(reverse("portfolio")).content.decode()
    client.force_login(owner)
    assert reverse("admin:index") not in client.get(reverse("dealership_list")).content.decode()


def test_it_serves_bootstrap_and_htmx_from_our_own_static_files(client, owner):
    client.force_login(owner)
    page = client.get(reverse("dealership_list")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    # Nothing loaded from another site (a random token may well contain "cdn").
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
