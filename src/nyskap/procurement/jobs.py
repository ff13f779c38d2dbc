"""The operators' import of notice files as a background job (``nyskap.core.jobs.imports``): the upload page starts
it and sends the operator to the job's progress page, which ends with the import's report.

The job reads the file twice, both times as a stream (bounded memory): first it checks every notice, outside any
transaction, so that the progress page sees the count grow notice by notice; then, when no notice is bad, the import
writes them all in one transaction (`services.notices_import`, all or nothing as from the command line). A bad
notice means nothing is written, and the report lists every problem with its file, position and field."""

from __future__ import annotations

from typing import IO, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nyskap.core.jobs.imports import ImportOutcome, ImportRefused, register_import, start_import
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.permissions import is_operator

from . import services
from .parsers import count_notices

IMPORT = "procurement.import"


def problem_text(problem: dict[str, str]) -> str:
    """A problem of the import as one sentence of the report (its message is already in the job's language)."""
    if problem.get("position"):
        return _("%(file)s, notice %(position)s, field %(field)s: %(message)s") % problem
    return _("%(file)s, field %(field)s: %(message)s") % problem


def _refused(problems: list[dict[str, str]], count: int) -> ImportOutcome:
    summary = ""
    if count > len(problems):
        summary = _("%(count)s problems in all; the first %(kept)s are listed.") % {
            "count": count,
            "kept": len(problems),
        }
    return ImportOutcome(problems=[problem_text(problem) for problem in problems], summary=summary)


def _import(upload: IO[bytes], filename: str, *, actor: Any, params: dict[str, Any], progress: Progress) -> Any:
    if not is_operator(actor):
        raise ImportRefused(_("Only operators can import procurement notices."))
    total = count_notices(upload)
    if total is not None:
        progress.set_total(total)
    checked = services.notices_check(files=[services.NoticeFile(filename, upload)], on_notice=progress.advance)
    if checked.problem_count:
        return _refused(checked.problems, checked.problem_count)
    upload.seek(0)
    try:
        run = services.notices_import(files=[services.NoticeFile(filename, upload)], actor=actor)
    except services.ImportRefused as refused:
        return _refused(refused.run.problems, refused.run.problem_count)
    summary = ngettext(
        "Imported %(created)s notice (%(skipped)s were already there).",
        "Imported %(created)s notices (%(skipped)s were already there).",
        run.notices_created,
    ) % {"created": run.notices_created, "skipped": run.notices_skipped}
    created = [
        {
            "title": _("The import of %(files)s: its notices and their classes") % {"files": ", ".join(run.file_names)},
            "url": reverse("procurement:import_detail", args=[run.pk]),
        }
    ]
    return ImportOutcome(created=created, summary=summary)


register_import(IMPORT, _import)


def import_start(*, actor: Any, upload: IO[bytes], filename: str) -> BackgroundJob:
    return start_import(
        owner=actor,
        kind=IMPORT,
        title=_("Import of procurement notices (%(file)s)") % {"file": filename[:100]},
        upload=upload,
        filename=filename,
        params={},
        back_url=reverse("procurement:imports"),
    )
