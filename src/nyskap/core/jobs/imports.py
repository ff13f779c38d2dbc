"""Imports as background jobs: any import service "file in → result or problems" plugs in with a few lines.

    def my_import(upload, filename, *, actor, params, progress) -> ImportOutcome: ...
    register_import("benefits.import", my_import)

    job = start_import(owner=user, kind="benefits.import", title=..., upload=file, filename=name, params={...})

The service gets the stored file and the job's parameters, reports rows with ``progress``, and returns what it
created (links for the page and the API) or the problems found (nothing written). Refusals of the whole file
(``ImportRefused``) become the report's one problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth import get_user_model

from . import registry, services
from .models import BackgroundJob
from .progress import Progress


class ImportRefused(Exception):
    """The file as a whole cannot be imported (wrong type, broken, too large); the message is for the user."""


@dataclass
class ImportOutcome:
    created: list[dict[str, str]] = field(default_factory=list)  # {"title": …, "url": …}
    problems: list[str] = field(default_factory=list)
    summary: str = ""


ImportService = Callable[..., ImportOutcome]


def register_import(kind: str, service: ImportService) -> None:
    def handler(job: BackgroundJob, progress: Progress) -> registry.JobOutput:
        actor = get_user_model().objects.get(pk=job.owner_id or 0)  # imports are started by signed-in users only
        try:
            with job.input_file.open("rb") as stored:
                outcome = service(stored, job.input_name, actor=actor, params=job.params, progress=progress)
        except ImportRefused as refusal:
            outcome = ImportOutcome(problems=[str(refusal)])
        report = {"created": outcome.created, "problems": outcome.problems, "summary": outcome.summary}
        return registry.JobOutput(report=report, failed=bool(outcome.problems))

    registry.register(kind, handler)


def start_import(
    *, owner: Any, kind: str, title: str, upload: IO[bytes], filename: str, params: dict[str, Any], back_url: str = ""
) -> BackgroundJob:
    return services.job_start(
        owner=owner, kind=kind, title=title, params=params, upload=upload, upload_name=filename, back_url=back_url
    )
