"""How a running job tells how far it has come: counts written to its row at most every so often, so a job of
100,000 rows does not write 100,000 times."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from .models import BackgroundJob

T = TypeVar("T")

WRITE_EVERY_SECONDS = 1.0


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
