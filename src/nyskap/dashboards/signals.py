"""Freshness: a change to any module's data queues one refresh of the dashboards (after the change commits). A
burst of changes queues one refresh, not one per row: the queued mark is cleared when the refresh starts, so a
change made during a refresh queues the next. Bulk writes that send no signals (imports) are caught by the
scheduled refresh (`manage.py refresh_dashboards`, e.g. nightly from cron)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

WATCHED_APPS = frozenset(
    {
        "organisations",
        "projects",
        "instruments",
        "trials",
        "challenges",
        "procurement",
        "benefits",
        "culture",
        "barometer",
    }
)
logger = logging.getLogger(__name__)

QUEUED = "dashboards:refresh-queued"
QUEUED_SECONDS = 15 * 60  # a lost worker does not block the next refresh for longer


def queue_refresh() -> bool:
    """Queue a refresh unless one is already waiting; whether this call queued it. A queue that cannot take it
    (the task table not there yet) is logged and left to the scheduled refresh: the change itself has committed."""
    if not cache.add(QUEUED, "1", QUEUED_SECONDS):
        return False
    from .tasks import refresh_dashboards

    try:
        refresh_dashboards.enqueue()
    except DatabaseError:
        cache.delete(QUEUED)
        logger.warning("dashboards_refresh_not_queued", exc_info=True)
        return False
    return True


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def _data_changed(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    # Fixture loads (raw) and the historical models of migrations are not changes to count.
    if meta is None or meta.app_label not in WATCHED_APPS or kwargs.get("raw") or sender.__module__ == "__fake__":
        return
    if not getattr(settings, "DASHBOARDS_REFRESH_ON_CHANGE", True):
        return
    transaction.on_commit(queue_refresh)
