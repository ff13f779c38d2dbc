from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nyskap.core.backup import BackupError, compare_with_manifest, read_manifest, restore_backup, table_states


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database (which must be empty unless "
        "--replace) and the media folder, then compare every table's row count and checksum with the backup's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--replace", action="store_true", help="drop what the database holds first")
        parser.add_argument("--no-media", action="store_true", help="leave the uploaded files as they are")
        parser.add_argument("--verify-only", action="store_true", help="only compare the database with the backup")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        try:
            manifest = read_manifest(folder)
            if not options["verify_only"]:
                restore_backup(folder, replace=options["replace"], media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        comparison = compare_with_manifest(manifest, table_states())
        for name, expected, found in comparison.differing:
            self.stderr.write(f"{name}: backup {expected}, database {found}")
        if not comparison.ok:
            raise CommandError(
                f"{len(comparison.differing)} of {len(comparison.matching) + len(comparison.differing)} tables "
                "differ from the backup."
            )
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Restored from {folder}: {len(comparison.matching)} tables, {rows} rows; every row count and "
            "checksum matches the backup."
        )
