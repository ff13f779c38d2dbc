from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .validators import validate_organisation_number


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    COUNTY_MUNICIPALITY = "county_municipality", _("County municipality")
    STATE_AGENCY = "state_agency", _("Directorate or agency")
    MINISTRY = "ministry", _("Ministry")
    COUNTY_GOVERNOR = "county_governor", _("County governor (statsforvalter)")
    SUPERVISORY_AUTHORITY = "supervisory_authority", _("Supervisory authority")
    UNIVERSITY = "university", _("University or university college")
    REGIONAL_HEALTH_TRUST = "regional_health_trust", _("Regional health trust")
    HEALTH_TRUST = "health_trust", _("Health trust")
    TRIBUNAL = "tribunal", _("Tribunal (nemnd)")
    OMBUD = "ombud", _("Ombud")
    STORTING_BODY = "storting_body", _("Body of the Storting")
    INTER_MUNICIPAL = "inter_municipal", _("Inter-municipal company")
    OTHER_PUBLIC = "other_public", _("Other public body")
    COMPANY = "company", _("Company")
    SOCIAL_ENTREPRENEUR = "social_entrepreneur", _("Social entrepreneur")
    RESEARCH = "research", _("Research organisation")
    VOLUNTARY = "voluntary", _("Voluntary organisation")

    @classmethod
    def public_sector(cls) -> list[str]:
        return [
            cls.MUNICIPALITY,
            cls.COUNTY_MUNICIPALITY,
            cls.STATE_AGENCY,
            cls.MINISTRY,
            cls.COUNTY_GOVERNOR,
            cls.SUPERVISORY_AUTHORITY,
            cls.UNIVERSITY,
            cls.REGIONAL_HEALTH_TRUST,
            cls.HEALTH_TRUST,
            cls.TRIBUNAL,
            cls.OMBUD,
            cls.STORTING_BODY,
            cls.INTER_MUNICIPAL,
            cls.OTHER_PUBLIC,
        ]

    @classmethod
    def central_state(cls) -> list[str]:
        """The central state bodies of the reference data (state_agencies.csv), whatever their kind: what the
        home page counts as "state" and the organisation list's "state bodies" filter shows."""
        return [
            cls.MINISTRY,
            cls.STATE_AGENCY,
            cls.COUNTY_GOVERNOR,
            cls.SUPERVISORY_AUTHORITY,
            cls.UNIVERSITY,
            cls.REGIONAL_HEALTH_TRUST,
            cls.TRIBUNAL,
            cls.OMBUD,
            cls.STORTING_BODY,
        ]


def size_band_for(population: int | None) -> str:
    if population is None:
        return ""
    for code, _label, low, high in settings.ORGANISATION_SIZE_BANDS:
        if population >= low and (high is None or population <= high):
            return str(code)
    return ""


def size_band_choices() -> list[tuple[str, str]]:
    return [(str(code), str(label)) for code, label, _low, _high in settings.ORGANISATION_SIZE_BANDS]


class CentralityClass(models.IntegerChoices):
    # SSB's centrality index classes (Klass 128), 1 = most central.
    C1 = 1, _("1 – most central")
    C2 = 2, _("2")
    C3 = 3, _("3")
    C4 = 4, _("4")
    C5 = 5, _("5")
    C6 = 6, _("6 – least central")


class County(models.Model):
    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=200)
    county_municipality = models.ForeignKey(
        "Organisation",
        verbose_name=_("county municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="county_municipality_of",
        help_text=_("For Oslo the municipality is also the county municipality."),
    )
    county_governor = models.ForeignKey(
        "Organisation",
        verbose_name=_("county governor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="governed_counties",
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def public_sector(self) -> OrganisationQuerySet:
        return self.filter(kind__in=OrganisationKind.public_sector())

    def active(self) -> OrganisationQuerySet:
        return self.filter(ended_on__isnull=True)

    def in_size_band(self, code: str) -> OrganisationQuerySet:
        for band, _label, low, high in settings.ORGANISATION_SIZE_BANDS:
            if band == code:
                condition = Q(population__gte=low)
                if high is not None:
                    condition &= Q(population__lte=high)
                return self.filter(condition)
        return self.none()


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    official_name = models.CharField(_("official name"), max_length=300, blank=True)
    other_name_forms = models.CharField(
        _("other official name forms"), max_length=300, blank=True, help_text=_("Sami and Kven name forms.")
    )
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    legal_name = models.CharField(_("legal name"), max_length=300, blank=True)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("Nine digits, as in the Central Coordinating Register for Legal Entities."),
    )
    municipality_number = models.CharField(_("municipality number"), max_length=4, blank=True)
    county = models.ForeignKey(
        County,
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population as of (1 January)"), null=True, blank=True)
    centrality_class = models.PositiveSmallIntegerField(
        _("centrality class"), choices=CentralityClass.choices, null=True, blank=True
    )
    centrality_index = models.PositiveSmallIntegerField(_("centrality index"), null=True, blank=True)
    size_band = models.CharField(_("size band"), max_length=8, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent ministry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    register_updated_on = models.DateField(
        _("updated from the register on"),
        null=True,
        blank=True,
        help_text=_(
            "Set when an import from the Central Coordinating Register last changed this organisation; the "
            "shipped reference data then no longer overwrites its legal name, parent and end date."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    sources = models.CharField(_("sources"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    reference_key = models.CharField(
        _("reference key"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stable key of the reference data this organisation was loaded from."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "name"]), models.Index(fields=["organisation_number"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~Q(organisation_number=""),
                name="organisation_number_unique_when_set",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.size_band = size_band_for(self.population) if self.kind == OrganisationKind.MUNICIPALITY else ""
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def is_public_sector(self) -> bool:
        return self.kind in OrganisationKind.public_sector()

    @property
    def size_band_label(self) -> str:
        return dict(size_band_choices()).get(self.size_band, "")


class RegisterImport(models.Model):
    """One import from the Central Coordinating Register's bulk download: the dry-run plan an operator saw, and
    who applied it when (the audit entry; each changed organisation also gets its own audit log entry)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("file format"), max_length=10, blank=True)
    sector_codes = models.JSONField(_("institutional sector codes"), default=list)
    organisation_forms = models.JSONField(_("organisation forms"), default=list)
    read_count = models.PositiveIntegerField(_("entities read"), default=0)
    selected_count = models.PositiveIntegerField(_("entities selected"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    problems = models.JSONField(_("problems"), default=list)
    fatal = models.BooleanField(_("file could not be read to the end"), default=False)
    plan = models.JSONField(_("changes"), default=dict)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.file_name

    def get_absolute_url(self) -> str:
        return reverse("organisations_operator:register_import", kwargs={"pk": self.pk})

    @property
    def change_count(self) -> int:
        return sum(len(self.plan.get(name, [])) for name in ("new", "renamed", "names_recorded", "ended", "parents"))

    @property
    def can_apply(self) -> bool:
        return self.applied_at is None and not self.fatal and self.change_count > 0
