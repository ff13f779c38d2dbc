"""Questionnaires in versions, with their dimensions and items; a published version is frozen."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .common import pick_language


class Questionnaire(models.Model):
    key = models.SlugField(_("key"), max_length=60, unique=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["key"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language({"nb": self.name_nb, "nn": self.name_nn, "en": self.name_en})


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire. Once published it is frozen: a change makes a new version, so every result
    can say exactly which wording it was answered with."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_on = models.DateField(_("published"), null=True, blank=True)
    introduction_nb = models.TextField(_("introduction (bokmål)"), blank=True)
    introduction_nn = models.TextField(_("introduction (nynorsk)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="one_number_per_version")]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def introduction(self) -> str:
        return pick_language({"nb": self.introduction_nb, "nn": self.introduction_nn, "en": self.introduction_en})


class FrozenVersionError(Exception):
    """A published version's items and dimensions cannot change; make a new version instead."""


class _InVersion(models.Model):
    """Rows that belong to a version refuse changes once it is published (checked on every save and delete)."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        self._check_not_frozen()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        self._check_not_frozen()
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]

    def _check_not_frozen(self) -> None:
        version_id = self.version_id  # type: ignore[attr-defined]
        status = QuestionnaireVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
        if status == VersionStatus.PUBLISHED:
            raise FrozenVersionError(str(_("A published questionnaire version cannot be changed.")))


class Dimension(_InVersion):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="dimensions")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    group_nb = models.CharField(_("group (bokmål)"), max_length=100, blank=True)
    group_nn = models.CharField(_("group (nynorsk)"), max_length=100, blank=True)
    group_en = models.CharField(_("group (English)"), max_length=100, blank=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_key_per_dimension")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language({"nb": self.name_nb, "nn": self.name_nn, "en": self.name_en})

    @property
    def group(self) -> str:
        return pick_language({"nb": self.group_nb, "nn": self.group_nn, "en": self.group_en})


class ItemKind(models.TextChoices):
    LIKERT = "likert", _("Agreement scale")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")


class Item(_InVersion):
    """A question. Likert items have `scale_points` labelled points (labels in `options`) and may allow "don't
    know"; choice items list their options as ``[{"key": "a", "nb": "...", "nn": "...", "en": "..."}]``."""

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="items")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, null=True, blank=True, related_name="items")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    text_nb = models.TextField(_("text (bokmål)"))
    text_nn = models.TextField(_("text (nynorsk)"))
    text_en = models.TextField(_("text (English)"))
    options = models.JSONField(_("options"), default=list, blank=True)
    scale_points = models.PositiveSmallIntegerField(_("scale points"), default=5)
    allow_dont_know = models.BooleanField(_("allow “don't know”"), default=True)
    minimum = models.FloatField(_("smallest number"), null=True, blank=True)
    maximum = models.FloatField(_("largest number"), null=True, blank=True)
    required = models.BooleanField(_("required"), default=False)
    source_quote = models.TextField(_("source sentence"), blank=True)
    source_reference = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_key_per_item")]

    def __str__(self) -> str:
        return self.key

    @property
    def text(self) -> str:
        return pick_language({"nb": self.text_nb, "nn": self.text_nn, "en": self.text_en})

    def option_labels(self) -> list[tuple[str, str]]:
        return [(str(o["key"]), pick_language(o)) for o in self.options]
