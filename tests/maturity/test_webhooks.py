"""Signed webhooks: who receives which event, Standard Webhooks signatures checked with the
``standardwebhooks`` verifier, retries with backoff on transient failures only, the
delivery log and re-send, and the SSRF guard at registration and at delivery time."""

from __future__ import annotations

import base64
import json
import socket
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from maturity.campaigns.services import campaign_close, campaign_launch
from maturity.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from maturity.webhooks import delivery as sending
from maturity.webhooks import services, tasks
from tests.factories import ReportFactory
from tests.maturity.conftest import fill, persona_answers
from tests.maturity.webhook_server import Receiver, start

pytestmark = pytest.mark.django_db
Event = WebhookEndpoint.Event


@pytest.fixture
def receiver():
    found = Receiver()
    server = start(found)
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    """Tests and demo mode: the loopback receiver may be reached over plain http."""
    settings.OUTGOING_ALLOW_PRIVATE = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    settings.SITE_URL = "https://maturite.example.com"


def _endpoint(user, url, events=(Event.ASSESSMENT_SUBMITTED,)):
    endpoint, secret = services.endpoint_create(
        user=user, url=url, description="CRM de l’agence", events=events
    )
    return endpoint, secret


def _verified(received, secret):
    """The payload, once ``standardwebhooks`` has checked the signature."""
    return Webhook(secret).verify(received.body, received.headers)


def _submit(draft, owner, capture):
    from maturity.assessments.services import assessment_submit

    fill(draft, persona_answers("B"), owner)
    with capture(execute=True):
        assessment_submit(assessment=draft, user=owner)


def _test_delivery(endpoint, capture):
    with capture():  # queued on commit, not sent: the test drives the attempts
        return services.delivery_test_send(endpoint=endpoint)


# --- signing and payload ------------------------------------------------------------------


def test_it_sends_a_signed_submission_the_receiver_verifies(
    draft,
    owner,
    assigned_consultant,
    receiver,
    loopback_allowed,
    eager,
    django_capture_on_commit_callbacks,
):
    _row, secret = _endpoint(assigned_consultant, receiver.url())
    _submit(draft, owner, django_capture_on_commit_callbacks)

    (request,) = receiver.received
    assert request.path == "/hooks/maturity"
    payload = _verified(request, secret)
    assert payload["type"] == "assessment.submitted"
    assert payload["timestamp"].endswith("Z")
    assert payload["data"] == {
        "dealership_id": draft.dealership_id,
        "assessment_id": draft.pk,
        "url": "https://maturite.example.com" + reverse("api_assessment_detail", args=[draft.pk]),
        "web_url": "https://maturite.example.com"
        + reverse("assessment_feedback", args=[draft.dealership_id, draft.pk]),
    }
    # Ids and links only: never an answer, a score or a text.
    assert "answers" not in request.body.decode() and "score" not in request.body.decode()
    delivery = WebhookDelivery.objects.get()
    assert request.headers["webhook-id"] == delivery.message_id
    assert request.headers["Content-Type"] == "application/json"
    assert delivery.status == "succeeded" and delivery.attempts == 1
    attempt = delivery.attempt_log.get()
    assert attempt.response_status == 200 and attempt.outcome == "succeeded"
    assert attempt.response_excerpt == "answered 200"
    assert attempt.duration_ms >= 0 and attempt.next_attempt_at is None


def test_a_wrong_secret_does_not_verify(assigned_consultant, receiver, loopback_allowed):
    from standardwebhooks import WebhookVerificationError

    endpoint, _secret = _endpoint(assigned_consultant, receiver.url())
    delivery = services.delivery_test_send(endpoint=endpoint)
    sending.attempt_delivery(delivery_id=delivery.pk)
    (request,) = receiver.received
    with pytest.raises(WebhookVerificationError):
        _verified(request, sending.new_secret())
    tampered = request.body.replace(b"webhook.test", b"webhook.evil")
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(tampered, request.headers)


