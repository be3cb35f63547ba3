"""Host lists of the website check: manufacturer dealer locators and marketplaces.

A dealership that gives a page on ``concessions.citroen.fr`` or a shop on ``leboncoin.fr``
as its website has no site of its own: the ``own_domain`` check says so and names the kind.
The lists are content (``maturity/content/website_hosts.yaml``) so they grow without code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_HOSTS_FILE = Path(__file__).resolve().parents[2] / "content" / "website_hosts.yaml"

MANUFACTURER_LOCATOR = "manufacturer_locator"
MARKETPLACE = "marketplace"
# YAML key -> kind reported in the check's details.
_KEYS = {"manufacturer_locators": MANUFACTURER_LOCATOR, "marketplaces": MARKETPLACE}
_HOST = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")


class HostListError(ValueError):
    """A malformed host list file; the message names the file and the key."""


@dataclass(frozen=True)
class HostMatch:
    kind: str  # MANUFACTURER_LOCATOR or MARKETPLACE
    suffix: str  # the list entry that matched


@dataclass(frozen=True)
class HostLists:
    manufacturer_locators: tuple[str, ...] = ()
    marketplaces: tuple[str, ...] = ()

    def classify(self, host: str) -> HostMatch | None:
        """The list ``host`` belongs to (suffix on label boundaries), or ``None``."""
        host = host.lower().rstrip(".")
        for kind, suffixes in (
            (MANUFACTURER_LOCATOR, self.manufacturer_locators),
            (MARKETPLACE, self.marketplaces),
        ):
            for suffix in suffixes:
                if host == suffix or host.endswith("." + suffix):
                    return HostMatch(kind=kind, suffix=suffix)
        return None


def _hosts(source: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise HostListError(f"{source}: {key}: expected a list of host names")
    hosts: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not _HOST.match(item.strip()):
            raise HostListError(
                f"{source}: {key}[{index}]: {item!r} is not a lower-case host name "
                "(no scheme, no path, at least two labels)"
            )
        hosts.append(item.strip())
    return tuple(hosts)


def host_lists_from_data(data: Any, *, source: str = "host lists") -> HostLists:
    """Validate already-parsed YAML data (both keys required, nothing else)."""
    if not isinstance(data, dict):
        raise HostListError(f"{source}: expected a mapping with {', '.join(_KEYS)}")
    unknown = sorted(str(key) for key in data if key not in _KEYS)
    if unknown:
        raise HostListError(f"{source}: {unknown[0]}: unknown key (expected {', '.join(_KEYS)})")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _KEYS:
        if key not in data:
            raise HostListError(f"{source}: {key}: missing")
        lists[key] = _hosts(source, key, data[key])
    return HostLists(**lists)


def load_host_lists(path: str | Path = DEFAULT_HOSTS_FILE) -> HostLists:
    """Read and validate a host list file; :class:`HostListError` names what is wrong."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise HostListError(f"{path.name}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise HostListError(f"{path.name}: not valid YAML: {exc}") from exc
    return host_lists_from_data(data, source=path.name)
