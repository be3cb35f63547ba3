"""Production settings refuse to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_fails_at_start_without_a_secret_key_when_debug_is_off():
    result = _load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_it_starts_with_a_secret_key_when_debug_is_off():
    assert _load_settings(DEBUG="0", SECRET_KEY="x" * 50).returncode == 0


def test_it_refuses_private_outgoing_requests_in_production_unless_forced():
    production = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "OUTGOING_ALLOW_PRIVATE": "1"}
    refused = _load_settings(**production)
    assert refused.returncode != 0
    assert "OUTGOING_ALLOW_PRIVATE=1" in refused.stderr
    assert _load_settings(**production, OUTGOING_ALLOW_PRIVATE_FORCE="1").returncode == 0
    assert _load_settings(OUTGOING_ALLOW_PRIVATE="1").returncode == 0  # DEBUG=1


def test_it_refuses_a_malformed_boolean():
    result = _load_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_it_passes_the_deployment_checklist_with_production_settings():
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser test modules (Playwright) when collected.
    test_only = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in test_only}
    env = {
        **clean,
        "DEBUG": "0",
        "SECRET_KEY": "k3J9-q8ZrT5vX2mW7pL4nB6yH1cF0dS8aG3jK5tR9uE2wQ7zX4vM1nP6bL8yT3hJ",
        "ALLOWED_HOSTS": "maturite.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
