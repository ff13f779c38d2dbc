"""A background job: who asked for it, what it is, how far it has come, and what it produced."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def job_file_path(instance: BackgroundJob, filename: str) -> str:
    """Files of a job live under its own unguessable folder; they are served only through the job's views."""
    return f"jobs/{instance.pk}/{filename}"


class BackgroundJobQuerySet(models.QuerySet["BackgroundJob"]):
    def owned_by(self, user: object, visitor_key: str = "") -> BackgroundJobQuerySet:
        """A signed-in user's jobs; for a visitor who is not signed in, the jobs started in their own browser
        session (``visitor_key``, kept in the session); nothing for anyone else."""
        if getattr(user, "is_authenticated", False):
            return self.filter(owner=user)
        if visitor_key:
            return self.filter(owner__isnull=True, visitor_key=visitor_key)
        return self.none()

    def expired(self) -> BackgroundJobQuerySet:
        return self.filter(expires_at__lte=timezone.now())


class BackgroundJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="background_jobs",
        verbose_name=_("owner"),
    )
    # A visitor who is not signed in owns a job through a random key kept in their browser session.
    visitor_key = models.CharField(_("visitor key"), max_length=64, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to=job_file_path, max_length=300, blank=True)
    input_name = models.CharField(_("input file name"), max_length=255, blank=True)
    result_file = models.FileField(_("result file"), upload_to=job_file_path, max_length=300, blank=True)
    result_name = models.CharField(_("result file name"), max_length=255, blank=True)
    result_type = models.CharField(_("result content type"), max_length=120, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    back_url = models.CharField(_("back link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="core_job_owner_created"),
            models.Index(fields=["expires_at"], name="core_job_expires"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner__isnull=False, visitor_key="")
                | models.Q(owner__isnull=True) & ~models.Q(visitor_key=""),
                name="core_job_one_owner",
            )
        ]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    @property
    def actor(self) -> Any:
        """Who the job works for: its owner, or an anonymous visitor (who sees public things only)."""
        if self.owner_id is None:
            from django.contrib.auth.models import AnonymousUser

            return AnonymousUser()
        return self.owner

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def has_file(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.result_file)

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return None
        return min(100, int(self.rows_done * 100 / self.rows_total))

    @property
    def problems(self) -> list[str]:
        return [str(problem) for problem in (self.report or {}).get("problems", [])]
