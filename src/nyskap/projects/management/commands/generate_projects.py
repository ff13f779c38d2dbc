"""``manage.py generate_projects N``: synthetic demonstration projects for development (never in production)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from nyskap.projects.content import ContentError, generate_synthetic_projects
from nyskap.projects.search import index_project_ids


class Command(BaseCommand):
    help = (
        "Create N synthetic projects marked is_synthetic and labelled «syntetisk eksempel». Deterministic for a "
        "given --seed. Refuses to run unless DEBUG is on. Run load_reference_data first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="How many projects to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("generate_projects only runs with DEBUG on: synthetic data never goes to production.")
        started = time.monotonic()
        try:
            projects = generate_synthetic_projects(options["count"], seed=options["seed"])
        except ContentError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        indexed = index_project_ids([p.pk for p in projects])
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: until autovacuum gets round to it, a stale estimate of the visible
            # projects makes the search pick a plan ten times slower (bench/load.py).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Created and indexed {indexed} synthetic projects in {elapsed:.1f} s."))
