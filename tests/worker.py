"""A real Celery worker process for tests that must not rely on eager mode.

The worker uses the same broker as the test process and the *test* database, so tests
that use it need committed data (``transactional_db``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@contextmanager
def running_worker(
    *, extra_env: dict[str, str] | None = None, timeout: float = 30
) -> Iterator[subprocess.Popen]:
    """Start ``celery worker``, wait until it answers a ping, stop it afterwards."""
    app.control.purge()  # messages left by an earlier, interrupted run
    env = {**os.environ, "DATABASE_URL": _test_database_url(), **(extra_env or {})}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"The worker exited early:\n{process.stdout.read()}")
            if app.control.ping(timeout=0.5):
                break
        else:
            raise RuntimeError("The worker did not answer within the time limit.")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
