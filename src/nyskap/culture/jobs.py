"""The culture module's background jobs: a round's PDF report (WeasyPrint takes a while), and its XLSX when the
round has more answers than the export threshold, made for a leader of the round's organisation and kept for them
alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _

from nyskap.core.jobs import registry
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.jobs.services import job_start
from nyskap.core.permissions import is_editor_of
from nyskap.core.spreadsheets import XLSX_TYPE
from nyskap.surveys import selectors

if TYPE_CHECKING:
    from nyskap.surveys.models import Round

RESULTS_PDF = "culture.results_pdf"
RESULTS_XLSX = "culture.results_xlsx"


def _results_pdf(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
    from . import reports
    from .views import results_context

    round = selectors.round_with_organisation(job.params["round"])
    if round is None:
        raise ObjectDoesNotExist(f"round {job.params['round']}")
    if not is_editor_of(job.owner, round.organisation):  # the leader role may have ended since the job was started
        return registry.JobOutput(report={"problems": [_("You are no longer a leader of this organisation.")]},
                                  failed=True)  # fmt: skip
    content = reports.results_pdf(results_context(round))  # a report has no rows to count
    return registry.JobOutput(
        content=content, filename=f"kultur-for-innovasjon-{round.pk}.pdf", content_type="application/pdf"
    )


registry.register(RESULTS_PDF, _results_pdf)


def _results_xlsx(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
    from . import reports
    from .views import seen_results

    round = selectors.round_with_organisation(job.params["round"])
    if round is None:
        raise ObjectDoesNotExist(f"round {job.params['round']}")
    if not is_editor_of(job.owner, round.organisation):
        return registry.JobOutput(report={"problems": [_("You are no longer a leader of this organisation.")]},
                                  failed=True)  # fmt: skip
    progress.set_total(selectors.submitted_count(round))  # the answers the figures are computed from
    content = reports.results_workbook(seen_results(round))
    return registry.JobOutput(
        content=content, filename=f"kultur-for-innovasjon-{round.pk}.xlsx", content_type=XLSX_TYPE
    )


registry.register(RESULTS_XLSX, _results_xlsx)


def is_large(round: Round) -> bool:
    return selectors.submitted_count(round) > settings.BACKGROUND_EXPORT_THRESHOLD


def results_xlsx_start(*, actor: Any, round: Round) -> BackgroundJob:
    return job_start(
        owner=actor,
        kind=RESULTS_XLSX,
        title=_("Spreadsheet: %(round)s") % {"round": round.title},
        params={"round": round.pk},
        back_url=reverse("culture:results", kwargs={"pk": round.pk}),
    )


def results_pdf_start(*, actor: Any, round: Round) -> BackgroundJob:
    return job_start(
        owner=actor,
        kind=RESULTS_PDF,
        title=_("PDF report: %(round)s") % {"round": round.title},
        params={"round": round.pk},
        back_url=reverse("culture:results", kwargs={"pk": round.pk}),
    )
