"""Loaded with ``-p tests.pytest_env`` before Django starts: test-only environment.

The filesystem broker gets its own folder so that a ``make run`` worker never picks up
a message sent by a test (and the reverse).
"""

import os
from pathlib import Path

_VAR = Path(os.environ.get("VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
os.environ.setdefault("CELERY_BROKER_DIR", str(_VAR / "test-broker"))
os.environ.setdefault("CELERY_RESULT_BACKEND_DIR", str(_VAR / "test-results"))
