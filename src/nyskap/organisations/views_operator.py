"""The operators' page for updates from the Central Coordinating Register (``/drift/enhetsregisteret/``): upload the
register's bulk download, look at the dry-run diff, then apply it all or nothing. Operators only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from nyskap.core.visibility import is_operator

from .models import OrganisationKind, RegisterImport
from .services import RegisterImportRefused, register_import_apply, register_import_create


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
    _operator(request)
    form = RegisterFileForm(request.POST, request.FILES) if request.method == "POST" else RegisterFileForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        register_import = register_import_create(stream=upload.file, file_name=upload.name, actor=request.user)
        return redirect(register_import)
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
    _operator(request)
    register_import = get_object_or_404(RegisterImport, pk=pk)
    try:
        counts = register_import_apply(register_import=register_import, actor=request.user)
    except RegisterImportRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Applied: %(new)s new, %(renamed)s renamed, %(recorded)s legal names recorded, %(parents)s parents "
                "changed, %(ended)s marked as ended, %(deleted)s deleted."
            )
            % {
                "new": counts["new"],
                "renamed": counts["renamed"],
                "recorded": counts["names_recorded"],
                "parents": counts["parents"],
                "ended": counts["ended"],
                "deleted": counts["deleted"],
            },
        )
    return redirect(register_import)
