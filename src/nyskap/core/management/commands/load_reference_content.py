"""Load what every installation needs, development or production, in one step: the reference data (municipalities,
counties, state bodies), the instrument catalogue and the two questionnaires (culture, barometer). Each loader is
idempotent, so this is also what an upgrade runs to take in changed reference content."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

# In this order: the instruments name their owners among the organisations of the reference data.
LOADERS = ("load_reference_data", "load_instruments", "load_culture_questionnaire", "load_barometer_questionnaire")


class Command(BaseCommand):
    help = "Load the reference data, the instrument catalogue and the questionnaires (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name in LOADERS:
            self.stdout.write(f"{name}:")
            call_command(name, stdout=self.stdout, stderr=self.stderr)
