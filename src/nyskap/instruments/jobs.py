"""The catalogue's background job: an XLSX export of more instruments than the threshold, made for whoever asked
(a signed-in user, or the browser session of a visitor who is not signed in; the catalogue is public either way)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nyskap.core.jobs import registry
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.jobs.services import job_start
from nyskap.core.spreadsheets import XLSX_TYPE

EXPORT_XLSX = "instruments.export_xlsx"


def export_filename(extension: str) -> str:
    return f"nyskap-virkemidler-{timezone.localdate().isoformat()}.{extension}"


def is_large(count: int) -> bool:
    return count > settings.BACKGROUND_EXPORT_THRESHOLD


def _export_xlsx(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
    from . import exports
    from .forms import catalogue_filter

    _form, instruments = catalogue_filter(QueryDict(job.params.get("query", "")))
    progress.set_total(instruments.count())
    content = exports.export_xlsx(
        instruments, base_url=job.params.get("base_url", settings.SITE_URL), on_row=progress.advance
    )
    summary = ngettext("%(count)d instrument exported.", "%(count)d instruments exported.", progress.done) % {
        "count": progress.done
    }
    return registry.JobOutput(
        content=content, filename=export_filename("xlsx"), content_type=XLSX_TYPE, report={"summary": summary}
    )


registry.register(EXPORT_XLSX, _export_xlsx)


def export_xlsx_start(*, owner: Any, visitor: str, query: str, base_url: str, back_url: str) -> BackgroundJob:
    return job_start(
        owner=owner,
        visitor=visitor,
        kind=EXPORT_XLSX,
        title=_("Export of instruments (XLSX)"),
        params={"query": query, "base_url": base_url},
        back_url=back_url,
    )
