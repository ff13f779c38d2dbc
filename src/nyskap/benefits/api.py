"""Benefit realisation in the open API (``/api/v1/benefits``).

- ``POST /calculate``: cash flows and analysis parameters in, the net present value by R-109 and the yearly table
  behind it out, with the co-financing scheme's checks — so other systems can compute exactly as Nyskap does. No
  token needed; nothing is stored.
- ``GET /parameters``: the versioned parameter table.
- ``GET /plans/{slug}``: the current plan of a project the caller may see (anonymous: public projects).
- ``POST /benefits/{id}/measurements``: a benefit owner (or the plan's editors) records a measurement, with a token.
- ``POST /plans/{slug}/import``: the plan's editors create it from the XLSX its export writes, with a token.

Money is given and returned as decimal strings or numbers in NOK; results are rounded to øre.
"""

from __future__ import annotations

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from nyskap.api.errors import ErrorOut
from nyskap.api.throttling import ANONYMOUS_WRITES
from nyskap.api.types import InSchema, NoNul
from nyskap.core.spreadsheets import XLSX_TYPE, CellProblem, SpreadsheetError
from nyskap.projects.api import OPTIONAL_AUTH, OPTIONAL_SECURITY, TOKEN_AUTH
from nyskap.projects.models import Project

from . import calculations, selectors, services, transfer
from .models import Benefit, BenefitPlan, ParameterSet

router = Router(tags=["benefits"])

ShortText = Annotated[NoNul, StringConstraints(max_length=300)]


