"""A barometer round and its sampling frame.

A round belongs to the organisation that runs it (KS for the municipal sector, Digdir for the state …), uses the
operative questionnaire (workplaces) or the strategic one (administrations), covers a two-year period, and moves
draft → fieldwork → closed → published. Its frame lists the workplaces with the stratum variables; a stratified
random sample is drawn from it with a recorded seed (or every workplace is asked: a census). The answers live in
the survey engine (``survey_round``), anonymous: the frame says who was invited, never who answered what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nyskap.organisations.models import Organisation, OrganisationKind


class QuestionnaireKind(models.TextChoices):
    OPERATIVE = "operative", _("Operative (workplaces)")
    STRATEGIC = "strategic", _("Strategic (administrations)")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FIELDWORK = "fieldwork", _("Fieldwork")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Published")


class Sector(models.TextChoices):
    """The sectors of KS Innovasjonsbarometeret 2020 (municipal), and the state."""

    HEALTH_CARE = "health_care", _("Health and care")
    EDUCATION = "education", _("Education and childhood")
    SOCIAL = "social", _("Social services")
    CULTURE = "culture", _("Culture")
    TECHNICAL = "technical", _("Technical services")
    STATE = "state", _("State administration")
    MUNICIPAL = "municipal", _("Municipal administration")


class SizeBand(models.TextChoices):
    """Employees at the workplace."""

    SMALL = "1-9", _("1–9 employees")
    MEDIUM = "10-49", _("10–49 employees")
    LARGE = "50-249", _("50–249 employees")
    VERY_LARGE = "250+", _("250 or more employees")
    UNKNOWN = "unknown", _("Size not known")


class Centrality(models.TextChoices):
    """Statistics Norway's centrality index of the municipality, 1 (most central) to 6."""

    C1 = "1", _("Centrality 1 (most central)")
    C2 = "2", _("Centrality 2")
    C3 = "3", _("Centrality 3")
    C4 = "4", _("Centrality 4")
    C5 = "5", _("Centrality 5")
    C6 = "6", _("Centrality 6 (least central)")
    UNKNOWN = "0", _("Centrality not known")


# The county of a frame row whose organisation has none (a state body of the reference data).
NO_COUNTY = "-"


# The frame variables a stratum may be built of, and every breakdown of the results.
STRATUM_VARIABLES = ("sector", "org_type", "size_band", "county", "centrality")

# Each variable's codes and their labels (a county is its own label).
VARIABLE_CHOICES: dict[str, type[models.TextChoices]] = {
    "sector": Sector,
    "org_type": OrganisationKind,
    "size_band": SizeBand,
    "centrality": Centrality,
}


# An engine unit of workplaces of one organisation ends with " | org:<its id>" after the breakdown values, so the
# organisation can see its own workplaces' figures (`results.organisation_results`).
ORGANISATION_TAG = "org:"


def organisation_unit(cell: str, organisation_id: int) -> str:
    return f"{cell} | {ORGANISATION_TAG}{organisation_id}"


def value_label(variable: str, value: str) -> str:
    """A breakdown value as a reader sees it, in the active language: "health_care" → "Helse og omsorg"."""
    if variable == "county" and value == NO_COUNTY:
        return str(_("No county"))
    choices = VARIABLE_CHOICES.get(variable)
    if choices is None or value not in choices.values:
        return value
    return str(choices(value).label)


def stratum_label(strata: list[str], stratum: str) -> str:
    """A weighting stratum ("health_care | Vestland") with each value's label; "all" stays as it is."""
    values = stratum.split(" | ")
    if len(values) != len(strata):
        return stratum
    return " · ".join(value_label(v, value) for v, value in zip(strata, values, strict=True))


class Round(models.Model):
    owner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="barometer_rounds", verbose_name=_("organisation")
    )
    kind = models.CharField(
        _("questionnaire"), max_length=16, choices=QuestionnaireKind.choices, default=QuestionnaireKind.OPERATIVE
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    min_cell = models.PositiveSmallIntegerField(
        _("smallest cell shown"),
        default=5,
        help_text=_("No share is shown for a group with fewer respondents than this (at least 3)."),
    )
    strata = models.JSONField(
        _("strata"), default=list, help_text=_("The frame variables whose combinations are the weighting strata.")
    )
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    seed = models.BigIntegerField(_("seed"), null=True, blank=True, editable=False)
    synthetic = models.BooleanField(_("synthetic data"), default=False)
    survey_round = models.OneToOneField(
        "surveys.Round", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("barometer round")
        verbose_name_plural = _("barometer rounds")

    def __str__(self) -> str:
        return self.title


class Workplace(models.Model):
    """One row of a round's frame. The e-mail address is the manager's, for the invitation; it is erased when the
    round closes."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="workplaces")
    row = models.PositiveIntegerField(_("row"))
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    org_type = models.CharField(_("organisation type"), max_length=32, choices=OrganisationKind.choices)
    size_band = models.CharField(_("size band"), max_length=8, choices=SizeBand.choices)
    county = models.CharField(_("county"), max_length=100)
    centrality = models.CharField(_("centrality"), max_length=1, choices=Centrality.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("organisation")
    )
    email = models.EmailField(_("manager's e-mail address"), null=True, blank=True)  # noqa: DJ001
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nb")
    sampled = models.BooleanField(_("in the sample"), default=False)

    class Meta:
        ordering = ["round", "row"]
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        constraints = [models.UniqueConstraint(fields=["round", "row"], name="barometer_one_frame_row")]

    def __str__(self) -> str:
        return self.name

    def value(self, variable: str) -> str:
        return str(getattr(self, variable))
