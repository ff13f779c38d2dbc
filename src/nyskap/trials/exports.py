"""Downloads of the public trials (the overview's filters and search apply): CSV (UTF-8 with BOM, `;`) and XLSX,
through `nyskap.core.spreadsheets`, which neutralises text a spreadsheet would run as a formula."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase, QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nyskap.core.jobs.exports import base_url_of
from nyskap.core.spreadsheets import csv_lines, csv_separator, xlsx_file

from . import jobs, selectors
from .forms import FilterForm
from .models import TrialOutcome


def trials_for(data: QueryDict) -> Any:
    """The public trials the overview shows for these filters (drafts and shared trials are never exported)."""
    form = FilterForm(data)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    params = {name: data.getlist(name) for name in (*selectors.FACETS, "overdue")}
    return selectors.with_outcome(selectors.filtered(AnonymousUser(), params, query)).prefetch_related("owners")


def public_trials(request: HttpRequest) -> Any:
    return trials_for(request.GET)


def header() -> list[str]:
    return [
        _("Title"),
        _("Kind of trial"),
        _("Status"),
        _("Owning organisations"),
        _("Legal basis"),
        _("Design"),
        _("Sector"),
        _("Area"),
        _("Outcome"),
        _("Start date"),
        _("End date"),
        _("Pre-registration fingerprint (SHA-256)"),
        _("Not pre-registered"),
        _("Decision"),
        _("Reason for the decision"),
        _("Source"),
        _("Address"),
    ]


def rows(trials: Any, base_url: str, on_row: Callable[[], None] | None = None) -> Iterator[list[Any]]:
    for trial in trials.select_related("registration"):
        if on_row is not None:
            on_row()
        registration = getattr(trial, "registration", None)
        yield [
            trial.title,
            trial.get_kind_display(),
            trial.get_status_display(),
            ", ".join(owner.name for owner in trial.owners.all()),
            " ".join(part for part in (trial.legal_act, trial.legal_section) if part),
            trial.get_design_display(),
            trial.get_sector_display(),
            trial.area,
            str(TrialOutcome(getattr(trial, selectors.OUTCOME_STATE)).label),
            trial.starts_on,
            trial.ends_on,
            registration.fingerprint if registration else "",
            _("Yes") if trial.not_preregistered else "",
            trial.get_decision_display(),
            trial.decision_reason,
            trial.source,
            f"{base_url}/forsok/{trial.slug}/",
        ]


@require_GET
def export_csv(request: HttpRequest) -> HttpResponseBase:
    lines = csv_lines(
        header(), rows(public_trials(request), base_url_of(request)), separator=csv_separator(request.GET.get("sep"))
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nyskap-forsok.csv"'
    return response


def xlsx(trials: Any, base_url: str, on_row: Callable[[], None] | None = None) -> IO[bytes]:
    return xlsx_file(_("Trials"), header(), rows(trials, base_url, on_row))


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    """An export of more trials than the threshold is made in the background (its progress page is the answer); a
    smaller one is served at once."""
    return jobs.EXPORT_XLSX.response(request, public_trials(request), list_url=reverse("trials:list"))
