"""The plan pages: a project's plan and its versions, creating, editing, submitting and importing it, its costs and
benefits by year, and its benefits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nyskap.core.spreadsheets import SpreadsheetError

from .. import jobs, selectors, services, transfer
from ..cleaning import BenefitError, PlanIncomplete, Problem
from ..forms import (
    BenefitForm,
    PlanForm,
    YearlyForm,
    cost_series,
)
from ..models import Benefit, BenefitPlan, CostKind
from .common import add_service_error, current_plan, editable_plan, redirect_on_locked, visible_project

# The plan page


def _plan_page(
    request: HttpRequest, plan: BenefitPlan, *, problems: list[Problem] | None = None, status: int = 200
) -> HttpResponse:
    context = selectors.plan_context(plan, user=request.user)
    context["problems"] = problems or []
    context["problems_by_benefit"] = {}
    for problem in problems or []:
        context["problems_by_benefit"].setdefault(problem.benefit_id, []).append(problem)
    return render(request, "benefits/plan.html", context, status=status)


@require_GET
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = visible_project(request, slug)
    plan = selectors.current_plan(request.user, project)
    if plan is None:
        return render(
            request,
            "benefits/no_plan.html",
            {"project": project, "can_edit": services.can_change(request.user, project)},
            status=404,
        )
    return _plan_page(request, plan)


@require_GET
def plan_version(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    project = visible_project(request, slug)
    plan = get_object_or_404(
        BenefitPlan.objects.visible_to(request.user).select_related("project", "parameters"),
        project=project,
        version=version,
    )
    return _plan_page(request, plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = visible_project(request, slug)
    if not services.can_change(request.user, project):
        raise PermissionDenied
    if BenefitPlan.objects.filter(project=project, is_current=True).exists():
        return redirect("benefits:plan", slug=project.slug)
    parameters = services.current_parameters()
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.plan_create(project=project, actor=request.user, **_plan_values(data))
            except BenefitError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The benefit-realisation plan has been created. Add the benefits."))
                return redirect("benefits:plan", slug=project.slug)
        return render(
            request, "benefits/plan_form.html", {"project": project, "form": form, "parameters": parameters}, status=400
        )
    form = PlanForm(initial=PlanForm.initial_for(None, parameters.default_analysis_years))
    return render(request, "benefits/plan_form.html", {"project": project, "form": form, "parameters": parameters})


def _plan_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "rationale": data["rationale"],
        "goals": data["goals"],
        "base_year": data["base_year"],
        "analysis_years": data["analysis_years"],
        "real_growth_rate": data.get("real_growth_rate") or Decimal(0),
        "residual_value": data.get("residual_value") or Decimal(0),
    }


@login_required
@require_http_methods(["GET", "POST"])
@redirect_on_locked
def plan_edit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = editable_plan(request, slug)
    context: dict[str, Any] = {"project": plan.project, "plan": plan, "parameters": plan.parameters}
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.plan_update(plan=plan, actor=request.user, **_plan_values(form.cleaned_data))
            except BenefitError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The plan has been saved."))
                return redirect("benefits:plan", slug=plan.project.slug)
        return render(request, "benefits/plan_form.html", {**context, "form": form}, status=400)
    form = PlanForm(initial=PlanForm.initial_for(plan, plan.analysis_years))
    return render(request, "benefits/plan_form.html", {**context, "form": form})


@login_required
@require_POST
@redirect_on_locked
def plan_submit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = editable_plan(request, slug)
    try:
        services.plan_submit(plan=plan, actor=request.user)
    except PlanIncomplete as incomplete:
        return _plan_page(request, plan, problems=incomplete.problems, status=400)
    messages.success(request, _("Version %(version)d of the plan has been submitted.") % {"version": plan.version})
    return redirect("benefits:plan", slug=plan.project.slug)


@login_required
@require_POST
def plan_new_version(request: HttpRequest, slug: str) -> HttpResponse:
    plan = current_plan(request, slug, change=True)
    try:
        new = services.plan_new_version(plan=plan, actor=request.user)
    except BenefitError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Version %(version)d has been started as a copy.") % {"version": new.version})
    return redirect("benefits:plan", slug=plan.project.slug)


# Costs and monetised benefits by year


@login_required
@require_http_methods(["GET", "POST"])
@redirect_on_locked
def plan_costs(request: HttpRequest, slug: str) -> HttpResponse:
    plan = editable_plan(request, slug)
    years = list(range(plan.base_year, plan.last_year + 1))
    series = cost_series()
    if request.method == "POST":
        form = YearlyForm(request.POST, years=years, series=series)
        if form.is_valid():
            try:
                for kind in (CostKind.INVESTMENT, CostKind.OPERATING):
                    services.costs_set(plan=plan, actor=request.user, kind=kind, amounts=form.amounts(kind))
            except BenefitError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The costs have been saved."))
                return redirect("benefits:plan", slug=plan.project.slug)
        return render(request, "benefits/yearly_form.html", _yearly_context(plan, form, costs=True), status=400)
    current: dict[str, dict[int, Decimal]] = {CostKind.INVESTMENT: {}, CostKind.OPERATING: {}}
    for cost in plan.costs.all():
        current[cost.kind][cost.year] = cost.amount
    form = YearlyForm(initial=YearlyForm.initial_from(current), years=years, series=series)
    return render(request, "benefits/yearly_form.html", _yearly_context(plan, form, costs=True))


def _yearly_context(plan: BenefitPlan, form: YearlyForm, *, costs: bool, benefit: Benefit | None = None) -> dict:
    return {"plan": plan, "project": plan.project, "form": form, "costs": costs, "benefit": benefit}


@login_required
@require_http_methods(["GET", "POST"])
@redirect_on_locked
def benefit_amounts(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = editable_plan(request, slug)
    benefit = get_object_or_404(Benefit, pk=pk, plan=plan)
    years = list(range(plan.base_year, plan.last_year + 1))
    series = [("amount", str(_("Benefit (NOK)")), True)]
    if request.method == "POST":
        form = YearlyForm(request.POST, years=years, series=series)
        if form.is_valid():
            try:
                services.benefit_amounts_set(benefit=benefit, actor=request.user, amounts=form.amounts("amount"))
            except BenefitError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The amounts have been saved."))
                return redirect("benefits:plan", slug=plan.project.slug)
        return render(
            request, "benefits/yearly_form.html", _yearly_context(plan, form, costs=False, benefit=benefit), status=400
        )
    initial = YearlyForm.initial_from({"amount": {a.year: a.amount for a in benefit.amounts.all()}})
    form = YearlyForm(initial=initial, years=years, series=series)
    return render(request, "benefits/yearly_form.html", _yearly_context(plan, form, costs=False, benefit=benefit))


# Benefits


@login_required
@require_http_methods(["GET", "POST"])
@redirect_on_locked
def benefit_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    plan = editable_plan(request, slug)
    benefit = get_object_or_404(Benefit, pk=pk, plan=plan) if pk is not None else None
    owners = services.owner_candidates(plan.project)
    context: dict[str, Any] = {"plan": plan, "project": plan.project, "benefit": benefit}
    if request.method == "POST":
        form = BenefitForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                saved = services.benefit_save(plan=plan, actor=request.user, benefit=benefit, **form.cleaned_data)
            except BenefitError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("The benefit “%(benefit)s” has been saved.") % {"benefit": saved.description}
                )
                return redirect("benefits:plan", slug=plan.project.slug)
        return render(request, "benefits/benefit_form.html", {**context, "form": form}, status=400)
    initial = BenefitForm.initial_for(benefit) if benefit else {}
    form = BenefitForm(initial=initial, owners=owners)
    return render(request, "benefits/benefit_form.html", {**context, "form": form})


@login_required
@require_POST
@redirect_on_locked
def benefit_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = editable_plan(request, slug)
    benefit = get_object_or_404(Benefit, pk=pk, plan=plan)
    try:
        services.benefit_delete(benefit=benefit, actor=request.user)
    except BenefitError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The benefit has been removed."))
    return redirect("benefits:plan", slug=plan.project.slug)


# Import of a plan from its spreadsheet


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("The Excel file (.xlsx) of a plan's export, edited or not, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > transfer.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is 10 MB.") % {"size": f"{upload.size / 1024 / 1024:.1f}"}
            )
        try:
            transfer.check_upload(upload.file, upload.name)
        except SpreadsheetError as error:
            raise forms.ValidationError(error.message) from error
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Create the project's plan from a spreadsheet (the plan export's data sheets) in a background job, whose
    progress page this answers with: all or nothing, with every problem listed by sheet, row and column. A file
    that is no workbook at all is refused on the form. For whoever may write the plan; only into a project without
    one (both checked again by the job)."""
    project = visible_project(request, slug)
    if not services.can_change(request.user, project):
        raise PermissionDenied
    if BenefitPlan.objects.filter(project=project, is_current=True).exists():
        messages.info(
            request,
            _("The project already has a benefit-realisation plan. A plan is imported into a project without one."),
        )
        return redirect("benefits:plan", slug=project.slug)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = jobs.plan_import_start(actor=request.user, project=project, upload=upload.file, filename=upload.name)
        return redirect("core:job", job_id=job.pk)
    status = 400 if request.method == "POST" else 200
    context = {"project": project, "form": form, "sheets": transfer.SHEETS}
    return render(request, "benefits/plan_import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_version(request: HttpRequest, slug: str) -> HttpResponse:
    """Bring an edited export back as the plan's next version: all or nothing, with every problem listed by sheet,
    row and column, as the first import, in a background job as well. For the plan's editors, from the current
    version once it is submitted (the rule of "Start a new version", `services.plan_next_version`; checked again by
    the job)."""
    plan = current_plan(request, slug, change=True)
    project = plan.project
    refusal = services.can_start_version(plan)
    if refusal is not None:
        messages.info(request, refusal.message)
        return redirect("benefits:plan", slug=project.slug)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = jobs.plan_import_version_start(actor=request.user, plan=plan, upload=upload.file, filename=upload.name)
        return redirect("core:job", job_id=job.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "project": project,
        "form": form,
        "sheets": transfer.SHEETS,
        "new_version_of": plan,
    }
    return render(request, "benefits/plan_import.html", context, status=status)
