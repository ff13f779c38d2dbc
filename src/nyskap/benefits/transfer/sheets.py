"""The plan's data sheets: the format both directions share, and the export that writes it."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from nyskap.core.spreadsheets import XML_ILLEGAL

from .. import services
from ..models import (
    BenefitPlan,
)

FORMAT = "nyskap-benefit-plan-1"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000

PLAN_SHEET = "data-plan"
BENEFITS_SHEET = "data-benefits"
AMOUNTS_SHEET = "data-amounts"
COSTS_SHEET = "data-costs"
MEASUREMENTS_SHEET = "data-measurements"

SHEETS = (PLAN_SHEET, BENEFITS_SHEET, AMOUNTS_SHEET, COSTS_SHEET, MEASUREMENTS_SHEET)
PLAN_FIELDS = [
    "format",
    "project",
    "version",
    "status",
    "rationale",
    "goals",
    "parameters",
    "base_year",
    "analysis_years",
    "real_growth_rate",
    "residual_value",
    "is_example",
    "example_note",
]
PLAN_REQUIRED = ["rationale", "goals", "parameters", "base_year", "analysis_years"]
PLAN_INFORMATION = {"format", "project", "version", "status"}  # written for the reader, not imported
# The benefit's own fields in the service's order, between its reference and why it was abandoned.
BENEFIT_COLUMNS = ["ref", *services.BENEFIT_FIELDS, "abandoned_reason"]
BENEFIT_REQUIRED = ["ref", "description", "benefit_type", "bearer", "realisation_form"]
AMOUNT_COLUMNS = ["benefit", "year", "amount"]
COST_COLUMNS = ["kind", "year", "amount"]
MEASUREMENT_COLUMNS = [
    "benefit",
    "measured_on",
    "value",
    "source",
    "comment",
    "deviation_explanation",
    "realised_amount",
    "recorded_by",
]
MEASUREMENT_REQUIRED = ["benefit", "measured_on", "value", "source"]
# Longest text per column (the model's limits; a text field is limited so one cell cannot fill the database).
TEXT_LIMITS = {
    "description": 300,
    "bearer_name": 200,
    "indicator": 300,
    "unit": 50,
    "measurement_method": 300,
    "source": 300,
    "bearer_organisation": 200,
    "owner": 254,
    "recorded_by": 254,
    "parameters": 40,
}
LONG_TEXT_LIMIT = 20000


OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(match: re.Match[str]) -> str:
    character = chr(int(match.group(1), 16))
    return character if XML_ILLEGAL.match(character) else match.group(0)


# Export: the data sheets


def _number(value: Decimal | int | None) -> Any:
    """A number for a cell: a float when the float holds the decimal exactly, else the decimal as text (read back
    exactly by the import)."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value == value.to_integral_value() and abs(value) < Decimal(2**53):
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def data_sheets(plan: BenefitPlan) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The plan as the import reads it: (sheet name, header, rows) for each data sheet."""
    benefits = list(
        plan.benefits.select_related("bearer_organisation", "owner").prefetch_related(
            "amounts", "measurements__recorded_by"
        )
    )
    plan_rows: list[list[Any]] = [
        ["format", FORMAT],
        ["project", plan.project.slug],
        ["version", plan.version],
        ["status", plan.status],
        ["rationale", plan.rationale],
        ["goals", plan.goals],
        ["parameters", plan.parameters.version],
        ["base_year", plan.base_year],
        ["analysis_years", plan.analysis_years],
        ["real_growth_rate", _number(plan.real_growth_rate)],
        ["residual_value", _number(plan.residual_value)],
        ["is_example", "yes" if plan.is_example else "no"],
        ["example_note", plan.example_note],
    ]
    benefit_rows: list[list[Any]] = []
    amount_rows: list[list[Any]] = []
    measurement_rows: list[list[Any]] = []
    for ref, benefit in enumerate(benefits, start=1):
        benefit_rows.append(
            [
                ref,
                benefit.description,
                benefit.benefit_type,
                benefit.bearer,
                benefit.bearer_organisation.slug if benefit.bearer_organisation_id else "",  # type: ignore[union-attr]
                benefit.bearer_name,
                benefit.indicator,
                benefit.unit,
                _number(benefit.baseline_value),
                benefit.baseline_date,
                _number(benefit.target_value),
                benefit.target_date,
                benefit.owner.email if benefit.owner_id else "",  # type: ignore[union-attr]
                benefit.measures,
                benefit.realisation_form,
                benefit.preconditions_risks,
                benefit.measurement_method,
                benefit.measurement_frequency,
                benefit.abandoned_reason,
            ]
        )
        amount_rows += [[ref, a.year, _number(a.amount)] for a in benefit.amounts.all()]
        measurement_rows += [
            [
                ref,
                m.measured_on,
                _number(m.value),
                m.source,
                m.comment,
                m.deviation_explanation,
                _number(m.realised_amount),
                m.recorded_by.email if m.recorded_by_id else "",  # type: ignore[union-attr]
            ]
            for m in benefit.measurements.all()
        ]
    cost_rows = [[c.kind, c.year, _number(c.amount)] for c in plan.costs.order_by("kind", "year")]
    return [
        (PLAN_SHEET, ["field", "value"], plan_rows),
        (BENEFITS_SHEET, BENEFIT_COLUMNS, benefit_rows),
        (AMOUNTS_SHEET, AMOUNT_COLUMNS, amount_rows),
        (COSTS_SHEET, COST_COLUMNS, cost_rows),
        (MEASUREMENTS_SHEET, MEASUREMENT_COLUMNS, measurement_rows),
    ]
