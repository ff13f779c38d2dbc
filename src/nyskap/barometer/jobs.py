"""The barometer's background jobs: a round's PDF report (WeasyPrint takes a while), for a signed-in person who may
see the round's results (anybody once published; the owner's editors while closed); and, for the owner's editors,
the upload of a round's sampling frame (`frame`) and the import of earlier microdata (`importing`) into a round in
draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nyskap.core.jobs import registry
from nyskap.core.jobs.imports import ImportOutcome, ImportRefused, register_import, start_import
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.jobs.services import job_start

from . import comparison, importing, selectors, services
from .frame import FrameError
from .results import round_results
from .services import BarometerError

if TYPE_CHECKING:
    from .models import Round

RESULTS_PDF = "barometer.results_pdf"
MICRODATA_IMPORT = "barometer.microdata_import"
FRAME_UPLOAD = "barometer.frame_upload"


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


# The two imports into a round in draft (earlier microdata, the sampling frame): all or nothing, every problem with
# its row and column


def _into_round(actor: Any, params: dict[str, Any], run: Callable[[Round], int]) -> tuple[Round, int] | ImportOutcome:
    """The round to import into and what ``run`` imported into it, or the refusal as the import's report. The checks
    made when the job was started are made again (the round may have moved on since)."""
    round = selectors.round_for_editor(actor, params.get("round", 0))
    if round is None:
        raise ImportRefused(_("The round no longer exists, or you can no longer edit it."))
    try:
        return round, run(round)
    except FrameError as error:
        return ImportOutcome(problems=[str(problem) for problem in error.problems])
    except BarometerError as error:
        raise ImportRefused(error.message) from error
    except PermissionDenied as error:
        raise ImportRefused(str(error)) from error


def _microdata_import(
    upload: IO[bytes], filename: str, *, actor: Any, params: dict[str, Any], progress: Progress
) -> ImportOutcome:
    done = _into_round(
        actor,
        params,
        lambda round: importing.microdata_import(
            actor=actor,
            round=round,
            upload=upload,
            filename=filename,
            mapping_text=params.get("mapping", ""),
            on_total=progress.set_total,
            on_row=progress.advance,
        ),
    )
    if isinstance(done, ImportOutcome):
        return done
    round, imported = done
    summary = ngettext(
        "%(count)d response was imported into %(round)s. The round is closed.",
        "%(count)d responses were imported into %(round)s. The round is closed.",
        imported,
    ) % {"count": imported, "round": round.title}
    results = {
        "title": _("Results: %(title)s") % {"title": round.title},
        "url": reverse("barometer:results", kwargs={"pk": round.pk}),
    }
    return ImportOutcome(created=[results], summary=summary)


register_import(MICRODATA_IMPORT, _microdata_import)


def microdata_import_start(
    *, actor: Any, round: Round, upload: IO[bytes], filename: str, mapping_text: str
) -> BackgroundJob:
    """Queue the import of ``upload`` into ``round`` (the caller has made `importing.microdata_import_check`)."""
    return start_import(
        owner=actor,
        kind=MICRODATA_IMPORT,
        title=_("Import of microdata into %(round)s") % {"round": round.title},
        upload=upload,
        filename=filename,
        params={"round": round.pk, "mapping": mapping_text},
        back_url=reverse("barometer:round", kwargs={"pk": round.pk}),
    )


# Upload of the sampling frame (20,000 workplaces and more)


def _frame_upload(
    upload: IO[bytes], filename: str, *, actor: Any, params: dict[str, Any], progress: Progress
) -> ImportOutcome:
    done = _into_round(
        actor,
        params,
        lambda round: services.frame_upload(
            actor=actor,
            round=round,
            upload=upload,
            filename=filename,
            on_total=progress.set_total,
            on_row=progress.advance,
        ),
    )
    if isinstance(done, ImportOutcome):
        return done
    round, imported = done
    summary = ngettext(
        "%(count)d workplace was imported into the frame of %(round)s.",
        "%(count)d workplaces were imported into the frame of %(round)s.",
        imported,
    ) % {"count": imported, "round": round.title}
    page = {
        "title": _("Round: %(title)s") % {"title": round.title},
        "url": reverse("barometer:round", kwargs={"pk": round.pk}),
    }
    return ImportOutcome(created=[page], summary=summary)


register_import(FRAME_UPLOAD, _frame_upload)


def frame_upload_start(*, actor: Any, round: Round, upload: IO[bytes], filename: str) -> BackgroundJob:
    """Queue the upload of ``upload`` as the frame of ``round`` (the caller has made `services.frame_upload_check`)."""
    return start_import(
        owner=actor,
        kind=FRAME_UPLOAD,
        title=_("Import of the frame into %(round)s") % {"round": round.title},
        upload=upload,
        filename=filename,
        params={"round": round.pk},
        back_url=reverse("barometer:round", kwargs={"pk": round.pk}),
    )
