"""Fetch the notices published since a date from the national notice database and import them (needs
DOFFIN_API_KEY; see nyskap.procurement.doffin)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nyskap.procurement.doffin import DoffinNotConfigured, fetch_release_package
from nyskap.procurement.services import ImportRefused, NoticeFile, notices_import


class Command(BaseCommand):
    help = "Fetch notices from Doffin (OCDS) since a date and import them, all or nothing. Needs DOFFIN_API_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", type=datetime.date.fromisoformat, required=True, help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            stream = fetch_release_package(published_from=options["since"])
        except DoffinNotConfigured as exc:
            raise CommandError(str(exc)) from None
        except (OSError, ValueError) as exc:
            raise CommandError(f"The notice database did not answer: {exc}") from None
        try:
            run = notices_import(files=[NoticeFile(f"doffin-{options['since']}.json", stream)])
        except ImportRefused as refused:
            for problem in refused.run.problems:
                self.stderr.write(f"{problem['file']} #{problem['position']} {problem['field']}: {problem['message']}")
            raise CommandError(f"Nothing imported: {refused.run.problem_count} problem(s).") from None
        self.stdout.write(f"Imported {run.notices_created} notices ({run.notices_skipped} already there).")
