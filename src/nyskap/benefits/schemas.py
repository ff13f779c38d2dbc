"""The open API's shapes for benefit realisation (`nyskap.benefits.api`): what it reads (`…In`, with the number and
money types that state their rules in the schema) and what it writes (`…Out`)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    ConfigDict,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from nyskap.api.types import InSchema, NoNul, whole_number

ShortText = Annotated[NoNul, StringConstraints(max_length=300)]


Year = whole_number(1900, 2200)
PeriodYears = whole_number(1, 100)


def _to_øre(value: Decimal) -> Decimal:
    """Kroner are counted in øre: finer fractions carry no meaning and would let a near-zero investment blow the
    per-krone figure up beyond any precision."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# A decimal in the API: a number or a decimal string; the schema states the string form too, so a well-formed
# request is always one the calculation accepts. An indicator value (a count, a share, kroner) is one as it is.
IndicatorValue = Annotated[
    Decimal,
    Field(ge=-(10**12), le=10**12, allow_inf_nan=False),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": -(10**12), "maximum": 10**12},
                {"type": "string", "pattern": r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$"},
            ]
        }
    ),
]
# Money is the same, rounded to øre.
Money = Annotated[IndicatorValue, AfterValidator(_to_øre)]
Cost = Annotated[
    Decimal,
    Field(ge=0, le=10**12, allow_inf_nan=False),
    AfterValidator(_to_øre),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 10**12},
                {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,6})?$"},
            ]
        }
    ),
]
Rate = Annotated[
    Decimal,
    Field(ge=Decimal("-0.1"), le=Decimal("0.1"), allow_inf_nan=False),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": -0.1, "maximum": 0.1},
                {"type": "string", "pattern": r"^-?0(\.(0[0-9]{0,5}|10{0,5}))?$"},
            ]
        }
    ),
]
Series = Annotated[list[Money], Field(max_length=100)]
CostSeries = Annotated[list[Cost], Field(max_length=100)]
CENT = Decimal("0.01")


def round_money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


# Input. Series are given year by year from the base year (index 0 = the base year), so no amount can fall outside
# the analysis period: the period is `analysis_years` or the longest series, whichever is longer.


PUBLIC_BEARERS = ("own_organisation", "other_state", "municipal_sector")


