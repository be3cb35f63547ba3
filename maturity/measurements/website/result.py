"""What a website check produces: one :class:`CheckResult` per check, in a measurement.

The shape of :meth:`WebsiteMeasurement.to_dict` is a contract: the ``check_website``
management command prints it as JSON and the app stores it beside the declared answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from maturity.engine.names import WEBSITE_CHECKS

# Every measurement has exactly these checks, in this order (the one list: names.py).
CHECK_KEYS: tuple[str, ...] = WEBSITE_CHECKS
EVIDENCE_MAX = 240


def shorten(text: str, limit: int = EVIDENCE_MAX) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


@dataclass(frozen=True)
class CheckResult:
    """``ok`` is True or False when measured, ``None`` when we could not tell."""

    ok: bool | None
    evidence: str
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "evidence", shorten(self.evidence))

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "evidence": self.evidence, "details": self.details}


@dataclass(frozen=True)
class WebsiteMeasurement:
    url: str
    final_url: str | None
    fetched_at: datetime
    # {"code": ..., "reason": ...} when the home page could not be read at all.
    error: dict[str, str] | None
    # One line per fetch attempt: url, kind, status, final_url, truncated, error.
    pages: list[dict[str, Any]]
    checks: dict[str, CheckResult]

    def __post_init__(self) -> None:
        if tuple(self.checks) != CHECK_KEYS:
            raise ValueError(f"checks must be exactly {', '.join(CHECK_KEYS)} in that order")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (what ``manage.py check_website URL --json`` prints)."""
        return {
            "url": self.url,
            "final_url": self.final_url,
            "fetched_at": self.fetched_at.isoformat(),
            "error": dict(self.error) if self.error else None,
            "pages": [dict(page) for page in self.pages],
            "checks": {key: result.to_dict() for key, result in self.checks.items()},
        }
