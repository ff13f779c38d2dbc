"""The rate limit on anonymous API writes (nyskap.api.throttling): every write an anonymous caller can reach has
it, it refuses with 429 in the API's error shape and Retry-After, and callers with a token or a session are not
counted by it."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver

from nyskap.api.api import api
from nyskap.api.models import ApiToken
from nyskap.api.throttling import AnonymousWriteThrottle

WRITES = {"POST", "PUT", "PATCH", "DELETE"}

# Every anonymous write, with a body it accepts or refuses (the limit counts refusals too).
ANONYMOUS_WRITES = {
    "/api/v1/surveys/respond/no-such-link": {"answers": {}},
    "/api/v1/surveys/resume/no-such-secret": {"answers": {}},
    "/api/v1/benefits/calculate": {},
    "/api/v1/projects/similar": {"text": "Digital postkasse for innbyggere"},
    "/api/v1/trials/effect": {},
    "/api/v1/barometer/estimate": {},
    "/api/v1/procurement/classify": {"notices": []},
}
SIGNED_IN_BY_SESSION = {"/api/v1/surveys/respond/no-such-link", "/api/v1/surveys/resume/no-such-secret"}


def _allows_anonymous(operation) -> bool:
    """No auth at all, or an auth (the optional token) that lets a request without a token through."""
    if not operation.auth_callbacks:
        return True
    return any(callback(RequestFactory().post("/")) for callback in operation.auth_callbacks)


def _anonymous_writes() -> list[tuple[str, object]]:
    get_resolver().url_patterns  # noqa: B018 (the URLconf mounts the routers)
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if set(operation.methods) & WRITES and _allows_anonymous(operation):
                    found.append((f"{prefix}{path}", operation))
    return found


@pytest.mark.django_db
def test_when_the_api_is_built_then_every_anonymous_write_has_the_anonymous_limit():
    writes = _anonymous_writes()
    assert sorted(path for path, _operation in writes) == [
        "/barometer/estimate",
        "/benefits/calculate",
        "/procurement/classify",
        "/projects/similar",
        "/surveys/respond/{token}",
        "/surveys/resume/{secret}",
        "/trials/effect",
    ]
    unlimited = [
        path
        for path, operation in writes
        if not any(isinstance(t, AnonymousWriteThrottle) for t in operation.throttle_objects)
    ]
    assert unlimited == []


def _post(client: Client, path: str, **headers):
    return client.post(path, ANONYMOUS_WRITES[path], content_type="application/json", **headers)


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(ANONYMOUS_WRITES))
def test_when_an_anonymous_client_writes_too_often_then_429_with_retry_after(settings, path):
    settings.API_ANONYMOUS_WRITE_RATE = "2/min"
    client = Client()
    assert [_post(client, path).status_code != 429 for _ in range(2)] == [True, True]
    refused = _post(client, path)
    assert refused.status_code == 429
    assert refused.json() == {
        "status": 429,
        "code": "too_many_requests",
        "message": "Too many requests.",
        "errors": [],
    }
    assert 1 <= int(refused["Retry-After"]) <= 60


@pytest.mark.django_db
def test_when_one_operation_is_used_up_then_another_still_answers(settings):
    settings.API_ANONYMOUS_WRITE_RATE = "1/min"
    client = Client()
    assert _post(client, "/api/v1/benefits/calculate").status_code != 429
    assert _post(client, "/api/v1/benefits/calculate").status_code == 429
    assert _post(client, "/api/v1/projects/similar").status_code != 429


@pytest.mark.django_db
def test_when_another_address_writes_then_it_has_its_own_count(settings):
    settings.API_ANONYMOUS_WRITE_RATE = "1/min"
    path = "/api/v1/benefits/calculate"
    assert _post(Client(REMOTE_ADDR="192.0.2.1"), path).status_code != 429
    assert _post(Client(REMOTE_ADDR="192.0.2.1"), path).status_code == 429
    assert _post(Client(REMOTE_ADDR="192.0.2.2"), path).status_code != 429


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(set(ANONYMOUS_WRITES) - SIGNED_IN_BY_SESSION))
def test_when_a_token_user_writes_often_then_the_anonymous_limit_does_not_apply(settings, innovator, path):
    settings.API_ANONYMOUS_WRITE_RATE = "1/min"
    _token, raw = ApiToken.issue(user=innovator, name="grense")
    client = Client()
    statuses = [_post(client, path, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code for _ in range(3)]
    assert 429 not in statuses and 401 not in statuses
    assert _post(client, path).status_code != 429  # the anonymous count is fresh: the token calls were not in it
    assert _post(client, path).status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(ANONYMOUS_WRITES))
def test_when_a_signed_in_user_writes_often_then_the_anonymous_limit_does_not_apply(settings, as_innovator, path):
    settings.API_ANONYMOUS_WRITE_RATE = "1/min"
    statuses = [_post(as_innovator, path).status_code for _ in range(3)]
    assert 429 not in statuses
