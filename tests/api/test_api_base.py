from __future__ import annotations

import pytest

from nyskap.api.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def test_when_schema_is_fetched_then_it_is_openapi_3_1_with_every_operation_documented(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    undocumented = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation.get("responses", {})
            if not operation.get("summary"):
                undocumented.append(f"{method} {path}: summary")
            if not any(code.startswith("2") for code in responses):
                undocumented.append(f"{method} {path}: success response")
            if not any(code.startswith("4") for code in responses):
                undocumented.append(f"{method} {path}: error responses")
    assert undocumented == []


def test_when_docs_are_opened_then_they_load_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn." not in response.content


def test_when_token_is_missing_then_me_answers_401_in_the_error_shape(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {
        "status": 401,
        "code": "not_authenticated",
        "message": "A valid API token is required.",
        "errors": [],
    }


def test_when_token_is_valid_then_me_shows_the_account_and_marks_the_token_used(client, innovator):
    token, raw = ApiToken.issue(user=innovator, name="integrasjon")
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json() == {
        "email": "innovator@oygarden.kommune.no",
        "name": "Ina Innovatør",
        "memberships": [{"organisation": "oygarden", "role": "editor"}],
    }
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_when_token_is_revoked_or_user_inactive_then_it_is_refused(client, innovator):
    from django.utils import timezone

    token, raw = ApiToken.issue(user=innovator, name="gammel")
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    _token2, raw2 = ApiToken.issue(user=innovator, name="ny")
    innovator.is_active = False
    innovator.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw2}").status_code == 401


def test_when_an_unknown_api_path_is_requested_then_the_error_is_json(client):
    response = client.get("/api/v1/organisations/finnes-ikke")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "message": "Not found.", "errors": []}


def test_when_the_server_fails_then_no_internals_leak(client, monkeypatch):
    from nyskap.accounts import api as me

    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail: password=hunter2")

    monkeypatch.setattr(me.ApiToken if hasattr(me, "ApiToken") else me, "__doc__", None)
    from nyskap.api.auth import TokenAuth

    monkeypatch.setattr(TokenAuth, "authenticate", boom)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 500
    assert response.json() == {
        "status": 500,
        "code": "server_error",
        "message": "An unexpected error occurred.",
        "errors": [],
    }
    assert b"hunter2" not in response.content
