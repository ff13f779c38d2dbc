"""``manage.py load_reference_data``: load or update counties, municipalities and central state bodies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from nyskap.core.tabular import ReferenceDataError, problems_command_error
from nyskap.organisations.reference_data import DEFAULT_DATA_DIR
from nyskap.organisations.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the shipped reference data: municipalities, counties, county municipalities, ministries, "
        "agencies and Statsforvalter offices. Safe to re-run: rows are matched by a stable reference key "
        "and updated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help="Folder with municipalities_2024.csv, counties_2024.csv and state_agencies.csv "
            "(default: the data shipped with Nyskap).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path = options["data_dir"]
        try:
            # Operators read this output in a terminal or a deployment log: keep it in one language throughout.
            with translation.override("en"):
                report = reference_data_load(data_dir=data_dir)
        except ReferenceDataError as exc:
            raise problems_command_error(f"The reference data in {data_dir}", exc.problems) from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.created or report.updated:
            self.stdout.write(self.style.SUCCESS(f"Done: {report.created} created, {report.updated} updated."))
        else:
            self.stdout.write(self.style.SUCCESS("Done: the database already matches the reference data."))
