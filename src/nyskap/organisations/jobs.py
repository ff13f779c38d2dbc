"""The organisations' background jobs: the operators' update from the Central Coordinating Register, both its steps
— reading an uploaded download into a preview of the changes, and applying a preview all or nothing. Registered
when the app is loaded; started from the operator pages (``/drift/enhetsregisteret/``)."""

from __future__ import annotations

from typing import IO, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from nyskap.core.jobs import registry
from nyskap.core.jobs.imports import ImportOutcome, ImportRefused, register_import, start_import
from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.progress import Progress
from nyskap.core.jobs.services import job_start
from nyskap.core.visibility import is_operator

from .models import RegisterImport
from .services import RegisterImportRefused, register_import_apply, register_import_create

REGISTER_PREVIEW = "organisations.register_preview"
REGISTER_APPLY = "organisations.register_apply"


def _only_operators() -> str:
    return _("Only operators can update the organisations from the Central Coordinating Register.")


def _link(register_import: RegisterImport) -> dict[str, str]:
    return {
        "title": _("Register import %(name)s") % {"name": register_import.file_name},
        "url": register_import.get_absolute_url(),
    }


# Preview: the file read into the changes it would make (nothing is written to the organisations)


def _preview(upload: IO[bytes], filename: str, *, actor: Any, params: dict[str, Any], progress: Progress) -> Any:
    if not is_operator(actor):  # checked when the job was started, and again as it may run a while later
        raise ImportRefused(_only_operators())
    register_import = register_import_create(stream=upload, file_name=filename, actor=actor)
    summary = _(
        "%(name)s: %(read)s entities read, %(selected)s public bodies or bodies already in Nyskap. Look at the "
        "changes before you apply them."
    ) % {
        "name": register_import.file_name,
        "read": register_import.read_count,
        "selected": register_import.selected_count,
    }
    return ImportOutcome(created=[_link(register_import)], summary=summary)


register_import(REGISTER_PREVIEW, _preview)


def preview_start(*, actor: Any, upload: IO[bytes], filename: str) -> BackgroundJob:
    return start_import(
        owner=actor,
        kind=REGISTER_PREVIEW,
        title=_("Preview of the register file %(name)s") % {"name": filename[:150]},
        upload=upload,
        filename=filename,
        params={},
        back_url=reverse("organisations_operator:register_imports"),
    )


# Apply: every change of a preview written in one transaction, or none


def applied_summary(counts: dict[str, int]) -> str:
    return _(
        "Applied: %(new)s new, %(renamed)s renamed, %(recorded)s legal names recorded, %(parents)s parents "
        "changed, %(ended)s marked as ended, %(deleted)s deleted."
    ) % {
        "new": counts["new"],
        "renamed": counts["renamed"],
        "recorded": counts["names_recorded"],
        "parents": counts["parents"],
        "ended": counts["ended"],
        "deleted": counts["deleted"],
    }


def _apply(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
    actor = job.actor
    if not is_operator(actor):
        return registry.JobOutput(report={"problems": [_only_operators()]}, failed=True)
    register_import = RegisterImport.objects.filter(pk=job.params.get("register_import")).first()
    if register_import is None:
        return registry.JobOutput(report={"problems": [_("The preview no longer exists.")]}, failed=True)
    # The changes are written in one transaction: the counts reach the page through the cache as they grow.
    progress.set_total(register_import.change_count)
    try:
        counts = register_import_apply(register_import=register_import, actor=actor, advance=progress.advance)
    except RegisterImportRefused as refusal:
        return registry.JobOutput(report={"problems": [refusal.message]}, failed=True)
    return registry.JobOutput(report={"summary": applied_summary(counts), "created": [_link(register_import)]})


registry.register(REGISTER_APPLY, _apply)


def apply_start(*, actor: Any, register_import: RegisterImport) -> BackgroundJob:
    return job_start(
        owner=actor,
        kind=REGISTER_APPLY,
        title=_("Applying the register file %(name)s") % {"name": register_import.file_name[:150]},
        params={"register_import": register_import.pk},
        back_url=register_import.get_absolute_url(),
    )
