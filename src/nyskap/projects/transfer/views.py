"""Export of search results (CSV, XLSX, JSON) and import of new projects from a spreadsheet."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from nyskap.core.jobs.exports import is_large
from nyskap.core.jobs.services import owner_of
from nyskap.core.permissions import organisations_edited_by
from nyskap.core.spreadsheets import XLSX_TYPE, csv_separator
from nyskap.organisations.models import Organisation

from .. import importexport, jobs
from ..models import Project
from ..search import search_projects


def _search_result(request: HttpRequest) -> QuerySet[Project]:
    """The same projects as the library page shows for this query string, as the visitor may see them."""
    return search_projects(user=request.user, params=request.GET, with_facets=False).queryset()


def _filename(extension: str) -> str:
    return f"nyskap-prosjekter-{timezone.localdate().isoformat()}.{extension}"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _in_background(request: HttpRequest, extension: str) -> HttpResponseRedirect | None:
    """An export of more projects than the threshold runs as a background job: the answer is its progress page.
    A visitor who is not signed in (public projects only) owns the job through their browser session."""
    if not is_large(_search_result(request).count()):
        return None
    query = request.GET.copy()
    owner = owner_of(request)
    job = jobs.export_start(
        actor=owner["owner"],
        visitor=owner["visitor"],
        extension=extension,
        query=query.urlencode(),
        base_url=_base_url(request),
        separator=csv_separator(request.GET.get("sep")),
        back_url=f"{reverse('projects:list')}?{query.urlencode()}" if query else reverse("projects:list"),
    )
    return redirect("core:job", job_id=job.pk)


@require_GET
def export_csv(request: HttpRequest) -> HttpResponseBase:
    if background := _in_background(request, "csv"):
        return background
    rows = importexport.export_csv(
        _search_result(request), base_url=_base_url(request), separator=csv_separator(request.GET.get("sep"))
    )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@require_GET
def export_json(request: HttpRequest) -> HttpResponseBase:
    if background := _in_background(request, "json"):
        return background
    parts = importexport.export_json(_search_result(request), base_url=_base_url(request))
    response = StreamingHttpResponse(parts, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    if background := _in_background(request, "xlsx"):
        return background
    workbook = importexport.export_xlsx(_search_result(request), base_url=_base_url(request))
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type=XLSX_TYPE,
    )


@login_required
@require_GET
def template_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        importexport.template_csv(csv_separator(request.GET.get("sep"))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="nyskap-prosjekter-mal.csv"'
    return response


@login_required
@require_GET
def template_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        importexport.template_xlsx(),
        content_type=XLSX_TYPE,
    )
    response["Content-Disposition"] = 'attachment; filename="nyskap-prosjekter-mal.xlsx"'
    return response


def importable_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations the user may import projects into: where they are editor or administrator (operators: all)."""
    if user.is_staff or user.is_superuser:
        return Organisation.objects.order_by("name")
    return organisations_edited_by(user).order_by("name")


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Owning organisation"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=None,
        help_text=gettext_lazy("The imported projects are owned by this organisation, and you become their author."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8) or Excel (.xlsx) with the columns of the template, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = importable_organisations(user)  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > importexport.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is 10 MB. Split it into several files.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}"}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_projects(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not importable_organisations(user).exists():
        raise PermissionDenied(_("Only editors and administrators of an organisation can import projects."))
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = jobs.import_start(
            actor=user, owner=form.cleaned_data["organisation"], upload=upload.file, filename=upload.name
        )
        return redirect("core:job", job_id=job.pk)
    context: dict[str, Any] = {"form": form, "columns": importexport.IMPORT_COLUMNS}
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/transfer/import.html", context, status=status)
