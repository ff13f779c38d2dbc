"""What the plan and follow-up pages share: finding the project and plan the visitor may see or change, and
showing a refused change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from nyskap.projects.models import Project

from .. import selectors, services
from ..cleaning import BenefitError
from ..models import BenefitPlan


def add_service_error(form: Any, error: BenefitError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def visible_project(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(Project, slug=slug)
    if not request.user.has_perm("core.view_object", project):
        raise Http404
    return project


def current_plan(request: HttpRequest, slug: str, *, change: bool = False) -> BenefitPlan:
    project = visible_project(request, slug)
    if change and not services.can_change(request.user, project):
        raise PermissionDenied
    plan = selectors.current_plan(request.user, project)
    if plan is None:
        raise Http404
    return plan


def editable_plan(request: HttpRequest, slug: str) -> BenefitPlan:
    plan = current_plan(request, slug, change=True)
    if not plan.is_editable:
        messages.error(request, _("This version has been submitted. Start a new version to change the plan."))
        raise PlanLocked(plan)
    return plan


class PlanLocked(Exception):
    """The plan version is submitted: the view sends the visitor back to the plan page."""

    def __init__(self, plan: BenefitPlan) -> None:
        self.plan = plan


def redirect_on_locked(view: Any) -> Any:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PlanLocked as locked:
            return redirect("benefits:plan", slug=locked.plan.project.slug)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper
