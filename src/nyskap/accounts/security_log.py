"""Security events (logins, failures, lockouts, role changes) as structured JSON lines on the
``nyskap.security`` logger, so they can be shipped to a SIEM. No passwords or tokens are ever logged."""

from __future__ import annotations

import logging
from typing import Any

import structlog
from allauth.account.signals import user_logged_in, user_logged_out
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

structlog.configure(
    processors=[
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.add_log_level,
        structlog.processors.JSONRenderer(sort_keys=True),
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    cache_logger_on_first_use=False,
)

_logger = structlog.get_logger("nyskap.security")


def _client_ip(request: Any) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


def security_event(event: str, *, user: Any = None, request: Any = None, **fields: Any) -> None:
    _logger.info(
        event,
        user_id=getattr(user, "pk", None),
        ip=_client_ip(request),
        **fields,
    )


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    security_event("login", user=user, request=request)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    security_event("logout", user=user, request=request)


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    # The e-mail is not logged in clear: only whether one was given.
    security_event(
        "login_failed",
        request=request,
        login_given=bool(credentials.get("login") or credentials.get("email")),
    )


@receiver(user_locked_out)
def _on_lockout(
    sender: Any, request: Any, username: str | None = None, ip_address: str | None = None, **kw: Any
) -> None:
    security_event("lockout", request=request)


logging.getLogger("nyskap.security").setLevel(logging.INFO)
