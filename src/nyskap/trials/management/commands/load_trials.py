"""``manage.py load_trials``: load the white paper's trials and sandboxes into the trials registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nyskap.trials.content import DEFAULT_FILE, ContentError, load_white_paper_trials


class Command(BaseCommand):
    help = (
        "Load the trials and regulatory sandboxes described in Meld. St. 30 (2019–2020). Run load_reference_data "
        "first. Safe to re-run: entries are keyed by their slug. Without the file, nothing is loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", type=Path, default=DEFAULT_FILE, help="The trial file (default: the shipped one)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            self.stdout.write(self.style.WARNING(f"{path} does not exist: no trials loaded."))
            return
        try:
            report = load_white_paper_trials(path)
        except ContentError as exc:
            raise CommandError(f"{path}: nothing loaded.\n" + "\n".join(exc.problems)) from exc
        except ValueError as exc:
            raise CommandError(f"{path} is not valid JSON: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
