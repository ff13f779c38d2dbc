"""Comparison figures for the culture measurement, recomputed by a task from the latest closed round of every
organisation that allows comparison (see `benchmarks.recompute`). Stored, because the national picture over a
million responses is too heavy to compute for every page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    NATIONAL = "national", _("National")
    KIND = "kind", _("Kind of organisation")
    KIND_SIZE = "kind_size", _("Kind and size band")
    SIZE = "size", _("Size band")
    COUNTY = "county", _("County")


class Benchmark(models.Model):
    """One dimension's published figure for one group of organisations: the mean of the organisations' means, with
    a t interval over organisations, rounded; counts rounded to 5. Groups under the minimum of organisations, or
    derivable from others, are not stored at all. ``rounds`` (never published) records which rounds the figure
    was computed from, so it is recomputed only when enough organisations changed (see `benchmarks`)."""

    scope = models.CharField(max_length=16, choices=Scope.choices)
    key = models.CharField(max_length=60, blank=True)
    dimension = models.CharField(max_length=60)
    organisations = models.PositiveIntegerField()
    respondents = models.PositiveIntegerField()
    mean = models.FloatField()
    low = models.FloatField(null=True)
    high = models.FloatField(null=True)
    alpha = models.FloatField(null=True, help_text=_("Cronbach's alpha (national scope only)."))
    computed_at = models.DateTimeField()
    rounds = models.JSONField(default=list, editable=False)

    class Meta:
        verbose_name = _("comparison figure")
        verbose_name_plural = _("comparison figures")
        constraints = [models.UniqueConstraint(fields=["scope", "key", "dimension"], name="one_benchmark_per_group")]
        indexes = [models.Index(fields=["scope", "key"])]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}:{self.dimension}"


class PublishedMembership(models.Model):
    """Every set of rounds a published comparison figure was ever computed from (never published itself). A reader
    can keep every figure they have seen, so a new figure is checked against all of these, not only the latest."""

    dimension = models.CharField(max_length=60)
    rounds = models.JSONField()
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = _("published comparison group")
        verbose_name_plural = _("published comparison groups")
        indexes = [models.Index(fields=["dimension"])]

    def __str__(self) -> str:
        return f"{self.dimension}: {len(self.rounds)}"
