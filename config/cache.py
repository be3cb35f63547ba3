"""A Redis cache that degrades to "no cache" when Redis is unreachable.

The cache only saves work (portfolio aggregates): when Redis is down or frozen, pages
are computed instead of failing. Django's own Redis backend raises on connection errors.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class TolerantRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except _UNREACHABLE:
            logger.warning("Cache unreachable: computing instead", exc_info=True)
            return default

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except _UNREACHABLE:
            logger.warning("Cache unreachable: computing instead", exc_info=True)
            return False

    def set(self, key: Any, value: Any, timeout: Any = ..., version: int | None = None) -> None:
        kwargs = {} if timeout is ... else {"timeout": timeout}
        try:
            super().set(key, value, version=version, **kwargs)
        except _UNREACHABLE:
            logger.warning("Cache unreachable: value not kept", exc_info=True)

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except _UNREACHABLE:
            logger.warning("Cache unreachable: nothing deleted", exc_info=True)
            return False

    def add(self, key: Any, value: Any, timeout: Any = ..., version: int | None = None) -> bool:
        kwargs = {} if timeout is ... else {"timeout": timeout}
        try:
            return super().add(key, value, version=version, **kwargs)
        except _UNREACHABLE:
            logger.warning("Cache unreachable: value not added", exc_info=True)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """A counter (a request throttle) starts from nothing while Redis is unreachable:
        requests are let through rather than refused."""
        try:
            return super().incr(key, delta, version)
        except _UNREACHABLE:
            logger.warning("Cache unreachable: counter not kept", exc_info=True)
            return delta
