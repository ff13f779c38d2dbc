"""Benefit realisation in the open API (``/api/v1/benefits``).

- ``POST /calculate``: cash flows and analysis parameters in, the net present value by R-109 and the yearly table
  behind it out, with the co-financing scheme's checks — so other systems can compute exactly as Nyskap does. No
  token needed; nothing is stored.
- ``GET /parameters``: the versioned parameter table.
- ``GET /plans/{slug}``: the current plan of a project the caller may see (anonymous: public projects).
- ``POST /benefits/{id}/measurements``: a benefit owner (or the plan's editors) records a measurement, with a token.
- ``POST /plans/{slug}/import``: the plan's editors create it from the XLSX its export writes, with a token (a
  background task, ``/api/v1/tasks/{id}``).
- ``POST /plans/{slug}/versions``: the plan's editors make such a file (its export, edited) its next version (a
  background task too).

Money is given and returned as decimal strings or numbers in NOK; results are rounded to øre.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from nyskap.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY, TOKEN_AUTH
from nyskap.api.errors import ErrorOut, api_error, invalid
from nyskap.api.tasks import TaskOut, accepted
from nyskap.api.throttling import ANONYMOUS_WRITES
from nyskap.core.spreadsheets import XLSX_TYPE, CellProblem, SpreadsheetError
from nyskap.projects.models import Project

from . import calculations, jobs, selectors, services, transfer
from .models import Benefit, BenefitPlan, ParameterSet
from .schemas import (
    CalculationIn,
    CalculationOut,
    ImportErrorOut,
    MeasurementIn,
    MeasurementOut,
    ParameterOut,
    PlanOut,
    round_money,
)

router = Router(tags=["benefits"])


# Helpers


def calculation_out(
    flows: calculations.CashFlows, parameters: ParameterSet, result: calculations.Result
) -> dict[str, Any]:
    checks = calculations.co_financing_checks(flows, parameters.co_financing_basis)
    uncertain = ["co_financing_reading"]
    if parameters.is_uncertain("co_financing_basis"):
        uncertain.append("co_financing_basis")
    return {
        "parameter_version": parameters.version,
        "npv": round_money(result.npv),
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
        "investment_total": round_money(result.investment_total),
        "pv_benefits": round_money(result.pv_benefits),
        "pv_investment": round_money(result.pv_investment),
        "pv_operating": round_money(result.pv_operating),
        "pv_tax_financing_cost": round_money(result.pv_tax_financing_cost),
        "residual_value_discounted": round_money(result.residual_value_discounted),
        "gross_benefit": round_money(result.gross_benefit),
        "net_benefit": round_money(result.net_benefit),
        "by_bearer": [
            {
                "bearer": t.bearer,
                "gross": round_money(t.gross),
                "operating": round_money(t.operating),
                "net": round_money(t.net),
                "present_value": round_money(t.present_value),
            }
            for t in result.by_bearer
        ],
        "co_financing_checks": [
            {
                "bearer": c.bearer,
                "organisation": c.subject,
                "net_benefit": round_money(c.net_benefit),
                "required_cut": round_money(c.required_cut),
                "planned_cut": round_money(c.planned_cut),
                "applies": c.applies,
                "passed": c.passed,
                "basis": c.basis,
                "largest_year_net_benefit": round_money(c.largest_year_net_benefit),
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
                "benefits_by_bearer": {k: round_money(v) for k, v in r.benefits_by_bearer.items()},
                "benefits": round_money(r.benefits),
                "investment": round_money(r.investment),
                "operating": round_money(r.operating),
                "budget_cuts": round_money(r.budget_cuts),
                "net_public_budget_cost": round_money(r.net_public_budget_cost),
                "tax_financing_cost": round_money(r.tax_financing_cost),
                "net": round_money(r.net),
                "discounted": round_money(r.discounted),
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
            return api_error(404, "not_found", "No parameter version with this name.", "parameter_version")
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
        return invalid(error.field, error.message)
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
    plan = selectors.current_plan(_caller(request), project) if project else None
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
        return api_error(403, "forbidden", str(denied) or _("You may not do this."))
    except services.BenefitError as error:
        return invalid(error.field or "__all__", error.message)
    return Status(201, measurement)


IMPORT_TYPES = (XLSX_TYPE, "application/octet-stream")


@router.post(
    "/plans/{slug}/import",
    response={
        202: TaskOut,
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
        "only into a project without a plan (409 otherwise). A body that is no XLSX file at all (empty, or not a "
        "ZIP archive) answers 422 at once. Otherwise the import runs as a background task: the answer is 202 with "
        "the task and its address in `Location` (`/api/v1/tasks/{id}`); poll it until `status` is `done`, with "
        "the new plan in `created`, or `failed`, with every problem in `problems` (its sheet, row — the header "
        "is row 1 — and column) and nothing written. All or nothing."
    ),
    auth=TOKEN_AUTH,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def plan_import(request: HttpRequest, response: HttpResponse, slug: str) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    project = Project.objects.visible_to(user).filter(slug=slug).first()
    if project is None:
        raise Http404
    if not services.can_change(user, project):
        return api_error(
            403, "forbidden", _("Only the project's authors and editors of its organisations can change its plan.")
        )
    if BenefitPlan.objects.filter(project=project, is_current=True).exists():
        return api_error(
            409,
            "conflict",
            _("The project already has a benefit-realisation plan. A plan is imported into a project without one."),
        )
    if request.content_type not in IMPORT_TYPES:
        return api_error(415, "unsupported_media_type", f"Send the XLSX file as the request body ({XLSX_TYPE}).")
    upload, filename = io.BytesIO(request.body), f"{project.slug}.xlsx"
    if refused := _refused_file(upload, filename):
        return refused
    job = jobs.plan_import_start(actor=user, project=project, upload=upload, filename=filename)
    return accepted(request, response, job)


def _refused_file(upload: io.BytesIO, filename: str) -> Any:
    """422 for a body that is no XLSX file at all (the checks that need not read it), else None."""
    try:
        transfer.check_upload(upload, filename)
    except SpreadsheetError as error:
        problem = CellProblem("", 0, "", error.message)
        body = problem.as_dict() | {"field": "file"}
        return Status(422, {"status": 422, "code": "invalid_file", "message": error.message, "errors": [body]})
    return None


@router.post(
    "/plans/{slug}/versions",
    response={
        202: TaskOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ImportErrorOut,
    },
    summary="Import a new version of a plan from its spreadsheet",
    description=(
        "Makes an XLSX file in the layout of the plan's export (typically that export, edited) the next version "
        "of the project's plan, a draft; the version before is kept as it was. The file is sent as the request "
        f"body with the content type `{XLSX_TYPE}`. For the project's authors and the editors of its owning "
        "organisations, with a token (403 for others who may see the project, 404 for those who may not); only "
        "when the current version is submitted (409 for a draft, which is changed directly), as with a new "
        "version started on the plan page. A body that is no XLSX file at all answers 422 at once; otherwise the "
        "import runs as a background task, answered with 202 and the task as for `POST /plans/{slug}/import`: "
        "`done` with the new version in `created`, or `failed` with every problem in `problems` (sheet, row and "
        "column) and nothing written."
    ),
    auth=TOKEN_AUTH,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def plan_version_import(request: HttpRequest, response: HttpResponse, slug: str) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    project = Project.objects.visible_to(user).filter(slug=slug).first()
    if project is None:
        raise Http404
    if not services.can_change(user, project):
        return api_error(
            403, "forbidden", _("Only the project's authors and editors of its organisations can change its plan.")
        )
    plan = selectors.current_plan(user, project)
    if plan is None:
        raise Http404
    if (refusal := services.can_start_version(plan)) is not None:
        return api_error(409, "conflict", refusal.message)
    if request.content_type not in IMPORT_TYPES:
        return api_error(415, "unsupported_media_type", f"Send the XLSX file as the request body ({XLSX_TYPE}).")
    upload, filename = io.BytesIO(request.body), f"{project.slug}.xlsx"
    if refused := _refused_file(upload, filename):
        return refused
    job = jobs.plan_import_version_start(actor=user, plan=plan, upload=upload, filename=filename)
    return accepted(request, response, job)
