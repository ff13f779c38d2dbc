"""``manage.py load_reference_data``: load or update counties, municipalities and central state bodies."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandParser

from nyskap.core.management.data_load import DataLoadCommand, LoadReport
from nyskap.organisations.reference_data import DEFAULT_DATA_DIR
from nyskap.organisations.services import reference_data_load


class Command(DataLoadCommand):
    subject = "The reference data"
    unchanged = "Done: the database already matches the reference data."
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

    def load(self, data_dir: Path) -> LoadReport:
        return reference_data_load(data_dir=data_dir)
