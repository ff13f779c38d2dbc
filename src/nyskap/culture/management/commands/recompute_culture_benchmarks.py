from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nyskap.culture.benchmarks import recompute
from nyskap.culture.tasks import recompute_benchmarks


class Command(BaseCommand):
    help = "Recompute the national comparison figures of the culture measurement (run nightly, e.g. from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Queue the task for a worker instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            recompute_benchmarks.enqueue()
            self.stdout.write("Queued the recomputation.")
            return
        start = time.perf_counter()
        stored = recompute()
        self.stdout.write(self.style.SUCCESS(f"Stored {stored} figures in {time.perf_counter() - start:.1f} s."))
