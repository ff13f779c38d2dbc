"""A project's use of instruments: the form sits in the project page's instrument panel; adding and removing needs
the right to change the project."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nyskap.projects.models import Project

from .. import services
from ..forms import (
    UseForm,
)
from ..models import InstrumentUse
from ..services import CatalogueError
from .common import add_service_error


def _changeable_project(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(Project, slug=slug)
    if not request.user.has_perm("core.view_object", project):
        raise Http404
    if not request.user.has_perm("core.change_object", project):
        raise PermissionDenied
    return project


@login_required
@require_http_methods(["GET", "POST"])
def use_add(request: HttpRequest, project_slug: str) -> HttpResponse:
    project = _changeable_project(request, project_slug)
    form = UseForm(request.POST or None, prefix="use")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.use_add(
                project=project,
                actor=request.user,
                instrument=data["instrument"],
                year=data["year"],
                outcome=data["outcome"],
                amount=data["amount"],
                note=data["note"],
            )
        except CatalogueError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The instrument was recorded."))
            return redirect(f"{reverse('projects:detail', kwargs={'slug': project.slug})}#instruments-heading")
    return render(request, "instruments/use_form.html", {"project": project, "use_form": form})


@login_required
@require_POST
def use_delete(request: HttpRequest, project_slug: str, pk: int) -> HttpResponse:
    project = _changeable_project(request, project_slug)
    use = get_object_or_404(InstrumentUse, pk=pk, project=project)
    services.use_remove(use=use, actor=request.user)
    messages.success(request, _("The record was removed."))
    return redirect(f"{reverse('projects:detail', kwargs={'slug': project.slug})}#instruments-heading")
