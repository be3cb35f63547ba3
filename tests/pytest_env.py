"""Loaded with ``-p tests.pytest_env`` before Django starts: test-only environment.

The filesystem broker gets its own folder so that a ``make run`` worker never picks up
a message sent by a test (and the reverse).

Under pytest-xdist every worker process (``gw0``, ``gw1``, ...) gets its own broker
folder, result folder and Redis database index: a Celery worker started by one test
process must never consume the messages of another, and the key clean-up of one process
must not delete the keys another is still using. pytest-django already gives each
worker its own test database (``test_<name>_gwN``).
"""

import os
import re
from pathlib import Path

_VAR = Path(os.environ.get("VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"... or "" without xdist
_INDEX = int(_WORKER[2:]) if _WORKER.startswith("gw") and _WORKER[2:].isdigit() else 0
_SUFFIX = f"-{_WORKER}" if _WORKER else ""


def _shifted_redis_url(url: str, shift: int) -> str:
    """``redis://host:port/1`` becomes ``redis://host:port/<1 + shift>`` (db 0 if absent)."""
    match = re.fullmatch(r"(redis://[^/?#]+)(?:/(\d*))?(.*)", url)
    if not match or shift == 0:
        return url
    base, db, rest = match.groups()
    return f"{base}/{int(db or 0) + shift}{rest}"


os.environ.setdefault("CELERY_BROKER_DIR", str(_VAR / f"test-broker{_SUFFIX}"))
os.environ.setdefault("CELERY_RESULT_BACKEND_DIR", str(_VAR / f"test-results{_SUFFIX}"))
for _name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL"):
    _value = os.environ.get(_name, "")
    if _value.startswith("redis://"):
        os.environ[_name] = _shifted_redis_url(_value, _INDEX)
