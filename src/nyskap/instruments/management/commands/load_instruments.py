"""``manage.py load_instruments``: load or update the instrument catalogue shipped in ``nyskap/data``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandParser

from nyskap.core.management.data_load import DataLoadCommand, LoadReport
from nyskap.instruments.services import catalogue_load
from nyskap.organisations.reference_data import DEFAULT_DATA_DIR


class Command(DataLoadCommand):
    subject = "The instrument data"
    unchanged = "Done: the catalogue already matches the shipped data."
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

    def load(self, data_dir: Path) -> LoadReport:
        return catalogue_load(data_dir=data_dir)
