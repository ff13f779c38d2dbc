from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nyskap.core.backup import BackupError, expand_output, make_backup


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump custom format; SQLite: the online backup API) and the uploaded "
        "files into a new folder, with a manifest of row counts and checksums per table (docs/operations.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default="var/backups/%Y-%m-%dT%H%M%S",
            help="the new backup folder; strftime fields such as %%Y-%%m-%%d are filled in",
        )
        parser.add_argument("--no-media", action="store_true", help="leave the uploaded files out")

    def handle(self, *args: Any, **options: Any) -> None:
        output = expand_output(options["output"])
        try:
            manifest = make_backup(output, include_media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {output}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{manifest['media_files']} uploaded files."
        )
