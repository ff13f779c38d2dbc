"""Benefit realisation (M5): a project's benefit-realisation plan (gevinstrealiseringsplan), its benefits, costs and
monetised benefits by year, measurements during follow-up, and the versioned analysis parameters.

A project has one *current* plan; submitting freezes a version, and revising it starts the next version as a copy
(earlier versions stay readable). Measurements are follow-up facts, not plan content: they move along to the new
version's copy of the benefit, so the history of an indicator is never split between versions.

The yearly amounts carry their plan and bearer (denormalised from the benefit, kept in step by the services) so the
portfolio roll-up is one ``GROUP BY`` over one table, filtered by an indexed plan id.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from nyskap.core.visibility import is_operator
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project

from . import calculations


class Bearer(models.TextChoices):
    """Who the benefit lands with (DOMAIN.md §3.4)."""

    OWN_ORGANISATION = calculations.OWN, _("Own organisation")
    OTHER_STATE = calculations.OTHER_STATE, _("Other state bodies")
    MUNICIPAL_SECTOR = calculations.MUNICIPAL, _("The municipal sector")
    CITIZENS = calculations.CITIZENS, _("Citizens")
    BUSINESS = calculations.BUSINESS, _("Business")


class BenefitType(models.TextChoices):
    """DFØ's three kinds of benefit (DOMAIN.md §3.4)."""

    EFFICIENCY = "efficiency", _("Efficiency for the state")
    QUALITY = "quality", _("Quality")
    OTHER_ACTORS = "other_actors", _("For other actors")


class RealisationForm(models.TextChoices):
    BUDGET_CUT = "budget_cut", _("Budget cut")
    REALLOCATION = "reallocation", _("Reallocation")
    QUALITY = "quality", _("Quality")


class CostKind(models.TextChoices):
    INVESTMENT = "investment", _("Investment")
    OPERATING = "operating", _("Lasting operating costs of the new solution")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Frequency(models.IntegerChoices):
    MONTHLY = 1, _("Monthly")
    QUARTERLY = 3, _("Quarterly")
    HALF_YEARLY = 6, _("Every six months")
    YEARLY = 12, _("Yearly")


