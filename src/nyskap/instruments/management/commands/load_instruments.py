"""``manage.py load_instruments``: load or update the instrument catalogue shipped in ``nyskap/data``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from nyskap.core.tabular import ReferenceDataError, problems_command_error
from nyskap.instruments.services import catalogue_load
from nyskap.organisations.reference_data import DEFAULT_DATA_DIR


class Command(BaseCommand):
    help = (
        "Load the instruments named in the white paper (instruments.csv) into the catalogue. Safe to re-run: rows "
        "are matched by their slug and updated; entries edited by their instrument owners are kept. Needs the "
        "reference data (load_reference_data) for the owner organisations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help="Folder with instruments.csv (default: the data shipped with Nyskap).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path = options["data_dir"]
        try:
            with translation.override("en"):
                report = catalogue_load(data_dir=data_dir)
        except ReferenceDataError as exc:
            raise problems_command_error(f"The instrument data in {data_dir}", exc.problems) from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.created or report.updated:
            self.stdout.write(self.style.SUCCESS(f"Done: {report.created} created, {report.updated} updated."))
        else:
            self.stdout.write(self.style.SUCCESS("Done: the catalogue already matches the shipped data."))
