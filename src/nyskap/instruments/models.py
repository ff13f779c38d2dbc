"""The instrument catalogue (M2): instruments (virkemidler), their calls (utlysninger), the instrument-owner role,
projects' applications to instruments, and saved matcher profiles.

Multi-valued classifications of an instrument (what it offers, who may apply, phases, sectors, innovation types,
requirements) are short JSON lists of codes from the controlled vocabularies below. The catalogue is small (the
white paper names 46 instruments; a national catalogue stays in the low thousands), the matcher reads it whole, and
a list per field keeps the original row, its normalised values and its source side by side in one record. Filters
on these lists use ``icontains`` on the quoted code (``'"money"'``), which behaves the same on SQLite and
PostgreSQL. Codes are checked by ``services`` before anything is saved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project


class Offer(models.TextChoices):
    """What an instrument offers (PRODUCT.md M2; the columns of ``instruments.csv``)."""

    MONEY = "money", _("Money")
    ADVICE = "advice", _("Advice")
    COMPETENCE = "competence", _("Competence")
    NETWORK = "network", _("Network")
    LEGAL = "legal", _("Legal room")
    DATA = "data", _("Data")
    METHOD = "method", _("Method")


class Requirement(models.TextChoices):
    """Conditions an applicant must meet, as stated in the source of the instrument's row."""

    BENEFIT_PLAN = "benefit_plan", _("A binding benefit-realisation plan")
    RESEARCH_PARTNER = "research_partner", _("At least one approved research organisation takes part")
    PILOT_CUSTOMER = "pilot_customer", _("A pilot customer takes part")
    MATCHING_CONTRIBUTION = "matching_contribution", _("The applicants contribute at least as much themselves")
    PROCESS_COMMITMENT = "process_commitment", _("Resources committed to the process and to later implementation")
    EVALUATION = "evaluation", _("An evaluation of the trial")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Verification(models.TextChoices):
    """How well the row's facts are sourced (the ``status`` column of ``instruments.csv``)."""

    VERIFIED = "verified", _("Verified in the white paper or on the owner's own page")
    PARTLY = "partly", _("Partly verified")
    SECONDARY = "secondary", _("From a secondary source only")
    UNVERIFIED = "unverified", _("Not verified")


class WebsiteOrigin(models.TextChoices):
    """Where the link to the owner's page comes from. The shipped catalogue never invents deep links: an address
    is either named in the row's source, or it is the owner organisation's well-known home page."""

    SOURCE = "source", _("Named in the source")
    OWNER_HOME = "owner_home", _("The owner's home page (the source names no web address)")
    OWNER = "owner", _("Given by the instrument's owner")


class InstrumentQuerySet(models.QuerySet):
    def active(self) -> InstrumentQuerySet:
        return self.filter(status=Status.ACTIVE)

    def real(self) -> InstrumentQuerySet:
        return self.filter(is_synthetic=False)


