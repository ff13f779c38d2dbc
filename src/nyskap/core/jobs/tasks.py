"""The worker's side of background jobs."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def run_job(job_id: str) -> str:
    return services.job_run(job_id)


@task()
def purge_expired_jobs() -> int:
    """Delete jobs (and their files) whose time is up; run daily."""
    return services.jobs_purge()
