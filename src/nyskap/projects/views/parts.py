"""What is added to a project on its page: attachments, partners, funding and reuse by another body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import services
from ..forms import (
    AdoptForm,
    AttachmentForm,
    FundingForm,
    PartnerForm,
    editable_organisations,
    editable_projects,
)
from ..models import Attachment, Project
from ..services import ProjectError
from ._common import (
    _add_service_error,
    _changeable,
    _viewable,
)
from .pages import _detail_context


@login_required
@require_POST
def attachment_upload(request: HttpRequest, slug: str) -> HttpResponse:
    project = _changeable(request, slug)
    form = AttachmentForm(request.POST, request.FILES, prefix="attachment")
    if form.is_valid():
        try:
            services.attachment_add(
                project=project, actor=request.user, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except ProjectError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("The file was attached."))
            return redirect("projects:detail", slug=project.slug)
    context = _detail_context(request, project, attachment_form=form)
    return render(request, "projects/detail.html", context, status=400)


@require_safe
def attachment_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """Served through the application so the project's visibility decides who may download it."""
    project = _viewable(request, slug)
    attachment = get_object_or_404(Attachment, pk=pk, project=project)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _changeable(request, slug)
    attachment = get_object_or_404(Attachment, pk=pk, project=project)
    services.attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, _("The attachment was removed."))
    return redirect("projects:detail", slug=project.slug)


# Partners and funding


def _add_to_project(
    request: HttpRequest,
    slug: str,
    *,
    form_class: type[PartnerForm] | type[FundingForm],
    prefix: str,
    add: Callable[[Project, Any, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """Shared by the small "add to the project" forms: check access, validate, call the service, and on a refusal
    show the project page again with the message beside the field and what was typed."""
    project = _changeable(request, slug)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            add(project, request.user, form.cleaned_data)
        except ProjectError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("projects:detail", slug=project.slug)
    forms_shown: dict[str, Any] = {f"{prefix}_form": form}
    context = _detail_context(request, project, **forms_shown)
    return render(request, "projects/detail.html", context, status=400)


@login_required
@require_POST
def project_partner_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _add_to_project(
        request,
        slug,
        form_class=PartnerForm,
        prefix="partner",
        add=lambda project, actor, data: services.project_add_partner(project=project, actor=actor, **data),
        done=_("The partner was added."),
    )


@login_required
@require_POST
def project_funding_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _add_to_project(
        request,
        slug,
        form_class=FundingForm,
        prefix="funding",
        add=lambda project, actor, data: services.project_add_funding(project=project, actor=actor, **data),
        done=_("The funding source was added."),
    )


# Reuse


@login_required
@require_http_methods(["GET", "POST"])
def project_adopt(request: HttpRequest, slug: str) -> HttpResponse:
    """“We adopted this”: an editor records that one of their projects, or their organisation, adopted this one."""
    project = _viewable(request, slug)
    user = request.user
    if not (editable_organisations(user).exists() or editable_projects(user, exclude=project).exists()):
        raise PermissionDenied
    form = AdoptForm(request.POST if request.method == "POST" else None, user=user, source=project)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                adoption = services.project_adopt(
                    source=project,
                    actor=user,
                    how=data["how"],
                    adopted_on=data["adopted_on"],
                    adopter_project=data["adopter_project"],
                    adopter_organisation=data["adopter_organisation"],
                    note=data["note"],
                )
            except ProjectError as error:
                _add_service_error(form, error)
            else:
                adopter = adoption.adopting_project or adoption.adopting_organisation
                messages.success(
                    request,
                    _("Registered: %(adopter)s adopted “%(project)s”.") % {"adopter": adopter, "project": project},
                )
                return redirect("projects:detail", slug=project.slug)
        return render(request, "projects/adopt.html", {"project": project, "form": form}, status=400)
    return render(request, "projects/adopt.html", {"project": project, "form": form})
