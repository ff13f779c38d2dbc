"""Procurement notices as the statistics count them, and the imports that brought them in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .calculations import NoticeClass as NoticeClassValue
from .labels import reason as reason_sentence


class NoticeSource(models.TextChoices):
    EFORMS = "eforms", _("eForms")
    OCDS = "ocds", _("OCDS")


class NoticeKind(models.TextChoices):
    COMPETITION = "competition", _("Competition")
    AWARD = "award", _("Award")
    PRIOR = "prior", _("Prior information (market dialogue)")


class NoticeClass(models.TextChoices):
    INNOVATION = NoticeClassValue.INNOVATION.value, _("Procurement of innovation")
    INNOVATION_FRIENDLY = NoticeClassValue.INNOVATION_FRIENDLY.value, _("Innovation-friendly procurement")
    OTHER = NoticeClassValue.OTHER.value, _("Other procurement")


class ImportStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    REFUSED = "refused", _("Refused")


class ImportRun(models.Model):
    """One import of notice files: all of them written, or — when any notice was bad — none, with every problem."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_names = models.JSONField(_("files"), default=list)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices)
    notices_read = models.PositiveIntegerField(_("notices read"), default=0)
    notices_created = models.PositiveIntegerField(_("notices created"), default=0)
    notices_skipped = models.PositiveIntegerField(_("notices already there"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    problems = models.JSONField(_("problems"), default=list, help_text=_("The first problems: file, position, field."))
    synthetic = models.BooleanField(_("synthetic demo data"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice import")
        verbose_name_plural = _("notice imports")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {', '.join(self.file_names)[:80]}"


class Notice(models.Model):
    source = models.CharField(_("source"), max_length=8, choices=NoticeSource.choices)
    notice_id = models.CharField(_("notice identifier"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices, default=NoticeKind.COMPETITION)
    procedure_id = models.CharField(_("procedure identifier"), max_length=100, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=300, blank=True)
    buyer_org_number = models.CharField(_("buyer's organisation number"), max_length=9, blank=True)
    buyer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("buyer in the reference data"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    procedure = models.CharField(_("procedure type (BT-105)"), max_length=16, blank=True)
    innovative = models.JSONField(_("innovative procurement (BT-776)"), default=list, blank=True)
    cpv = models.JSONField(_("CPV codes"), default=list)
    cpv_division = models.CharField(_("CPV division"), max_length=2)
    nuts = models.CharField(_("NUTS"), max_length=5, blank=True)
    county_number = models.CharField(_("county number"), max_length=2, blank=True)
    published = models.DateField(_("published"))
    year = models.PositiveSmallIntegerField(_("year"))
    market_dialogue = models.BooleanField(_("preceded by market dialogue"), default=False)
    notice_class = models.CharField(_("class"), max_length=24, choices=NoticeClass.choices)
    # Why the notice has its class, as the classifier's stable code (``procedure=innovation;cpv=73``): the sentence
    # is written from it in the reader's language (``reason``).
    reason_code = models.CharField(
        _("reason code"), max_length=200, blank=True, help_text=_("The reason for the class, as a stable code")
    )
    synthetic = models.BooleanField(_("synthetic demo data"), default=False)
    import_run = models.ForeignKey(
        ImportRun, verbose_name=_("import"), null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )

    class Meta:
        ordering = ["-published", "pk"]
        verbose_name = _("procurement notice")
        verbose_name_plural = _("procurement notices")
        constraints = [models.UniqueConstraint(fields=["source", "notice_id"], name="procurement_notice_unique")]
        # On PostgreSQL each filter's index also carries the other filters and the buyer (INCLUDE, migration 0004),
        # so that the buyer table of a filtered page is counted from the index alone (an index-only scan).
        indexes = [
            models.Index(fields=["kind", "year", "notice_class"], name="procurement_kind_year"),
            models.Index(fields=["kind", "cpv_division"], name="procurement_kind_division"),
            models.Index(fields=["kind", "procedure"], name="procurement_kind_procedure"),
            models.Index(fields=["kind", "county_number"], name="procurement_kind_county"),
            models.Index(fields=["kind", "buyer_org_number"], name="procurement_kind_buyer"),
            # Whether the page must say that demonstration data are counted: found at once, also among 100,000.
            models.Index(fields=["synthetic"], condition=models.Q(synthetic=True), name="procurement_synthetic"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} ({self.get_notice_class_display()})"

    @property
    def reason(self) -> str:
        """Why the notice has its class, in the active language."""
        return reason_sentence(self.notice_class, self.reason_code)


class NoticeTally(models.Model):
    """Competitions counted by year, sector, procedure, county and class: rebuilt from the notices by one GROUP BY at
    the end of every import (in its transaction), so that the statistics page sums a few thousand rows instead of
    grouping every notice on each request. Never edited by hand."""

    year = models.PositiveSmallIntegerField()
    cpv_division = models.CharField(max_length=2)
    procedure = models.CharField(max_length=16, blank=True)
    county_number = models.CharField(max_length=2, blank=True)
    notice_class = models.CharField(max_length=24, choices=NoticeClass.choices)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("notice tally")
        verbose_name_plural = _("notice tallies")
        indexes = [
            models.Index(fields=["year", "notice_class"], name="procurement_tally_year"),
            models.Index(fields=["cpv_division"], name="procurement_tally_division"),
            models.Index(fields=["procedure"], name="procurement_tally_procedure"),
            models.Index(fields=["county_number"], name="procurement_tally_county"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.year} {self.cpv_division} {self.procedure} {self.county_number} {self.notice_class}: {self.count}"
        )


class BuyerTally(models.Model):
    """Competitions counted by buyer, year and class (rebuilt with `NoticeTally`): the buyer table when no sector,
    procedure or county is chosen."""

    buyer_org_number = models.CharField(max_length=9)
    buyer_name = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField()
    notice_class = models.CharField(max_length=24, choices=NoticeClass.choices)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("buyer tally")
        verbose_name_plural = _("buyer tallies")
        indexes = [
            models.Index(fields=["year", "notice_class"], name="procurement_buyertally_year"),
            models.Index(fields=["buyer_org_number"], name="procurement_buyertally_buyer"),  # the top buyers' names
        ]

    def __str__(self) -> str:
        return f"{self.buyer_org_number} {self.year} {self.notice_class}: {self.count}"
