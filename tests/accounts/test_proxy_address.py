"""Behind a reverse proxy the client address for lockouts and rate limits comes from the configured trusted header
only (nyskap.core.proxy, docs/deploy.md)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "feil-passord-123"


@pytest.fixture
def production_rate_limits(settings):
    from nyskap.config.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


def _login(client, email, password, **headers):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR="10.0.0.5", **headers)


def test_when_no_trusted_header_is_set_then_a_spoofed_forwarded_for_is_ignored(
    client, colleague, settings, production_rate_limits
):
    settings.TRUSTED_CLIENT_IP_HEADER = ""
    attacker = Client()
    # A new X-Forwarded-For on every try must not give the attacker a fresh lockout counter.
    for attempt in range(5):
        _login(attacker, colleague.email, WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt + 1}")
    assert list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == [("10.0.0.5", 5)]
    refused = _login(attacker, colleague.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert "_auth_user_id" not in attacker.session
    assert refused.status_code in (200, 429)


def test_when_the_trusted_header_is_set_then_each_client_behind_the_proxy_counts_alone(
    client, colleague, settings, production_rate_limits
):
    settings.TRUSTED_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    # The proxy appends the address it saw; whatever the client wrote before it is not believed.
    for _attempt in range(5):
        _login(attacker, colleague.email, WRONG, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.66")
    assert list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == [("203.0.113.66", 5)]
    # The owner, behind the same proxy (same REMOTE_ADDR) but from another address, still logs in.
    response = _login(client, colleague.email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_when_the_trusted_header_holds_no_address_then_the_connection_address_counts(
    client, colleague, settings, production_rate_limits
):
    settings.TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    _login(Client(), colleague.email, WRONG, HTTP_X_REAL_IP="not-an-address")
    _login(Client(), colleague.email, WRONG, HTTP_X_REAL_IP="192.0.2.44", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert sorted(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.5", "192.0.2.44"]
