"""Rebuild the search index of every trial: after a change to what a trial's search document holds (its kind,
sandbox, owners and partners since they were added), a new lexicon (hunspell-no) or synonym list, or a restore."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from nyskap.core.search import backends
from nyskap.trials.models import Trial
from nyskap.trials.search import index_trials


class Command(BaseCommand):
    help = "Re-index every trial for search. Safe to run at any time."

    def handle(self, *args: Any, **options: Any) -> None:
        count = index_trials(Trial.objects.order_by("pk"))
        backends.optimise(connection)
        self.stdout.write(f"Re-indexed {count} trials.")
