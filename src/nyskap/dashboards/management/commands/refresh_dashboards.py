from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nyskap.dashboards.services import refresh
from nyskap.dashboards.tasks import refresh_dashboards


class Command(BaseCommand):
    help = "Recompute the dashboards' figures for every lens (run on a schedule, e.g. nightly from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Queue the task for a worker instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            refresh_dashboards.enqueue()
            self.stdout.write("Queued the refresh.")
            return
        record = refresh()
        self.stdout.write(self.style.SUCCESS(f"Wrote {record.lenses} lens figures in {record.seconds:.1f} s."))
