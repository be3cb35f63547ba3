"""The Celery application, configured from Django settings (``CELERY_*``)."""

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from celery import Celery, Task
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_filesystem_broker_folders() -> None:
    """The filesystem transport expects its folders to exist; create them on first use."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder", "processed_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    backend = app.conf.result_backend or ""
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


@app.task(name="health.ping")
def ping() -> str:
    """A round trip through the broker and a worker, for health checks and tests."""
    return "pong"


@app.on_after_configure.connect
def _prepare_broker(sender: Celery, **kwargs: object) -> None:
    ensure_filesystem_broker_folders()


# Short enough that a request never hangs on a broker that is down (the sweeping beat
# tasks send later what could not be sent now); workers and beat keep the global settings.
SEND_TIMEOUT = 2.0
# Each read or write on the broker socket: a broker that accepts connections but does not
# answer must not hang the request either.
SOCKET_TIMEOUT = 1.0


def publish(task: Task, *, args: Sequence[Any], countdown: float | None = None) -> bool:
    """Send ``task`` with ``args``; ``False`` (logged) when the broker is unreachable.

    For messages a beat task sends again when they are lost (the caller's row is the
    truth about the job): one connection attempt, short timeouts, no publish retry, so a
    web request answers at once whatever the broker's state. ``countdown``: run it that
    many seconds later (a retry's backoff).
    """
    connection = task.app.connection_for_write(
        connect_timeout=SEND_TIMEOUT,
        transport_options={
            # One connection attempt (kombu: 0 retries), bounded by the timeout above...
            "max_retries": 0,
            # ...and a bound on every socket operation.
            "socket_connect_timeout": SOCKET_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
        },
    )
    # The transport's own errors (redis' TimeoutError is not an OSError).
    unreachable = (BrokerError, OSError, *connection.connection_errors, *connection.channel_errors)
    try:
        with connection:
            task.apply_async(
                args=list(args), connection=connection, retry=False, countdown=countdown
            )
    except unreachable:
        logger.warning("Broker unreachable: %s%s not sent now", task.name, tuple(args))
        return False
    return True