def test_its_secrets_follow_the_standard_webhooks_format(assigned_consultant, loopback_allowed):
    endpoint, secret = _endpoint(assigned_consultant, "http://127.0.0.1:9/")
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    rotated = services.endpoint_secret_rotate(endpoint=endpoint)
    assert rotated != secret and rotated.startswith("whsec_")
    endpoint.refresh_from_db()
    assert endpoint.secret == rotated and endpoint.secret_rotated_at is not None


def test_a_report_and_a_campaign_carry_their_ids_and_links(
    dealership, assigned_consultant, staff, loopback_allowed, django_capture_on_commit_callbacks
):
    _endpoint(assigned_consultant, "http://127.0.0.1:9/", events=Event.values)
    report = ReportFactory(assessment__dealership=dealership)
    (ready,) = services.webhook_event_emit(event=Event.REPORT_READY, report=report)
    assert ready.payload["type"] == "report.ready"
    assert ready.payload["data"] == {
        "dealership_id": dealership.pk,
        "assessment_id": report.assessment_id,
        "report_id": report.pk,
        "url": "https://maturite.example.com" + reverse("api_report_detail", args=[report.pk]),
        "web_url": "https://maturite.example.com"
        + reverse("report_detail", args=[dealership.pk, report.pk]),
    }
    with django_capture_on_commit_callbacks():
        campaign = campaign_launch(
            user=assigned_consultant,
            dealerships=[dealership],
            title="Printemps",
            message="",
            due_date=timezone.localdate() + timedelta(days=20),
            reminder_every_days=7,
            reminder_max=2,
        )
        campaign_close(campaign=campaign, user=assigned_consultant)
    kinds = list(
        WebhookDelivery.objects.filter(event_type__startswith="campaign.")
        .order_by("pk")
        .values_list("event_type", flat=True)
    )
    assert kinds == ["campaign.launched", "campaign.closed"]
    launched = WebhookDelivery.objects.get(event_type="campaign.launched")
    assert launched.payload["data"] == {
        "campaign_id": campaign.pk,
        "url": "https://maturite.example.com" + reverse("campaign_detail", args=[campaign.pk]),
    }


def test_publishing_a_review_is_an_event_saving_a_draft_is_not(
    dealership, owner, assigned_consultant, loopback_allowed
):
    from maturity.review.services import review_save
    from tests.factories import submitted_assessment

    assessment = submitted_assessment(dealership=dealership, persona="b", user=owner)
    _endpoint(assigned_consultant, "http://127.0.0.1:9/", events=[Event.ASSESSMENT_REVIEWED])
    note = {"overall_note": "Priorité : le suivi des demandes web.", "area_comments": {}}
    review_save(assessment=assessment, user=assigned_consultant, action="save", **note)
    assert not WebhookDelivery.objects.exists()
    review_save(assessment=assessment, user=assigned_consultant, action="publish", **note)
    (reviewed,) = WebhookDelivery.objects.all()
    assert reviewed.payload["type"] == "assessment.reviewed"
    assert reviewed.payload["data"]["web_url"].endswith(
        reverse("assessment_results", args=[assessment.pk])
    )
    assert "Priorité" not in json.dumps(reviewed.payload)


# --- who hears about what -----------------------------------------------------------------


def test_a_consultant_never_hears_about_a_dealership_they_do_not_follow(
    draft,
    owner,
    assigned_consultant,
    unassigned_consultant,
    staff,
    receiver,
    loopback_allowed,
    eager,
    django_capture_on_commit_callbacks,
):
    _mine, my_secret = _endpoint(assigned_consultant, receiver.url("/assigned"))
    _endpoint(unassigned_consultant, receiver.url("/elsewhere"))
    _staffs, staff_secret = _endpoint(staff, receiver.url("/staff"))
    _endpoint(assigned_consultant, receiver.url("/reports-only"), events=[Event.REPORT_READY])
    _submit(draft, owner, django_capture_on_commit_callbacks)

    assert sorted(r.path for r in receiver.received) == ["/assigned", "/staff"]
    assert not WebhookDelivery.objects.filter(endpoint__owner=unassigned_consultant).exists()
    for request in receiver.received:
        secret = my_secret if request.path == "/assigned" else staff_secret
        assert _verified(request, secret)["data"]["assessment_id"] == draft.pk


