"""Background work of the dashboards: the refresh, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django.core.cache import cache
from django.tasks import task

from . import services
from .signals import QUEUED


@task()
def refresh_dashboards() -> int:
    """Recompute every lens; the number of snapshots written."""
    cache.delete(QUEUED)
    return services.refresh().lenses
