"""Helpers shared by the content loaders: a strict YAML reader and a problem collector.

The collector walks raw data (as parsed from YAML or JSON) and records every problem
with the path of the offending node (``areas[2].questions[4].scale.points``), the key of
the enclosing object (a question key, an action key) and a plain-words description, so a
content author can fix all of them in one go.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .definition import Text

KEY_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Problem:
    path: str  # where in the file, e.g. "areas[2].questions[4].show_if"
    key: str | None  # the key of the enclosing object, e.g. "reviews_reply_speed"
    message: str

    def __str__(self) -> str:
        where = self.path or "(top level)"
        if self.key:
            where = f"{where} ({self.key})"
        return f"{where}: {self.message}"


class ContentError(ValueError):
    """Malformed content: ``problems`` lists every problem found, in file order."""

    def __init__(self, source: str, problems: Iterable[Problem]):
        self.source = source
        self.problems: tuple[Problem, ...] = tuple(problems)
        if len(self.problems) == 1:
            text = f"{source}: {self.problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            text = f"{source}: {len(self.problems)} problems:\n{lines}"
        super().__init__(text)


# --- strict YAML -------------------------------------------------------------------------


# libyaml's parser when PyYAML was built with it (10x faster); the same rules either way.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader that refuses duplicate mapping keys and reads only true/false as booleans.

    YAML 1.1 (PyYAML's default) reads ``yes``/``no``/``on``/``off`` as booleans, which would
    turn the option keys ``yes`` and ``no`` into ``True`` and ``False``.
    """

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:
                    continue  # unhashable: the base class reports it
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key {key!r}",
                        key_node.start_mark,
                    )
        return super().construct_mapping(node, deep=deep)


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def read_yaml(path: str | Path, error_class: type[ContentError]) -> tuple[Any, str]:
    """Read a YAML file strictly; returns ``(data, source)``."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error_class(source, [Problem("", None, f"cannot read the file: {exc}")]) from exc
    try:
        data = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    except yaml.YAMLError as exc:
        raise error_class(source, [Problem("", None, f"invalid YAML: {exc}")]) from exc
    return data, source


def content_hash(data: Any) -> str:
    """sha256 of the canonical JSON of ``data`` (sorted keys, no whitespace, UTF-8)."""
    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- the collector -----------------------------------------------------------------------

MISSING = object()


def is_number(value: Any) -> bool:
    """A finite int or float (not a bool); an int too big for a float is still a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field


class Checker:
    """Collects problems while reading raw content."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: str, key: str | None, message: str) -> None:
        self.problems.append(Problem(path, key, message))

    def fields(
        self,
        value: Any,
        path: str,
        key: str | None,
        *,
        required: Iterable[str],
        optional: Iterable[str] = (),
        what: str = "",
    ) -> dict | None:
        """Check that ``value`` is a mapping with these fields and no others."""
        if not isinstance(value, dict):
            self.error(path, key, f"expected a mapping, got {describe(value)}")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        for name in required:
            if name not in value:
                self.error(path, key, f"missing field '{name}'")
        for name in value:
            if name not in allowed:
                suffix = f" for {what}" if what else ""
                expected = ", ".join(sorted(allowed))
                self.error(path, key, f"unknown field '{name}'{suffix} (allowed: {expected})")
        return value  # the caller reads the known fields: nested problems are reported too

    def text(self, value: Any, path: str, key: str | None) -> Text | None:
        if not isinstance(value, dict):
            self.error(path, key, f"expected a text {{fr: ..., en: ...}}, got {describe(value)}")
            return None
        ok = True
        for lang in ("fr", "en"):
            item = value.get(lang, MISSING)
            if item is MISSING:
                self.error(path, key, f"missing '{lang}' text")
                ok = False
            elif not isinstance(item, str):
                self.error(join(path, lang), key, f"expected a text, got {describe(item)}")
                ok = False
            elif not item.strip():
                self.error(join(path, lang), key, "empty text")
                ok = False
        for lang in value:
            if lang not in ("fr", "en"):
                self.error(path, key, f"unknown language '{lang}' (allowed: en, fr)")
                ok = False
        return Text(fr=value["fr"], en=value["en"]) if ok else None

    def string(self, value: Any, path: str, key: str | None) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.error(path, key, f"expected a non-empty text, got {describe(value)}")
            return None
        return value

    def ident(self, value: Any, path: str, key: str | None, what: str = "key") -> str | None:
        if not isinstance(value, str):
            self.error(path, key, f"expected a {what} (snake_case text), got {describe(value)}")
            return None
        if not KEY_RE.match(value):
            self.error(path, key, f"{what} '{value}' is not snake_case (a-z, 0-9, _)")
            return None
        return value

    def boolean(self, value: Any, path: str, key: str | None) -> bool | None:
        if not isinstance(value, bool):
            self.error(path, key, f"expected true or false, got {describe(value)}")
            return None
        return value

    def number(
        self,
        value: Any,
        path: str,
        key: str | None,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        positive: bool = False,
        integer: bool = False,
    ) -> float | None:
        if not is_number(value) or (integer and not isinstance(value, int)):
            kind = "a whole number" if integer else "a number"
            self.error(path, key, f"expected {kind}, got {describe(value)}")
            return None
        if positive and value <= 0:
            self.error(path, key, f"must be greater than 0, got {value}")
            return None
        if minimum is not None and value < minimum:
            self.error(path, key, f"must be at least {minimum:g}, got {value}")
            return None
        if maximum is not None and value > maximum:
            self.error(path, key, f"must be at most {maximum:g}, got {value}")
            return None
        return value

    def items(self, value: Any, path: str, key: str | None, *, non_empty: bool = True) -> list:
        if not isinstance(value, list):
            self.error(path, key, f"expected a list, got {describe(value)}")
            return []
        if non_empty and not value:
            self.error(path, key, "must not be empty")
        return value
