"""Pages of the culture measurement: the questionnaire and its sources, the methods, the national picture (public)
and a round's results with its PDF and XLSX (the organisation's leaders only; others get 404, so a round's
existence is not revealed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from nyskap.core.permissions import is_editor_of
from nyskap.core.spreadsheets import XLSX_TYPE
from nyskap.surveys import selectors
from nyskap.surveys.services import round_results_opened

if TYPE_CHECKING:
    from nyskap.surveys.models import Round

from . import instrument, jobs, national, reports
from .calculations import LEVEL_LIMITS
from .results import LEVEL_NAMES, RoundResults, anonymity_explanation, round_results


def _led_culture_round(request: HttpRequest, pk: int) -> Round:
    round = selectors.round_with_organisation(pk, questionnaire_key=instrument.KEY)
    if round is None or not is_editor_of(request.user, round.organisation):
        raise Http404
    return round


def chart_rows(results: RoundResults) -> list[tuple[str, float | None, float | None, float | None, str]]:
    from .templatetags.culture_charts import decimal

    rows: list[tuple[str, float | None, float | None, float | None, str]] = []
    for dimension in results.dimensions:
        mean = dimension.total.mean
        if dimension.total.band:
            rows.append((dimension.name, None, None, None, dimension.total.band_name))
        elif mean is None:
            rows.append((dimension.name, None, None, None, dimension.total.hidden_label))
        else:
            rows.append((dimension.name, mean.estimate, mean.low, mean.high, decimal(mean.estimate)))
    return rows


def seen_results(round: Round) -> RoundResults:
    """The results a leader is about to see; once they carry figures, the round can no longer be reopened."""
    results = round_results(round)
    if results.total_shown:
        round_results_opened(round=round)
    return results


def results_context(round: Round) -> dict[str, Any]:
    results = seen_results(round)
    return {
        "round": round,
        "results": results,
        "chart_rows": chart_rows(results),
        "level_names": LEVEL_NAMES,
        "overall_level_name": LEVEL_NAMES.get(results.overall_level or 0, ""),
        "anonymity": anonymity_explanation(results),
    }


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "culture/results.html", results_context(_led_culture_round(request, pk)))


@login_required
@require_GET
def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF is made in the background (WeasyPrint takes a while): the answer is the job's progress page, which
    offers the file when it is ready."""
    job = jobs.results_pdf_start(actor=request.user, round=_led_culture_round(request, pk))
    return redirect("core:job", job_id=job.pk)


@login_required
@require_GET
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """A round with more answers than the export threshold is written in the background (the answer is the job's
    progress page); a smaller one is served at once."""
    round = _led_culture_round(request, pk)
    if jobs.is_large(round):
        job = jobs.results_xlsx_start(actor=request.user, round=round)
        return redirect("core:job", job_id=job.pk)
    response = HttpResponse(reports.results_workbook(seen_results(round)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="kultur-for-innovasjon-{round.pk}.xlsx"'
    return response


@require_GET
def questionnaire(request: HttpRequest) -> HttpResponse:
    version = selectors.latest_published_version(instrument.KEY)
    dimensions = list(version.dimensions.prefetch_related("items")) if version else []
    return render(request, "culture/questionnaire.html", {"version": version, "dimensions": dimensions})


@require_GET
def methods(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "culture/methods.html",
        {"limits": LEVEL_LIMITS, "level_names": LEVEL_NAMES, "reliability": national.reliability()},
    )


@require_GET
def national_view(request: HttpRequest) -> HttpResponse:
    return render(request, "culture/national.html", {"picture": national.national_picture()})
