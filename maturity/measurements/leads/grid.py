"""The published quality grid of lead-response tests, read from a content file.

``maturity/content/lead_grid.yaml`` lists the items a first human reply is checked against
(question answered, appointment or call proposed, named contact, follow-up within 48 h),
their points and the delay after which a test without reply counts as unanswered. The file
is validated when it is loaded: a wrong key, a missing label or points that are not a
positive whole number stop the load with a message that names the place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

DEFAULT_GRID_FILE = Path(__file__).resolve().parents[2] / "content" / "lead_grid.yaml"
LANGUAGES = ("fr", "en")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

State = Literal["answered", "waiting", "unanswered"]


class GridError(ValueError):
    """A malformed grid file; the message names the file and the place."""


@dataclass(frozen=True, slots=True)
class GridItem:
    key: str
    points: int
    label: dict[str, str]


@dataclass(frozen=True, slots=True)
class LeadGrid:
    version: str
    no_reply_after: timedelta
    items: tuple[GridItem, ...]

    @property
    def total(self) -> int:
        return sum(item.points for item in self.items)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    def score(self, met: Iterable[str]) -> int:
        """Points of the items met out of the grid's total, as 0..100 (unknown keys, from
        an older grid, count nothing)."""
        met = set(met)
        points = sum(item.points for item in self.items if item.key in met)
        return round(100 * points / self.total)

    def state(self, *, sent_at: datetime, replied_at: datetime | None, now: datetime) -> State:
        """``answered``; ``waiting`` while the delay runs; then ``unanswered``."""
        if replied_at is not None:
            return "answered"
        return "unanswered" if now - sent_at >= self.no_reply_after else "waiting"


def _label(source: str, where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise GridError(f"{source}: {where}.label: expected a mapping of fr and en")
    label = {}
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            raise GridError(f"{source}: {where}.label.{language}: missing")
        label[language] = text.strip()
    unknown = sorted(str(key) for key in value if key not in LANGUAGES)
    if unknown:
        raise GridError(f"{source}: {where}.label.{unknown[0]}: unknown language")
    return label


def grid_from_data(data: Any, *, source: str = "lead grid") -> LeadGrid:
    """Validate already-parsed YAML data."""
    if not isinstance(data, dict):
        raise GridError(f"{source}: expected a mapping with version, no_reply_after_hours, items")
    unknown = sorted(str(k) for k in data if k not in ("version", "no_reply_after_hours", "items"))
    if unknown:
        raise GridError(f"{source}: {unknown[0]}: unknown key")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise GridError(f'{source}: version: missing (a string such as "2026.1")')
    hours = data.get("no_reply_after_hours")
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= 24 * 30:
        raise GridError(f"{source}: no_reply_after_hours: a whole number of hours, 1 to 720")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise GridError(f"{source}: items: expected a non-empty list")
    items: list[GridItem] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_items):
        where = f"items[{index}]"
        if not isinstance(raw, dict):
            raise GridError(f"{source}: {where}: expected a mapping with key, points, label")
        extra = sorted(str(k) for k in raw if k not in ("key", "points", "label"))
        if extra:
            raise GridError(f"{source}: {where}.{extra[0]}: unknown key")
        key = raw.get("key")
        if not isinstance(key, str) or not _KEY.match(key):
            raise GridError(f"{source}: {where}.key: {key!r} is not a lower-case key")
        if key in seen:
            raise GridError(f"{source}: {where}.key: {key} appears twice")
        seen.add(key)
        points = raw.get("points")
        if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 100:
            raise GridError(f"{source}: {where}.points: a whole number from 1 to 100")
        items.append(
            GridItem(key=key, points=points, label=_label(source, where, raw.get("label")))
        )
    return LeadGrid(
        version=version.strip(), no_reply_after=timedelta(hours=hours), items=tuple(items)
    )


def load_grid(path: Path = DEFAULT_GRID_FILE) -> LeadGrid:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise GridError(f"{path.name}: not valid YAML ({error})") from None
    return grid_from_data(data, source=path.name)


@cache
def current_grid() -> LeadGrid:
    """The published grid (read once per process)."""
    return load_grid()
