"""Webhook events of measurements: a website check finished, a lead-response test
recorded, customer reviews imported. Each delivery is verified with the
``standardwebhooks`` verifier, carries ids and links only, and goes to whoever follows the
dealership (its consultants, staff), never to another consultant; the endpoint form offers
the events."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from common.outgoing import OutgoingPolicy
from maturity.measured import services as measured_services
from maturity.measurements.leads.services import lead_test_record
from maturity.measurements.reviews.services import ReviewImportRejected, reviews_import
from maturity.models import WebhookDelivery, WebhookEndpoint
from tests.maturity.test_webhooks import _endpoint, _verified, loopback_allowed, receiver

pytestmark = pytest.mark.django_db
Event = WebhookEndpoint.Event
SITE = "https://maturite.example.com"
REVIEWS = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"

__all__ = ["loopback_allowed", "receiver"]  # fixtures, used by name


def _record_lead_test(dealership, consultant):
    sent = timezone.now() - timedelta(hours=20)
    return lead_test_record(
        dealership=dealership,
        user=consultant,
        channel="email",
        question="Le SUV d'occasion est-il encore disponible ?",
        sent_at=sent,
        replied_at=sent + timedelta(hours=2),
        grid_items=["question_answered"],
        notes="Réponse très complète, signée.",
    )


def test_a_finished_website_check_is_delivered_signed_with_its_links(
    dealership,
    assigned_consultant,
    receiver,
    loopback_allowed,
    eager,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    _row, secret = _endpoint(assigned_consultant, receiver.url(), events=[Event.WEBSITE_CHECKED])
    dealership.website_url = "http://127.0.0.1:1/"
    dealership.save()
    # The check itself refuses the private address (a failed check is finished too), while
    # the loopback receiver stays reachable for the delivery.
    monkeypatch.setattr(
        measured_services, "outgoing_policy", lambda: OutgoingPolicy(allow_private=False)
    )
    with django_capture_on_commit_callbacks(execute=True):
        measurement = measured_services.measurement_run_website(dealership_id=dealership.pk)
    assert measurement.status == "failed"

    (request,) = receiver.received
    payload = _verified(request, secret)
    assert payload["type"] == "measurement.website_checked"
    assert payload["data"] == {
        "dealership_id": dealership.pk,
        "measurement_id": measurement.pk,
        "url": SITE + reverse("api_website_check_detail", args=[measurement.pk]),
        "web_url": SITE + reverse("dealership_detail", args=[dealership.pk]),
    }
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_a_recorded_lead_test_is_heard_by_the_dealerships_consultants_only(
    dealership,
    assigned_consultant,
    unassigned_consultant,
    staff,
    receiver,
    loopback_allowed,
    eager,
    django_capture_on_commit_callbacks,
):
    _mine, my_secret = _endpoint(
        assigned_consultant, receiver.url("/assigned"), events=[Event.LEAD_TEST_RECORDED]
    )
    _endpoint(unassigned_consultant, receiver.url("/elsewhere"), events=Event.values)
    _staffs, staff_secret = _endpoint(
        staff, receiver.url("/staff"), events=[Event.LEAD_TEST_RECORDED]
    )
    _endpoint(assigned_consultant, receiver.url("/reviews-only"), events=[Event.REVIEWS_IMPORTED])
    with django_capture_on_commit_callbacks(execute=True):
        test = _record_lead_test(dealership, assigned_consultant)

    assert sorted(r.path for r in receiver.received) == ["/assigned", "/staff"]
    for request in receiver.received:
        payload = _verified(request, my_secret if request.path == "/assigned" else staff_secret)
        assert payload["type"] == "measurement.lead_test_recorded"
        assert payload["data"] == {
            "dealership_id": dealership.pk,
            "lead_test_id": test.pk,
            "url": SITE + reverse("api_lead_test_detail", args=[test.pk]),
            "web_url": SITE + reverse("lead_tests", args=[dealership.pk]),
        }
        # Ids and links only: not the question asked nor the consultant's notes.
        assert b"SUV" not in request.body and b"sign" not in request.body


def test_an_import_is_an_event_a_rejected_file_is_not(
    dealership,
    owner,
    assigned_consultant,
    receiver,
    loopback_allowed,
    eager,
    django_capture_on_commit_callbacks,
):
    _row, secret = _endpoint(assigned_consultant, receiver.url(), events=[Event.REVIEWS_IMPORTED])
    with pytest.raises(ReviewImportRejected):
        reviews_import(
            dealership=dealership,
            user=owner,
            data=(REVIEWS / "avis_mauvaises_lignes.csv").read_bytes(),
            filename="avis_mauvaises_lignes.csv",
        )
    assert not WebhookDelivery.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        record = reviews_import(
            dealership=dealership,
            user=owner,
            data=(REVIEWS / "avis_fr.csv").read_bytes(),
            filename="avis_fr.csv",
        )
    (request,) = receiver.received
    payload = _verified(request, secret)
    assert payload["type"] == "measurement.reviews_imported"
    assert payload["data"] == {
        "dealership_id": dealership.pk,
        "review_import_id": record.pk,
        "url": SITE + reverse("api_review_import_detail", args=[record.pk]),
        "web_url": SITE + reverse("dealership_reviews", args=[dealership.pk]),
    }
    assert "rating" not in json.dumps(payload)


def test_the_endpoint_form_offers_the_measurement_events(
    client, assigned_consultant, loopback_allowed
):
    client.force_login(assigned_consultant)
    page = client.get(reverse("webhook_create")).content.decode()
    for event in (
        "measurement.website_checked",
        "measurement.lead_test_recorded",
        "measurement.reviews_imported",
    ):
        assert f'value="{event}"' in page
    response = client.post(
        reverse("webhook_create"),
        {
            "url": "http://127.0.0.1:9/hooks",
            "description": "CRM",
            "events": ["measurement.lead_test_recorded", "measurement.reviews_imported"],
        },
    )
    assert response.status_code == 201, response.status_code  # the page showing the secret once
    endpoint = WebhookEndpoint.objects.get(owner=assigned_consultant)
    assert endpoint.events == ["measurement.lead_test_recorded", "measurement.reviews_imported"]
