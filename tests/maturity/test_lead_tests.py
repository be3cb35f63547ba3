"""Lead-response tests: a consultant records a test and its reply, the page shows the
figures; the dealership's people read closed tests only and cannot record one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maturity.models import LeadTest
from tests.factories import LeadTestFactory

pytestmark = pytest.mark.django_db


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_it_records_a_test_then_its_reply_and_grid(client, dealership, assigned_consultant):
    client.force_login(assigned_consultant)
    sent = timezone.now() - timedelta(hours=30)
    response = client.post(
        reverse("lead_test_create", args=[dealership.pk]),
        {"channel": "facebook", "question": "Prix de la Clio ?", "sent_at": local(sent)},
    )
    assert response.status_code == 302
    test = LeadTest.objects.get(dealership=dealership)
    assert test.replied_at is None and test.recorded_by == assigned_consultant

    response = client.post(
        reverse("lead_test_edit", args=[dealership.pk, test.pk]),
        {
            "channel": "facebook",
            "question": "Prix de la Clio ?",
            "sent_at": local(sent),
            "replied_at": local(sent + timedelta(hours=3)),
            "grid_items": ["named_contact", "question_answered"],
        },
    )
    assert response.status_code == 302
    test.refresh_from_db()
    assert test.grid_items == ["question_answered", "named_contact"]  # the grid's order
    page = client.get(reverse("lead_tests", args=[dealership.pk]))
    assert page.context["figures"].answered == 1
    assert page.context["quality"] == "55/100"
    assert "3\u00a0h\u00a000" in page.content.decode()  # French: non-breaking spaces


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sent_at": "2999-01-01T10:00"}, "sent_at"),
        ({"replied_at": "2020-01-01T10:00"}, "replied_at"),
        ({"grid_items": ["question_answered"]}, "grid_items"),
        ({"grid_items": ["bribery"]}, "grid_items"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"sent_at": "yesterday"}, "sent_at"),
        ({"question": ""}, "question"),
    ],
)
def test_it_refuses_a_wrong_test_with_a_form_error(
    client, dealership, assigned_consultant, fields, field
):
    client.force_login(assigned_consultant)
    data = {
        "channel": "email",
        "question": "Disponible ?",
        "sent_at": local(timezone.now() - timedelta(days=1)),
    } | fields
    response = client.post(reverse("lead_test_create", args=[dealership.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not LeadTest.objects.exists()


def test_a_silent_test_counts_as_unanswered_after_the_grid_delay(
    client, dealership, assigned_consultant
):
    now = timezone.now()
    LeadTestFactory(dealership=dealership, sent_at=now - timedelta(hours=73), replied_at=None)
    LeadTestFactory(dealership=dealership, sent_at=now - timedelta(hours=5), replied_at=None)
    LeadTestFactory(dealership=dealership, reply_hours=4)
    client.force_login(assigned_consultant)
    figures = client.get(reverse("lead_tests", args=[dealership.pk])).context["figures"]
    assert (figures.answered, figures.unanswered, figures.waiting) == (1, 1, 1)
    assert figures.answered_share == 0.5


def test_the_dealer_reads_closed_tests_only_and_has_no_record_button(
    client, dealership, owner, assigned_consultant
):
    now = timezone.now()
    LeadTestFactory(dealership=dealership, question="Fermé", reply_hours=1)
    LeadTestFactory(
        dealership=dealership, question="Ouvert", sent_at=now - timedelta(hours=2), replied_at=None
    )
    client.force_login(owner)
    response = client.get(reverse("lead_tests", args=[dealership.pk]))
    body = response.content.decode()
    assert "Fermé" in body and "Ouvert" not in body
    assert reverse("lead_test_create", args=[dealership.pk]) not in body
    assert (
        reverse("lead_test_delete", args=[dealership.pk, LeadTest.objects.first().pk]) not in body
    )
    client.force_login(assigned_consultant)
    body = client.get(reverse("lead_tests", args=[dealership.pk])).content.decode()
    assert "Fermé" in body and "Ouvert" in body


def test_a_test_of_another_dealership_is_a_404(
    client, dealership, other_dealership, assigned_consultant
):
    other = LeadTestFactory(dealership=other_dealership)
    client.force_login(assigned_consultant)
    response = client.get(reverse("lead_test_edit", args=[dealership.pk, other.pk]))
    assert response.status_code == 404


def test_deleting_a_test_asks_for_confirmation_and_removes_it(
    client, dealership, assigned_consultant
):
    test = LeadTestFactory(dealership=dealership)
    client.force_login(assigned_consultant)
    body = client.get(reverse("lead_tests", args=[dealership.pk])).content.decode()
    assert "data-confirm" in body
    client.post(reverse("lead_test_delete", args=[dealership.pk, test.pk]))
    assert not LeadTest.objects.exists()


def test_the_empty_page_says_what_to_do_next(english, dealership, assigned_consultant, owner):
    english.force_login(assigned_consultant)
    body = english.get(reverse("lead_tests", args=[dealership.pk])).content.decode()
    assert "Send the dealership an enquiry as a prospect would" in body
    english.force_login(owner)
    body = english.get(reverse("lead_tests", args=[dealership.pk])).content.decode()
    assert "Your consultant records the test enquiries" in body


def test_a_get_on_the_post_only_routes_is_a_404_for_an_outsider_and_a_405_otherwise(
    client, dealership, outsider, assigned_consultant
):
    test = LeadTestFactory(dealership=dealership)
    urls = [
        reverse("lead_test_delete", args=[dealership.pk, test.pk]),
        reverse("review_import", args=[dealership.pk]),
    ]
    client.force_login(outsider)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(assigned_consultant)
    assert [client.get(url).status_code for url in urls] == [405, 405]
    assert LeadTest.objects.filter(pk=test.pk).exists()


def test_the_history_reads_per_quarter_or_per_month(client, dealership, assigned_consultant):
    now = timezone.now()
    LeadTestFactory(dealership=dealership, sent_at=now - timedelta(days=200))
    LeadTestFactory(dealership=dealership, sent_at=now - timedelta(days=3))
    client.force_login(assigned_consultant)
    url = reverse("lead_tests", args=[dealership.pk])
    quarters = client.get(url).context["history"]
    months = client.get(url, {"by": "month"}).context["history"]
    assert len(quarters) == 2 and len(months) == 2
    assert quarters[0][0].startswith("T") and "/" in months[0][0]
    assert client.get(url, {"by": "<script>"}).status_code == 200
