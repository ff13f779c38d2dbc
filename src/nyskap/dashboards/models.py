"""The dashboards' precomputed figures (M8). The app owns no domain data: a snapshot is a copy of figures computed
from the other modules' selectors, replaced whole by every refresh (`services.refresh`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everybody")
    INTERNAL = "internal", _("Members of the organisation")


class Snapshot(models.Model):
    """One lens's figures for one audience, as of ``computed_at``."""

    lens = models.CharField(_("lens"), max_length=16)
    key = models.CharField(_("key"), max_length=220)
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices, default=Audience.PUBLIC)
    data = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        constraints = [
            models.UniqueConstraint(fields=["lens", "key", "audience"], name="dashboard_snapshot_once_per_lens")
        ]

    def __str__(self) -> str:
        return f"{self.lens}/{self.key} ({self.audience})"


class Refresh(models.Model):
    """One refresh of every snapshot: when it ran, how long it took and how many lenses it wrote."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    lenses = models.PositiveIntegerField(_("lenses"))
    seconds = models.FloatField(_("seconds"))

    class Meta:
        ordering = ["-finished_at", "-pk"]
        get_latest_by = "finished_at"
        verbose_name = _("dashboard refresh")
        verbose_name_plural = _("dashboard refreshes")

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}"
