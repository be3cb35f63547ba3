"""``/healthz``: is the database reachable, and the broker? 200 or 503, for probes."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu.exceptions import OperationalError

from config.celery import app

logger = logging.getLogger(__name__)

# Errors a probe may meet when a service is down; anything else is a bug and should raise.
_DOWN = (OSError, ConnectionError, TimeoutError)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        logger.warning("healthz: database unreachable", exc_info=True)
        return False


def _broker_ok() -> bool:
    try:
        # Every socket operation bounded: a frozen Redis accepts the connection (kernel
        # backlog) and never answers; without a read timeout the probe would hang and
        # hold a gunicorn thread for good (the compose healthcheck probes every 15 s).
        with app.connection_for_write(
            connect_timeout=2,
            transport_options={"socket_connect_timeout": 2, "socket_timeout": 2},
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except (OperationalError, *_DOWN):
        logger.warning("healthz: broker unreachable", exc_info=True)
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    status = 200 if all(checks.values()) else 503
    body = {name: "ok" if ok else "down" for name, ok in checks.items()}
    return JsonResponse(body, status=status)
