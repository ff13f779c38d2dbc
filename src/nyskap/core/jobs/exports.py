"""XLSX exports of a filtered list as background jobs: an export of more rows than
``settings.BACKGROUND_EXPORT_THRESHOLD`` is made by the task worker for whoever asked (a signed-in user, or the browser
session of a visitor who is not signed in) while they watch its progress page; a smaller one is served at once.

    EXPORT = register_xlsx_export(
        "trials.export_xlsx",
        title=gettext_lazy("Export of trials (XLSX)"),
        records=lambda query: trials_for(query),          # the list's filters as a QueryDict → a queryset
        write=lambda records, base_url, on_row: xlsx(…),  # → an open binary file
        filename=lambda: "nyskap-forsok.xlsx",
        summary=lambda count: ngettext("%(count)d trial exported.", …, count) % {"count": count},
    )

    def export_xlsx(request):  # the view
        return EXPORT.response(request, EXPORT.records(request.GET), list_url=reverse("trials:list"))

The job keeps only the request's query string and the site's address; the worker filters again, in the language the
export was started in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponseBase, QueryDict
from django.shortcuts import redirect

from nyskap.core.spreadsheets import XLSX_TYPE

from . import registry
from .models import BackgroundJob
from .progress import Progress
from .services import job_start, owner_of

Writer = Callable[[Any, str, Callable[[], None] | None], IO[bytes]]


def is_large(count: int) -> bool:
    """Whether an export of ``count`` rows is made in the background."""
    return count > settings.BACKGROUND_EXPORT_THRESHOLD


def base_url_of(request: HttpRequest) -> str:
    """The site's address as the request reached it (the links in an export are absolute)."""
    return request.build_absolute_uri("/").rstrip("/")


@dataclass(frozen=True)
class XlsxExport:
    kind: str
    title: Any  # a (lazy) translatable string, made text in the language of the request that starts the job
    records: Callable[[QueryDict], Any]
    write: Writer
    filename: Callable[[], str]
    summary: Callable[[int], str]

    def run(self, job: BackgroundJob, progress: Progress) -> registry.JobOutput:
        records = self.records(QueryDict(job.params.get("query", "")))
        progress.set_total(records.count())
        content = self.write(records, job.params.get("base_url", settings.SITE_URL), progress.advance)
        return registry.JobOutput(
            content=content,
            filename=self.filename(),
            content_type=XLSX_TYPE,
            report={"summary": self.summary(progress.done)},
        )

    def start(self, *, owner: Any, visitor: str, query: str, base_url: str, back_url: str) -> BackgroundJob:
        return job_start(
            owner=owner,
            visitor=visitor,
            kind=self.kind,
            title=str(self.title),
            params={"query": query, "base_url": base_url},
            back_url=back_url,
        )

    def response(self, request: HttpRequest, records: Any, *, list_url: str) -> HttpResponseBase:
        """The answer to a request for the export of ``records`` (the list filtered by ``request.GET``): over the
        threshold, the job's progress page (its way back is the list with the same filters); else the file."""
        base_url = base_url_of(request)
        if is_large(records.count()):
            query = request.GET.urlencode()
            job = self.start(
                **owner_of(request),
                query=query,
                base_url=base_url,
                back_url=f"{list_url}?{query}" if query else list_url,
            )
            return redirect("core:job", job_id=job.pk)
        return FileResponse(
            self.write(records, base_url, None), as_attachment=True, filename=self.filename(), content_type=XLSX_TYPE
        )


def register_xlsx_export(
    kind: str,
    *,
    title: Any,
    records: Callable[[QueryDict], Any],
    write: Writer,
    filename: Callable[[], str],
    summary: Callable[[int], str],
) -> XlsxExport:
    """Register the background job ``kind`` that exports ``records(query)`` with ``write`` and return the export
    (its `response` is the view's answer)."""
    export = XlsxExport(kind=kind, title=title, records=records, write=write, filename=filename, summary=summary)
    registry.register(kind, export.run)
    return export
