"""Version stamps are read once per request, together; the Redis cache keeps one client per connection pool."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from nyskap.core import versions
from nyskap.core.cache import RedisCache


def test_when_a_request_reads_stamps_then_one_round_trip_brings_them_all_and_a_bump_is_seen_at_once(monkeypatch):
    asked: list[list[str]] = []
    get_many = cache.get_many

    def counting_get_many(keys, *args, **kwargs):
        asked.append(list(keys))
        return get_many(keys, *args, **kwargs)

    keys = ("projects:library-version", "search:index-version", "organisations:county-choices-version")
    # Every stamp the apps registered exists already (as after the first request), so one round trip is enough.
    for key in dict.fromkeys([*keys, *versions._registered]):
        cache.set(key, f"stamp-of-{key}", None)
    monkeypatch.setattr(cache, "get_many", counting_get_many)
    seen: dict[str, str] = {}

    def view(request):
        seen["library"] = versions.current("projects:library-version")
        seen["index"] = versions.current("search:index-version")
        seen["counties"] = versions.current("organisations:county-choices-version")
        versions.bump("projects:library-version")
        seen["after"] = versions.current("projects:library-version")
        return HttpResponse("ok")

    versions.VersionStampsMiddleware(view)(RequestFactory().get("/"))
    assert len(asked) == 1
    assert {"projects:library-version", "search:index-version", "organisations:county-choices-version"} <= set(asked[0])
    assert seen["after"] != seen["library"]
    assert cache.get("projects:library-version") == seen["after"]
    # Outside a request every call reads the cache: a stamp changed elsewhere is seen at once.
    asked.clear()
    cache.set("search:index-version", "changed-elsewhere", None)
    assert versions.current("search:index-version") == "changed-elsewhere"
    assert asked == [["search:index-version"]]


def test_when_no_stamp_exists_yet_then_each_is_made_once_and_the_request_keeps_it():
    made = []

    def view(request):
        made.append(versions.current("search:index-version"))
        made.append(versions.current("projects:library-version"))
        made.append(versions.current("search:index-version"))
        return HttpResponse("ok")

    versions.VersionStampsMiddleware(view)(RequestFactory().get("/"))
    assert made[0] == made[2] == cache.get("search:index-version")
    assert made[1] == cache.get("projects:library-version")


def test_when_another_process_bumps_during_a_request_then_the_next_request_sees_it():
    stamps = []

    def view(request):
        stamps.append(versions.current("projects:library-version"))
        cache.set("projects:library-version", "bumped-by-another-process", None)
        stamps.append(versions.current("projects:library-version"))
        return HttpResponse("ok")

    middleware = versions.VersionStampsMiddleware(view)
    middleware(RequestFactory().get("/"))
    assert stamps[0] == stamps[1]  # one consistent set within the request
    middleware(RequestFactory().get("/"))
    assert stamps[2] == "bumped-by-another-process"


def test_when_the_redis_cache_is_used_then_one_client_serves_every_call():
    # The machine's Redis (127.0.0.1:6379) is part of the test set-up, as in CI.
    backend = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client
    backend.set("answer", {"value": 42}, 30)
    assert backend.get("answer") == {"value": 42}
    assert backend.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    backend.delete("answer")
    assert backend.get("answer") is None


def test_a_memo_computes_once_per_stamp_and_again_after_it_is_forgotten():
    calls: list[int] = []

    def compute() -> list[int]:
        calls.append(1)
        return [len(calls)]

    memo = versions.Memo(f"test:memo-{uuid.uuid4()}", compute)
    assert (memo(), memo(), len(calls)) == ([1], [1], 1)
    memo.forget()
    assert (memo(), memo(), len(calls)) == ([2], [2], 2)
    cache.delete(memo.key)  # another process's stamp (or an emptied cache) counts as a change too
    assert (memo(), len(calls)) == ([3], 3)
