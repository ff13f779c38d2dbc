from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from .security_log import security_event


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True))

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # The language the visitor signed up in is the language of their e-mail until they choose another.
        from .services import language_of_request

        user.language = user.language or language_of_request(request)
        return super().save_user(request, user, form, commit)

    def populate_username(self, request: HttpRequest, user: Any) -> None:
        # The username mirrors the e-mail so that django-axes and the admin have a stable key.
        user.username = (user.email or "").lower()

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts failed logins per e-mail address, so anyone could lock the owner out by failing from
        # anywhere. Count them per account and client address instead, like django-axes
        # (AXES_LOCKOUT_PARAMETERS): an attacker locks only their own address; the per-address limit
        # (ACCOUNT_RATE_LIMITS["login_failed"]) slows a spray over many accounts.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"


def accepted_acr_values(provider_id: str) -> list[str]:
    config = settings.OIDC_PROVIDERS_CONFIG.get(provider_id, {})
    return [value.strip() for value in config.get("acr", "").split(",") if value.strip()]


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        provider_id = sociallogin.account.provider
        accepted = accepted_acr_values(provider_id)
        if not accepted:
            return
        id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
        acr = id_token.get("acr")
        if acr not in accepted:
            security_event("oidc_acr_refused", request=request, provider=provider_id, acr=acr)
            response = render(
                request,
                "accounts/acr_refused.html",
                {"acr": acr, "accepted": accepted},
                status=403,
            )
            raise ImmediateHttpResponse(response)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return True

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        from .services import language_of_request

        user = super().save_user(request, sociallogin, form)
        language = language_of_request(request)
        if language and not user.language:
            user.language = language
            user.save(update_fields=["language"])
        return user


def oidc_error_message() -> str:
    return _("The login did not reach the required security level.")
