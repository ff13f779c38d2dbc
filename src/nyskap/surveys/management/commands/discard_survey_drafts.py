from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nyskap.surveys.housekeeping import survey_housekeeping


class Command(BaseCommand):
    help = (
        "Daily survey housekeeping (e.g. from cron): delete unsubmitted drafts of closed rounds, erase the address "
        "lists of closed rounds and prune finished survey-mail tasks."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = survey_housekeeping()
        self.stdout.write(
            f"Drafts deleted: {done.drafts}. Address lists erased: {done.rounds_forgotten}. "
            f"Mail tasks pruned: {done.tasks_pruned}."
        )