def test_a_campaign_is_heard_by_its_creator_and_staff_only(
    dealership, assigned_consultant, unassigned_consultant, staff, loopback_allowed
):
    _endpoint(assigned_consultant, "http://127.0.0.1:9/a", events=[Event.CAMPAIGN_LAUNCHED])
    _endpoint(unassigned_consultant, "http://127.0.0.1:9/b", events=[Event.CAMPAIGN_LAUNCHED])
    _endpoint(staff, "http://127.0.0.1:9/c", events=[Event.CAMPAIGN_LAUNCHED])
    campaign_launch(
        user=assigned_consultant,
        dealerships=[dealership],
        title="Printemps",
        message="",
        due_date=timezone.localdate() + timedelta(days=20),
        reminder_every_days=7,
        reminder_max=2,
    )
    owners = set(WebhookDelivery.objects.values_list("endpoint__owner__email", flat=True))
    assert owners == {assigned_consultant.email, staff.email}


def test_a_disabled_endpoint_receives_nothing(
    draft,
    owner,
    assigned_consultant,
    receiver,
    loopback_allowed,
    eager,
    django_capture_on_commit_callbacks,
):
    endpoint, _secret = _endpoint(assigned_consultant, receiver.url())
    services.endpoint_enable(endpoint=endpoint, enabled=False)
    _submit(draft, owner, django_capture_on_commit_callbacks)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()
    with pytest.raises(services.EndpointDisabled):
        services.delivery_test_send(endpoint=endpoint)


def test_a_rolled_back_event_sends_nothing(assigned_consultant, draft, loopback_allowed):
    from django.db import transaction

    _endpoint(assigned_consultant, "http://127.0.0.1:9/")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.webhook_event_emit(event=Event.ASSESSMENT_SUBMITTED, assessment=draft)
        raise RuntimeError
    assert not WebhookDelivery.objects.exists()


# --- retries --------------------------------------------------------------------------------


def test_it_retries_a_server_error_after_a_backoff_then_delivers(
    assigned_consultant, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 200]
    endpoint, secret = _endpoint(assigned_consultant, receiver.url())
    delivery = _test_delivery(endpoint, django_capture_on_commit_callbacks)
    start = timezone.now()

    first = sending.attempt_delivery(delivery_id=delivery.pk, now=start)
    assert first.outcome == "retry" and first.response_status == 500
    assert first.next_attempt_at == start + timedelta(seconds=30)
    delivery.refresh_from_db()
    assert delivery.status == "retrying" and delivery.next_attempt_at == first.next_attempt_at
    # Not due yet: nothing is sent before the backoff has passed.
    assert sending.attempt_delivery(delivery_id=delivery.pk, now=start) is None
    assert len(receiver.received) == 1

    second = sending.attempt_delivery(delivery_id=delivery.pk, now=first.next_attempt_at)
    assert second.outcome == "succeeded" and second.number == 2
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 2
    # The same message both times, each signed anew.
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert ids == {delivery.message_id}
    assert all(_verified(r, secret)["type"] == "webhook.test" for r in receiver.received)


