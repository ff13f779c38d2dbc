from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer nsk_…`` for machine clients; used by write endpoints."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.active().select_related("user").filter(token_hash=hash_token(token)).first()
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class OptionalTokenAuth(TokenAuth):
    """Reads: no ``Authorization`` header means an anonymous caller (public projects only); a header must carry
    a valid token, or the call is refused with 401 — a mistyped token should not silently show less."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.headers.get(self.header):
            return AnonymousUser()
        return super().__call__(request)


OPTIONAL_AUTH = OptionalTokenAuth()
TOKEN_AUTH = TokenAuth()
# `{}` in the operation's security list tells clients (and schemathesis) that the token is optional.
OPTIONAL_SECURITY: dict[str, Any] = {"security": [{}]}
