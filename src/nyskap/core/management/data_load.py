"""The shape every "load the shipped data" command shares (`load_reference_data`, `load_instruments`): read a
folder, report every problem at once and exit non-zero, or print what changed — in English throughout, since
operators read it in a terminal or a deployment log."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from django.core.management.base import BaseCommand
from django.utils import translation

from nyskap.core.tabular import ReferenceDataError, problems_command_error


class LoadReport(Protocol):
    @property
    def created(self) -> int: ...

    @property
    def updated(self) -> int: ...

    def lines(self) -> list[str]: ...


class DataLoadCommand(BaseCommand):
    # What the data is, for the error ("The reference data in …"), and the sentence when nothing changed.
    subject = "The data"
    unchanged = "Done: the database already matches the data."

    def load(self, data_dir: Path) -> LoadReport:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path = options["data_dir"]
        try:
            with translation.override("en"):
                report = self.load(data_dir)
        except ReferenceDataError as exc:
            raise problems_command_error(f"{self.subject} in {data_dir}", exc.problems) from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.created or report.updated:
            self.stdout.write(self.style.SUCCESS(f"Done: {report.created} created, {report.updated} updated."))
        else:
            self.stdout.write(self.style.SUCCESS(self.unchanged))
