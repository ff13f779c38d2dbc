from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from nyskap.accounts import services

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_when_idle_for_31_minutes_then_logged_out_and_sent_to_login(client, colleague, security_log):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(colleague)
        assert client.get("/konto/").status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get("/konto/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/konto/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/konto/"
        assert not _signed_in(client)
        assert client.get("/konto/").status_code == 302
    [event] = security_log.named("session_expired")
    assert (event["user_id"], event["reason"]) == (colleague.pk, "idle")


def test_when_active_every_20_minutes_then_logged_out_at_12_hours(client, colleague, security_log):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(colleague)
        assert client.get("/konto/").status_code == 200
        elapsed = timedelta(0)
        while elapsed < timedelta(hours=13):
            traveller.shift(timedelta(minutes=20))
            elapsed += timedelta(minutes=20)
            if client.get("/konto/").status_code != 200:
                break
        assert elapsed == timedelta(hours=12)
        assert not _signed_in(client)
    [event] = security_log.named("session_expired")
    assert event["reason"] == "absolute"


def test_when_session_times_out_then_other_sessions_stay(colleague):
    first, second = Client(), Client()
    with time_machine.travel(START, tick=False) as traveller:
        first.force_login(colleague)
        first.get("/konto/")
        traveller.shift(timedelta(minutes=25))
        second.force_login(colleague)
        second.get("/konto/")
        traveller.shift(timedelta(minutes=10))
        assert first.get("/konto/").status_code == 302
        assert second.get("/konto/").status_code == 200
    colleague.refresh_from_db()
    assert colleague.session_generation == 0


def test_when_user_logs_out_on_one_client_then_other_sessions_end(colleague):
    laptop, phone = Client(), Client()
    laptop.force_login(colleague)
    phone.force_login(colleague)
    assert phone.get("/konto/").status_code == 200
    response = laptop.post("/accounts/logout/")
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.session_generation == 1
    response = phone.get("/konto/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/konto/"
    assert not _signed_in(phone)


def test_when_user_is_logged_out_then_other_users_sessions_stay(as_colleague, as_innovator, innovator):
    as_colleague.post("/accounts/logout/")
    innovator.refresh_from_db()
    assert innovator.session_generation == 0
    assert as_innovator.get("/konto/").status_code == 200


def test_when_user_is_deactivated_then_their_sessions_end(as_colleague, colleague, operator):
    assert as_colleague.get("/konto/").status_code == 200
    services.user_deactivate(user=colleague, actor=operator)
    response = as_colleague.get("/konto/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/konto/"
    assert response.wsgi_request.user.is_anonymous
    # Even if the account is activated again, the old session stays dead (the generation was raised).
    type(colleague).objects.filter(pk=colleague.pk).update(is_active=True)
    assert as_colleague.get("/konto/").status_code == 302


def test_when_all_sessions_are_ended_then_active_user_must_sign_in_again(as_colleague, colleague):
    services.user_end_all_sessions(user=colleague)
    assert as_colleague.get("/konto/").status_code == 302
