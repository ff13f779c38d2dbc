"""The progress page of a background job (htmx updates it every two seconds; without JavaScript a reload does),
the owner's list of jobs, and the download of a job's file. Only the owner — a signed-in user, or the browser
session of a visitor who is not signed in — sees a job: anyone else gets 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import BackgroundJob
from .selectors import job_of, jobs_of, result_file_response
from .services import visitor_key

# htmx stops polling when an answer has this status.
STOP_POLLING = 286


def job_context(job: BackgroundJob) -> dict[str, Any]:
    report = job.report or {}
    return {
        "job": job,
        "problems": job.problems,
        "created": report.get("created", []),
        "summary": report.get("summary", ""),
    }


def _job(request: HttpRequest, job_id: uuid.UUID) -> BackgroundJob:
    """The job, when it is the signed-in user's or was started in this browser session; 404 otherwise."""
    return job_of(request.user, job_id, visitor_key(request))


@never_cache
@require_safe
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = _job(request, job_id)
    context = job_context(job)
    if request.GET.get("fragment") == "status":
        status = STOP_POLLING if job.is_finished and request.headers.get("HX-Request") else 200
        return render(request, "core/jobs/_status.html", context, status=status)
    return render(request, "core/jobs/detail.html", context)


@login_required
@never_cache
@require_safe
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/jobs/list.html", {"jobs": list(jobs_of(request.user)[:50])})


@never_cache
@require_safe
def job_file(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    return result_file_response(_job(request, job_id))
