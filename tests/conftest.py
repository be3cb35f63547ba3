"""Shared fixtures: a small world of people around two dealerships.

``dealership`` has an ``owner``, a ``member`` and an ``assigned_consultant``;
``other_dealership`` has its own member (``outsider``); ``unassigned_consultant``
follows nothing; ``network_manager`` manages a network holding both dealerships (its
figures, none of their pages); ``staff`` administers everything.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import (
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkManagerFactory,
    StaffFactory,
    UserFactory,
)


def _redis_urls() -> list[str]:
    """The Redis databases this run writes to: the broker (and results), the cache."""
    urls = {settings.CELERY_BROKER_URL, getattr(settings, "CELERY_RESULT_BACKEND", "")}
    urls.add(settings.CACHES["default"].get("LOCATION") or "")
    return sorted(url for url in urls if isinstance(url, str) and url.startswith("redis://"))


@pytest.fixture(scope="session", autouse=True)
def _no_redis_key_left_behind() -> Iterator[None]:
    """Delete the keys this run wrote in its Redis databases (worker tests publish
    messages, store results and bind queues): a run leaves nothing behind, and ``.ci/run``
    checks it. Keys that were there before the run are not touched."""
    urls = _redis_urls()
    if not urls:  # the filesystem broker and a memory cache: nothing to clean
        yield
        return
    import redis

    clients = [redis.Redis.from_url(url, socket_connect_timeout=2) for url in urls]
    before = []
    for client in clients:
        try:
            before.append((client, set(client.scan_iter(count=1000))))
        except redis.exceptions.ConnectionError:
            continue  # Redis is down: the tests that need it say so
    yield
    for client, existing in before:
        try:
            created = [key for key in client.scan_iter(count=1000) if key not in existing]
            if created:
                client.delete(*created)
        except redis.exceptions.ConnectionError:
            continue
        finally:
            client.close()


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which database and broker this run uses (CI runs on PostgreSQL and Redis)."""
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
    return [f"dealer-maturity: database={engine} broker={broker}"]


@pytest.fixture
def dealership(db):
    return DealershipFactory(name="Auto Rivière", city="Angers")


@pytest.fixture
def other_dealership(db):
    return DealershipFactory(name="Garage Concurrent", city="Tours")


@pytest.fixture
def owner(dealership):
    return MembershipFactory(
        dealership=dealership, role="owner", user__email="owner@example.com"
    ).user


@pytest.fixture
def member(dealership):
    return MembershipFactory(
        dealership=dealership, role="member", user__email="member@example.com"
    ).user


@pytest.fixture
def outsider(other_dealership):
    return MembershipFactory(
        dealership=other_dealership, role="owner", user__email="outsider@example.com"
    ).user


@pytest.fixture
def assigned_consultant(dealership):
    consultant = ConsultantFactory(email="consultant@example.com")
    AssignmentFactory(consultant=consultant, dealership=dealership)
    return consultant


@pytest.fixture
def unassigned_consultant(other_dealership):
    consultant = ConsultantFactory(email="elsewhere@example.com")
    AssignmentFactory(consultant=consultant, dealership=other_dealership)
    return consultant


@pytest.fixture
def network_manager(dealership, other_dealership):
    """Manages a network that holds ``dealership`` and ``other_dealership``: reads its
    figures, opens neither dealership."""
    network = NetworkFactory(name="Réseau Ouest", dealerships=[dealership, other_dealership])
    return NetworkManagerFactory(email="network@example.com", network=network)


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff@example.com")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def db_vendor(db) -> str:
    return connection.vendor


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per user; tests create many users and check no hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _two_factor_not_required(settings):
    # Page tests open sessions with ``force_login`` for every role; the rule that staff and
    # consultants turn TOTP on first has its own tests (tests/dealers/test_two_factor.py).
    settings.MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS = False


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached pages are keyed by data versions (counts, largest ids); SQLite hands the same
    # ids out again after each test's rollback, so a key could match another test's data.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