class StreamIn(InSchema):
    """One series of monetised benefits. One schema for every bearer (not a union keyed on the bearer), so the
    schema and the validation say the same: only public bearers can take a benefit out as a budget cut."""

    model_config = ConfigDict(
        extra="forbid",
        # The rule below, in the schema: citizens and business never take a benefit out as a budget cut.
        json_schema_extra={
            "if": {"properties": {"bearer": {"enum": ["citizens", "business"]}}, "required": ["bearer"]},
            "then": {"properties": {"budget_cut": {"const": False}}},
        },
    )

    bearer: Literal["own_organisation", "other_state", "municipal_sector", "citizens", "business"] = Field(
        description="Who gets the benefit: the own organisation, other state bodies, the municipal sector, citizens "
        "or business."
    )
    budget_cut: StrictBool = Field(
        False,
        description="Taken out as a budget cut (lowers the tax-financing cost, counts in the co-financing check). "
        "Only for the public bearers; citizens and business never give a budget cut.",
    )
    organisation: ShortText = Field("", description="The bearer's name when known (used by the co-financing check).")
    amounts: Series = Field(default_factory=list, description="Benefit by year from the base year, NOK.")

    @field_validator("budget_cut")
    @classmethod
    def _budget_cut_only_for_public_bearers(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("bearer") not in PUBLIC_BEARERS:
            raise ValueError("Benefits for citizens or business cannot be taken out as a budget cut.")
        return value


class CalculationIn(InSchema):
    base_year: Year = Field(  # type: ignore[valid-type]
        description="The year values are discounted to (sammenstillingsår); index 0 of every series."
    )
    analysis_years: PeriodYears = Field(  # type: ignore[valid-type]
        10, description="Length of the analysis period; a longer series extends it (up to 100)."
    )
    investment: CostSeries = Field(default_factory=list, description="Investment by year from the base year, NOK.")
    operating: CostSeries = Field(
        default_factory=list, description="Lasting operating costs of the new solution by year from the base year."
    )
    benefits: list[StreamIn] = Field(
        default_factory=list, max_length=100, description="Monetised benefits, one series per bearer and benefit."
    )
    real_growth_rate: Rate = Field(
        Decimal(0), description="Real-price growth of benefits, as a share per year (0.008 = 0.8 %)."
    )
    residual_value: Money = Field(
        Decimal(0),
        description="Value beyond the period, net, counted in its last year; may be negative (e.g. the cost of "
        "winding the solution down), as in the calculation and ADR 0005.",
    )
    parameter_version: ShortText | None = Field(None, description="A parameter version; the one in force by default.")


# Output


class YearOut(Schema):
    year: int
    discount_factor: Decimal = Field(description="DF_t, 10 decimals.")
    benefits_by_bearer: dict[str, Decimal]
    benefits: Decimal
    investment: Decimal
    operating: Decimal
    budget_cuts: Decimal
    net_public_budget_cost: Decimal
    tax_financing_cost: Decimal
    net: Decimal
    discounted: Decimal


class BearerOut(Schema):
    bearer: str
    gross: Decimal
    operating: Decimal
    net: Decimal
    present_value: Decimal


class CheckOut(Schema):
    bearer: str
    organisation: str = Field(
        description="The body checked: for the own organisation, the name given on its benefits (empty if none)."
    )
    net_benefit: Decimal
    required_cut: Decimal
    planned_cut: Decimal
    applies: bool
    passed: bool
    basis: Literal["per_year", "period"] = Field(
        description="What the NOK 5 million threshold was compared with: the body's largest yearly net benefit "
        "or its net benefit over the analysis period (the parameter version's co_financing_basis)."
    )
    largest_year_net_benefit: Decimal = Field(description="The body's largest net benefit in one year.")
    other_basis_applies: bool | None = Field(
        description="Under the other reading of the threshold: whether a budget cut is required (null for the own "
        "organisation, where no threshold applies)."
    )
    other_basis_passed: bool | None = Field(description="Under the other reading: whether the check passes.")
    readings_differ: bool = Field(description="The two readings of the threshold give different verdicts.")
    uncertain: list[str] = Field(
        description="What in this check is marked [U] (not verified), as on the plan page: the scheme's reading "
        "and, when the parameter version marks it so, the threshold's basis."
    )


class CalculationOut(Schema):
    parameter_version: str
    npv: Decimal
    npv_per_invested_krone: Decimal | None = Field(
        description=(
            "NPV / investment cost (DOMAIN's formula): the NPV divided by the undiscounted sum of the investment in "
            "base-year prices. Null when nothing is invested."
        )
    )
    npv_per_pv_invested_krone: Decimal | None = Field(
        description="NPV / present value of the investment, shown beside it. Null when nothing is invested."
    )
    investment_total: Decimal = Field(description="The investment over the analysis period, undiscounted.")
    pv_benefits: Decimal
    pv_investment: Decimal
    pv_operating: Decimal
    pv_tax_financing_cost: Decimal
    residual_value_discounted: Decimal
    gross_benefit: Decimal
    net_benefit: Decimal
    by_bearer: list[BearerOut]
    co_financing_checks: list[CheckOut]
    years: list[YearOut]
    uncertain: list[str] = Field(
        description=(
            "Parameters of the version used that are marked [U]: not verified against the primary source. The "
            "co-financing checks' basis is also a [U] reading."
        )
    )


class ParameterOut(Schema):
    version: str
    in_force_from: datetime.date
    source: str
    discount_bands: list[list[Any]] = Field(description="[last year of the band or null, rate].")
    tax_financing_rate: Decimal
    default_analysis_years: int
    max_analysis_years: int
    uncertain: list[str] = Field(description="Parameters marked [U]: not verified against the primary source.")


class AmountOut(Schema):
    """A monetised benefit in one calendar year."""

    year: int
    amount: Decimal


class MeasurementOut(Schema):
    id: int
    value: Decimal
    measured_on: datetime.date
    source: str
    comment: str
    deviation_explanation: str
    realised_amount: Decimal | None


class BenefitOut(Schema):
    id: int
    description: str
    benefit_type: str
    bearer: str
    bearer_organisation: str
    indicator: str
    unit: str
    baseline_value: Decimal | None
    baseline_date: datetime.date | None
    target_value: Decimal | None
    target_date: datetime.date | None
    owner: str | None = Field(description="The benefit owner's name; null when not given.")
    realisation_form: str
    measures: str
    preconditions_risks: str
    measurement_method: str
    measurement_frequency_months: int
    status: str
    abandoned_reason: str
    amounts: list[AmountOut]
    measurements: list[MeasurementOut]


class PlanOut(Schema):
    project: str
    version: int
    status: str
    is_example: bool
    rationale: str
    goals: str
    base_year: int
    analysis_years: int
    benefits: list[BenefitOut]
    calculation: CalculationOut


class MeasurementIn(InSchema):
    value: IndicatorValue
    measured_on: datetime.date
    source: ShortText
    comment: Annotated[NoNul, StringConstraints(max_length=5000)] = ""
    deviation_explanation: Annotated[NoNul, StringConstraints(max_length=5000)] = ""
    realised_amount: Money | None = None


class ImportProblemOut(Schema):
    field: str
    message: str
    sheet: str
    row: int
    column: str


class ImportErrorOut(Schema):
    status: int
    code: str
    message: str
    errors: list[ImportProblemOut] = []
