from config.cache import TolerantRedisCache


def test_it_treats_an_unreachable_redis_as_an_empty_cache():
    cache = TolerantRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )
    cache.set("key", "value")  # no error
    assert cache.get("key", "missing") == "missing"
    assert cache.delete("key") is False


def test_it_lets_counters_through_when_redis_is_unreachable():
    cache = TolerantRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )
    assert cache.add("counter", 0) is False
    assert cache.incr("counter") == 1  # counted from nothing: a throttle lets it through
