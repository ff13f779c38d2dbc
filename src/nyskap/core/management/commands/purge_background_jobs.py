"""Delete background jobs whose results have expired, with their files (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nyskap.core.jobs.services import jobs_purge


class Command(BaseCommand):
    help = "Delete expired background jobs (imports, exports, PDF reports) and their files."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = jobs_purge()
        self.stdout.write(f"{deleted} expired background job(s) deleted.")
