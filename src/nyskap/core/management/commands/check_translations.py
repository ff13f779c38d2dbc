"""Fail when any message lacks a bokmål or nynorsk translation, or a compiled .mo is out of date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

REQUIRED = ("nb", "nn")


def untranslated(po_path: Path) -> list[str]:
    catalogue = polib.pofile(str(po_path))
    return [entry.msgid for entry in catalogue if not entry.obsolete and (not entry.translated() or entry.fuzzy)]


class Command(BaseCommand):
    help = "Check that every msgid has a nb and nn translation and that the .mo files match the .po files."

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        locale_dir = Path(settings.LOCALE_PATHS[0])
        for language in REQUIRED:
            po_path = locale_dir / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                problems.append(f"{po_path} is missing")
                continue
            for msgid in untranslated(po_path):
                problems.append(f"{language}: no translation for {msgid!r}")
            mo_path = po_path.with_suffix(".mo")
            if not mo_path.exists():
                problems.append(f"{mo_path} is missing (run make compilemessages)")
            else:
                expected = polib.pofile(str(po_path)).to_binary()
                if mo_path.read_bytes() != expected:
                    problems.append(f"{mo_path} is out of date (run make compilemessages)")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} translation problem(s).")
        self.stdout.write("Translations complete for nb and nn.")
