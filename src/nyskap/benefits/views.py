"""Pages of benefit realisation (M5). Thin: parse, check access on the server, call one service or selector, render.

A plan is as visible as its project: a project the user may not see answers 404 (its existence is not revealed); a
plan the user may see but not change answers 403 to changes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nyskap.core.spreadsheets import SpreadsheetError
from nyskap.projects.models import Project, Sector

from . import calculations, followup, selectors, services, transfer
from .forms import (
    AbandonForm,
    BenefitForm,
    MeasurementForm,
    PlanForm,
    PreventionForm,
    PreventionRowFormSet,
    PreventionSaveForm,
    YearlyForm,
    cost_series,
)
from .models import Benefit, BenefitPlan, CostKind
from .services import BenefitError, PlanIncomplete


def _add_service_error(form: Any, error: BenefitError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _project(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(Project, slug=slug)
    if not request.user.has_perm("core.view_object", project):
        raise Http404
    return project


def _current_plan(request: HttpRequest, slug: str, *, change: bool = False) -> BenefitPlan:
    project = _project(request, slug)
    if change and not services.can_change(request.user, project):
        raise PermissionDenied
    plan = (
        BenefitPlan.objects.visible_to(request.user)
        .select_related("project", "parameters")
        .filter(project=project, is_current=True)
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def _editable_plan(request: HttpRequest, slug: str) -> BenefitPlan:
    plan = _current_plan(request, slug, change=True)
    if not plan.is_editable:
        messages.error(request, _("This version has been submitted. Start a new version to change the plan."))
        raise _Redirect(plan)
    return plan


class _Redirect(Exception):
    def __init__(self, plan: BenefitPlan) -> None:
        self.plan = plan


def _redirect_on_locked(view: Any) -> Any:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _Redirect as locked:
            return redirect("benefits:plan", slug=locked.plan.project.slug)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# The plan page


def _plan_page(
    request: HttpRequest, plan: BenefitPlan, *, problems: list[services.Problem] | None = None, status: int = 200
) -> HttpResponse:
    context = selectors.plan_context(plan, user=request.user)
    context["problems"] = problems or []
    context["problems_by_benefit"] = {}
    for problem in problems or []:
        context["problems_by_benefit"].setdefault(problem.benefit_id, []).append(problem)
    return render(request, "benefits/plan.html", context, status=status)


@require_GET
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    plan = (
        BenefitPlan.objects.visible_to(request.user)
        .select_related("project", "parameters")
        .filter(project=project, is_current=True)
        .first()
    )
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
    project = _project(request, slug)
    plan = get_object_or_404(
        BenefitPlan.objects.visible_to(request.user).select_related("project", "parameters"),
        project=project,
        version=version,
    )
    return _plan_page(request, plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
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
                _add_service_error(form, error)
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
@_redirect_on_locked
def plan_edit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    context: dict[str, Any] = {"project": plan.project, "plan": plan, "parameters": plan.parameters}
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.plan_update(plan=plan, actor=request.user, **_plan_values(form.cleaned_data))
            except BenefitError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("The plan has been saved."))
                return redirect("benefits:plan", slug=plan.project.slug)
        return render(request, "benefits/plan_form.html", {**context, "form": form}, status=400)
    form = PlanForm(initial=PlanForm.initial_for(plan, plan.analysis_years))
    return render(request, "benefits/plan_form.html", {**context, "form": form})


@login_required
@require_POST
@_redirect_on_locked
def plan_submit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    try:
        services.plan_submit(plan=plan, actor=request.user)
    except PlanIncomplete as incomplete:
        return _plan_page(request, plan, problems=incomplete.problems, status=400)
    messages.success(request, _("Version %(version)d of the plan has been submitted.") % {"version": plan.version})
    return redirect("benefits:plan", slug=plan.project.slug)


@login_required
@require_POST
def plan_new_version(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _current_plan(request, slug, change=True)
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
@_redirect_on_locked
def plan_costs(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    years = list(range(plan.base_year, plan.last_year + 1))
    series = cost_series()
    if request.method == "POST":
        form = YearlyForm(request.POST, years=years, series=series)
        if form.is_valid():
            try:
                for kind in (CostKind.INVESTMENT, CostKind.OPERATING):
                    services.costs_set(plan=plan, actor=request.user, kind=kind, amounts=form.amounts(kind))
            except BenefitError as error:
                _add_service_error(form, error)
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
@_redirect_on_locked
def benefit_amounts(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = _editable_plan(request, slug)
    benefit = get_object_or_404(Benefit, pk=pk, plan=plan)
    years = list(range(plan.base_year, plan.last_year + 1))
    series = [("amount", str(_("Benefit (NOK)")), True)]
    if request.method == "POST":
        form = YearlyForm(request.POST, years=years, series=series)
        if form.is_valid():
            try:
                services.benefit_amounts_set(benefit=benefit, actor=request.user, amounts=form.amounts("amount"))
            except BenefitError as error:
                _add_service_error(form, error)
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
@_redirect_on_locked
def benefit_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    plan = _editable_plan(request, slug)
    benefit = get_object_or_404(Benefit, pk=pk, plan=plan) if pk is not None else None
    owners = services.owner_candidates(plan.project)
    context: dict[str, Any] = {"plan": plan, "project": plan.project, "benefit": benefit}
    if request.method == "POST":
        form = BenefitForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                saved = services.benefit_save(plan=plan, actor=request.user, benefit=benefit, **form.cleaned_data)
            except BenefitError as error:
                _add_service_error(form, error)
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
@_redirect_on_locked
def benefit_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = _editable_plan(request, slug)
    benefit = get_object_or_404(Benefit, pk=pk, plan=plan)
    try:
        services.benefit_delete(benefit=benefit, actor=request.user)
    except BenefitError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The benefit has been removed."))
    return redirect("benefits:plan", slug=plan.project.slug)


# Follow-up


def _measurable(request: HttpRequest, slug: str, pk: int) -> Benefit:
    plan = _current_plan(request, slug)
    benefit = get_object_or_404(Benefit.objects.select_related("plan__project", "owner"), pk=pk, plan=plan)
    if not services.can_measure(request.user, benefit):
        raise PermissionDenied
    return benefit


@login_required
@require_http_methods(["GET", "POST"])
def measure(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    benefit = _measurable(request, slug, pk)
    context: dict[str, Any] = {
        "benefit": benefit,
        "plan": benefit.plan,
        "project": benefit.plan.project,
        "measurements": list(benefit.measurements.select_related("recorded_by")),
        "status_label": selectors.status_label(followup.status_of(benefit)),
        "abandon_form": AbandonForm(),
    }
    if request.method == "POST":
        form = MeasurementForm(request.POST)
        if form.is_valid():
            try:
                services.measurement_record(benefit=benefit, actor=request.user, **form.cleaned_data)
            except BenefitError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("The measurement has been recorded."))
                return redirect("benefits:plan", slug=benefit.plan.project.slug)
        return render(request, "benefits/measure.html", {**context, "form": form}, status=400)
    return render(request, "benefits/measure.html", {**context, "form": MeasurementForm()})


@login_required
@require_POST
def abandon(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    benefit = _measurable(request, slug, pk)
    form = AbandonForm(request.POST)
    if form.is_valid():
        try:
            services.benefit_abandon(benefit=benefit, actor=request.user, reason=form.cleaned_data["reason"])
        except BenefitError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("The benefit is marked as abandoned."))
            return redirect("benefits:plan", slug=benefit.plan.project.slug)
    context = {
        "benefit": benefit,
        "plan": benefit.plan,
        "project": benefit.plan.project,
        "measurements": list(benefit.measurements.all()),
        "status_label": selectors.status_label(followup.status_of(benefit)),
        "form": MeasurementForm(),
        "abandon_form": form,
    }
    return render(request, "benefits/measure.html", context, status=400)


@login_required
@require_GET
def my_benefits(request: HttpRequest) -> HttpResponse:
    return render(request, "benefits/mine.html", {"rows": selectors.owned_benefits(request.user)})


# Portfolio


PORTFOLIO_PLAN_LINKS = 20


@require_GET
def portfolio(request: HttpRequest) -> HttpResponse:
    """Planned versus realised benefits for the country, a sector or an organisation, over the plans the visitor may
    see. Filters are a GET form, so every view has a shareable address."""
    scope = selectors.PortfolioScope.from_params(request.GET)
    rollup = selectors.portfolio_rollup(user=request.user, scope=scope)
    return render(
        request,
        "benefits/portfolio.html",
        {
            "scope": scope,
            "rollup": rollup,
            "sectors": Sector.choices,
            "organisation_choices": selectors.plan_owners(request.user),
            "plan_list": list(
                selectors.scoped_plans(user=request.user, scope=scope)
                .select_related("project")
                .order_by("-updated_at", "pk")[:PORTFOLIO_PLAN_LINKS]
            ),
        },
    )


# Prevention calculator


BLANK_PREVENTION_ROWS = 6
MORE_PREVENTION_ROWS = 3


def _prevention_costs(formset: Any) -> list[calculations.PreventionCost]:
    return [
        calculations.PreventionCost(
            level=row.cleaned_data["level"],
            sector=row.cleaned_data["sector"],
            from_age=row.cleaned_data["from_age"],
            to_age=row.cleaned_data["to_age"],
            yearly_cost=row.cleaned_data["yearly_cost"],
        )
        for row in formset
        if row.cleaned_data.get("level")
    ]


@require_GET
def prevention(request: HttpRequest) -> HttpResponse:
    """The calculator is a GET form: the figures are the user's own and the address can be shared. Lines are added
    without JavaScript by the "more lines" button, which shows the same form with three more empty lines."""
    loaded = None
    set_id = request.GET.get("sett", "")
    if set_id:
        loaded = selectors.prevention_sets(request.user).filter(pk=int(set_id) if set_id.isdigit() else 0).first()
        if loaded is None:
            raise Http404
    result = None
    parameters = services.current_parameters()
    if "persons" in request.GET:
        data = request.GET.copy()
        if "more" in data:
            try:
                total = int(data.get("cost-TOTAL_FORMS", "0"))
            except ValueError:
                total = 0
            data["cost-TOTAL_FORMS"] = str(min(max(total, 0) + MORE_PREVENTION_ROWS, 60))
        form = PreventionForm(data)
        formset = PreventionRowFormSet(data, prefix="cost")
        if "more" not in data and form.is_valid() and formset.is_valid():
            try:
                result = calculations.prevention_savings(
                    _prevention_costs(formset),
                    persons=form.cleaned_data["persons"],
                    success_rate=form.cleaned_data["success_rate"] / 100,
                    start_age=form.cleaned_data["start_age"],
                    parameters=parameters.as_parameters(),
                )
            except calculations.CalculationError as error:
                form.add_error(None, error.message)
    else:
        form = PreventionForm(
            initial={"start_age": calculations.FIRST_AGE, "target_group": loaded.target_group if loaded else ""}
        )
        rows = [dict(row) for row in loaded.rows] if loaded else []
        formset = PreventionRowFormSet(prefix="cost", initial=rows)
        formset.extra = BLANK_PREVENTION_ROWS if not rows else MORE_PREVENTION_ROWS
    save_form = None
    if request.user.is_authenticated and result is not None:
        organisations = selectors.editable_organisations(request.user)
        if organisations.exists():
            save_form = PreventionSaveForm(organisations=organisations)
    invalid = "more" not in request.GET and form.is_bound and (not form.is_valid() or not formset.is_valid())
    return render(
        request,
        "benefits/prevention.html",
        {
            "form": form,
            "formset": formset,
            "result": result,
            "loaded": loaded,
            "sets": selectors.prevention_sets(request.user),
            "save_form": save_form,
            "level_rows": selectors.level_rows(result) if result else [],
            "parameters": parameters,
        },
        status=400 if invalid else 200,
    )


@login_required
@require_POST
def prevention_save(request: HttpRequest) -> HttpResponse:
    organisations = selectors.editable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    save_form = PreventionSaveForm(request.POST, organisations=organisations)
    form = PreventionForm(request.POST)
    formset = PreventionRowFormSet(request.POST, prefix="cost")
    if save_form.is_valid() and form.is_valid() and formset.is_valid():
        rows = [
            {
                "level": row.cleaned_data["level"],
                "sector": row.cleaned_data["sector"],
                "from_age": row.cleaned_data["from_age"],
                "to_age": row.cleaned_data["to_age"],
                "yearly_cost": str(row.cleaned_data["yearly_cost"]),
            }
            for row in formset
            if row.cleaned_data.get("level")
        ]
        saved = services.prevention_set_save(
            actor=request.user,
            organisation=save_form.cleaned_data["organisation"],
            name=save_form.cleaned_data["name"],
            target_group=form.cleaned_data.get("target_group") or "",
            rows=rows,
        )
        messages.success(request, _("The set “%(name)s” has been saved.") % {"name": saved.name})
        return redirect(f"{reverse('benefits:prevention')}?sett={saved.pk}")
    messages.error(request, _("The set could not be saved: give it a name and check the figures."))
    return redirect("benefits:prevention")


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
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Create the project's plan from a spreadsheet (the plan export's data sheets): all or nothing, with every
    problem listed by sheet, row and column. For whoever may write the plan; only into a project without one."""
    project = _project(request, slug)
    if not services.can_change(request.user, project):
        raise PermissionDenied
    if BenefitPlan.objects.filter(project=project, is_current=True).exists():
        messages.info(
            request,
            _("The project already has a benefit-realisation plan. A plan is imported into a project without one."),
        )
        return redirect("benefits:plan", slug=project.slug)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = transfer.import_plan(project=project, actor=request.user, upload=upload.file, filename=upload.name)
        except SpreadsheetError as error:
            form.add_error("file", error.message)
        except BenefitError as error:
            form.add_error(None, error.message)
        else:
            if result.plan is not None:
                messages.success(request, _("The plan has been imported as a draft. Check it and submit it."))
                return redirect("benefits:plan", slug=project.slug)
            problems = [str(problem) for problem in result.problems]
    status = 400 if request.method == "POST" else 200
    context = {"project": project, "form": form, "problems": problems, "sheets": transfer.SHEETS}
    return render(request, "benefits/plan_import.html", context, status=status)
