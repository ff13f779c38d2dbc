"""The operators' page for updates from the Central Coordinating Register (``/drift/enhetsregisteret/``): upload the
register's bulk download, look at the dry-run diff, then apply it all or nothing — reading the file and applying
it each run as a background job, whose progress page the page answers with. Operators only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from nyskap.core.visibility import is_operator

from . import jobs
from .models import OrganisationKind, RegisterImport
from .services import register_import_refusal


class RegisterFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File from the Central Coordinating Register"),
        help_text=gettext_lazy(
            "The register's download of entities (enheter): JSON or CSV, gzip-compressed or not. For the whole "
            "national file (over a million entities) use the command import_register instead."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".gz,.json,.jsonl,.csv"}),
    )


def _operator(request: HttpRequest) -> None:
    if not is_operator(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def register_imports(request: HttpRequest) -> HttpResponse:
    """The upload: the file is read into a preview by a background job, whose progress page links the preview."""
    _operator(request)
    form = RegisterFileForm(request.POST, request.FILES) if request.method == "POST" else RegisterFileForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = jobs.preview_start(actor=request.user, upload=upload.file, filename=upload.name)
        return redirect("core:job", job_id=job.pk)
    status = 400 if request.method == "POST" else 200
    recent = RegisterImport.objects.select_related("created_by", "applied_by")[:20]
    return render(request, "organisations/register_imports.html", {"form": form, "imports": recent}, status=status)


@login_required
@require_http_methods(["GET"])
def register_import(request: HttpRequest, pk: int) -> HttpResponse:
    _operator(request)
    register_import = get_object_or_404(RegisterImport.objects.select_related("created_by", "applied_by"), pk=pk)
    kinds = dict(OrganisationKind.choices)
    new = [dict(item, kind_label=kinds.get(item["kind"], item["kind"])) for item in register_import.plan.get("new", [])]
    context: dict[str, Any] = {"register_import": register_import, "plan": register_import.plan, "new": new}
    return render(request, "organisations/register_import.html", context)


@login_required
@require_POST
def register_import_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply the preview in a background job (all or nothing), answered with its progress page; a preview that
    cannot be applied (already applied, unreadable file) is refused at once with a message."""
    _operator(request)
    register_import = get_object_or_404(RegisterImport, pk=pk)
    if (refusal := register_import_refusal(register_import)) is not None:
        messages.error(request, refusal.message)
        return redirect(register_import)
    job = jobs.apply_start(actor=request.user, register_import=register_import)
    return redirect("core:job", job_id=job.pk)
