"""The plan read back from its data sheets: every bad row and cell reported, the plan written all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from nyskap.accounts.models import User
from nyskap.core.spreadsheets import XLSX_SIGNATURE, CellProblem, SpreadsheetError, read_xlsx
from nyskap.core.tabular import choice_lookup
from nyskap.projects.models import Project

from .. import services
from ..models import (
    Benefit,
    BenefitAmount,
    BenefitPlan,
    Cost,
    CostKind,
    Measurement,
)
from ..portfolio_cache import invalidate_portfolio
from .rows import (
    benefit_rows,
    measurement_rows,
    read_plan_fields,
    yearly_rows,
)
from .sheets import (
    AMOUNT_COLUMNS,
    AMOUNTS_SHEET,
    BENEFITS_SHEET,
    COST_COLUMNS,
    COSTS_SHEET,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    MEASUREMENTS_SHEET,
    PLAN_SHEET,
    SHEETS,
)

# Import


@dataclass
class PlanImport:
    """What an import gave: the new plan, or the problems (and no plan; nothing was written)."""

    plan: BenefitPlan | None = None
    problems: list[CellProblem] = field(default_factory=list)


Counter = Callable[[int], None]


def _ignore(_rows: int) -> None:
    pass


def check_upload(upload: IO[bytes], filename: str) -> None:
    """The checks of a file that need not read it (its name, size and first bytes), made where it is uploaded so a
    file that is no workbook at all is refused at once: raises `SpreadsheetError`. The import makes them again."""
    if not filename.lower().endswith(".xlsx"):
        raise SpreadsheetError(_("Upload the plan as an Excel workbook (.xlsx), as the export writes it."))
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    if size > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20})
    if size == 0:
        raise SpreadsheetError(_("The file is empty."))
    start = upload.read(len(XLSX_SIGNATURE))
    upload.seek(0)
    if start != XLSX_SIGNATURE:
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx)."))


def import_plan(
    *, project: Project, actor: Any, upload: IO[bytes], filename: str, on_total: Counter = _ignore,
    on_row: Counter = _ignore,
) -> PlanImport:  # fmt: skip
    """Read the file and create the project's plan from it, or return every problem and write nothing. Raises
    `PermissionDenied` for a user who may not create the plan (before the file is read), `BenefitError` when the
    project already has a plan, and `SpreadsheetError` for a file that cannot be read at all."""
    if not services.can_change(actor, project):
        raise PermissionDenied(_("Only the project's authors and editors of its organisations can change its plan."))
    if BenefitPlan.objects.filter(project=project, is_current=True).exists():
        raise services.BenefitError(
            _("The project already has a benefit-realisation plan. A plan is imported into a project without one.")
        )
    return _import(
        project=project, actor=actor, upload=upload, filename=filename, after=None, on_total=on_total, on_row=on_row
    )


def import_plan_version(
    *, plan: BenefitPlan, actor: Any, upload: IO[bytes], filename: str, on_total: Counter = _ignore,
    on_row: Counter = _ignore,
) -> PlanImport:  # fmt: skip
    """Read the file (typically the plan's own export, edited) and make it the next version of ``plan``, as
    "Start a new version" does but with the file's content instead of a copy, or return every problem and write
    nothing. The rule for new versions is the service's (`services.plan_next_version`): for the plan's editors,
    from the current version once it is submitted. Raises `PermissionDenied` for a user who may not change the
    plan and `BenefitError` when no new version may be started (both before the file is read), and
    `SpreadsheetError` for a file that cannot be read at all. The measurements in the file go with the new
    version's benefits; the earlier version keeps its own."""
    if not services.can_change(actor, plan.project):
        raise PermissionDenied(_("Only the project's authors and editors of its organisations can change its plan."))
    refusal = services.can_start_version(plan)
    if refusal is not None:
        raise refusal
    return _import(
        project=plan.project, actor=actor, upload=upload, filename=filename, after=plan, on_total=on_total,
        on_row=on_row,
    )  # fmt: skip


def _import(
    *, project: Project, actor: Any, upload: IO[bytes], filename: str, after: BenefitPlan | None, on_total: Counter,
    on_row: Counter,
) -> PlanImport:  # fmt: skip
    """``on_total`` is told the number of data rows (the header rows left out) once the file is read, and
    ``on_row`` the rows of each data sheet once it has been checked."""
    check_upload(upload, filename)
    sheets = read_xlsx(upload, max_rows=MAX_ROWS)
    problems: list[CellProblem] = []
    for name in SHEETS:
        if name not in sheets:
            problems.append(CellProblem(name, 0, "", _("The sheet is missing. Start from the plan's export.")))
    if problems:
        return PlanImport(problems=problems)

    def rows_of(name: str) -> int:
        return max(0, len(sheets[name]) - 1)

    on_total(sum(rows_of(name) for name in SHEETS))
    plan_fields = read_plan_fields(sheets[PLAN_SHEET], problems)
    on_row(rows_of(PLAN_SHEET))
    parameters = (plan_fields or {}).get("parameters")
    base_year = (plan_fields or {}).get("base_year")
    years = (plan_fields or {}).get("analysis_years")
    if parameters is not None and years is not None and years > parameters.max_analysis_years:
        problems.append(
            CellProblem(
                PLAN_SHEET,
                0,
                "",
                _("The analysis period must be between 1 and %(max)d years.") % {"max": parameters.max_analysis_years},
            )
        )
    period = range(base_year, base_year + years) if base_year is not None and years is not None else None

    benefits = benefit_rows(sheets[BENEFITS_SHEET], project, problems)
    on_row(rows_of(BENEFITS_SHEET))
    amounts = yearly_rows(
        sheets[AMOUNTS_SHEET], AMOUNTS_SHEET, AMOUNT_COLUMNS, "benefit", benefits, period, problems, negative=True
    )
    on_row(rows_of(AMOUNTS_SHEET))
    cost_lookup = choice_lookup(CostKind.choices)
    costs = yearly_rows(
        sheets[COSTS_SHEET], COSTS_SHEET, COST_COLUMNS, "kind", cost_lookup, period, problems, negative=False
    )
    on_row(rows_of(COSTS_SHEET))
    measurements = measurement_rows(sheets[MEASUREMENTS_SHEET], benefits, problems)
    on_row(rows_of(MEASUREMENTS_SHEET))
    if problems or plan_fields is None:
        return PlanImport(problems=problems)
    return PlanImport(
        plan=_write(
            project=project,
            actor=actor,
            fields=plan_fields,
            benefits=benefits,
            amounts=amounts,
            costs=costs,
            measurements=measurements,
            after=after,
        )
    )


@transaction.atomic
def _write(
    *,
    project: Project,
    actor: Any,
    fields: dict[str, Any],
    benefits: dict[Any, dict[str, Any]],
    amounts: dict[Any, dict[int, Decimal]],
    costs: dict[Any, dict[int, Decimal]],
    measurements: list[dict[str, Any]],
    after: BenefitPlan | None,
) -> BenefitPlan:
    plan_fields = {
        "rationale": fields["rationale"],
        "goals": fields["goals"],
        "parameters": fields["parameters"],
        "base_year": fields["base_year"],
        "analysis_years": fields["analysis_years"],
        "real_growth_rate": fields.get("real_growth_rate", Decimal(0)),
        "residual_value": fields.get("residual_value", Decimal(0)),
        "is_example": fields.get("is_example", False),
        "example_note": fields.get("example_note", ""),
    }
    if after is not None:
        # The next version, by the one rule for versions (checked again here under the lock).
        plan = services.plan_next_version(plan=after, actor=actor, **plan_fields)
    else:
        if BenefitPlan.objects.select_for_update().filter(project=project, is_current=True).exists():
            raise services.BenefitError(
                _("The project already has a benefit-realisation plan. A plan is imported into a project without one.")
            )
        plan = BenefitPlan.objects.create(
            project=project,
            version=(project.benefit_plans.aggregate(v=Max("version"))["v"] or 0) + 1,
            created_by=actor,
            **plan_fields,
        )
    made: dict[Any, Benefit] = {}
    for position, (ref, item) in enumerate(benefits.items(), start=1):
        made[ref] = Benefit.objects.create(
            plan=plan, position=position, abandoned_reason=item["abandoned_reason"], **item["fields"]
        )
    BenefitAmount.objects.bulk_create(
        [
            BenefitAmount(benefit=made[ref], plan=plan, bearer=made[ref].bearer, year=year, amount=amount)
            for ref, by_year in amounts.items()
            for year, amount in sorted(by_year.items())
        ]
    )
    Cost.objects.bulk_create(
        [
            Cost(plan=plan, kind=kind, year=year, amount=amount)
            for kind, by_year in costs.items()
            for year, amount in sorted(by_year.items())
        ]
    )
    emails = {m["recorded_by"].casefold() for m in measurements if m["recorded_by"]}
    recorders = {u.email.casefold(): u for u in User.objects.filter(email__in=emails)} if emails else {}
    Measurement.objects.bulk_create(
        [
            Measurement(
                benefit=made[m["benefit"]],
                value=m["value"],
                measured_on=m["measured_on"],
                source=m["source"],
                comment=m["comment"],
                deviation_explanation=m["deviation_explanation"],
                realised_amount=m["realised_amount"],
                recorded_by=recorders.get(m["recorded_by"].casefold(), actor),
            )
            for m in measurements
        ]
    )
    invalidate_portfolio()
    return plan