class ParameterSet(models.Model):
    """One version of the analysis parameters (DOMAIN.md §3.2). Never edited once a plan uses it: a new version is
    added instead, so every plan can say which values it was computed with. ``uncertain`` lists the parameter names
    marked [U] (not verified against the primary source) and is shown beside them."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    in_force_from = models.DateField(_("in force from"))
    source = models.TextField(_("source"))
    discount_bands = models.JSONField(
        _("discount rates"), help_text=_('List of [last year of the band or null, rate], e.g. [[40, "0.04"], …].')
    )
    tax_financing_rate = models.DecimalField(_("tax-financing cost"), max_digits=5, decimal_places=4)
    default_analysis_years = models.PositiveSmallIntegerField(_("default analysis period (years)"))
    max_analysis_years = models.PositiveSmallIntegerField(_("longest analysis period (years)"))
    co_financing_basis = models.CharField(
        _("co-financing threshold basis"),
        max_length=16,
        choices=[
            (calculations.CoFinancingBasis.PER_YEAR.value, _("per year (the largest year)")),
            (calculations.CoFinancingBasis.PERIOD.value, _("over the analysis period")),
        ],
        default=calculations.CoFinancingBasis.PERIOD.value,
        help_text=_("What the NOK 5 million threshold for other state bodies is compared with."),
    )
    uncertain = models.JSONField(_("unverified parameters"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-in_force_from", "-pk"]
        verbose_name = _("parameter version")
        verbose_name_plural = _("parameter versions")

    def __str__(self) -> str:
        return self.version

    def clean(self) -> None:
        """A version added in the admin must be computable: bands in increasing order of their last year, the last
        one open-ended, rates between 0 and 100 %. A malformed version would break every plan computed with it."""
        errors: dict[str, str] = {}
        bands = self.discount_bands
        message = _(
            'Give the bands as [[40, "0.04"], [75, "0.03"], [null, "0.02"]]: last years increasing, the last null.'
        )
        try:
            if not isinstance(bands, list) or not bands:
                raise ValueError
            previous = 0
            for index, band in enumerate(bands):
                if not isinstance(band, list) or len(band) != 2:
                    raise ValueError
                last, rate = band
                is_final = index == len(bands) - 1
                if is_final != (last is None):
                    raise ValueError
                if last is not None and (not isinstance(last, int) or isinstance(last, bool) or last <= previous):
                    raise ValueError
                previous = last or previous
                value = Decimal(str(rate))
                if not value.is_finite() or not Decimal(0) <= value < Decimal(1):
                    raise ValueError
        except (ValueError, ArithmeticError):
            errors["discount_bands"] = str(message)
        if self.tax_financing_rate is not None and not Decimal(0) <= self.tax_financing_rate <= Decimal(1):
            errors["tax_financing_rate"] = str(_("Give the tax-financing cost as a share between 0 and 1."))
        if (
            self.default_analysis_years is not None
            and self.max_analysis_years is not None
            and not 1 <= self.default_analysis_years <= self.max_analysis_years
        ):
            errors["default_analysis_years"] = str(
                _("The default analysis period must be between 1 year and the longest period.")
            )
        if errors:
            raise ValidationError(errors)

    def as_parameters(self) -> calculations.Parameters:
        bands = tuple((last, Decimal(str(rate))) for last, rate in self.discount_bands)
        return calculations.Parameters(
            discount_bands=bands,
            tax_financing_rate=self.tax_financing_rate,
            max_analysis_years=self.max_analysis_years,
            co_financing_basis=self.co_financing_basis,
        )

    def is_uncertain(self, name: str) -> bool:
        return name in (self.uncertain or [])

    def source_level(self, name: str) -> str:
        """How far a parameter is checked: ``verified`` (read in R-109's text: not in ``uncertain``), ``secondary``
        (confirmed by secondary sources only) or ``unverified``."""
        from .parameters import SECONDARY_ONLY

        if not self.is_uncertain(name):
            return "verified"
        return "secondary" if name in SECONDARY_ONLY.get(self.version, frozenset()) else "unverified"

    @property
    def unverified(self) -> list[str]:
        """The parameters neither verified nor confirmed by a secondary source."""
        return [name for name in (self.uncertain or []) if self.source_level(name) == "unverified"]


class BenefitPlanQuerySet(models.QuerySet):
    def current(self) -> BenefitPlanQuerySet:
        return self.filter(is_current=True)

    def visible_to(self, user: object) -> BenefitPlanQuerySet:
        """Plans of the projects ``user`` may see (the project's visibility decides, in the database); a draft
        plan only to the members of the project's owning organisations, its authors and operators."""
        plans = self.filter(project__in=Project.objects.visible_to(user).values("pk"))
        if is_operator(user):
            return plans
        return plans.filter(~Q(status=PlanStatus.DRAFT) | Q(project__in=_projects_of(user)))

    def in_public_figures(self) -> BenefitPlanQuerySet:
        """Plans that may count in a figure shown to everyone: never a draft."""
        return self.exclude(status=PlanStatus.DRAFT)


def _projects_of(user: Any) -> Any:
    """Projects ``user`` belongs to: owned by one of the user's organisations, or written by the user."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Project.objects.none().values("pk")
    owned = Project.owners.through.objects.filter(
        organisation_id__in=user.memberships.values("organisation_id")
    ).values("project_id")
    authored = Project.authors.through.objects.filter(user_id=user.pk).values("project_id")
    return Project.objects.filter(Q(pk__in=owned) | Q(pk__in=authored)).values("pk")


class BenefitPlan(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="benefit_plans", verbose_name=_("project")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    rationale = models.TextField(_("rationale"), help_text=_("Why the project is done. Markdown."))
    goals = models.TextField(_("goals and main products"), help_text=_("Societal and effect goals. Markdown."))
    parameters = models.ForeignKey(
        ParameterSet, on_delete=models.PROTECT, related_name="plans", verbose_name=_("parameter version")
    )
    base_year = models.PositiveSmallIntegerField(
        _("base year"), help_text=_("The year values are discounted to (sammenstillingsår).")
    )
    analysis_years = models.PositiveSmallIntegerField(_("analysis period (years)"), default=10)
    real_growth_rate = models.DecimalField(
        _("real-price growth of benefits (per year)"),
        max_digits=6,
        decimal_places=4,
        default=Decimal(0),
        help_text=_("Optional, e.g. 0.008 for 0.8 % a year. Leave at 0 to use constant prices."),
    )
    residual_value = models.DecimalField(
        _("residual value (NOK)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("Value beyond the analysis period, counted in its last year."),
    )
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Illustrative figures for demonstration, not the project's own.")
    )
    example_note = models.TextField(_("about the example figures"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BenefitPlanQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-version"]
        verbose_name = _("benefit-realisation plan")
        verbose_name_plural = _("benefit-realisation plans")
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="benefit_plan_version_once"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_current=True), name="benefit_plan_one_current_per_project"
            ),
            models.CheckConstraint(
                condition=Q(analysis_years__gte=1, analysis_years__lte=100),
                name="benefit_plan_analysis_period_1_100",
                violation_error_message=_("The analysis period must be between 1 and 100 years."),
            ),
        ]
        indexes = [models.Index(fields=["is_current", "project"], name="benefit_plan_current_idx")]

    def __str__(self) -> str:
        return f"{self.project} (v{self.version})"

    @property
    def last_year(self) -> int:
        return self.base_year + self.analysis_years - 1

    @property
    def is_editable(self) -> bool:
        return self.is_current and self.status == PlanStatus.DRAFT


class Benefit(models.Model):
    """One row of the plan (DOMAIN.md §3.4). ``key`` stays the same across plan versions."""

    plan = models.ForeignKey(BenefitPlan, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("plan"))
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    description = models.CharField(_("benefit"), max_length=300)
    benefit_type = models.CharField(_("type"), max_length=16, choices=BenefitType.choices)
    bearer = models.CharField(_("bearer"), max_length=20, choices=Bearer.choices)
    bearer_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="benefits_received",
        verbose_name=_("bearer organisation"),
    )
    bearer_name = models.CharField(
        _("bearer name"), max_length=200, blank=True, help_text=_("When the organisation is not registered.")
    )
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=16, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_benefits",
        verbose_name=_("benefit owner"),
        help_text=_("A person in the line organisation, not in the project."),
    )
    measures = models.TextField(_("realisation measures"), blank=True)
    realisation_form = models.CharField(_("realisation form"), max_length=16, choices=RealisationForm.choices)
    preconditions_risks = models.TextField(_("preconditions and risks"), blank=True)
    measurement_method = models.CharField(_("measurement method"), max_length=300, blank=True)
    measurement_frequency = models.PositiveSmallIntegerField(
        _("measurement frequency"), choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    abandoned_reason = models.TextField(_("why it was abandoned"), blank=True)
    last_reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_date__isnull=True)
                | Q(target_date__isnull=True)
                | Q(target_date__gt=F("baseline_date")),
                name="benefit_target_after_baseline",
                violation_error_message=_("The target date must be after the baseline date."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(baseline_value__isnull=False),
                name="benefit_target_needs_baseline",
                violation_error_message=_("A target needs a baseline to be measured against."),
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def bearer_label(self) -> str:
        named = self.bearer_organisation.name if self.bearer_organisation_id else self.bearer_name  # type: ignore[union-attr]
        label = str(self.get_bearer_display())  # type: ignore[attr-defined]
        return f"{label}: {named}" if named else label


class BenefitAmount(models.Model):
    """A monetised benefit in one year (base-year prices, NOK). ``plan`` and ``bearer`` copy the benefit's."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("benefit"))
    plan = models.ForeignKey(BenefitPlan, on_delete=models.CASCADE, related_name="+")
    bearer = models.CharField(_("bearer"), max_length=20, choices=Bearer.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (NOK)"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["benefit", "year"]
        verbose_name = _("monetised benefit")
        verbose_name_plural = _("monetised benefits")
        constraints = [models.UniqueConstraint(fields=["benefit", "year"], name="benefit_amount_once_per_year")]
        indexes = [models.Index(fields=["plan", "year", "bearer"], name="benefit_amount_rollup_idx")]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class Cost(models.Model):
    plan = models.ForeignKey(BenefitPlan, on_delete=models.CASCADE, related_name="costs", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=16, choices=CostKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (NOK)"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["plan", "kind", "year"]
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "year"], name="benefit_cost_once_per_year"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="benefit_cost_not_negative",
                violation_error_message=_("Costs cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.amount}"


class Measurement(models.Model):
    """A measurement of a benefit's indicator. ``realised_amount`` is the benefit realised in kroner for the period
    (optional; used by the portfolio's planned-versus-realised roll-up, by the year of ``measured_on``)."""

    benefit = models.ForeignKey(
        Benefit, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("benefit")
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    measured_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=300)
    comment = models.TextField(_("comment"), blank=True)
    deviation_explanation = models.TextField(_("explanation of the deviation"), blank=True)
    realised_amount = models.DecimalField(
        _("realised benefit (NOK)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["benefit", "measured_on", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [models.Index(fields=["benefit", "measured_on"], name="benefit_measurement_idx")]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.value}"


class PreventionSet(models.Model):
    """A saved set of extra yearly public costs per person for a target group (the prevention calculator,
    DOMAIN.md §4). ``rows`` holds ``{"level", "sector", "from_age", "to_age", "yearly_cost"}`` objects. An example
    set carries ``is_example`` and is labelled as such wherever it is shown: its figures are illustrative."""

    name = models.CharField(_("name"), max_length=200)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="prevention_sets",
        verbose_name=_("organisation"),
    )
    rows = models.JSONField(_("costs"), default=list)
    source = models.TextField(_("source"), blank=True)
    is_example = models.BooleanField(_("example"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-is_example", "name", "pk"]
        verbose_name = _("prevention cost set")
        verbose_name_plural = _("prevention cost sets")

    def __str__(self) -> str:
        return self.name
