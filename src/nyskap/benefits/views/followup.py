"""Follow-up of benefits: recording measurements, abandoning a benefit, and the benefits a person owns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import followup, selectors, services
from ..cleaning import BenefitError
from ..forms import (
    AbandonForm,
    MeasurementForm,
)
from ..models import Benefit
from .common import add_service_error, current_plan


def _measurable(request: HttpRequest, slug: str, pk: int) -> Benefit:
    plan = current_plan(request, slug)
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
                add_service_error(form, error)
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
            add_service_error(form, error)
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
