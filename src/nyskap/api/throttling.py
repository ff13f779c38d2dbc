"""The rate limit on anonymous API writes, in one place: every POST, PUT, PATCH or DELETE that answers a caller
without a token or session (a survey answer, the benefit and trial-effect calculators, the similar-projects
search) takes ``throttle=ANONYMOUS_WRITES``; `tests/api/test_throttling.py` fails for an anonymous write without
it.

The limit counts per client address (after `nyskap.core.proxy.TrustedProxyMiddleware`, the address every limit
counts by), kept in the shared cache as a keyed hash for the window only, and per operation, so answering a survey
does not use up the calculator. Callers with a token or a signed-in session are not limited by it. A refusal is 429
in the API's error shape (`nyskap.api.errors`) with ``Retry-After``.

Setting: ``API_ANONYMOUS_WRITE_RATE`` ("requests/period", period s, min, h or d; default 120/min — enough for a
workplace behind one address, too few for a script). Read on every request, so a test can lower it.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, BaseThrottle

from nyskap.core.proxy import client_ip

DEFAULT_ANONYMOUS_WRITE_RATE = "120/min"


def _signed_in(request: HttpRequest) -> bool:
    caller: Any = getattr(request, "auth", None)
    if caller is not None and getattr(caller, "is_authenticated", True):
        return True  # a token's user (an optional token's anonymous caller is an AnonymousUser: not signed in)
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class AnonymousWriteThrottle(AnonRateThrottle):
    """django-ninja's anonymous throttle, counting by the trusted client address and the operation."""

    def __init__(self) -> None:
        super().__init__(rate=DEFAULT_ANONYMOUS_WRITE_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = str(getattr(settings, "API_ANONYMOUS_WRITE_RATE", None) or DEFAULT_ANONYMOUS_WRITE_RATE)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if _signed_in(request):
            return None
        match = request.resolver_match
        operation = f"{request.method}:{match.route if match is not None else request.path}"
        return f"api-anonymous-write:{operation}:{self.get_ident(request)}"

    def get_ident(self, request: HttpRequest) -> str:
        address = client_ip(request) or "unknown"
        return hmac.new(str(settings.SECRET_KEY).encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


ANONYMOUS_WRITES: list[BaseThrottle] = [AnonymousWriteThrottle()]
