"""Rebuild the search index of every project: after a new lexicon (hunspell-no) or synonym list, or a restore."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from nyskap.core.search import backends
from nyskap.projects.models import Project
from nyskap.projects.search import index_projects


class Command(BaseCommand):
    help = "Re-index every project for search (compound parts included). Safe to run at any time."

    def handle(self, *args: Any, **options: Any) -> None:
        count = index_projects(Project.objects.all())
        backends.optimise(connection)
        self.stdout.write(f"Re-indexed {count} projects.")
