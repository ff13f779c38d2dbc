"""django-axes glue: which username a login attempt is for.

allauth authenticates with ``email=...`` credentials while its form posts the field ``login``. django-axes
reads only one key (``AXES_USERNAME_FORM_FIELD``) from the credentials, so without this callable every failure
was recorded without a username: the lockout then hit everyone behind the same IP address (a whole
municipality's NAT) instead of the one account under attack. Set ``AXES_USERNAME_CALLABLE`` to this function.
"""

from __future__ import annotations

from typing import Any


def axes_username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("login") or data.get("email") or data.get("username")
    # Case and spaces must not give an attacker five fresh attempts per spelling of the address.
    return str(value).strip().lower() if value else None
