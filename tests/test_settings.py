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


def test_it_refuses_private_outgoing_requests_in_production_unless_forced():
    production = {"DEBUG": "0", "SECRET_KEY": STRONG_KEY, "OUTGOING_ALLOW_PRIVATE": "1"}
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


def test_it_refuses_a_heartbeat_stale_delay_shorter_than_three_beats():
    result = _load_settings(REPORTS_HEARTBEAT_SECONDS="20", REPORTS_HEARTBEAT_STALE_AFTER="30")
    assert result.returncode != 0
    assert "REPORTS_HEARTBEAT_STALE_AFTER must be at least 3 x" in result.stderr
    assert _load_settings(REPORTS_HEARTBEAT_SECONDS="10").returncode == 0


def _setting(name: str, **env: str) -> str:
    """The value of setting ``name`` (its repr) when the settings load with ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", *env}}
    code = f"import config.settings as s; print(repr(s.{name}))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_it_reads_the_report_retention_in_days_and_refuses_a_negative_one():
    assert _setting("REPORT_RETENTION_DAYS") == "90"
    assert _setting("REPORT_RETENTION_DAYS", REPORT_RETENTION_DAYS="7") == "7"
    refused = _load_settings(REPORT_RETENTION_DAYS="-1")
    assert refused.returncode != 0
    assert "REPORT_RETENTION_DAYS must be 0" in refused.stderr


def test_with_debug_e_mails_are_files_under_var_mail(tmp_path):
    filebased = "'django.core.mail.backends.filebased.EmailBackend'"
    assert _setting("EMAIL_BACKEND", DEBUG="1") == filebased
    assert _setting("EMAIL_FILE_PATH", DEBUG="1", VAR_DIR=str(tmp_path)) == repr(tmp_path / "mail")
    # Without DEBUG: the console, until EMAIL_BACKEND says otherwise; the variable wins.
    production = {"DEBUG": "0", "SECRET_KEY": STRONG_KEY}
    assert _setting("EMAIL_BACKEND", **production) == (
        "'django.core.mail.backends.console.EmailBackend'"
    )
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert _setting("EMAIL_BACKEND", DEBUG="1", EMAIL_BACKEND=smtp) == repr(smtp)


def test_a_development_e_mail_is_written_to_a_file(tmp_path):
    code = (
        "import django; django.setup(); from django.core.mail import send_mail; "
        "send_mail('Sujet', 'Corps', 'a@example.com', ['b@example.com'])"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "EMAIL_BACKEND"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DEBUG": "1",
            "VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Sujet" not in result.stdout  # not on the console
    (written,) = (tmp_path / "mail").iterdir()
    assert "Subject: Sujet" in written.read_text()
