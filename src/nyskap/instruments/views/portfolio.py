"""The portfolio of instruments and the catalogue's exports (CSV, JSON and XLSX), filtered as the list is."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nyskap.core.jobs.exports import base_url_of
from nyskap.core.spreadsheets import csv_separator

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


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.export_csv(
            _export_queryset(request), base_url=base_url_of(request), separator=csv_separator(request.GET.get("sep"))
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{jobs.export_filename("csv")}"'
    return response


@require_GET
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.export_json(_export_queryset(request), base_url=base_url_of(request)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{jobs.export_filename("json")}"'
    return response


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    """An export of more instruments than the threshold runs as a background job (its progress page is the
    answer); a smaller one is served at once."""
    return jobs.EXPORT_XLSX.response(request, _export_queryset(request), list_url=reverse("instruments:list"))
