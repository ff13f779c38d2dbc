from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

USERNAME_CALLABLE = "nyskap.accounts.lockout.axes_username"


def test_when_settings_load_then_axes_uses_the_accounts_username_callable():
    from django.conf import settings as django_settings

    assert django_settings.AXES_USERNAME_CALLABLE == USERNAME_CALLABLE
    assert django_settings.AXES_FAILURE_LIMIT == 5


def _login(client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_when_five_passwords_are_wrong_then_the_right_one_is_locked_out(client, colleague, security_log):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(4):
        response = _login(client, colleague.email, "feil-passord-123")
        assert response.status_code == 200
    response = _login(client, colleague.email, "feil-passord-123")
    assert response.status_code == 429
    response = _login(client, colleague.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert (
        AccessAttempt.objects.get(username=colleague.email).failures_since_start == 6
    )  # the refused right password counts too
    other_spelling = _login(client, colleague.email.upper(), PASSWORD)
    assert other_spelling.status_code == 429
    assert security_log.named("lockout")
    assert not security_log.named("login")


def test_when_four_passwords_are_wrong_then_the_right_one_still_works(client, colleague):
    for _attempt in range(4):
        _login(client, colleague.email, "feil-passord-123")
    response = _login(client, colleague.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)
    assert not AccessAttempt.objects.filter(username=colleague.email).exists()  # reset on success


def test_when_one_user_is_locked_out_then_another_user_can_log_in(client, colleague, innovator):
    for _attempt in range(5):
        _login(client, colleague.email, "feil-passord-123")
    response = _login(client, innovator.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(innovator.pk)


def test_when_login_succeeds_then_login_event_is_logged_with_user_id(client, colleague, security_log):
    response = _login(client, colleague.email, PASSWORD)
    assert response.status_code == 302
    [event] = security_log.named("login")
    assert event["user_id"] == colleague.pk
    assert event["ip"] == "127.0.0.1"
    assert event["level"] == "info"


def test_when_login_fails_then_event_is_logged_without_email_or_password(client, colleague, security_log):
    response = _login(client, colleague.email, "hemmelig-feil-passord")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    events = security_log.named("login_failed")
    assert len(events) == 1
    assert events[0]["login_given"] is True
    assert all(colleague.email not in line and "hemmelig-feil-passord" not in line for line in security_log.lines)
    assert all("kollega" not in line for line in security_log.lines)


@pytest.fixture
def production_rate_limits(settings):
    """The test settings relax allauth's rate limits; these tests need the production ones."""
    from nyskap.config.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    assert "5/5m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]


def _login_from(client, address: str, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address)


def test_when_wrong_passwords_come_from_other_addresses_then_the_owner_still_logs_in(
    client, colleague, production_rate_limits
):
    for attempt in range(8):
        response = _login_from(Client(), f"203.0.113.{attempt + 1}", colleague.email, "feil-passord-123")
        assert response.status_code == 200
        assert "Too many" not in response.content.decode()
    response = _login_from(client, "198.51.100.7", colleague.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_when_one_address_fails_five_times_then_that_address_is_locked_and_the_owner_is_not(
    client, colleague, production_rate_limits
):
    attacker = Client()
    for _attempt in range(4):
        assert _login_from(attacker, "203.0.113.66", colleague.email, "feil-passord-123").status_code == 200
    assert _login_from(attacker, "203.0.113.66", colleague.email, "feil-passord-123").status_code == 429
    # allauth's limit (five per account and address) refuses the right password before axes sees it.
    refused = _login_from(attacker, "203.0.113.66", colleague.email, PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in attacker.session
    assert AccessAttempt.objects.get(username=colleague.email, ip_address="203.0.113.66").failures_since_start == 5
    response = _login_from(client, "198.51.100.7", colleague.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)
    # Still locked from the attacker's address after the owner's success elsewhere.
    again = _login_from(attacker, "203.0.113.66", colleague.email, PASSWORD)
    assert "Too many failed login attempts" in again.content.decode()
    assert "_auth_user_id" not in attacker.session


def test_when_allauth_counts_failures_then_it_counts_them_per_account_and_address(
    client, colleague, settings, production_rate_limits
):
    # allauth's own limit must not lock the owner either, even when axes would allow more attempts.
    settings.AXES_FAILURE_LIMIT = 50
    for attempt in range(6):
        _login_from(Client(), f"203.0.113.{attempt + 1}", colleague.email, "feil-passord-123")
    attacker = Client()
    for _attempt in range(5):
        _login_from(attacker, "203.0.113.99", colleague.email, "feil-passord-123")
    slowed = _login_from(attacker, "203.0.113.99", colleague.email, PASSWORD)
    assert slowed.status_code == 200
    assert "Too many failed login attempts" in slowed.content.decode()
    assert "_auth_user_id" not in attacker.session
    response = _login_from(client, "198.51.100.7", colleague.email, PASSWORD)
    assert response.status_code == 302
