"""Benefit-plan helpers for the tests: plans are made through the services, as users make them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from nyskap.benefits import services
from nyskap.benefits.models import Bearer, Benefit, BenefitPlan, BenefitType, CostKind, RealisationForm


def make_plan(
    *, project: Any, actor: Any, base_year: int = 2024, analysis_years: int = 3, **fields: Any
) -> BenefitPlan:
    return services.plan_create(
        project=project,
        actor=actor,
        rationale=fields.pop("rationale", "Middag leveres kald."),
        goals=fields.pop("goals", "Varm mat hver dag."),
        base_year=base_year,
        analysis_years=analysis_years,
        **fields,
    )


def make_benefit(*, plan: BenefitPlan, actor: Any, **fields: Any) -> Benefit:
    values: dict[str, Any] = {
        "description": "Færre kjøreturer",
        "benefit_type": BenefitType.EFFICIENCY,
        "bearer": Bearer.OWN_ORGANISATION,
        "realisation_form": RealisationForm.BUDGET_CUT,
        "indicator": "Kjøreturer per uke",
        "baseline_value": Decimal(100),
        "baseline_date": datetime.date(2024, 1, 1),
        "target_value": Decimal(200),
        "target_date": datetime.date(2025, 1, 1),
        "owner": None,
    }
    values.update(fields)
    return services.benefit_save(plan=plan, actor=actor, **values)


def hand_worked_plan(*, project: Any, actor: Any, owner: Any = None) -> BenefitPlan:
    """The example of test_calculations: investment 1 000 000 in 2024, operating 100 000 in 2025 and 2026, the own
    organisation's budget cut 600 000 in 2025 and 2026 → NPV −68 343.1953."""
    plan = make_plan(project=project, actor=actor)
    services.costs_set(plan=plan, actor=actor, kind=CostKind.INVESTMENT, amounts={2024: Decimal(1_000_000)})
    services.costs_set(
        plan=plan, actor=actor, kind=CostKind.OPERATING, amounts={2025: Decimal(100_000), 2026: Decimal(100_000)}
    )
    benefit = make_benefit(plan=plan, actor=actor, owner=owner)
    services.benefit_amounts_set(benefit=benefit, actor=actor, amounts={2025: Decimal(600_000), 2026: Decimal(600_000)})
    return plan
