"""Pages of the innovation barometer: the overview (published rounds for everybody, and the rounds of the
organisations one edits), a new round, a round's set-up and fieldwork (frame upload, sample, fieldwork, close,
publish; the owner's editors only — others get 404) and its results (public once published)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nyskap.core.memory import collector_paused
from nyskap.core.permissions import organisations_edited_by
from nyskap.core.spreadsheets import XLSX_TYPE, csv_separator, csv_text

from . import comparison, exports, importing, jobs, selectors, services, trends
from .forms import (
    VARIABLE_LABELS,
    FieldworkForm,
    FrameForm,
    ImportForm,
    ReferenceFrameForm,
    RoundForm,
    SampleForm,
)
from .models import QuestionnaireKind, Round, RoundStatus, stratum_label, value_label
from .results import (
    Figure,
    IndicatorResult,
    OrganisationResults,
    RoundResults,
    organisations_results,
    round_results,
)


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    labels = selectors.indicator_labels()
    return render(
        request,
        "barometer/overview.html",
        {
            "published": selectors.published_rounds(),
            "own": selectors.rounds_edited_by(request.user),
            "series": [(labels.get(p.indicator, p.indicator), p) for p in comparison.SERIES],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not organisations_edited_by(request.user).exists():
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                round = services.round_create(
                    actor=request.user,
                    owner=data["owner"],
                    data=services.RoundInput(
                        title=data["title"],
                        kind=data["kind"],
                        period_start=data["period_start"],
                        period_end=data["period_end"],
                        strata=list(data["strata"]),
                        min_cell=data["min_cell"],
                    ),
                )
            except services.BarometerError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return redirect("barometer:round", pk=round.pk)
        return render(request, "barometer/create.html", {"form": form}, status=422)
    return render(request, "barometer/create.html", {"form": form})


def _edited(request: HttpRequest, pk: int) -> Round:
    round = selectors.round_for_editor(request.user, pk)
    if round is None:
        raise Http404
    return round


def _round_page(request: HttpRequest, round: Round, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "round": round,
        "rows": [(stratum_label(round.strata, row.stratum), row) for row in selectors.response_rates(round)],
        "strata_names": [str(VARIABLE_LABELS[v]) for v in round.strata],
        "frame_form": forms.get("frame_form") or FrameForm(),
        "reference_form": forms.get("reference_form") or ReferenceFrameForm(prefix="reference"),
        "kinds": QuestionnaireKind,
        "sample_form": forms.get("sample_form") or SampleForm(initial={"seed": round.seed}),
        "fieldwork_form": forms.get("fieldwork_form")
        or FieldworkForm(initial={"closes_on": datetime.date.today() + datetime.timedelta(days=28)}),
        "import_form": forms.get("import_form") or ImportForm(prefix="import"),
        "error": forms.get("error"),
        "statuses": RoundStatus,
    }
    return render(request, "barometer/round.html", context, status=status)


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, _edited(request, pk))


@login_required
@require_POST
def frame_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the round's frame in a background job, whose progress page this answers with: all or nothing, with
    every problem listed by row and column. The form and what needs no file (the round in draft) are checked here, a
    refusal shown at the top of the page (a round past draft has no frame form) with nothing queued; the job checks
    them again."""
    round = _edited(request, pk)
    form = FrameForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.frame_upload_check(actor=request.user, round=round)
        except services.BarometerError as error:
            if error.field not in form.fields:  # the round is past draft: its page has no frame form
                return _round_page(request, round, 422, error=error.message)
            form.add_error(error.field, error.message)
        else:
            upload = form.cleaned_data["file"]
            job = jobs.frame_upload_start(actor=request.user, round=round, upload=upload.file, filename=upload.name)
            return redirect("core:job", job_id=job.pk)
    return _round_page(request, round, 422, frame_form=form)


@login_required
@require_POST
def frame_reference(request: HttpRequest, pk: int) -> HttpResponse:
    """A strategic round's frame from the organisations of the reference data (no upload)."""
    round = _edited(request, pk)
    form = ReferenceFrameForm(request.POST, prefix="reference")
    if form.is_valid():
        try:
            services.frame_from_reference(actor=request.user, round=round, kinds=list(form.cleaned_data["kinds"]))
        except services.BarometerError as error:
            form.add_error("kinds", error.message)
        else:
            return redirect("barometer:round", pk=round.pk)
    return _round_page(request, round, 422, reference_form=form)


