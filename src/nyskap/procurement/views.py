"""The public procurement statistics (``/anskaffelser/``) and the operators' import of notice files."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nyskap.core.permissions import is_operator

from . import calculations, jobs, selectors
from .forms import NoticeUploadForm, StatisticsFilterForm
from .models import ImportRun

# The import's page lists its first notices with their class and the reason for it.
NOTICES_SHOWN = 200


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form = StatisticsFilterForm(request.GET or None, years=selectors.years())
    valid = form.is_valid() if request.GET else True
    filters = form.filters() if request.GET and valid else {}
    stats = selectors.statistics(filters)
    context: dict[str, Any] = {
        "form": form,
        "stats": stats,
        "filtered": bool(filters),
        "synthetic": selectors.has_synthetic(),
        "may_import": is_operator(request.user),
        "reference_share": calculations.WHITE_PAPER_SHARE,
        "reference_year": calculations.WHITE_PAPER_YEAR,
        "year_rows": [(row.label, row.innovation) for row in stats["by_year"]],
        "sector_rows": [(row.label, row.innovation) for row in stats["by_sector"] if row.innovation][:15],
        "procedure_rows": [(row.label, row.total) for row in stats["by_procedure"]],
        "county_rows": [(row.label or _("Not known"), row.innovation) for row in stats["by_county"]],
        "buyer_rows": [(row.label or row.key, row.total) for row in stats["by_buyer"]],
    }
    return render(request, "procurement/statistics.html", context, status=200 if valid else 400)


def _operator(request: HttpRequest) -> None:
    if not is_operator(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    """The upload starts the import as a background job; the operator is sent to its progress page, which ends
    with the import's report (or every problem, with nothing written)."""
    _operator(request)
    form = NoticeUploadForm(request.POST, request.FILES) if request.method == "POST" else NoticeUploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["notice_file"]
        job = jobs.import_start(actor=request.user, upload=upload.file, filename=upload.name or "")
        return redirect("core:job", job_id=job.pk)
    context = {"form": form, "imports": selectors.recent_imports()}
    return render(request, "procurement/imports.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _operator(request)
    run = get_object_or_404(ImportRun, pk=pk)
    notices = run.notices.order_by("pk").only("notice_id", "title", "kind", "notice_class", "reason_code")
    context = {"run": run, "notices": notices[:NOTICES_SHOWN], "notices_shown": NOTICES_SHOWN}
    return render(request, "procurement/import_detail.html", context)
