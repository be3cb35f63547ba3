"""Fixtures of the measured feature's tests: the loopback fixture web, used by the app."""

from __future__ import annotations

import pytest

from tests.measurements.conftest import hosts, web  # noqa: F401  (shared fixtures)
from tests.measurements.sites import FixtureWeb


@pytest.fixture
def fixture_web(web: FixtureWeb, monkeypatch: pytest.MonkeyPatch) -> FixtureWeb:  # noqa: F811
    """The website check of the app (service, task, command) reads the fixture sites."""
    monkeypatch.setattr("maturity.measured.services.outgoing_policy", lambda: web.loopback_policy())
    return web
