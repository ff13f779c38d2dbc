from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nyskap.culture.services import load_questionnaire


class Command(BaseCommand):
    help = "Load Nyskap's culture-for-innovation questionnaire (idempotent: an existing published version is kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        version, created = load_questionnaire()
        items = version.items.count()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded {version} with {items} items."))
        else:
            self.stdout.write(f"{version} already loaded ({items} items); nothing changed.")
