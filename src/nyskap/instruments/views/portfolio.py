"""The portfolio of instruments and the catalogue's exports (CSV, JSON and XLSX), filtered as the list is."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nyskap.core.jobs.services import owner_of
from nyskap.core.spreadsheets import XLSX_TYPE, csv_separator

from .. import exports, jobs, selectors
from ..models import Instrument, Offer
from .common import catalogue_search


@require_GET
def portfolio(request: HttpRequest) -> HttpResponse:
    active = list(Instrument.objects.real().active().only("phases", "offers", "applicant_kinds"))
    matrix, groups, phases = selectors.coverage(active)
    group_labels = {
        "municipal": _("Municipalities and county municipalities"),
        "state": _("State bodies"),
        "companies": _("Companies and social entrepreneurs"),
        "research": _("Research organisations"),
    }
    use_rows, bands, centrality = selectors.use_by_municipality(request.user)
    band_labels = selectors.size_bands()
    return render(
        request,
        "instruments/portfolio.html",
        {
            "active_count": len(active),
            "matrix_columns": [label for _code, label in matrix.columns],
            "matrix_rows": matrix.row_values(),
            "phase_rows": [(label, phases.get(code, 0)) for code, label in matrix.rows],
            "group_rows": [(group_labels[code], groups.get(code, 0)) for code in group_labels],
            "band_labels": band_labels,
            "band_rows": [(label, bands.get(code, 0)) for code, label in band_labels],
            "centrality_rows": [(str(klass), centrality.get(klass, 0)) for klass in range(1, 7)],
            "use_rows": [
                (
                    row.instrument,
                    [row.by_band.get(code, 0) for code, _label in band_labels],
                    [row.by_centrality.get(klass, 0) for klass in range(1, 7)],
                    row.total,
                )
                for row in use_rows
            ],
            "offers": [str(o.label) for o in Offer],
        },
    )


# Exports


def _export_queryset(request: HttpRequest) -> Any:
    _form, instruments = catalogue_search(request)
    return instruments


def _filename(extension: str) -> str:
    return f"nyskap-virkemidler-{timezone.localdate().isoformat()}.{extension}"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.export_csv(
            _export_queryset(request), base_url=_base_url(request), separator=csv_separator(request.GET.get("sep"))
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@require_GET
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.export_json(_export_queryset(request), base_url=_base_url(request)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    """An export of more instruments than the threshold runs as a background job (its progress page is the
    answer); a smaller one is served at once."""
    instruments = _export_queryset(request)
    if jobs.is_large(instruments.count()):
        query = request.GET.urlencode()
        job = jobs.export_xlsx_start(
            **owner_of(request),
            query=query,
            base_url=_base_url(request),
            back_url=f"{reverse('instruments:list')}?{query}" if query else reverse("instruments:list"),
        )
        return redirect("core:job", job_id=job.pk)
    return FileResponse(
        exports.export_xlsx(instruments, base_url=_base_url(request)),
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type=XLSX_TYPE,
    )
