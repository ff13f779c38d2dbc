"""The client's address behind a reverse proxy (docs/deploy.md, "TLS proxy").

Lockouts (django-axes), login rate limits (django-allauth), the survey link's limits and the security log all read
``REMOTE_ADDR``. Behind a proxy that is the proxy's address, so every visitor would share one lockout. The proxy
knows the real address and passes it in a header; but a client can send the same header itself, so it is believed
only when the operator names it in ``TRUSTED_CLIENT_IP_HEADER`` (for example ``X-Real-IP``, or ``X-Forwarded-For``
together with ``TRUSTED_PROXY_COUNT``, the number of proxies in front of the app that each append an address).
Without the setting every such header is ignored and ``REMOTE_ADDR`` stays the connection's address."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def trusted_client_ip(request: HttpRequest) -> str | None:
    """The client address the configured trusted header gives, or None (no setting, no header, not an address)."""
    header = getattr(settings, "TRUSTED_CLIENT_IP_HEADER", "") or ""
    if not header:
        return None
    value = request.META.get(_meta_key(header), "")
    if not value:
        return None
    parts = [part.strip() for part in value.split(",") if part.strip()]
    count = max(1, int(getattr(settings, "TRUSTED_PROXY_COUNT", 1)))
    if len(parts) < count:
        return None
    candidate = parts[-count]  # each trusted proxy appends the address it saw; earlier entries are the client's word
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class TrustedProxyMiddleware:
    """First in the chain: replaces REMOTE_ADDR with the address from the trusted header, when one is configured."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = trusted_client_ip(request)
        if address:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR after TrustedProxyMiddleware; the one address every limit counts by (AXES_CLIENT_IP_CALLABLE)."""
    return str(request.META.get("REMOTE_ADDR") or "")
