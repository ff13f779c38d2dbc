"""Background tasks in the API (``/api/v1/tasks``): the status, progress and result of a long piece of work that
an endpoint answered with 202 and a ``Location`` here. Only the task's owner sees it; to anyone else it is 404."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Literal

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from nyskap.core.jobs.models import BackgroundJob
from nyskap.core.jobs.selectors import job_of, result_file_response

from .auth import TokenAuth
from .errors import ErrorOut

router = Router(tags=["tasks"])


class CreatedLink(Schema):
    title: str
    url: str


class TaskOut(Schema):
    id: uuid.UUID = Field(description="The task's identifier.")
    kind: str = Field(description="What the task does, e.g. `projects.import`, `projects.export`.")
    title: str = Field(description="The task as its owner sees it on the progress page.")
    status: Literal["queued", "running", "done", "failed"] = Field(
        description="`queued` (waiting for a worker), `running`, `done` or `failed` (an import with problems, "
        "or an error; nothing was written)."
    )
    rows_done: int = Field(description="Rows handled so far.")
    rows_total: int | None = Field(description="Rows in all; null until counted.")
    percent: int | None = Field(description="How far the task has come, 0–100; null until the rows are counted.")
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    expires_at: datetime.datetime | None = Field(description="When the result is deleted.")
    page_url: str = Field(description="The task's progress page for people.")
    file_url: str | None = Field(
        description="Where to download the result file (with the same token); null "
        "until done, or when the task makes no file."
    )
    file_name: str | None
    problems: list[str] = Field(description="Problems found (an import refused with its rows and columns).")
    created: list[CreatedLink] = Field(description="What the task created (an import's projects).")


def task_location(request: HttpRequest, job: BackgroundJob) -> str:
    return request.build_absolute_uri(reverse("api-v1:task_detail", kwargs={"task_id": job.pk}))


def task_out(request: HttpRequest, job: BackgroundJob) -> dict[str, Any]:
    report = job.report or {}
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "expires_at": job.expires_at,
        "page_url": request.build_absolute_uri(reverse("core:job", kwargs={"job_id": job.pk})),
        "file_url": (
            request.build_absolute_uri(reverse("api-v1:task_file", kwargs={"task_id": job.pk}))
            if job.has_file
            else None
        ),
        "file_name": job.result_name if job.has_file else None,
        "problems": job.problems,
        "created": report.get("created", []),
    }


def accepted(request: HttpRequest, response: HttpResponse, job: BackgroundJob) -> Status[dict[str, Any]]:
    """The answer of an endpoint that started a task: 202, the task, and ``Location`` of the task resource."""
    response["Location"] = task_location(request, job)
    return Status(202, task_out(request, job))


@router.get(
    "/{task_id}",
    auth=TokenAuth(),
    response={200: TaskOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="task_detail",
    summary="A background task",
    description="Status and progress of a task started by an import or export endpoint (which answered 202 with "
    "`Location` here). Poll until `status` is `done` or `failed`; then download `file_url`. 404 for a task that "
    "is not the caller's, or has expired.",
)
def task_detail(request: HttpRequest, task_id: uuid.UUID) -> dict[str, Any]:
    return task_out(request, job_of(request.auth, task_id))  # type: ignore[attr-defined]


@router.get(
    "/{task_id}/file",
    auth=TokenAuth(),
    response={200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="task_file",
    summary="A background task's result file",
    description="The file a finished task made (CSV, XLSX, JSON or PDF). 404 until the task is done, for a task "
    "without a file, for a task that is not the caller's, or after it has expired.",
    openapi_extra={"responses": {"200": {"description": "The file.", "content": {"application/octet-stream": {}}}}},
)
def task_file(request: HttpRequest, task_id: uuid.UUID) -> FileResponse:
    return result_file_response(job_of(request.auth, task_id))  # type: ignore[attr-defined]
