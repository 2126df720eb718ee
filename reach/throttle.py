"""Counting requests in fixed windows in the cache (Redis in production), for limits that
need not survive a restart: per address and per number, next to the counts kept in the
database (reach.verification) for those that must."""

from django.core.cache import cache

PREFIX = "reach:throttle:"


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more request of `key` in its window; False once more than `limit` came."""
    full = PREFIX + key
    if cache.add(full, 1, seconds):
        return limit >= 1
    try:
        count = cache.incr(full)
    except ValueError:
        # The window ended between add() and incr(): this request opens the next one.
        cache.set(full, 1, seconds)
        count = 1
    return count <= limit


def exhausted(key: str, *, limit: int) -> bool:
    """Whether `key` has used up its window, without counting a request."""
    return (cache.get(PREFIX + key) or 0) >= limit


def reset(key: str) -> None:
    cache.delete(PREFIX + key)


def client_ip(request) -> str | None:
    """The client's address as django-axes reads it (its proxy settings apply)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request)
