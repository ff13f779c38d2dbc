from __future__ import annotations

from typing import Any

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
