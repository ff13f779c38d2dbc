"""The prevention calculator (what preventing a problem saves, from an organisation's cost lines) and its saved
sets."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import calculations, selectors, services
from ..forms import (
    PreventionForm,
    PreventionRowFormSet,
    PreventionSaveForm,
)

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
    # Shown again with each error at its field and what was typed kept (the result too, when the figures hold).
    result = None
    parameters = services.current_parameters()
    if form.is_valid() and formset.is_valid():
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
    messages.error(request, _("The set could not be saved: give it a name and check the figures."))
    return render(
        request,
        "benefits/prevention.html",
        {
            "form": form,
            "formset": formset,
            "result": result,
            "loaded": None,
            "sets": selectors.prevention_sets(request.user),
            "save_form": save_form,
            "level_rows": selectors.level_rows(result) if result else [],
            "parameters": parameters,
        },
        status=400,
    )