def _whole_number(value: Any) -> Any:
    """JSON Schema's integer: whole numbers, also written 2024.0; never strings or booleans."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Input should be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("Input should be a whole number")
        return int(value)
    return value


def _whole_number_between(low: int, high: int) -> Any:
    def check(value: Any) -> int:
        number = _whole_number(value)
        if not low <= number <= high:
            raise ValueError(f"Input should be between {low} and {high}")
        return int(number)

    return Annotated[int, BeforeValidator(check), WithJsonSchema({"type": "integer", "minimum": low, "maximum": high})]


Year = _whole_number_between(1900, 2200)
PeriodYears = _whole_number_between(1, 100)


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


def _money(value: Decimal) -> Decimal:
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


# Helpers


def _error(status: int, code: str, message: str, field: str | None = None) -> Status[dict[str, Any]]:
    errors = [{"field": field, "message": message}] if field else []
    return Status(status, {"status": status, "code": code, "message": message, "errors": errors})


def _invalid(field: str, message: str) -> Status[dict[str, Any]]:
    return Status(
        422,
        {
            "status": 422,
            "code": "validation_error",
            "message": "The request is not valid.",
            "errors": [{"field": field or "__all__", "message": message}],
        },
    )


def calculation_out(
    flows: calculations.CashFlows, parameters: ParameterSet, result: calculations.Result
) -> dict[str, Any]:
    checks = calculations.co_financing_checks(flows, parameters.co_financing_basis)
    uncertain = ["co_financing_reading"]
    if parameters.is_uncertain("co_financing_basis"):
        uncertain.append("co_financing_basis")
    return {
        "parameter_version": parameters.version,
        "npv": _money(result.npv),
        "npv_per_invested_krone": (
            result.npv_per_invested_krone.quantize(Decimal("0.0001"))
            if result.npv_per_invested_krone is not None
            else None
        ),
        "npv_per_pv_invested_krone": (
            result.npv_per_pv_invested_krone.quantize(Decimal("0.0001"))
            if result.npv_per_pv_invested_krone is not None
            else None
        ),
        "investment_total": _money(result.investment_total),
        "pv_benefits": _money(result.pv_benefits),
        "pv_investment": _money(result.pv_investment),
        "pv_operating": _money(result.pv_operating),
        "pv_tax_financing_cost": _money(result.pv_tax_financing_cost),
        "residual_value_discounted": _money(result.residual_value_discounted),
        "gross_benefit": _money(result.gross_benefit),
        "net_benefit": _money(result.net_benefit),
        "by_bearer": [
            {
                "bearer": t.bearer,
                "gross": _money(t.gross),
                "operating": _money(t.operating),
                "net": _money(t.net),
                "present_value": _money(t.present_value),
            }
            for t in result.by_bearer
        ],
        "co_financing_checks": [
            {
                "bearer": c.bearer,
                "organisation": c.subject,
                "net_benefit": _money(c.net_benefit),
                "required_cut": _money(c.required_cut),
                "planned_cut": _money(c.planned_cut),
                "applies": c.applies,
                "passed": c.passed,
                "basis": c.basis,
                "largest_year_net_benefit": _money(c.largest_year_net_benefit),
                "other_basis_applies": c.other_basis_applies,
                "other_basis_passed": c.other_basis_passed,
                "readings_differ": c.readings_differ,
                "uncertain": uncertain,
            }
            for c in checks
        ],
        "years": [
            {
                "year": r.year,
                "discount_factor": r.discount_factor.quantize(Decimal("1e-10")),
                "benefits_by_bearer": {k: _money(v) for k, v in r.benefits_by_bearer.items()},
                "benefits": _money(r.benefits),
                "investment": _money(r.investment),
                "operating": _money(r.operating),
                "budget_cuts": _money(r.budget_cuts),
                "net_public_budget_cost": _money(r.net_public_budget_cost),
                "tax_financing_cost": _money(r.tax_financing_cost),
                "net": _money(r.net),
                "discounted": _money(r.discounted),
            }
            for r in result.rows
        ],
        "uncertain": list(parameters.uncertain or []),
    }


# Operations


@router.post(
    "/calculate",
    response={200: CalculationOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Net present value by R-109",
    description=(
        "Cash flows (investment, operating costs, benefits by bearer and year, in base-year prices) and analysis "
        "parameters in; the net present value, NPV per invested krone (NPV / undiscounted investment cost) and per "
        "krone of investment in present value, the yearly table (discount factor, tax-financing cost, net and "
        "discounted), the co-financing scheme's checks and the parameters marked [U] (not verified) out. The "
        "tax-financing cost is 20 % of the net public-budget cost: costs minus benefits taken out as budget cuts. "
        "Nothing is stored. Without a token, 429 when this client calls too often."
    ),
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    throttle=ANONYMOUS_WRITES,
)
def calculate(request: HttpRequest, payload: CalculationIn) -> Any:
    if payload.parameter_version:
        parameters = ParameterSet.objects.filter(version=payload.parameter_version).first()
        if parameters is None:
            return _error(404, "not_found", "No parameter version with this name.", "parameter_version")
    else:
        parameters = services.current_parameters()
    years = max(
        payload.analysis_years,
        len(payload.investment),
        len(payload.operating),
        *(len(stream.amounts) for stream in payload.benefits),
    )
    base = payload.base_year

    def by_year(series: list[Decimal]) -> dict[int, Decimal]:
        return {base + index: amount for index, amount in enumerate(series) if amount}

    flows = calculations.CashFlows(
        base_year=base,
        analysis_years=years,
        investment=by_year(payload.investment),
        operating=by_year(payload.operating),
        benefits=[
            calculations.BenefitStream(
                bearer=stream.bearer,
                amounts=by_year(stream.amounts),
                budget_cut=stream.budget_cut,
                organisation=stream.organisation,
            )
            for stream in payload.benefits
        ],
        real_growth_rate=payload.real_growth_rate,
        residual_value=payload.residual_value,
    )
    try:
        result = calculations.net_present_value(flows, parameters.as_parameters())
    except calculations.CalculationError as error:
        return _invalid(error.field, error.message)
    return calculation_out(flows, parameters, result)


@router.get(
    "/parameters",
    response={200: list[ParameterOut], 401: ErrorOut},
    summary="Analysis parameter versions",
    description="The versioned parameters (discount rates, tax-financing cost, periods), newest first.",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
def parameter_list(request: HttpRequest) -> Any:
    services.current_parameters()
    return list(ParameterSet.objects.all())


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def _visible_plan(request: HttpRequest, slug: str) -> BenefitPlan:
    project = Project.objects.visible_to(_caller(request)).filter(slug=slug).first()
    plan = (
        BenefitPlan.objects.visible_to(_caller(request))
        .select_related("project", "parameters")
        .filter(project=project, is_current=True)
        .first()
        if project
        else None
    )
    if plan is None:
        raise Http404
    return plan


def _benefit_out(row: selectors.BenefitRow) -> dict[str, Any]:
    benefit = row.benefit
    return {
        "id": benefit.pk,
        "description": benefit.description,
        "benefit_type": benefit.benefit_type,
        "bearer": benefit.bearer,
        "bearer_organisation": (
            benefit.bearer_organisation.name if benefit.bearer_organisation_id else benefit.bearer_name  # type: ignore[union-attr]
        ),
        "indicator": benefit.indicator,
        "unit": benefit.unit,
        "baseline_value": benefit.baseline_value,
        "baseline_date": benefit.baseline_date,
        "target_value": benefit.target_value,
        "target_date": benefit.target_date,
        "owner": (benefit.owner.name or benefit.owner.email) if benefit.owner_id else None,  # type: ignore[union-attr]
        "realisation_form": benefit.realisation_form,
        "measures": benefit.measures,
        "preconditions_risks": benefit.preconditions_risks,
        "measurement_method": benefit.measurement_method,
        "measurement_frequency_months": benefit.measurement_frequency,
        "status": row.status.value,
        "abandoned_reason": benefit.abandoned_reason,
        "amounts": [{"year": a.year, "amount": a.amount} for a in benefit.amounts.all()],
        "measurements": row.measurements,
    }


@router.get(
    "/plans/{slug}",
    response={200: PlanOut, 401: ErrorOut, 404: ErrorOut},
    summary="A project's benefit-realisation plan",
    description=(
        "The current plan of a project the caller may see (anonymous: public projects): benefits with their "
        "status and measurements, and the calculation with its yearly table."
    ),
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
def plan_detail(request: HttpRequest, slug: str) -> Any:
    plan = _visible_plan(request, slug)
    context = selectors.plan_context(plan, user=_caller(request))
    flows = selectors.plan_flows(plan, [row.benefit for row in context["rows"]])
    return {
        "project": plan.project.slug,
        "version": plan.version,
        "status": plan.status,
        "is_example": plan.is_example,
        "rationale": plan.rationale,
        "goals": plan.goals,
        "base_year": plan.base_year,
        "analysis_years": plan.analysis_years,
        "benefits": [_benefit_out(row) for row in context["rows"]],
        "calculation": calculation_out(flows, plan.parameters, context["result"]),
    }


@router.post(
    "/benefits/{benefit_id}/measurements",
    response={201: MeasurementOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a measurement",
    description=(
        "For the benefit owner (or the plan's editors), with a token. When the measurement leaves the benefit "
        "behind its path to the target, `deviation_explanation` is required."
    ),
    auth=TOKEN_AUTH,
)
def measurement_create(request: HttpRequest, benefit_id: int, payload: MeasurementIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    benefit = (
        Benefit.objects.select_related("plan__project", "owner")
        .filter(pk=benefit_id, plan__is_current=True, plan__in=BenefitPlan.objects.visible_to(user).values("pk"))
        .first()
    )
    if benefit is None:
        raise Http404
    try:
        measurement = services.measurement_record(benefit=benefit, actor=user, **payload.model_dump())
    except PermissionDenied as denied:
        return _error(403, "forbidden", str(denied) or _("You may not do this."))
    except services.BenefitError as error:
        return _invalid(error.field or "__all__", error.message)
    return Status(201, measurement)


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


class ImportedPlanOut(Schema):
    project: str
    version: int
    status: str
    url: str


IMPORT_TYPES = (XLSX_TYPE, "application/octet-stream")


@router.post(
    "/plans/{slug}/import",
    response={
        201: ImportedPlanOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ImportErrorOut,
    },
    summary="Import a plan from its spreadsheet",
    description=(
        "Creates the project's benefit-realisation plan (a draft) from an XLSX file in the layout of the plan's "
        "export (its data sheets), sent as the request body with the content type "
        f"`{XLSX_TYPE}`. For the project's authors and the editors of its owning organisations, with a token; "
        "only into a project without a plan (409 otherwise). All or nothing: a file with problems answers 422 "
        "with every problem in `errors`, each with its `sheet`, `row` (the header is row 1; 0 for the sheet as a "
        "whole) and `column`; nothing is written."
    ),
    auth=TOKEN_AUTH,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def plan_import(request: HttpRequest, slug: str) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    project = Project.objects.visible_to(user).filter(slug=slug).first()
    if project is None:
        raise Http404
    if not services.can_change(user, project):
        return _error(
            403, "forbidden", _("Only the project's authors and editors of its organisations can change its plan.")
        )
    if request.content_type not in IMPORT_TYPES:
        return _error(415, "unsupported_media_type", f"Send the XLSX file as the request body ({XLSX_TYPE}).")
    try:
        result = transfer.import_plan(
            project=project, actor=user, upload=io.BytesIO(request.body), filename=f"{project.slug}.xlsx"
        )
    except services.BenefitError as error:
        return _error(409, "conflict", error.message)
    except SpreadsheetError as error:
        problem = CellProblem("", 0, "", error.message)
        body = problem.as_dict() | {"field": "file"}
        return Status(422, {"status": 422, "code": "invalid_file", "message": error.message, "errors": [body]})
    if result.plan is None:
        return Status(
            422,
            {
                "status": 422,
                "code": "validation_error",
                "message": _("The file has problems. Nothing was imported."),
                "errors": [problem.as_dict() for problem in result.problems],
            },
        )
    plan = result.plan
    return Status(
        201,
        {
            "project": project.slug,
            "version": plan.version,
            "status": plan.status,
            "url": reverse("benefits:plan", kwargs={"slug": project.slug}),
        },
    )
