"""Fixtures of the measurement tests: the loopback fixture web and the shipped host lists.

Plain pytest: nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from maturity.measurements.website import HostLists, load_host_lists
from tests.measurements.sites import FixtureWeb


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureWeb]:
    server = FixtureWeb(tmp_path_factory.mktemp("fixture-sites"))
    yield server
    server.close()


@pytest.fixture
def fresh_web(web: FixtureWeb) -> FixtureWeb:
    """The fixture web with an empty request log, for tests that assert on requests."""
    web.reset()
    return web


@pytest.fixture(scope="session")
def hosts() -> HostLists:
    return load_host_lists()