@login_required
@require_POST
def microdata_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import earlier microdata in a background job, whose progress page this answers with: all or nothing, with
    every problem listed by row and column. The form and what needs no file (the round in draft, its frame, the
    mapping) are checked here, a refusal shown on the form (at the top of the page for a round past draft, which
    has no import form) with nothing queued; the job checks them again."""
    round = _edited(request, pk)
    form = ImportForm(request.POST, request.FILES, prefix="import")
    if form.is_valid():
        try:
            importing.microdata_import_check(actor=request.user, round=round, mapping_text=form.cleaned_data["mapping"])
        except services.BarometerError as error:
            if error.field not in form.fields:  # the round is past draft: its page has no import form
                return _round_page(request, round, 422, error=error.message)
            form.add_error(error.field, error.message)
        else:
            upload = form.cleaned_data["file"]
            job = jobs.microdata_import_start(
                actor=request.user,
                round=round,
                upload=upload.file,
                filename=upload.name,
                mapping_text=form.cleaned_data["mapping"],
            )
            return redirect("core:job", job_id=job.pk)
    return _round_page(request, round, 422, import_form=form)


@login_required
@require_POST
def sample_draw(request: HttpRequest, pk: int) -> HttpResponse:
    round = _edited(request, pk)
    form = SampleForm(request.POST)
    if form.is_valid():
        try:
            services.sample_draw(
                actor=request.user, round=round, size=form.cleaned_data["size"], seed=form.cleaned_data["seed"]
            )
        except services.BarometerError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("barometer:round", pk=round.pk)
    return _round_page(request, round, 422, sample_form=form)


@login_required
@require_POST
def fieldwork_start(request: HttpRequest, pk: int) -> HttpResponse:
    round = _edited(request, pk)
    form = FieldworkForm(request.POST)
    if form.is_valid():
        try:
            services.fieldwork_start(actor=request.user, round=round, closes_on=form.cleaned_data["closes_on"])
        except services.BarometerError as error:
            form.add_error("closes_on", error.message)
        else:
            return redirect("barometer:round", pk=round.pk)
    return _round_page(request, round, 422, fieldwork_form=form)


def _transition(request: HttpRequest, pk: int, service: Any) -> HttpResponse:
    round = _edited(request, pk)
    try:
        service(actor=request.user, round=round)
    except services.BarometerError as error:
        return _round_page(request, round, 422, error=error.message)
    except PermissionDenied:
        raise Http404 from None
    return redirect("barometer:round", pk=round.pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.round_close)


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.reminders_send)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.round_publish)


def _results_round(request: HttpRequest, pk: int) -> tuple[Round, RoundResults]:
    round = selectors.round_for_results(request.user, pk)
    results = round_results(round) if round is not None else None
    if round is None or results is None:
        raise Http404
    services.results_seen(round=round, shown=any(r.overall.shown for r in results.indicators))
    return round, results


def _group_labels(figures: RoundResults) -> dict[tuple[str, str], str]:
    """(variable, group) → "Breakdown: group" in the reader's language, once per page rather than per figure."""
    groups = {(v, f.group) for r in figures.indicators for v, fs in r.breakdowns.items() for f in fs}
    return {(v, g): _group_label(v, g) for v, g in groups}


def _group_label(variable: str, group: str) -> str:
    return f"{VARIABLE_LABELS[variable]}: {value_label(variable, group)}"


@require_GET
@collector_paused()  # the figures and their page: many short-lived objects, no cycles (core.memory)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    round, figures = _results_round(request, pk)
    labels = _group_labels(figures)
    rows = [
        (
            result,
            [(labels[variable, f.group], f) for variable, figures_ in result.breakdowns.items() for f in figures_],
            comparison.for_indicator(result.indicator.key),
        )
        for result in figures.indicators
    ]
    chart = [
        (r.label, round_percent(r.overall.share.estimate))
        for r in figures.indicators
        if r.overall.share is not None and (r.indicator.key == "innovation_rate" or r.indicator.key.startswith("b2_"))
    ]
    return render(
        request,
        "barometer/results.html",
        {
            "round": round,
            "results": figures,
            "rows": rows,
            "chart": chart,
            "chart_title": _("Innovation rate and types"),
            "own_organisations": selectors.own_organisations(request.user, round),
        },
    )


def _chart_rows(pairs: list[tuple[IndicatorResult, Figure]]) -> list[tuple[str, int]]:
    """The innovation rate and the types of innovation, for the chart above the tables."""
    return [
        (result.label, round_percent(figure.share.estimate))
        for result, figure in pairs
        if figure.share is not None
        and (result.indicator.key == "innovation_rate" or result.indicator.key.startswith("b2_"))
    ]


