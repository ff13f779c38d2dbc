"""Import procurement notice files (eForms XML, zips of them, OCDS release packages) — all or nothing."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nyskap.procurement.services import ImportRefused, NoticeFile, notices_import


class Command(BaseCommand):
    help = "Import eForms XML notices (or zips of them) and OCDS release packages: every notice or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["files"]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        with ExitStack() as stack:
            files = [NoticeFile(path.name, stack.enter_context(path.open("rb"))) for path in paths]
            try:
                run = notices_import(files=files)
            except ImportRefused as refused:
                for problem in refused.run.problems:
                    self.stderr.write(
                        f"{problem['file']} #{problem['position']} {problem['field']}: {problem['message']}"
                    )
                raise CommandError(f"Nothing imported: {refused.run.problem_count} problem(s).") from None
        self.stdout.write(f"Imported {run.notices_created} notices ({run.notices_skipped} already there).")
