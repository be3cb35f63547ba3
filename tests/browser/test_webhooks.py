"""The webhook pages in headless Chromium: a consultant finds them in the navigation,
registers their CRM's endpoint, copies the secret shown once, sends a test event that the
loopback receiver verifies with ``standardwebhooks``, and reads the delivery log; no
console error (the strict CSP holds)."""

from __future__ import annotations

import pytest
from standardwebhooks import Webhook

from tests.browser.conftest import SHOTS, needs_chromium, open_page, screenshot
from tests.factories import PASSWORD, ConsultantFactory
from tests.maturity.webhook_server import Receiver, start

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def eager_tasks():
    from config.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.mark.django_db(transaction=True)
def test_a_consultant_registers_an_endpoint_and_sends_a_test_event(
    live_server, chromium, settings, eager_tasks
):
    settings.OUTGOING_ALLOW_PRIVATE = True  # the receiver listens on loopback
    receiver = Receiver()
    server = start(receiver)
    ConsultantFactory(email="claire@conseil.example", full_name="Claire Martin")
    page = open_page(chromium, locale="fr-FR")
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "claire@conseil.example")
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.click("nav >> text=Webhooks")
        page.wait_for_selector("text=Aucun point de réception webhook pour l’instant.")
        screenshot(page, SHOTS / "webhooks-empty")

        page.click("main >> text=Ajouter un point de réception")
        page.fill("input[name=url]", receiver.url())
        page.fill("input[name=description]", "CRM de l’agence")
        page.check("input[value='assessment.submitted']")
        page.check("input[value='report.ready']")
        screenshot(page, SHOTS / "webhooks-form")
        page.click("main form button[type=submit]")
        secret = page.locator("[data-testid=webhook-secret] code").inner_text().strip()
        assert secret.startswith("whsec_")

        page.click("text=Envoyer un événement de test")
        page.wait_for_selector("[data-testid=webhook-deliveries]")
        (request,) = receiver.received
        assert Webhook(secret).verify(request.body, request.headers)["type"] == "webhook.test"
        page.click("summary")
        assert "HTTP 200" in page.locator("[data-testid=webhook-attempt]").inner_text()
        assert secret not in page.content()  # shown once
        screenshot(page, SHOTS / "webhooks-log")
        assert not page.errors, page.errors
    finally:
        server.shutdown()
        server.server_close()
