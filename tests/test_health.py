from unittest import mock

from django.db import OperationalError as DatabaseDown
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerDown


def test_it_answers_200_when_database_and_broker_are_up(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_it_answers_503_when_the_database_is_down(client, db):
    with mock.patch("config.health.connection.cursor", side_effect=DatabaseDown("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_it_answers_503_when_the_broker_is_down(client, db):
    with mock.patch("config.health.app.connection_for_write", side_effect=BrokerDown("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}


def test_it_answers_503_for_an_unreachable_redis(client, db, monkeypatch):
    """A real connection attempt to a port where nothing listens, not a mock."""
    from config.celery import app

    # The write URL, not broker_url: Celery reads CELERY_BROKER_URL from the environment
    # first (CI sets it), which would hide a change of app.conf.broker_url.
    monkeypatch.setattr(app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
