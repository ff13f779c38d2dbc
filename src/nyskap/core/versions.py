"""Version stamps in the shared cache: whatever is cached under a stamp goes stale, all at once, when it changes.

Within a request the stamps are read once, together: the first stamp a request asks for brings every registered
stamp in one cache round trip (`VersionStampsMiddleware`), and the request then sees one consistent set. A stamp
bumped during the request is seen at once by that request; a bump by another process is seen from the next request.
Outside a request (commands, tasks) every call reads the cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

_registered: list[str] = []
_request_stamps: ContextVar[dict[str, str] | None] = ContextVar("version_stamps", default=None)


def register(key: str) -> str:
    """Declare a stamp, so requests fetch it with the others in one round trip; returns the key."""
    if key not in _registered:
        _registered.append(key)
    return key


def current(key: str) -> str:
    """The stamp under `key`, made on first use (the first writer wins when several processes race)."""
    stamps = _request_stamps.get()
    if stamps is not None and key in stamps:
        return stamps[key]
    wanted = [key] if stamps is None else list(dict.fromkeys([key, *_registered]).keys() - stamps.keys())
    found = cache.get_many(wanted)
    missing = [name for name in wanted if name not in found]
    if missing:
        for name in missing:
            cache.add(name, str(time.time_ns()), None)
        found.update(cache.get_many(missing))
    if stamps is not None:
        stamps.update({name: str(value) for name, value in found.items()})
    return str(found[key])


def bump(key: str) -> None:
    stamp = str(time.time_ns())
    cache.set(key, stamp, None)
    stamps = _request_stamps.get()
    if stamps is not None:
        stamps[key] = stamp


class Memo[T]:
    """A value kept in each process under the stamp ``key``: computed once per process and stamp, and again after
    `bump` (reads that change only with an import or a reference-data load; callers copy what they hand out)."""

    def __init__(self, key: str, compute: Callable[[], T]) -> None:
        self.key = register(key)
        self.compute = compute
        self._kept: tuple[str, T] | None = None

    def __call__(self) -> T:
        stamp = current(self.key)
        kept = self._kept
        if kept is None or kept[0] != stamp:
            kept = (stamp, self.compute())
            self._kept = kept
        return kept[1]

    def forget(self, **_kwargs: object) -> None:
        bump(self.key)


class VersionStampsMiddleware:
    """Gives each request its own set of stamps, read at most once (see the module's text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_stamps.set({})
        try:
            return self.get_response(request)
        finally:
            _request_stamps.reset(token)
