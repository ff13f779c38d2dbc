"""Starting, running and cleaning up background jobs. Views and API endpoints call `job_start`; the worker calls
`job_run` (through `tasks.run_job`)."""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone, translation

from . import registry
from .models import BackgroundJob, JobStatus
from .progress import Progress

logger = logging.getLogger(__name__)


def keep_for() -> datetime.timedelta:
    return datetime.timedelta(days=settings.BACKGROUND_JOB_KEEP_DAYS)


VISITOR_KEY = "background_job_visitor"


def visitor_key(request: Any, *, create: bool = False) -> str:
    """The random key that makes a visitor who is not signed in the owner of the jobs started in their browser
    session (kept in the session, so it survives a sign-in's new session id and ends when the session does)."""
    key = str(request.session.get(VISITOR_KEY, ""))
    if not key and create:
        key = secrets.token_urlsafe(32)
        request.session[VISITOR_KEY] = key
    return key


def owner_of(request: Any) -> dict[str, Any]:
    """The owner arguments of `job_start` for whoever made the request: the signed-in user, or else the
    visitor's browser session."""
    if request.user.is_authenticated:
        return {"owner": request.user, "visitor": ""}
    return {"owner": None, "visitor": visitor_key(request, create=True)}


def job_start(
    *,
    owner: Any,
    visitor: str = "",
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    upload: IO[bytes] | None = None,
    upload_name: str = "",
    back_url: str = "",
) -> BackgroundJob:
    """Record a job for ``owner`` (or, with no owner, for the anonymous ``visitor`` key) and queue it. An
    uploaded file is stored with the job (the worker may run on another machine); it is deleted when the job has
    run. With the immediate backend (tests) the job has run when this returns."""
    from .tasks import run_job

    registry.get(kind)  # an unknown kind is a programming error, refused before anything is written
    if (owner is None) == (not visitor):
        raise ValueError("a job has either an owner or a visitor key")
    job = BackgroundJob(
        owner=owner,
        visitor_key=visitor if owner is None else "",
        kind=kind,
        title=title[:200],
        params=params or {},
        back_url=back_url[:500],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        input_name=upload_name[:255],
        expires_at=timezone.now() + keep_for(),
    )
    with transaction.atomic():
        if upload is not None:
            job.input_file.save(_safe_name(upload_name or "input"), File(upload), save=False)
        job.save()
    # Enqueued outside the transaction above and in the same database as the job (the database backend), so the
    # worker never sees a task before its job.
    run_job.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


def _safe_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in base)[:100]
    return cleaned or "file"


def job_run(job_id: str) -> str:
    """Run a queued job to its end: done with its file and report, or failed with a sentence for its owner. A job
    that is not waiting (already run, or run by another worker) is left alone."""
    claimed = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    job = BackgroundJob.objects.get(pk=job_id)
    progress = Progress(job)
    try:
        # Reports and problems are written in the language of the person who started the job.
        with translation.override(job.language or settings.LANGUAGE_CODE):
            output = registry.get(job.kind).handler(job, progress)
    except Exception:
        logger.exception("background_job_failed", extra={"job_id": str(job.pk), "kind": job.kind})
        _finish(job, status=JobStatus.FAILED, error="error")
        return JobStatus.FAILED
    progress.finish()
    if output.content is not None:
        content = ContentFile(output.content) if isinstance(output.content, bytes) else File(output.content)
        job.result_file.save(_safe_name(output.filename or "result"), content, save=False)
        if not isinstance(output.content, bytes):
            output.content.close()
        job.result_name = output.filename[:255]
        job.result_type = output.content_type[:120]
    job.report = output.report
    _finish(job, status=JobStatus.FAILED if output.failed else JobStatus.DONE)
    return str(job.status)


def _finish(job: BackgroundJob, *, status: str, error: str = "") -> None:
    job.refresh_from_db(fields=["rows_done", "rows_total"])
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + keep_for()
    job.save()
    if job.input_file:
        job.input_file.delete(save=False)
        BackgroundJob.objects.filter(pk=job.pk).update(input_file="")


def job_delete(job: BackgroundJob) -> None:
    for stored in (job.input_file, job.result_file):
        if stored:
            stored.delete(save=False)
    job.delete()


def jobs_purge(now: datetime.datetime | None = None) -> int:
    """Delete expired jobs with their files; the number deleted."""
    moment = now or timezone.now()
    deleted = 0
    for job in BackgroundJob.objects.filter(expires_at__lte=moment).iterator():
        job_delete(job)
        deleted += 1
    return deleted
