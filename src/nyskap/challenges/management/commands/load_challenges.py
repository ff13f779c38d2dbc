"""``manage.py load_challenges``: load the example challenges built from the white paper's cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nyskap.challenges.content import DEFAULT_FILE, load_white_paper_challenges


class Command(BaseCommand):
    help = (
        "Load the example challenges built from the cases in Meld. St. 30 (2019–2020), each labelled as an example. "
        "Run load_reference_data first. Safe to re-run: challenges are keyed by their slug."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="The challenge file.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            self.stdout.write(self.style.WARNING(f"{path} does not exist: no challenges loaded."))
            return
        try:
            report = load_white_paper_challenges(path)
        except (ValueError, KeyError) as exc:
            raise CommandError(f"{path}: nothing loaded ({exc}).") from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
