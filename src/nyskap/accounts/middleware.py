from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.permissions import administers_any

from .security_log import security_event

LAST_SEEN_KEY = "_nyskap_last_seen"
AUTH_AT_KEY = "_nyskap_authenticated_at"
# Set on the request when a timeout ends the session, so that only this session ends (not all of them).
SESSION_EXPIRED_ATTR = "_nyskap_session_expired"


class SessionTimeoutMiddleware:
    """End a signed-in session after an idle period and after an absolute lifetime, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            session = request.session
            authenticated_at = _parse(session.get(AUTH_AT_KEY))
            last_seen = _parse(session.get(LAST_SEEN_KEY))
            if authenticated_at is None:
                session[AUTH_AT_KEY] = now.isoformat()
                authenticated_at = now
            reason = None
            if now - authenticated_at >= settings.SESSION_ABSOLUTE_TIMEOUT:
                reason = "absolute"
            elif last_seen is not None and now - last_seen >= settings.SESSION_IDLE_TIMEOUT:
                reason = "idle"
            if reason:
                security_event("session_expired", user=user, request=request, reason=reason)
                setattr(request, SESSION_EXPIRED_ATTR, True)
                logout(request)
                # fail_silently: this middleware runs before MessageMiddleware in settings.MIDDLEWARE.
                messages.info(
                    request,
                    _("You were signed out because the session expired. Please sign in again."),
                    fail_silently=True,
                )
                return redirect_to_login(request.get_full_path())
            session[LAST_SEEN_KEY] = now.isoformat()
        return self.get_response(request)


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/konto/logg-ut", "/api/")


class RequireMfaMiddleware:
    """Operators and organisation admins must set up multi-factor authentication before they go on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and request.path != reverse("accounts:mfa_required")
            and mfa_required(user)
            and not has_mfa(user)
        ):
            return redirect("accounts:mfa_required")
        return self.get_response(request)


def mfa_required(user: object) -> bool:
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False) or administers_any(user))


def has_mfa(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