class Instrument(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=300)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))

    owners = models.ManyToManyField(
        Organisation, verbose_name=_("owner organisations"), related_name="instruments", blank=True
    )
    owner_text = models.CharField(_("owner as stated in the source"), max_length=300, blank=True)

    offers = models.JSONField(_("offers"), default=list, blank=True)
    offers_text = models.CharField(_("offers as stated in the source"), max_length=300, blank=True)
    applicant_kinds = models.JSONField(
        _("who may apply"), default=list, blank=True, help_text=_("Kinds of organisation that may apply.")
    )
    partner_kinds = models.JSONField(
        _("who may take part as partners only"),
        default=list,
        blank=True,
        help_text=_("Kinds of organisation that may only take part as partners, not apply."),
    )
    max_population = models.PositiveIntegerField(
        _("largest population of an applicant municipality"), null=True, blank=True
    )
    target_text = models.CharField(_("target group as stated in the source"), max_length=300, blank=True)
    phases = models.JSONField(_("phases"), default=list, blank=True)
    phases_text = models.CharField(_("phases as stated in the source"), max_length=200, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True, help_text=_("Empty means open to every sector."))
    innovation_types = models.JSONField(
        _("innovation types"), default=list, blank=True, help_text=_("Empty means open to every type.")
    )

    grant_max = models.DecimalField(
        _("largest grant per project (NOK)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    project_cost_min = models.DecimalField(
        _("smallest project cost (NOK)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    project_cost_max = models.DecimalField(
        _("largest project cost (NOK)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    cofunding_max_percent = models.DecimalField(
        _("largest share of the project cost covered (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    amounts_text = models.TextField(_("amounts and rules as stated in the source"), blank=True)
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    requires_open_call = models.BooleanField(
        _("applications only through calls"),
        default=False,
        help_text=_("One can apply only while a call is open."),
    )

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status_note = models.CharField(_("about the status"), max_length=300, blank=True)
    verification = models.CharField(
        _("verification"), max_length=12, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    verification_text = models.CharField(_("verification as stated in the source"), max_length=100, blank=True)
    unverified_facts = models.CharField(
        _("facts not verified"), max_length=300, blank=True, help_text=_("Which facts are not verified.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    mapping_note = models.TextField(
        _("how the source was normalised"),
        blank=True,
        help_text=_("Choices made when the source's free text was turned into the catalogue's fields."),
    )
    website = models.URLField(_("the owner's page"), blank=True)
    website_origin = models.CharField(
        _("where the link comes from"), max_length=10, choices=WebsiteOrigin.choices, blank=True
    )
    owner_edited = models.BooleanField(
        _("edited by its owner"),
        default=False,
        help_text=_("Set when an instrument owner changes the entry; reloading the shipped data then keeps it."),
    )
    is_synthetic = models.BooleanField(
        _("synthetic example"), default=False, help_text=_("Made-up data for demonstrations and benchmarks.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["name_nb", "pk"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.ENDED) | Q(ended_on__isnull=True),
                name="instrument_only_ended_has_end_date",
                violation_error_message=_("Only an ended instrument has an end date."),
            ),
            models.CheckConstraint(
                condition=Q(grant_max__isnull=True) | Q(grant_max__gte=0),
                name="instrument_grant_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(cofunding_max_percent__isnull=True)
                | Q(cofunding_max_percent__gte=0, cofunding_max_percent__lte=100),
                name="instrument_cofunding_is_a_percentage",
                violation_error_message=_("The share must be between 0 and 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(project_cost_min__isnull=True)
                | Q(project_cost_max__isnull=True)
                | Q(project_cost_max__gte=F("project_cost_min")),
                name="instrument_cost_range_ordered",
                violation_error_message=_("The largest project cost cannot be below the smallest."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_nb

    def get_absolute_url(self) -> str:
        return reverse("instruments:detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        """The name in the active language (nb when nn is not given)."""
        from django.utils.translation import get_language

        language = (get_language() or "nb")[:2]
        if language == "en":
            return self.name_en or self.name_nb
        if language == "nn":
            return self.name_nn or self.name_nb
        return self.name_nb

    @property
    def is_ended(self) -> bool:
        return self.status == Status.ENDED


class CallQuerySet(models.QuerySet):
    def open_on(self, day: object) -> CallQuerySet:
        return self.filter(Q(opens_on__lte=day) & (Q(closes_on__isnull=True) | Q(closes_on__gte=day)))

    def closed_before(self, day: object) -> CallQuerySet:
        return self.filter(closes_on__lt=day)


class Call(models.Model):
    """A call for applications (utlysning). ``closes_on`` empty means continuous intake until further notice."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="calls", verbose_name=_("instrument")
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens"), db_index=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True, db_index=True)
    budget = models.DecimalField(_("budget (NOK)"), max_digits=14, decimal_places=0, null=True, blank=True)
    url = models.URLField(_("link to the call"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("A made-up example for demonstrations, not a real call.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "opens_on", "pk"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opens_on")),
                name="call_closes_not_before_it_opens",
                violation_error_message=_("The call cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="call_budget_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}: {self.title}"


class InstrumentOwnerRole(models.Model):
    """The platform-wide ``instrument_owner`` role (ARCHITECTURE.md, access control) for one owner organisation:
    the user may edit that organisation's instruments and their calls. Granted by the organisation's
    administrators or an operator, through ``services.owner_role_grant``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="instrument_owner_roles",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="instrument_owner_roles", verbose_name=_("organisation")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        verbose_name = _("instrument owner")
        verbose_name_plural = _("instrument owners")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="instrument_owner_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class Outcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")


class InstrumentUse(models.Model):
    """A project applied to, or received support from, an instrument."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="instrument_uses", verbose_name=_("project")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="uses", verbose_name=_("instrument")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (NOK)"), max_digits=14, decimal_places=0, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("use of an instrument")
        verbose_name_plural = _("uses of instruments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="instrument_use_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.instrument} ({self.year})"


class MatcherProfile(models.Model):
    """A saved matcher question: the user gets an e-mail when a call opens for an instrument that the matcher
    finds for it. ``query`` is the matcher form's normalised query string (``forms.normalise_matcher_query``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matcher_profiles", verbose_name=_("user")
    )
    label = models.CharField(_("label"), max_length=200)
    query = models.CharField(_("matcher question"), max_length=1000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_notified_on = models.DateField(_("calls notified up to"), null=True, blank=True)

    class Meta:
        ordering = ["label", "pk"]
        verbose_name = _("matcher profile")
        verbose_name_plural = _("matcher profiles")
        constraints = [models.UniqueConstraint(fields=["user", "query"], name="matcher_profile_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user}: {self.label}"