def _own_results(request: HttpRequest, pk: int) -> tuple[Round, RoundResults, list[Any]]:
    """A published round, its results and, per organisation of the reader's with workplaces in it, its own figures;
    404 for a round without workplaces of an organisation the reader is a member of."""
    round = selectors.round_for_results(request.user, pk)
    own = selectors.own_organisations(request.user, round) if round is not None else []
    figures = round_results(round) if round is not None and own else None
    if round is None or figures is None:
        raise Http404
    found = organisations_results(round, figures)
    empty = OrganisationResults(None, False, [(r, Figure("own", 0, None)) for r in figures.indicators])
    return round, figures, [(organisation, found.get(organisation.pk, empty)) for organisation in own]


@login_required
@require_GET
@collector_paused()
def organisation_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A published round's figures for the workplaces of the reader's own organisations, as aggregates and by the
    breakdowns that vary among them, with the public results' rules (see `results.organisations_results`)."""
    round, figures, own = _own_results(request, pk)
    labels = _group_labels(figures)
    sections = []
    for organisation, found in own:
        rows = [
            (
                result,
                figure,
                [(labels.get((v, f.group)) or _group_label(v, f.group), f) for v, fs in breakdowns for f in fs],
            )
            for result, figure, breakdowns in found.rows()
        ]
        variables = [str(VARIABLE_LABELS[v]) for v in found.variables]
        sections.append((organisation, found, _chart_rows(found.indicators), rows, variables))
    return render(
        request,
        "barometer/organisation_results.html",
        {"round": round, "results": figures, "sections": sections, "chart_title": _("Innovation rate and types")},
    )


@login_required
@require_GET
def organisation_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The figures of the reader's own organisations' workplaces as CSV, exactly what their page shows."""
    round, _figures, own = _own_results(request, pk)
    response = HttpResponse(
        "".join(exports.organisation_csv(own, separator=csv_separator(request.GET.get("sep")))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="barometer-{round.pk}-egne.csv"'
    return response


def round_percent(value: float) -> int:
    return int(value * 100 + 0.5)


@require_GET
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every figure as CSV: indicator, breakdown, group, n, share, interval, band (hidden ones empty)."""
    round, figures = _results_round(request, pk)
    response = HttpResponse(
        "".join(exports.figures_csv(figures, separator=csv_separator(request.GET.get("sep")))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="barometer-{round.pk}.csv"'
    return response


@require_GET
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    round, figures = _results_round(request, pk)
    response = HttpResponse(exports.figures_xlsx(round, figures), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="barometer-{round.pk}.xlsx"'
    return response


@login_required
@require_GET
def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF is made in the background: the answer is the job's progress page, which offers the file."""
    round, _figures = _results_round(request, pk)
    job = jobs.results_pdf_start(actor=request.user, round=round)
    return redirect("core:job", job_id=job.pk)


@login_required
@require_GET
def microdata(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's answers, one row per workplace without any id, for the owner's editors once fieldwork is over;
    breakdown variables that could single out a workplace are left out (see `exports`)."""
    round = _edited(request, pk)
    if round.status not in (RoundStatus.CLOSED, RoundStatus.PUBLISHED) or round.survey_round is None:
        raise Http404
    header, rows = exports.microdata(round)
    services.results_seen(round=round, shown=bool(rows))
    response = HttpResponse(
        csv_text(header, rows, separator=csv_separator(request.GET.get("sep"))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="barometer-{round.pk}-mikrodata.csv"'
    return response


@require_GET
def trends_page(request: HttpRequest) -> HttpResponse:
    """Every indicator over the published rounds of one questionnaire kind (``?kind=``), each point the round's own
    published figure, with the published national and Nordic figures beside them."""
    kind = request.GET.get("kind", QuestionnaireKind.OPERATIVE)
    if kind not in QuestionnaireKind.values:
        raise Http404
    rounds, found = trends.trends(kind)
    sections = []
    for trend in found:
        title = f"{trend.group}: {trend.label}" if trend.group else trend.label
        chart = [
            (f"{point.round.title} ({point.round.period_end:%Y})", round_percent(point.figure.share.estimate))
            for point in trend.shown
            if point.figure is not None and point.figure.share is not None
        ] + [(f"{published.text} ({published.year})", published.percent) for published in trend.series]
        sections.append((trend, title, chart))
    national = trends.national(kind)
    national_chart = []
    if national is not None:
        national_chart = [
            (row.label, round_percent(row.national.share.estimate))
            for row in national.rows
            if row.national is not None and (row.key == "innovation_rate" or row.key.startswith("b2_"))
        ]
    return render(
        request,
        "barometer/trends.html",
        {
            "rounds": rounds,
            "sections": sections,
            "kind": QuestionnaireKind(kind).label,
            "national": national,
            "national_chart": national_chart,
            "national_title": _("National figure: innovation rate and types"),
        },
    )
