"""Reads of background jobs: only the owner ever sees a job; to anyone else it does not exist."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone

from .models import BackgroundJob
from .progress import live


def jobs_of(user: Any, visitor_key: str = "") -> QuerySet[BackgroundJob]:
    """The user's jobs (or, not signed in, those of the visitor's session) that have not expired, newest first."""
    return (
        BackgroundJob.objects.owned_by(user, visitor_key)
        .exclude(expires_at__lte=timezone.now())
        .order_by("-created_at")
    )


def job_of(user: Any, job_id: uuid.UUID | str, visitor_key: str = "") -> BackgroundJob:
    """The user's job (or the visitor's session's), or 404 (someone else's job, an expired job and no job look
    the same)."""
    try:
        return live(jobs_of(user, visitor_key).get(pk=job_id))
    except (BackgroundJob.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def result_file_response(job: BackgroundJob) -> FileResponse:
    """The finished job's file as a download (the page and the API serve it alike); 404 while there is none."""
    if not job.has_file:
        raise Http404
    response = FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_name or "nyskap",
        content_type=job.result_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
