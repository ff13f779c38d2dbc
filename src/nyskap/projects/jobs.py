"""The project library's background jobs: the import of a spreadsheet of projects, and exports of search results
too large to serve at once. Registered when the app is loaded; started from the transfer pages and the API."""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nyskap.core.jobs import registry
from nyskap.core.jobs.imports import ImportOutcome, ImportRefused, register_import, start_import
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.jobs.services import job_start
from nyskap.core.spreadsheets import DEFAULT_SEPARATOR, XLSX_TYPE
from nyskap.organisations.models import Organisation

from . import importexport
from .search import search_projects

IMPORT = "projects.import"
EXPORT = "projects.export"
# An import's report lists at most this many of the projects it created (the count is in the summary).
MAX_LINKS = 200
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8", "xlsx": XLSX_TYPE}


def export_filename(extension: str) -> str:
    from django.utils import timezone

    return f"nyskap-prosjekter-{timezone.localdate().isoformat()}.{extension}"


# Import


def _import(upload: IO[bytes], filename: str, *, actor: Any, params: dict[str, Any], progress: Progress) -> Any:
    owner = Organisation.objects.filter(slug=params.get("organisation", "")).first()
    if owner is None:
        raise ImportRefused(_("The organisation no longer exists."))
    try:
        result = importexport.import_projects(
            upload=upload,
            filename=filename,
            owner=owner,
            actor=actor,
            on_total=progress.set_total,
            on_row=progress.advance,
        )
    except importexport.ImportFileError as exc:
        raise ImportRefused(str(exc)) from exc
    except PermissionDenied as exc:
        raise ImportRefused(_("Only editors and administrators of an organisation can import projects.")) from exc
    created = [
        {"title": project.title, "url": importexport.project_page_path(project.slug)}
        for project in result.created[:MAX_LINKS]
    ]
    summary = ""
    if result.created:
        summary = ngettext(
            "%(count)d project was imported for %(organisation)s.",
            "%(count)d projects were imported for %(organisation)s.",
            len(result.created),
        ) % {"count": len(result.created), "organisation": owner.name}
    return ImportOutcome(created=created, problems=[str(error) for error in result.errors], summary=summary)


register_import(IMPORT, _import)


def import_start(*, actor: Any, owner: Organisation, upload: IO[bytes], filename: str) -> BackgroundJob:
    return start_import(
        owner=actor,
        kind=IMPORT,
        title=_("Import of projects for %(organisation)s") % {"organisation": owner.name},
        upload=upload,
        filename=filename,
        params={"organisation": owner.slug},
        back_url=reverse("project_transfer:import"),
    )


# Export


def _export(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
    params = job.params
    extension = params.get("format", "csv")
    query = QueryDict(params.get("query", ""))
    projects = search_projects(user=job.actor, params=query, with_facets=False).queryset()
    progress.set_total(projects.count())
    base_url = params.get("base_url", settings.SITE_URL)
    if extension == "xlsx":
        content: IO[bytes] = importexport.export_xlsx(projects, base_url=base_url, on_row=progress.advance)
    else:
        parts = (
            importexport.export_json(projects, base_url=base_url, on_row=progress.advance)
            if extension == "json"
            else importexport.export_csv(
                projects,
                base_url=base_url,
                separator=params.get("separator", DEFAULT_SEPARATOR),
                on_row=progress.advance,
            )
        )
        content = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the job has stored it
        for part in parts:
            content.write(part.encode("utf-8"))
        content.seek(0)
    summary = ngettext("%(count)d project exported.", "%(count)d projects exported.", progress.done) % {
        "count": progress.done
    }
    return registry.JobOutput(
        content=content,
        filename=export_filename(extension),
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        report={"summary": summary},
    )


registry.register(EXPORT, _export)


def export_start(
    *,
    actor: Any,
    visitor: str = "",
    extension: str,
    query: str,
    base_url: str,
    separator: str = DEFAULT_SEPARATOR,
    back_url: str = "",
) -> BackgroundJob:
    return job_start(
        owner=actor,
        visitor=visitor,
        kind=EXPORT,
        title=_("Export of projects (%(format)s)") % {"format": extension.upper()},
        params={"format": extension, "query": query, "base_url": base_url, "separator": separator},
        back_url=back_url,
    )
