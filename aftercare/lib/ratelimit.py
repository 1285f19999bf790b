"""Fixed-window rate limits on the configured cache (local memory, or Redis when scaled out)."""

import hashlib

from django.core.cache import cache


def rate_limit_hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; True while the window has room, False past `limit`."""
    # Hashed: keys hold user input (emails), which memcached and Redis keys must not carry raw.
    cache_key = "ratelimit:" + hashlib.sha256(key.encode()).hexdigest()
    # add() opens a window only when none is open, so the count resets once it expires.
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        attempts = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=window_seconds)
        attempts = 1
    return attempts <= limit


def client_ip(request) -> str:
    """The peer address; behind a proxy, run uvicorn with --proxy-headers so this is the client."""
    return request.META.get("REMOTE_ADDR") or "unknown"