def test_the_backoff_doubles_up_to_its_ceiling(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    settings.WEBHOOK_RETRY_MAX_SECONDS = 200
    assert [sending.backoff_seconds(n) for n in (1, 2, 3, 4, 5)] == [30, 60, 120, 200, 200]


def test_it_does_not_retry_a_client_error(
    assigned_consultant, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    receiver.answers = [400]
    endpoint, _secret = _endpoint(assigned_consultant, receiver.url())
    delivery = _test_delivery(endpoint, django_capture_on_commit_callbacks)
    attempt = sending.attempt_delivery(delivery_id=delivery.pk)
    assert attempt.outcome == "failed" and attempt.response_status == 400
    assert attempt.next_attempt_at is None
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    later = timezone.now() + timedelta(days=1)
    assert sending.attempt_delivery(delivery_id=delivery.pk, now=later) is None
    assert len(receiver.received) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_it_retries_too_many_requests_and_unavailable(
    assigned_consultant, receiver, loopback_allowed, django_capture_on_commit_callbacks, status
):
    receiver.answers = [status]
    endpoint, _secret = _endpoint(assigned_consultant, receiver.url())
    delivery = _test_delivery(endpoint, django_capture_on_commit_callbacks)
    assert sending.attempt_delivery(delivery_id=delivery.pk).outcome == "retry"


def test_it_retries_a_network_error(
    assigned_consultant, loopback_allowed, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint, _secret = _endpoint(assigned_consultant, f"http://127.0.0.1:{port}/")
    delivery = _test_delivery(endpoint, django_capture_on_commit_callbacks)
    attempt = sending.attempt_delivery(delivery_id=delivery.pk)
    assert attempt.outcome == "retry" and attempt.error_code == "connect"
    assert attempt.response_status is None


def test_it_stops_after_the_last_attempt(
    assigned_consultant, receiver, loopback_allowed, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.answers = [502]
    endpoint, _secret = _endpoint(assigned_consultant, receiver.url())
    delivery = _test_delivery(endpoint, django_capture_on_commit_callbacks)
    first = sending.attempt_delivery(delivery_id=delivery.pk)
    last = sending.attempt_delivery(delivery_id=delivery.pk, now=first.next_attempt_at)
    assert (first.outcome, last.outcome) == ("retry", "failed")
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 2


def test_the_task_queues_the_retry_with_its_backoff(
    assigned_consultant, receiver, loopback_allowed, monkeypatch, django_capture_on_commit_callbacks
):
    receiver.answers = [500]
    queued = []
    monkeypatch.setattr(
        tasks, "publish", lambda task, *, args, countdown=None: queued.append((args, countdown))
    )
    endpoint, _secret = _endpoint(assigned_consultant, receiver.url())
    delivery = _test_delivery(endpoint, django_capture_on_commit_callbacks)
    assert tasks.send_webhook(delivery.pk) == "retry"
    ((args, countdown),) = queued
    assert args == [delivery.pk] and 25 < countdown <= 30


def test_the_celery_task_retries_until_delivered(
    assigned_consultant,
    receiver,
    loopback_allowed,
    settings,
    eager,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0  # eager tasks do not wait for a countdown
    receiver.answers = [500, 500, 200]
    endpoint, _secret = _endpoint(assigned_consultant, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_test_send(endpoint=endpoint)
    assert [r.headers["webhook-id"] for r in receiver.received] == [
        WebhookDelivery.objects.get().message_id
    ] * 3
    assert WebhookDelivery.objects.get().status == "succeeded"
    assert list(WebhookAttempt.objects.order_by("number").values_list("outcome", flat=True)) == [
        "retry",
        "retry",
        "succeeded",
    ]


def test_the_sweep_sends_what_a_lost_message_left(
    assigned_consultant, loopback_allowed, django_capture_on_commit_callbacks
):
    endpoint, _secret = _endpoint(assigned_consultant, "http://127.0.0.1:9/")
    delivery = _test_delivery(endpoint, django_capture_on_commit_callbacks)
    assert sending.due_deliveries() == []  # its own message comes first
    assert sending.due_deliveries(now=timezone.now() + timedelta(minutes=2)) == [delivery.pk]


# --- the SSRF guard ----------------------------------------------------------------------


@pytest.fixture
def production(settings):
    settings.OUTGOING_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://10.0.0.8/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hooks",
        "https://localhost/hooks",
    ],
)
def test_it_refuses_a_private_address_at_registration_in_production(
    client, assigned_consultant, production, url
):
    client.force_login(assigned_consultant)
    response = client.post(
        reverse("webhook_create"), {"url": url, "events": ["assessment.submitted"]}
    )
    assert response.status_code == 400
    assert "public" in response.content.decode() or "publique" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
    with pytest.raises(services.WebhookError):
        services.endpoint_create(
            user=assigned_consultant, url=url, description="", events=["assessment.submitted"]
        )


def test_it_requires_https_in_production(client, assigned_consultant, production):
    client.force_login(assigned_consultant)
    client.cookies.load({"django_language": "en"})
    response = client.post(
        reverse("webhook_create"),
        {"url": "http://93.184.215.14/hooks", "events": ["assessment.submitted"]},
    )
    assert response.status_code == 400
    assert "https://" in response.content.decode()
    response = client.post(
        reverse("webhook_create"),
        {"url": "https://93.184.215.14/hooks", "events": ["assessment.submitted"]},
    )
    assert response.status_code == 201
    secret = WebhookEndpoint.objects.get().secret
    assert secret in response.content.decode()
    # Shown once: the endpoint's page never shows it again.
    page = client.get(reverse("webhook_detail", args=[WebhookEndpoint.objects.get().pk]))
    assert secret not in page.content.decode()


def test_it_refuses_a_private_address_at_delivery_time(
    assigned_consultant, receiver, loopback_allowed, settings, django_capture_on_commit_callbacks
):
    endpoint, _secret = _endpoint(assigned_consultant, receiver.url())
    delivery = _test_delivery(endpoint, django_capture_on_commit_callbacks)
    settings.OUTGOING_ALLOW_PRIVATE = False  # production mode from now on
    attempt = sending.attempt_delivery(delivery_id=delivery.pk)
    assert attempt.outcome == "failed" and attempt.error_code == "private_address"
    assert receiver.received == []


def test_a_name_that_turns_private_after_registration_is_refused(
    assigned_consultant, production, monkeypatch, django_capture_on_commit_callbacks
):
    answers = {"crm.agence.test": ["93.184.215.14"]}
    monkeypatch.setattr("common.outgoing.system_resolver", lambda host: answers[host])
    endpoint, _secret = _endpoint(assigned_consultant, "https://crm.agence.test/hooks")
    delivery = _test_delivery(endpoint, django_capture_on_commit_callbacks)
    answers["crm.agence.test"] = ["10.0.0.5"]  # DNS rebinding
    attempt = sending.attempt_delivery(delivery_id=delivery.pk)
    assert attempt.outcome == "failed" and attempt.error_code == "private_address"
    assert "10.0.0.5" in attempt.error


# --- pages ------------------------------------------------------------------------------


def test_the_list_explains_webhooks_when_there_is_none(client, assigned_consultant):
    client.force_login(assigned_consultant)
    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("webhooks")).content.decode()
    assert "No webhook endpoint yet." in page and "CRM" in page
    assert reverse("webhook_create") in page
    assert reverse("webhooks") in client.get(reverse("portfolio")).content.decode()


def test_a_consultant_sees_only_their_own_endpoints_and_staff_all(
    client, assigned_consultant, unassigned_consultant, staff, loopback_allowed
):
    _mine, _ = _endpoint(assigned_consultant, "http://127.0.0.1:9/mine")
    theirs, _ = _endpoint(unassigned_consultant, "http://127.0.0.1:9/theirs")
    client.force_login(assigned_consultant)
    page = client.get(reverse("webhooks")).content.decode()
    assert "/mine" in page and "/theirs" not in page
    assert client.get(reverse("webhook_detail", args=[theirs.pk])).status_code == 404
    client.force_login(staff)
    page = client.get(reverse("webhooks")).content.decode()
    assert "/mine" in page and "/theirs" in page


def test_a_dealer_has_no_webhooks(client, owner):
    client.force_login(owner)
    assert client.get(reverse("webhooks")).status_code == 403


def test_the_form_registers_and_changes_an_endpoint(client, assigned_consultant, loopback_allowed):
    client.force_login(assigned_consultant)
    response = client.post(
        reverse("webhook_create"),
        {"url": "http://127.0.0.1:9/crm", "description": "CRM", "events": ["report.ready"]},
    )
    assert response.status_code == 201
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.owner == assigned_consultant and endpoint.events == ["report.ready"]
    assert endpoint.secret in response.content.decode()
    response = client.post(
        reverse("webhook_edit", args=[endpoint.pk]),
        {"url": "http://127.0.0.1:9/crm2", "events": ["report.ready", "campaign.closed"]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url.endswith("/crm2") and endpoint.events == ["report.ready", "campaign.closed"]
    # No event chosen, an unknown one, no URL: form errors, never a 500.
    for data in ({"url": "http://127.0.0.1:9/"}, {"events": ["x.y"]}, {"url": "nope"}):
        assert client.post(reverse("webhook_create"), data).status_code == 400


def test_the_log_shows_each_attempt_and_resends(
    client,
    assigned_consultant,
    receiver,
    loopback_allowed,
    eager,
    django_capture_on_commit_callbacks,
):
    receiver.answers = [400, 200]
    endpoint, secret = _endpoint(assigned_consultant, receiver.url())
    client.force_login(assigned_consultant)
    client.cookies.load({"django_language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhook_test", args=[endpoint.pk]))
    assert response.status_code == 302
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"  # a 400 is not retried
    page = client.get(reverse("webhook_detail", args=[endpoint.pk])).content.decode()
    assert "webhook.test" in page and "HTTP 400" in page and "answered 400" in page
    assert "Failed" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhook_delivery_resend", args=[endpoint.pk, delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 2
    assert [a.response_status for a in delivery.attempt_log.order_by("number")] == [400, 200]
    assert len(receiver.received) == 2
    assert _verified(receiver.received[-1], secret)["data"]["endpoint_id"] == endpoint.pk
    page = client.get(reverse("webhook_detail", args=[endpoint.pk])).content.decode()
    assert "HTTP 200" in page and "Delivered" in page


def test_deleting_asks_first(client, assigned_consultant, loopback_allowed):
    endpoint, _ = _endpoint(assigned_consultant, "http://127.0.0.1:9/")
    client.force_login(assigned_consultant)
    confirm = client.get(reverse("webhook_delete", args=[endpoint.pk]))
    assert confirm.status_code == 200 and WebhookEndpoint.objects.exists()
    response = client.post(reverse("webhook_delete", args=[endpoint.pk]))
    assert response.status_code == 302 and not WebhookEndpoint.objects.exists()


def test_disabling_and_rotating_from_the_page(client, assigned_consultant, loopback_allowed):
    endpoint, secret = _endpoint(assigned_consultant, "http://127.0.0.1:9/")
    client.force_login(assigned_consultant)
    client.post(reverse("webhook_enable", args=[endpoint.pk]), {"enabled": "0"})
    endpoint.refresh_from_db()
    assert endpoint.is_active is False
    assert client.post(reverse("webhook_test", args=[endpoint.pk])).status_code == 302
    assert not WebhookDelivery.objects.exists()
    client.post(reverse("webhook_enable", args=[endpoint.pk]), {"enabled": "1"})
    confirm = client.get(reverse("webhook_secret", args=[endpoint.pk]))
    assert confirm.status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.secret == secret  # asking changes nothing
    response = client.post(reverse("webhook_secret", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.secret != secret
    assert endpoint.secret in response.content.decode()


def test_a_payload_is_compact_json(assigned_consultant, loopback_allowed):
    endpoint, _ = _endpoint(assigned_consultant, "http://127.0.0.1:9/")
    delivery = services.delivery_test_send(endpoint=endpoint)
    assert json.loads(sending.body_of(delivery)) == delivery.payload
    assert ", " not in sending.body_of(delivery)


def test_a_person_registers_a_bounded_number_of_endpoints(
    assigned_consultant, loopback_allowed, settings
):
    settings.WEBHOOK_ENDPOINTS_PER_USER = 2
    _endpoint(assigned_consultant, "http://127.0.0.1:9/1")
    _endpoint(assigned_consultant, "http://127.0.0.1:9/2")
    with pytest.raises(services.WebhookError, match="2"):
        _endpoint(assigned_consultant, "http://127.0.0.1:9/3")


def test_a_dealer_cannot_register_an_endpoint(owner, loopback_allowed):
    with pytest.raises(services.WebhookError):
        _endpoint(owner, "http://127.0.0.1:9/")


def test_a_delivery_of_a_deleted_endpoint_is_dropped(
    assigned_consultant, loopback_allowed, django_capture_on_commit_callbacks
):
    endpoint, _ = _endpoint(assigned_consultant, "http://127.0.0.1:9/")
    delivery = _test_delivery(endpoint, django_capture_on_commit_callbacks)
    services.endpoint_delete(endpoint=endpoint)
    assert sending.attempt_delivery(delivery_id=delivery.pk) is None
