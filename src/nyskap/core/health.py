"""Health checks for load balancers and monitoring (docs/operations.md, "Health").

`/helse/` checks what a request needs: the database answers, the shared cache stores and returns a value, and the
task queue is being worked (the oldest task waiting to run is younger than HEALTH_QUEUE_MAX_AGE_SECONDS). Each
check reports on its own, so one failing check never hides the others.
`/helse/live/` only says that the process answers: a liveness probe must not restart app servers because the
database is down."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, Min, When
from django.db.models.functions import Greatest
from django.utils import timezone

logger = logging.getLogger("nyskap.health")

DEFAULT_QUEUE_MAX_AGE_SECONDS = 300


@dataclass
class Check:
    ok: bool
    detail: dict[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"ok": self.ok, **self.detail}


def check_database() -> Check:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ok"; the reason goes to the log
        logger.warning("Health: the database does not answer: %s", exc)
        return Check(False, {"error": type(exc).__name__})
    return Check(True, {"ms": round((time.perf_counter() - started) * 1000, 1)})


def check_cache() -> Check:
    started = time.perf_counter()
    key = f"nyskap:health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:
        logger.warning("Health: the cache does not answer: %s", exc)
        return Check(False, {"error": type(exc).__name__})
    if not ok:
        return Check(False, {"error": "value not returned"})
    return Check(True, {"ms": round((time.perf_counter() - started) * 1000, 1)})


def oldest_waiting_since() -> datetime | None:
    """When the oldest task that is ready to run became ready (enqueued, or its run-after time passed)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting = (
        DBTaskResult.objects.ready()
        .annotate(
            waiting_since=Case(
                When(run_after=get_date_max(), then=F("enqueued_at")),
                default=Greatest("enqueued_at", "run_after"),
            )
        )
        .aggregate(oldest=Min("waiting_since"))
    )
    return waiting["oldest"]


def check_queue() -> Check:
    limit = getattr(settings, "HEALTH_QUEUE_MAX_AGE_SECONDS", DEFAULT_QUEUE_MAX_AGE_SECONDS)
    try:
        oldest = oldest_waiting_since()
    except Exception as exc:
        logger.warning("Health: the task queue cannot be read: %s", exc)
        return Check(False, {"error": type(exc).__name__})
    age = 0.0 if oldest is None else max(0.0, (timezone.now() - oldest).total_seconds())
    return Check(age <= limit, {"oldest_waiting_seconds": round(age, 1), "limit_seconds": limit})


def run_checks() -> dict[str, Check]:
    return {"database": check_database(), "cache": check_cache(), "queue": check_queue()}
