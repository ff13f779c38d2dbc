"""The barometer's background job: a round's PDF report (WeasyPrint takes a while), for a signed-in person who may
see the round's results (anybody once published; the owner's editors while closed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.jobs import registry
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.jobs.services import job_start

from . import comparison, selectors
from .results import round_results

if TYPE_CHECKING:
    from .models import Round

RESULTS_PDF = "barometer.results_pdf"


def report_pdf(round: Round) -> bytes:
    from weasyprint import HTML

    results = round_results(round)
    rows = [(r, comparison.for_indicator(r.indicator.key)) for r in results.indicators] if results else []
    html = render_to_string(
        "barometer/report_pdf.html",
        {"round": round, "results": results, "rows": rows, "generated_on": timezone.localdate()},
    )
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def _results_pdf(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
    round = selectors.round_for_results(job.owner, job.params["round"])
    if round is None:
        raise ObjectDoesNotExist(f"barometer round {job.params['round']}")
    return registry.JobOutput(
        content=report_pdf(round), filename=f"barometer-{round.pk}.pdf", content_type="application/pdf"
    )


registry.register(RESULTS_PDF, _results_pdf)


def results_pdf_start(*, actor: Any, round: Round) -> BackgroundJob:
    return job_start(
        owner=actor,
        kind=RESULTS_PDF,
        title=_("PDF report: %(round)s") % {"round": round.title},
        params={"round": round.pk},
        back_url=reverse("barometer:results", kwargs={"pk": round.pk}),
    )
