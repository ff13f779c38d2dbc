"""The registry's background jobs: an XLSX export of more public trials than the threshold, made for whoever asked (a
signed-in user, or the browser session of a visitor who is not signed in; what is exported is public either way; the
CSV is streamed row by row and needs no job); and a result read from an uploaded table of unit rows (up to 20,000),
for the trial's editors."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from nyskap.core.jobs.exports import register_xlsx_export
from nyskap.core.jobs.imports import ImportOutcome, ImportRefused, register_import, start_import
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress

if TYPE_CHECKING:
    from .models import Trial

FILENAME = "nyskap-forsok.xlsx"


def _trials(query: QueryDict) -> Any:
    from . import exports

    return exports.trials_for(query)


def _write(trials: Any, base_url: str, on_row: Callable[[], None] | None) -> IO[bytes]:
    from . import exports

    return exports.xlsx(trials, base_url, on_row=on_row)


def _summary(count: int) -> str:
    return ngettext("%(count)d trial exported.", "%(count)d trials exported.", count) % {"count": count}


EXPORT_XLSX = register_xlsx_export(
    "trials.export_xlsx",
    title=gettext_lazy("Export of trials (XLSX)"),
    records=_trials,
    write=_write,
    filename=lambda: FILENAME,
    summary=_summary,
)


# A result from unit rows

RESULT_UNITS = "trials.result_units"


def _result_units(
    upload: IO[bytes], filename: str, *, actor: Any, params: dict[str, Any], progress: Progress
) -> ImportOutcome:
    """Read the rows and save the result, or report every problem with its row and column (nothing saved). What was
    checked when the job was started is checked again: the trial may have moved on since."""
    from . import services
    from .models import Trial

    trial = Trial.objects.filter(pk=params.get("trial", 0)).first()
    if trial is None or not services.can_change(actor, trial):
        raise ImportRefused(_("The trial no longer exists, or you can no longer change it."))
    try:
        result = services.result_add_units(
            actor=actor,
            trial=trial,
            outcome=params.get("outcome", ""),
            outcome_type=params.get("outcome_type", ""),
            upload=upload,
            filename=filename,
            icc=params.get("icc"),
            on_total=progress.set_total,
            on_row=progress.advance,
        )
    except services.TrialError as error:
        return ImportOutcome(problems=[message for _field, message in error.problems])
    units = len(result.inputs["rows"])
    summary = ngettext(
        "The result “%(outcome)s” is saved, from %(count)d unit.",
        "The result “%(outcome)s” is saved, from %(count)d units.",
        units,
    ) % {"outcome": result.outcome, "count": units}
    results = {
        "title": _("Results: %(trial)s") % {"trial": trial.title},
        "url": reverse("trials:results", kwargs={"slug": trial.slug}),
    }
    return ImportOutcome(created=[results], summary=summary)


register_import(RESULT_UNITS, _result_units)


def result_units_start(
    *, actor: Any, trial: Trial, upload: IO[bytes], filename: str, outcome: str, outcome_type: str, icc: float | None
) -> BackgroundJob:
    """Queue the reading of ``upload`` into a result of ``trial`` (the caller has checked `result_units_check`)."""
    return start_import(
        owner=actor,
        kind=RESULT_UNITS,
        title=_("Result from unit rows: %(trial)s") % {"trial": trial.title},
        upload=upload,
        filename=filename,
        params={"trial": trial.pk, "outcome": outcome, "outcome_type": outcome_type, "icc": icc},
        back_url=reverse("trials:results", kwargs={"slug": trial.slug}),
    )
