"""``manage.py load_benefit_examples``: a clearly marked example benefit-realisation plan for the white paper's
case "Digital førerettsforvaltning" and an example set for the prevention calculator.

The white paper (Meld. St. 30 (2019–2020), box 8.1) gives one figure for the case: benefits assessed at a net present
value of NOK 940 million over ten years. Everything else here — the split into investment, operating costs and
benefits per bearer, the indicators and targets — is illustrative, chosen so that the total comes to about that
figure, and the plan is marked as an example wherever it is shown. Run ``load_project_cases`` first. Safe to
re-run: an existing plan for the project is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from nyskap.benefits.models import (
    Bearer,
    Benefit,
    BenefitAmount,
    BenefitPlan,
    BenefitType,
    Cost,
    CostKind,
    Frequency,
    ParameterSet,
    PreventionSet,
    RealisationForm,
)
from nyskap.benefits.parameters import R109_2021
from nyskap.benefits.services import current_parameters
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project

CASE = "digital-forerett"
YEARS = range(2022, 2030)
EXAMPLE_NOTE = (
    "Meld. St. 30 (2019–2020), boks 8.1, oppgir bare at gevinstene er beregnet til 940 mill. kroner i netto nåverdi "
    "over ti år. Fordelingen på investering, driftskostnader og gevinster per bærer, indikatorene og målene her er "
    "illustrerende eksempeltall, valgt slik at summen blir om lag den samme. Kilden sier at programmet er finansiert "
    "av direktoratene med støtte fra Digitaliseringsdirektoratets medfinansieringsordning, men ikke hvor mye hver av "
    "dem betaler; den nevner Vegdirektoratet, Helsedirektoratet, Direktoratet for e-helse, Politidirektoratet, "
    "fylkesmennene, fastlegene og optikerne, men sier ikke hvem som eier gevinstene."
)
# The organisations box 8.1 names, by organisation number in the reference data: a benefit whose bearer is one of
# them is linked to it. (Statens vegvesen, the project's owner, bears the benefits in its own organisation.)
POLITIDIREKTORATET = "982531950"

BENEFITS: list[dict[str, Any]] = [
    {
        "description": "Mindre manuell saksbehandling av helseattester i Statens vegvesen",
        "benefit_type": BenefitType.EFFICIENCY,
        "bearer": Bearer.OWN_ORGANISATION,
        "realisation_form": RealisationForm.BUDGET_CUT,
        "indicator": "Årsverk brukt på manuell behandling av helseattester",
        "unit": "årsverk",
        "baseline_value": Decimal(60),
        "baseline_date": datetime.date(2020, 1, 1),
        "target_value": Decimal(20),
        "target_date": datetime.date(2024, 12, 31),
        "measures": "Nedbemanning ved naturlig avgang; endrede arbeidsprosesser.",
        "preconditions_risks": "Fastlegene tar i bruk den digitale løsningen.",
        "measurement_method": "Tidsregistrering og regnskap",
        "measurement_frequency": Frequency.HALF_YEARLY,
        "yearly": Decimal(30_000_000),
    },
    {
        "description": "Færre henvendelser om førerrett til politiet",
        "benefit_type": BenefitType.EFFICIENCY,
        "bearer": Bearer.OTHER_STATE,
        "bearer_name": "Politiet",
        "bearer_number": POLITIDIREKTORATET,  # linked when the reference data is loaded
        "realisation_form": RealisationForm.REALLOCATION,
        "indicator": "Henvendelser om førerrett per år",
        "unit": "henvendelser",
        "baseline_value": Decimal(50_000),
        "baseline_date": datetime.date(2020, 1, 1),
        "target_value": Decimal(20_000),
        "target_date": datetime.date(2025, 12, 31),
        "measures": "Frigjort tid brukes på andre oppgaver.",
        "measurement_method": "Saksstatistikk",
        "measurement_frequency": Frequency.YEARLY,
        "yearly": Decimal(6_000_000),
    },
    {
        "description": "Innbyggerne slipper oppmøte og venting ved fornyelse av førerrett",
        "benefit_type": BenefitType.OTHER_ACTORS,
        "bearer": Bearer.CITIZENS,
        "realisation_form": RealisationForm.QUALITY,
        "indicator": "Andel fornyelser behandlet uten oppmøte",
        "unit": "%",
        "baseline_value": Decimal(0),
        "baseline_date": datetime.date(2020, 1, 1),
        "target_value": Decimal(80),
        "target_date": datetime.date(2025, 12, 31),
        "measures": "Informasjon til fastleger og innbyggere.",
        "measurement_method": "Bruksstatistikk",
        "measurement_frequency": Frequency.QUARTERLY,
        "yearly": Decimal(127_500_000),
    },
    {
        "description": "Tydeligere ansvarsdeling mellom etatene",
        "benefit_type": BenefitType.QUALITY,
        "bearer": Bearer.OTHER_STATE,
        "bearer_name": "Helsedirektoratet og Direktoratet for e-helse",
        "realisation_form": RealisationForm.QUALITY,
        "indicator": "Brukertilfredshet blant fastleger (skala 1–6)",
        "unit": "poeng",
        "baseline_value": Decimal(3),
        "baseline_date": datetime.date(2020, 1, 1),
        "target_value": Decimal(5),
        "target_date": datetime.date(2025, 12, 31),
        "measurement_method": "Spørreundersøkelse",
        "measurement_frequency": Frequency.YEARLY,
        "yearly": None,
    },
]

PREVENTION_EXAMPLE = {
    "name": "Eksempel: unge som ikke fullfører videregående (illustrerende tall)",
    "target_group": "Unge som ikke har fullført videregående opplæring innen normert tid + 2 år",
    "source": (
        "Illustrerende eksempeltall, ikke tall fra Utenfor-regnskapet: modellens tall per person er ikke "
        "gjengitt i kildene Nyskap bygger på. Erstatt dem med egne tall."
    ),
    "rows": [
        {"level": "state", "sector": "Trygd og stønader (NAV)", "from_age": 18, "to_age": 58, "yearly_cost": "150000"},
        {"level": "state", "sector": "Tapte skatteinntekter", "from_age": 20, "to_age": 58, "yearly_cost": "90000"},
        {"level": "municipality", "sector": "Sosialhjelp", "from_age": 18, "to_age": 35, "yearly_cost": "40000"},
        {"level": "municipality", "sector": "Helse og omsorg", "from_age": 18, "to_age": 58, "yearly_cost": "15000"},
        {"level": "county", "sector": "Opplæring", "from_age": 18, "to_age": 24, "yearly_cost": "20000"},
    ],
}


class Command(BaseCommand):
    help = "Add a clearly marked example benefit-realisation plan and an example prevention set."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(slug=CASE).first()
        if project is None:
            raise CommandError(f"The project «{CASE}» is not loaded. Run load_project_cases first.")
        if not ParameterSet.objects.filter(version=R109_2021["version"]).exists():
            current_parameters()
        created_plan = False
        existing = BenefitPlan.objects.filter(project=project).first()
        if existing is None:
            self._plan(project)
            created_plan = True
        elif existing.is_example:
            # An example loaded by an earlier version gets the note and the bearers that the source supports.
            existing.example_note = EXAMPLE_NOTE
            existing.save(update_fields=["example_note"])
            for spec in BENEFITS:
                if "bearer_number" in spec:
                    Benefit.objects.filter(plan=existing, description=spec["description"]).update(
                        bearer_organisation=_organisation(spec["bearer_number"])
                    )
        _set, created_set = PreventionSet.objects.get_or_create(
            name=PREVENTION_EXAMPLE["name"],
            is_example=True,
            defaults={k: v for k, v in PREVENTION_EXAMPLE.items() if k != "name"},
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Example plan: {'created' if created_plan else 'already there'}; "
                f"example prevention set: {'created' if created_set else 'already there'}."
            )
        )

    def _plan(self, project: Project) -> None:
        # The benefits below are written from Statens vegvesen's side (its case handling is what the digital
        # exchange saves); the other owners appear as other state bodies.
        owners = project.owners.order_by("pk")
        owner = owners.filter(name__icontains="vegvesen").first() or owners.first()
        plan = BenefitPlan.objects.create(
            project=project,
            rationale=(
                "Fornying av førerrett var papirbasert og manuell, med mange aktører og uklar ansvarsdeling "
                "(Meld. St. 30 (2019–2020), boks 8.1)."
            ),
            goals=(
                "En enkel og digital prosess der konklusjonen fra helseattesten går direkte mellom fastlege og "
                "Statens vegvesen."
            ),
            parameters=ParameterSet.objects.get(version=R109_2021["version"]),
            base_year=2020,
            analysis_years=10,
            is_example=True,
            example_note=EXAMPLE_NOTE,
        )
        Cost.objects.bulk_create(
            [
                Cost(plan=plan, kind=CostKind.INVESTMENT, year=2020, amount=Decimal(60_000_000)),
                Cost(plan=plan, kind=CostKind.INVESTMENT, year=2021, amount=Decimal(40_000_000)),
                *[Cost(plan=plan, kind=CostKind.OPERATING, year=y, amount=Decimal(5_000_000)) for y in YEARS],
            ]
        )
        for position, spec in enumerate(BENEFITS, start=1):
            values = {k: v for k, v in spec.items() if k not in ("yearly", "bearer_number")}
            if values["bearer"] == Bearer.OWN_ORGANISATION:
                values["bearer_organisation"] = owner
            elif "bearer_number" in spec:
                values["bearer_organisation"] = _organisation(spec["bearer_number"])
            benefit = Benefit.objects.create(plan=plan, position=position, **values)
            if spec["yearly"]:
                BenefitAmount.objects.bulk_create(
                    [
                        BenefitAmount(benefit=benefit, plan=plan, bearer=benefit.bearer, year=y, amount=spec["yearly"])
                        for y in YEARS
                    ]
                )


def _organisation(number: str) -> Organisation | None:
    return Organisation.objects.filter(organisation_number=number).first()
