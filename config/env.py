"""Typed helpers to read settings from the environment (the healthchecks way)."""

from __future__ import annotations

import os

# The limits of Django's deployment check (security.W009): production refuses such keys at start.
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperlyConfiguredEnv(RuntimeError):
    """An environment variable is missing or malformed: fail at start, loudly."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfiguredEnv(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name} must be an integer, not {value!r}.") from None


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (compared in lower case); anything else stops the start."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered not in choices:
        raise ImproperlyConfiguredEnv(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return lowered


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key_weakness(key: str, *, development_key: str) -> str | None:
    """Why ``key`` is too weak for production (as ``check --deploy`` sees it), or None."""
    if key == development_key:
        return "it is the development key"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, at least {SECRET_KEY_MIN_LENGTH} are needed"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return (
            f"it has {len(set(key))} different characters, "
            f"at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} are needed"
        )
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"it starts with {SECRET_KEY_INSECURE_PREFIX!r} (a generated development key)"
    return None


def env_secret_key(name: str, *, debug: bool, development_key: str) -> str:
    """The secret key: the development one under DEBUG, else a strong one or a failed start."""
    if debug:
        return env_str(name, development_key)
    key = env_str(name, "")
    if not key:
        raise ImproperlyConfiguredEnv(f"{name} is required when DEBUG is off.")
    weakness = secret_key_weakness(key, development_key=development_key)
    if weakness:
        raise ImproperlyConfiguredEnv(
            f"{name} is too weak for DEBUG off: {weakness}. Generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    return key
