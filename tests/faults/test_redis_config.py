"""The production Redis is the Celery broker: it must never evict a queued task."""

from __future__ import annotations

import pytest
import yaml

from tests.faults.stack import ROOT

pytestmark = pytest.mark.faults


def _redis_options() -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["redis"]["command"]
    if isinstance(command, str):
        command = command.split()
    assert command[0] == "redis-server", command
    options = {}
    for index, word in enumerate(command[1:], start=1):
        if word.startswith("--"):
            following = command[index + 1] if index + 1 < len(command) else ""
            options[word] = "" if following.startswith("--") else following
    return options


def test_it_configures_the_broker_redis_without_eviction():
    options = _redis_options()
    # With a memory limit reached, Redis refuses writes rather than drop queued tasks.
    assert options.get("--maxmemory-policy") == "noeviction", options
    # Queued tasks survive a Redis restart.
    assert options.get("--appendonly") == "yes", options


def test_it_points_the_application_at_that_redis():
    example = (ROOT / ".env.example").read_text()
    broker = [line for line in example.splitlines() if line.startswith("CELERY_BROKER_URL=")]
    assert broker and broker[0].startswith("CELERY_BROKER_URL=redis://redis:"), broker
