"""Version stamps in the shared cache: whatever is cached under a stamp goes stale, all at once, when it changes."""

from __future__ import annotations

import time

from django.core.cache import cache


def current(key: str) -> str:
    """The stamp under `key`, made on first use (the first writer wins when several processes race)."""
    version = cache.get(key)
    if version is None:
        cache.add(key, str(time.time_ns()), None)
        version = cache.get(key)
    return str(version)


def bump(key: str) -> None:
    cache.set(key, str(time.time_ns()), None)
