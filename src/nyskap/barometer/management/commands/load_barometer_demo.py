from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nyskap.barometer import services
from nyskap.barometer.demo import TITLE, build
from nyskap.barometer.models import Round
from nyskap.core.permissions import editors_of
from nyskap.organisations.models import Organisation


class Command(BaseCommand):
    help = "Load a synthetic innovation-barometer round (labelled as synthetic), published, for demonstration."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", default="kommune:4626", help="Reference key of the owner.")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = Organisation.objects.filter(reference_key=options["organisation"]).first()
        if owner is None:
            raise CommandError("Load the reference data first (the owner organisation is missing).")
        if Round.objects.filter(owner=owner, title=TITLE, synthetic=True).exists():
            self.stdout.write("The synthetic round is already there; nothing changed.")
            return
        actor = editors_of([owner]).first()
        if actor is None:
            raise CommandError("The owner has no editor: load the demo personas first (demo_data).")
        round = build(actor=actor, owner=owner)
        # An earlier published round of the same questionnaire, so the trends over rounds have two points.
        build(
            actor=actor,
            owner=owner,
            workplaces=300,
            sample=180,
            seed=2024,
            title="Syntetisk demonstrasjonsrunde 2022–2024 (ikke ekte svar)",
            period=(datetime.date(2022, 9, 1), datetime.date(2024, 8, 31)),
        )
        # Smaller synthetic rounds at the earlier steps, so the set-up, fieldwork and publishing pages show too.
        for step, title in (
            ("draft", "Syntetisk runde under oppsett (ikke ekte svar)"),
            ("fieldwork", "Syntetisk runde under datainnsamling (ikke ekte svar)"),
            ("closed", "Syntetisk avsluttet runde (ikke ekte svar)"),
        ):
            build(actor=actor, owner=owner, workplaces=60, sample=40, seed=7, title=title, until=step)
        # A strategic round in set-up, whose frame may be taken from the reference data.
        services.round_create(
            actor=actor,
            owner=owner,
            data=services.RoundInput(
                title="Syntetisk strategisk runde under oppsett (ikke ekte svar)",
                kind="strategic",
                period_start=datetime.date(2024, 9, 1),
                period_end=datetime.date(2026, 8, 31),
                strata=[],
                synthetic=True,
            ),
        )
        self.stdout.write(self.style.SUCCESS(f"Loaded the synthetic round {round.pk}: {round.title}, and five more."))
