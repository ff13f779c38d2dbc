"""Add a few example calls to the catalogue for local demonstrations. Each is marked as an example (shown as
"Example, not a real call" everywhere) and only runs with DEBUG on, so made-up calls never reach production."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from nyskap.instruments.models import Call, Instrument

# (instrument slug, title, opens in days from today, closes in days from today (None: continuous intake))
EXAMPLES = [
    ("ipo", "Eksempel: innovasjonsprosjekt i offentlig sektor", -20, 14),
    ("forkommune", "Eksempel: FORKOMMUNE-utlysning", -5, 60),
    ("stimulab", "Eksempel: StimuLab-runde", 10, 70),
    ("medfinansiering", "Eksempel: medfinansiering, tidligere runde", -400, -300),
    ("innovasjonspartnerskap", "Eksempel: innovasjonspartnerskap, løpende", -30, None),
]


class Command(BaseCommand):
    help = "Add example calls (clearly marked as examples) for demonstrations. Development only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_calls only runs with DEBUG on; example calls must never reach production.")
        today = timezone.localdate()
        created = 0
        with transaction.atomic():
            for slug, title, opens, closes in EXAMPLES:
                instrument = Instrument.objects.filter(slug=slug).first()
                if instrument is None:
                    raise CommandError("Load the catalogue first: manage.py load_instruments")
                _call, was_created = Call.objects.get_or_create(
                    instrument=instrument,
                    title=title,
                    defaults={
                        "opens_on": today + datetime.timedelta(days=opens),
                        "closes_on": today + datetime.timedelta(days=closes) if closes is not None else None,
                        "is_example": True,
                    },
                )
                created += was_created
        self.stdout.write(f"Example calls: {created} created, {len(EXAMPLES) - created} already there.")
