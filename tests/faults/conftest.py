"""Fixtures for the fault tests (Reliability): private services, real processes.

Session-wide: one private PostgreSQL cluster, a migrated and seeded template database,
and the collected static files. Per test: a database cloned from the template, a private
Redis, a media folder; the test starts gunicorn and the Celery worker it needs, kills or
stops what it wants, and everything it started is stopped afterwards, pass or fail.
Nothing here ever touches the machine's PostgreSQL or Redis.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.stack import (
    PrivateCluster,
    PrivateRedis,
    Stack,
    app_environment,
    postgres_bin_dir,
    run_python,
)

TEMPLATE = "faults_template"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"faults_{report.when}", report)
    return report


def _missing_tools() -> str | None:
    if postgres_bin_dir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' system user for initdb"
        if shutil.which("runuser") is None:
            return "running as root without runuser to start PostgreSQL as 'postgres'"
    return None


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PrivateCluster]:
    missing = _missing_tools()
    if missing:
        pytest.skip(f"fault tests need their own services: {missing}")
    PrivateCluster.remove_orphans(postgres_bin_dir())
    cluster = PrivateCluster(postgres_bin_dir())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def app_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Static files collected once (DEBUG=0 needs WhiteNoise's manifest)."""
    directory = tmp_path_factory.mktemp("faults-static")
    env = app_environment(database_url="sqlite://", broker_url="memory://", directory=directory)
    run_python(
        ["manage.py", "collectstatic", "--noinput", "--settings=tests.faults.static_settings"],
        env=env,
    )
    return directory / "static"


@pytest.fixture(scope="session")
def template_database(pg_cluster: PrivateCluster, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Migrate and seed once; each test gets a copy (CREATE DATABASE ... TEMPLATE)."""
    pg_cluster.execute(f"CREATE DATABASE {TEMPLATE}")
    env = app_environment(
        database_url=pg_cluster.url(TEMPLATE),
        broker_url="memory://",
        directory=tmp_path_factory.mktemp("faults-seed"),
    )
    run_python(["manage.py", "migrate", "--noinput"], env=env, timeout=180)
    out = run_python(["-m", "tests.faults.seed"], env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def stack(
    request: pytest.FixtureRequest,
    pg_cluster: PrivateCluster,
    template_database: dict,
    app_files: Path,
    tmp_path: Path,
) -> Iterator[Stack]:
    database = f"faults_{uuid.uuid4().hex[:12]}"
    pg_cluster.execute(f"CREATE DATABASE {database} TEMPLATE {TEMPLATE}")
    (tmp_path / "static").symlink_to(app_files, target_is_directory=True)
    redis = PrivateRedis(tmp_path / "redis")
    stack = Stack(
        cluster=pg_cluster,
        database=database,
        redis=redis,
        directory=tmp_path,
        seed=template_database,
    )
    try:
        redis.start()
        yield stack
    finally:
        failed = any(
            getattr(getattr(request.node, f"faults_{when}", None), "failed", False)
            for when in ("setup", "call")
        )
        if failed:
            print(stack.logs())  # shown under "Captured stdout teardown"
        try:
            stack.close()
        finally:
            # A test that stopped PostgreSQL may have failed before starting it again.
            if not pg_cluster.running():
                pg_cluster.start()
            pg_cluster.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
