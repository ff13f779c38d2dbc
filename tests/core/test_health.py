"""The health endpoints a load balancer and monitoring use (docs/operations.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def _waiting_task(enqueued_ago: timedelta, status: str = "READY") -> DBTaskResult:
    from django_tasks_db.models import get_date_max

    task = DBTaskResult.objects.create(
        task_path="nyskap.core.mail.deliver",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=get_date_max(),
        status=status,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - enqueued_ago)
    return task


@pytest.mark.django_db
def test_when_everything_works_then_health_reports_each_part_ok(client):
    response = client.get("/helse/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is True
    assert body["queue"] == {"ok": True, "oldest_waiting_seconds": 0.0, "limit_seconds": 300}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_when_a_task_waits_too_long_then_health_is_503_with_its_age(client, settings):
    settings.HEALTH_QUEUE_MAX_AGE_SECONDS = 60
    _waiting_task(timedelta(seconds=30))
    assert client.get("/helse/").status_code == 200
    _waiting_task(timedelta(minutes=10))
    _waiting_task(timedelta(hours=2), status="SUCCESSFUL")  # finished work is not waiting
    response = client.get("/helse/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["queue"]["ok"] is False
    assert 595 <= body["queue"]["oldest_waiting_seconds"] <= 660
    assert body["database"]["ok"] is True and body["cache"]["ok"] is True


@pytest.mark.django_db
def test_when_a_task_is_scheduled_for_later_then_it_is_not_counted_as_waiting(client):
    task = _waiting_task(timedelta(hours=3))
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now() + timedelta(hours=1))
    assert client.get("/helse/").json()["queue"]["oldest_waiting_seconds"] == 0.0


@pytest.mark.django_db
def test_when_the_cache_fails_then_health_is_503_and_names_the_cache(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/helse/")
    assert response.status_code == 503
    body = response.json()
    assert body["cache"] == {"ok": False, "error": "ConnectionError"}
    assert body["database"]["ok"] is True


@pytest.mark.django_db
def test_when_the_database_fails_then_health_is_503_and_liveness_still_answers(client, monkeypatch):
    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("gone")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/helse/")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}
    live = client.get("/helse/live/")
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}


def test_when_liveness_is_asked_then_it_touches_no_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/helse/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
