from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nyskap.surveys.services import discard_stale_drafts


class Command(BaseCommand):
    help = "Delete unsubmitted survey drafts of closed rounds (run daily, e.g. from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Drafts deleted: {discard_stale_drafts()}.")
