"""The registry's background job: an XLSX export of more public trials than the threshold, made for whoever asked (a
signed-in user, or the browser session of a visitor who is not signed in; what is exported is public either way).
The CSV is streamed row by row and needs no job."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nyskap.core.jobs import registry
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.jobs.services import job_start
from nyskap.core.spreadsheets import XLSX_TYPE

EXPORT_XLSX = "trials.export_xlsx"
FILENAME = "nyskap-forsok.xlsx"


def is_large(count: int) -> bool:
    return count > settings.BACKGROUND_EXPORT_THRESHOLD


def _export_xlsx(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
    from . import exports

    trials = exports.trials_for(QueryDict(job.params.get("query", "")))
    progress.set_total(trials.count())
    content = exports.xlsx(trials, job.params.get("base_url", settings.SITE_URL), on_row=progress.advance)
    summary = ngettext("%(count)d trial exported.", "%(count)d trials exported.", progress.done) % {
        "count": progress.done
    }
    return registry.JobOutput(content=content, filename=FILENAME, content_type=XLSX_TYPE, report={"summary": summary})


registry.register(EXPORT_XLSX, _export_xlsx)


def export_xlsx_start(*, owner: Any, visitor: str, query: str, base_url: str, back_url: str) -> BackgroundJob:
    return job_start(
        owner=owner,
        visitor=visitor,
        kind=EXPORT_XLSX,
        title=_("Export of trials (XLSX)"),
        params={"query": query, "base_url": base_url},
        back_url=back_url,
    )
