"""How a running job tells how far it has come: counts written to its row at most every so often, so a job of
100,000 rows does not write 100,000 times, and to the cache. A job that writes all or nothing in one transaction (an
import, a register update) has its row's counts seen by others only when the transaction ends; the cache, outside
the transaction, lets its page and the API show the counts as they grow (`live`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.core.cache import cache

from .models import BackgroundJob, JobStatus

logger = logging.getLogger(__name__)

T = TypeVar("T")

WRITE_EVERY_SECONDS = 1.0
CACHE_SECONDS = 24 * 3600


def _key(job_id: object) -> str:
    return f"jobs:progress:{job_id}"


def live(job: BackgroundJob) -> BackgroundJob:
    """The job with the counts its run has reached, when the cache is ahead of its row (a run in one transaction)."""
    if job.status != JobStatus.RUNNING:
        return job
    try:
        counts = cache.get(_key(job.pk))
    except Exception:  # the counts are a courtesy: a cache that is down leaves the row's
        logger.warning("job_progress_cache_unavailable", exc_info=True)
        return job
    if counts and counts[0] > job.rows_done:
        job.rows_done, job.rows_total = counts
    return job


class Progress:
    def __init__(self, job: BackgroundJob) -> None:
        self.job = job
        self.done = job.rows_done
        self.total = job.rows_total
        self._written_at = 0.0

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written_at < WRITE_EVERY_SECONDS:
            return
        self._written_at = now
        BackgroundJob.objects.filter(pk=self.job.pk).update(rows_done=self.done, rows_total=self.total)
        self.job.rows_done, self.job.rows_total = self.done, self.total
        try:
            cache.set(_key(self.job.pk), (self.done, self.total), CACHE_SECONDS)
        except Exception:
            logger.warning("job_progress_cache_unavailable", exc_info=True)

    def set_total(self, total: int) -> None:
        self.total = max(0, total)
        self._write(force=True)

    def advance(self, rows: int = 1) -> None:
        self.done += rows
        if self.total is not None and self.done > self.total:
            self.total = self.done
        self._write()

    def finish(self) -> None:
        """At the end every counted row is done; a job that counted no rows (a report) keeps no counts."""
        if self.total is None and not self.done:
            return
        if self.total is None:
            self.total = self.done
        self.done = self.total
        self._write(force=True)

    def count(self, items: Iterable[T]) -> Iterator[T]:
        """The items, advancing by one for each."""
        for item in items:
            yield item
            self.advance()
