from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nyskap.barometer.services import load_questionnaires


class Command(BaseCommand):
    help = (
        "Load the innovation barometer's operative and strategic questionnaires (idempotent: a published version "
        "is kept)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for version, created in load_questionnaires():
            items = version.items.count()
            if created:
                self.stdout.write(self.style.SUCCESS(f"Loaded {version} with {items} items."))
            else:
                self.stdout.write(f"{version} already loaded ({items} items); nothing changed.")
