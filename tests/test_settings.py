"""Production settings refuse to start without a secret key, or with a weak one."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


STRONG_KEY = "k3J9-q8ZrT5vX2mW7pL4nB6yH1cF0dS8aG3jK5tR9uE2wQ7zX4vM1nP6bL8yT3hJ"


def test_it_starts_with_a_secret_key_when_debug_is_off():
    result = _load_settings(DEBUG="0", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (" " * 40, "40 characters"),
        ("x" * 60, "1 different characters"),
        ("abcd" * 20, "4 different characters"),
        ("k3J9-q8ZrT5vX2mW7pL4nB6yH1cF0dS8aG3jK5tR9uE2w", "45 characters"),
        ("django-insecure-" + STRONG_KEY, "starts with 'django-insecure-'"),
        ("insecure-development-key-only-for-debug", "the development key"),
    ],
)
def test_it_refuses_a_weak_secret_key_when_debug_is_off(key, reason):
    result = _load_settings(DEBUG="0", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for DEBUG off" in result.stderr
    assert reason in result.stderr


def test_it_refuses_every_key_the_deployment_check_flags():
    from django.core.checks.security.base import _check_secret_key

    from config.env import secret_key_weakness

    for key in ["", " " * 40, "a" * 49, "ab" * 30, "django-insecure-" + STRONG_KEY, STRONG_KEY]:
        refused = secret_key_weakness(key, development_key="dev") is not None
        assert refused == (not _check_secret_key(key)), key


def test_it_keeps_the_development_key_when_debug_is_on():
    assert _load_settings(DEBUG="1").returncode == 0


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
        "SECRET_KEY": STRONG_KEY,
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
