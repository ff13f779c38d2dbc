"""``manage.py load_project_cases``: load the white paper's real cases into the project library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from nyskap.core.tabular import problems_command_error
from nyskap.projects.content import DEFAULT_CASES_FILE, ContentError, load_white_paper_cases


class Command(BaseCommand):
    help = (
        "Load the published example projects from Meld. St. 30 (2019–2020). Run load_reference_data first. "
        "Safe to re-run: cases are keyed by their slug, and existing ones are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", type=Path, default=DEFAULT_CASES_FILE, help="The case file (default: the one shipped)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with translation.override("en"):
                report = load_white_paper_cases(path=path)
        except ContentError as exc:
            raise problems_command_error(f"{path}", exc.problems, rows_numbered=False) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
