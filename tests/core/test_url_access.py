"""Meta-tests over every URL: anonymous visitors are refused unless the URL is on the public allow-list, and every
response carries the security headers."""

from __future__ import annotations

import fnmatch

import pytest

from .url_access_modules import app_url_access_modules
from .urls_walk import all_routes

# URL names that anonymous visitors may open. Patterns use shell-style wildcards.
PUBLIC_ALLOW_LIST = [
    "core:*",
    "organisations:*",
    "set_language",
    "api-v1:*",  # the open read API; write endpoints check their token themselves
    "account_login",
    "account_signup",
    "account_logout",
    "account_reset_password*",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_login_code*",
    "account_request_login_code",
    "account_confirm_login_code",
    "mfa_authenticate",
    "mfa_login_webauthn",
    "mfa_signup_webauthn",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
    "openid_connect_login",
    "openid_connect_callback",
    "admin:login",
    "admin:logout",
    "admin:view_on_site",
    "javascript-catalog",
    "project_follow:unsubscribe",  # the signed token in the e-mail is the authority
    "projects:list",  # published projects are public; the views filter by visibility
    "projects:detail",
    "projects:attachment_download",  # attachments of published projects; the view checks the project's visibility
    "project_transfer:export_*",  # exports of what the visitor may see
]

# Each app's tests may allow-list their own public URL names in tests/<app>/url_access.py (PUBLIC_ALLOW_LIST).
for _module in app_url_access_modules():
    PUBLIC_ALLOW_LIST += getattr(_module, "PUBLIC_ALLOW_LIST", [])

# URL names that are not reachable with the sample arguments, with the reason.
UNREVERSIBLE_OK: dict[str, str] = {}

LOGIN_PREFIXES = ("/accounts/login/", "/drift/login/")


def is_public(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in PUBLIC_ALLOW_LIST)


def test_when_listing_urls_then_every_pattern_can_be_visited():
    _routes, unresolved = all_routes()
    unexpected = [name for name in unresolved if name not in UNREVERSIBLE_OK]
    assert unexpected == [], f"add sample kwargs in urls_walk.py for: {unexpected}"


@pytest.mark.django_db
def test_when_anonymous_opens_a_non_public_url_then_it_is_refused(client, home_municipality):
    routes, _ = all_routes()
    checked = 0
    leaks = []
    for route in routes:
        if is_public(route.name):
            continue
        checked += 1
        response = client.get(route.path)
        refused = response.status_code in (401, 403, 405) or (
            response.status_code == 302 and response["Location"].startswith(LOGIN_PREFIXES)
        )
        if not refused:
            leaks.append((route.name, route.path, response.status_code, response.get("Location")))
    assert leaks == []
    assert checked >= 20  # the walk really visited the private part of the site


@pytest.mark.django_db
def test_when_anonymous_opens_a_public_url_then_it_never_fails_on_the_server(client, home_municipality):
    routes, _ = all_routes()
    failures = []
    for route in routes:
        if not is_public(route.name):
            continue
        response = client.get(route.path)
        if response.status_code >= 500:
            failures.append((route.name, route.path, response.status_code))
    assert failures == []


def _assert_security_headers(response, path: str) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy", "")
    directives = {part.strip().split(" ")[0]: part.strip() for part in csp.split(";") if part.strip()}
    script_src = directives.get("script-src", directives.get("default-src", ""))
    if not csp:
        problems.append(f"{path}: no CSP")
    if "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src:
        problems.append(f"{path}: unsafe script-src {script_src}")
    for expected in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        if expected not in csp:
            problems.append(f"{path}: CSP lacks {expected}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{path}: no nosniff")
    if not response.get("Referrer-Policy"):
        problems.append(f"{path}: no Referrer-Policy")
    return problems


@pytest.mark.django_db
def test_when_any_url_is_opened_then_security_headers_are_set(client, as_operator, home_municipality):
    routes, _ = all_routes()
    problems = []
    for route in routes:
        for visitor in (client, as_operator):
            response = visitor.get(route.path)
            problems += _assert_security_headers(response, route.path)
    assert problems == []


def test_when_prod_settings_are_used_then_hsts_is_on(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    sys.modules.pop("nyskap.config.settings.prod", None)
    sys.modules.pop("nyskap.config.settings.base", None)
    prod = importlib.import_module("nyskap.config.settings.prod")
    assert prod.SECURE_HSTS_SECONDS == 31536000
    assert prod.SECURE_SSL_REDIRECT is True
    assert prod.SESSION_COOKIE_SECURE is True
    sys.modules.pop("nyskap.config.settings.prod", None)


def test_when_prod_settings_lack_a_secret_key_then_they_refuse_to_start(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("SECRET_KEY", raising=False)
    sys.modules.pop("nyskap.config.settings.prod", None)
    sys.modules.pop("nyskap.config.settings.base", None)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        importlib.import_module("nyskap.config.settings.prod")
    sys.modules.pop("nyskap.config.settings.prod", None)
