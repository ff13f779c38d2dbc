"""A plan as a spreadsheet and as a PDF, with the structure of a Norwegian benefit-realisation plan
(Prosjektveiviseren, DOMAIN.md §3.4): rationale and goals; benefit owners; benefits split into budget effect in own
organisation / alternative use in own organisation / priced benefits elsewhere in the public sector / non-priced
effects; measures and follow-up; and the calculation behind the net present value.

Exports are of what the visitor may see (the project's visibility decides). Text a spreadsheet would read as a
formula is neutralised, as in the project export.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nyskap.core.jobs.services import owner_of
from nyskap.core.spreadsheets import XLSX_TYPE, neutralise
from nyskap.projects.models import Project

from . import selectors, transfer
from .models import BenefitPlan
from .parameters import parameter_labels


def _plan_for(request: HttpRequest, slug: str) -> BenefitPlan:
    return plan_for_user(request.user, slug)


def plan_for_user(user: Any, slug: str) -> BenefitPlan:
    """The current plan of the project, when the user may see it; 404 otherwise."""
    project = get_object_or_404(Project, slug=slug)
    if not user.has_perm("core.view_object", project):
        raise Http404
    plan = selectors.current_plan(user, project)
    if plan is None:
        raise Http404
    return plan


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 2))


def plan_workbook(context: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    plan: BenefitPlan = context["plan"]
    bold = Font(bold=True)
    workbook = Workbook()

    def sheet(title: str, first: bool = False) -> Any:
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = title[:31]
        return ws

    def row(ws: Any, values: list[Any], *, header: bool = False) -> None:
        ws.append([neutralise(v) for v in values])
        if header:
            for cell in ws[ws.max_row]:
                cell.font = bold

    ws = sheet(_("1 Rationale and goals"), first=True)
    row(ws, [_("Benefit-realisation plan"), plan.project.title], header=True)
    if plan.is_example:
        row(ws, [_("Example"), _("Illustrative figures, not the project's own.") + " " + plan.example_note])
    row(ws, [_("Version"), plan.version])
    row(ws, [_("Status"), str(plan.get_status_display())])  # type: ignore[attr-defined]
    row(ws, [_("Rationale"), plan.rationale])
    row(ws, [_("Goals and main products"), plan.goals])
    row(ws, [_("Parameter version"), plan.parameters.version])
    row(ws, [_("Base year"), plan.base_year])
    row(ws, [_("Analysis period (years)"), plan.analysis_years])

    ws = sheet(_("2 Benefit owners"))
    not_given = _("Not given in the source") if plan.is_example else _("Not given")
    row(ws, [_("Benefit"), _("Benefit owner"), _("E-mail"), _("Responsibility")], header=True)
    for item in context["rows"]:
        owner = item.benefit.owner
        row(
            ws,
            [
                item.benefit.description,
                (owner.name or owner.email) if owner else not_given,
                owner.email if owner else "",
                _("Realise the benefit in the line organisation and record its measurements."),
            ],
        )

    ws = sheet(_("3 Benefits"))
    row(
        ws,
        [
            _("Group"),
            _("Benefit"),
            _("Type"),
            _("Bearer"),
            _("Realisation form"),
            _("Indicator"),
            _("Baseline value"),
            _("Baseline date"),
            _("Target value"),
            _("Target date"),
            _("Total (NOK)"),
        ],
        header=True,
    )
    for section in context["sections"]:
        for item in section.rows:
            benefit = item.benefit
            row(
                ws,
                [
                    section.title,
                    benefit.description,
                    str(benefit.get_benefit_type_display()),  # type: ignore[attr-defined]
                    benefit.bearer_label,
                    str(benefit.get_realisation_form_display()),  # type: ignore[attr-defined]
                    benefit.indicator,
                    _money(benefit.baseline_value),
                    benefit.baseline_date,
                    _money(benefit.target_value),
                    benefit.target_date,
                    _money(item.total) if section.key != "non_priced" else None,
                ],
            )
        row(ws, [section.title, _("Sum"), "", "", "", "", "", "", "", "", _money(section.total)], header=True)

    ws = sheet(_("4 Measures and follow-up"))
    row(
        ws,
        [
            _("Benefit"),
            _("Realisation measures"),
            _("Preconditions and risks"),
            _("Measurement method"),
            _("Measurement frequency"),
            _("Status"),
            _("Latest measurement"),
        ],
        header=True,
    )
    for item in context["rows"]:
        benefit = item.benefit
        latest = item.measurements[-1] if item.measurements else None
        row(
            ws,
            [
                benefit.description,
                benefit.measures,
                benefit.preconditions_risks,
                benefit.measurement_method,
                str(benefit.get_measurement_frequency_display()),  # type: ignore[attr-defined]
                item.status_label + (f": {benefit.abandoned_reason}" if benefit.abandoned_reason else ""),
                f"{latest.value} ({latest.measured_on})" if latest else "",
            ],
        )

    ws = sheet(_("5 Net present value"))
    result = context["result"]
    bearers = context["bearers_used"]
    row(
        ws,
        [
            _("Year"),
            _("Discount factor"),
            *[str(b.label) for b in bearers],
            _("Investment"),
            _("Operating costs"),
            _("Tax-financing cost"),
            _("Net"),
            _("Discounted"),
        ],
        header=True,
    )
    for year_row, by_bearer in context["year_rows"]:
        row(
            ws,
            [
                year_row.year,
                float(round(year_row.discount_factor, 6)),
                *[_money(v) for v in by_bearer],
                _money(year_row.investment),
                _money(year_row.operating),
                _money(year_row.tax_financing_cost),
                _money(year_row.net),
                _money(year_row.discounted),
            ],
        )
    row(ws, [_("Residual value, discounted"), _money(result.residual_value_discounted)])
    row(ws, [_("Net present value"), _money(result.npv)], header=True)
    row(
        ws,
        [
            _("Net present value per invested krone"),
            float(round(result.npv_per_invested_krone, 4)) if result.npv_per_invested_krone is not None else None,
        ],
    )
    row(
        ws,
        [
            _("Net present value per krone of investment in present value"),
            (
                float(round(result.npv_per_pv_invested_krone, 4))
                if result.npv_per_pv_invested_krone is not None
                else None
            ),
        ],
    )
    parameters = context["parameters"]
    row(ws, [_("Parameter version"), parameters.version])
    if parameters.uncertain:
        row(ws, [_("[U] not verified"), ", ".join(parameter_labels(parameters.uncertain))])
    # The plan as data, for the import (nyskap.benefits.transfer): fixed sheet and column names, codes for choices.
    for title, header, rows in transfer.data_sheets(plan):
        ws = sheet(title)
        row(ws, list(header), header=True)
        for values in rows:
            row(ws, values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def plan_file_name(plan: BenefitPlan, extension: str) -> str:
    return _filename(plan, extension)


def _filename(plan: BenefitPlan, extension: str) -> str:
    return f"gevinstplan-{plan.project.slug}-v{plan.version}.{extension}"


@require_GET
def plan_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    """A plan larger than the export threshold is written in the background (the answer is the job's progress
    page); a smaller one is served at once."""
    from . import jobs

    plan = _plan_for(request, slug)
    if jobs.is_large(plan):
        job = jobs.plan_xlsx_start(**owner_of(request), plan=plan)
        return redirect("core:job", job_id=job.pk)
    context = selectors.plan_context(plan, user=request.user)
    response = HttpResponse(plan_workbook(context), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "xlsx")}"'
    return response


def plan_pdf_bytes(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("benefits/plan_pdf.html", {**context, "generated_at": timezone.now()})
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


@require_GET
def plan_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The PDF is made in the background and the answer is the job's progress page, which offers the file when it
    is ready: for a signed-in reader, or for the browser session of a visitor who is not signed in (public plans
    only); nobody else can open it."""
    from . import jobs

    plan = _plan_for(request, slug)
    job = jobs.plan_pdf_start(**owner_of(request), plan=plan)
    return redirect("core:job", job_id=job.pk)
