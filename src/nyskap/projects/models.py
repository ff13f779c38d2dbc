"""The project library (M1): innovation projects, their phase timeline, partners, funding and reuse.

Multi-valued classifications (innovation types, sustainable development goals, life events) are many-to-many
relations to small lookup tables whose primary key *is* the code (``"service"``, ``3``, ``"having_a_child"``).
The rows are seeded by a data migration and never edited; labels come from the ``TextChoices``/``IntegerChoices``
below, so they stay translatable. We chose this over a JSON list or an ArrayField because:

- it works the same on SQLite and PostgreSQL (ArrayField is PostgreSQL only);
- faceted counts are one plain ``GROUP BY`` over the through table on both databases
  (``Project.innovation_types.through.objects.filter(project__in=qs).values("innovationtype_id")
  .annotate(n=Count("*"))``) — counting inside a JSON list needs database-specific JSON functions;
- the database enforces that only known codes are stored (foreign key), with no validation code to forget.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from nyskap.core.visibility import VisibleModel, VisibleQuerySet
from nyskap.organisations.models import Organisation

# The vocabularies live in `choices`; imported here so `models.Phase` and the like keep working.
from .choices import (
    AdoptionHow,
    Degree,
    EffectsMeasurement,
    InnovationTypeCode,
    LifeEventCode,
    Novelty,
    PartnerRole,
    Phase,
    Sector,
    SustainableDevelopmentGoalNumber,
)

# Lookup tables (seeded in migration 0002, primary key = code)


class InnovationType(models.Model):
    code = models.CharField(_("code"), max_length=32, primary_key=True, choices=InnovationTypeCode.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("innovation type")
        verbose_name_plural = _("innovation types")

    def __str__(self) -> str:
        return str(InnovationTypeCode(self.code).label)


class SustainableDevelopmentGoal(models.Model):
    number = models.PositiveSmallIntegerField(
        _("number"), primary_key=True, choices=SustainableDevelopmentGoalNumber.choices
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")

    def __str__(self) -> str:
        return str(SustainableDevelopmentGoalNumber(self.number).label)


class LifeEvent(models.Model):
    code = models.CharField(_("code"), max_length=40, primary_key=True, choices=LifeEventCode.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")

    def __str__(self) -> str:
        return str(LifeEventCode(self.code).label)


# Projects


class ProjectQuerySet(VisibleQuerySet):
    def in_phase(self, *phases: str) -> ProjectQuerySet:
        return self.filter(phase__in=phases)

    def real(self) -> ProjectQuerySet:
        """Without the synthetic demonstration projects."""
        return self.filter(is_synthetic=False)


class Project(VisibleModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)

    # The need comes first (behov, ikke løsning): written before any solution.
    need_problem = models.TextField(_("the problem"), help_text=_("What is the problem? Markdown."))
    need_who = models.TextField(_("who has the problem"), help_text=_("Who has the need? Markdown."))
    need_today = models.TextField(_("today's situation"), help_text=_("How is it solved today? Markdown."))
    need_effect = models.TextField(_("effect wanted"), help_text=_("What should be better? Markdown."))
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))

    owners = models.ManyToManyField(
        Organisation, verbose_name=_("owning organisations"), related_name="projects", blank=True
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), related_name="authored_projects", blank=True
    )

    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.NEED, db_index=True)
    innovation_types = models.ManyToManyField(
        InnovationType, verbose_name=_("innovation types"), related_name="projects", blank=True
    )
    degree = models.CharField(_("degree of innovation"), max_length=16, choices=Degree.choices, blank=True)
    novelty = models.CharField(_("novelty"), max_length=20, choices=Novelty.choices, blank=True, db_index=True)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True, db_index=True)
    service_area = models.CharField(_("service area"), max_length=200, blank=True)
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal,
        verbose_name=_("sustainable development goals"),
        related_name="projects",
        blank=True,
    )
    life_events = models.ManyToManyField(LifeEvent, verbose_name=_("life events"), related_name="projects", blank=True)

    budget = models.DecimalField(
        _("budget (NOK)"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("Total, in kroner.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    effects_achieved = models.TextField(_("effects achieved"), blank=True, help_text=_("Markdown."))
    effects_measurement = models.CharField(
        _("how the effects were measured"),
        max_length=16,
        choices=EffectsMeasurement.choices,
        default=EffectsMeasurement.NONE,
    )
    lessons_learned = models.TextField(
        _("lessons learned"), blank=True, help_text=_("Also what did not work. Markdown.")
    )
    stopped_reason = models.TextField(_("why the project was stopped"), blank=True)

    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("E.g. “Meld. St. 30 (2019–2020), box 10.2”.")
    )
    is_synthetic = models.BooleanField(
        _("synthetic example"), default=False, help_text=_("Made-up demonstration data, not a real project.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        # The library's default order ("recently updated") reads the first page straight from this index.
        indexes = [
            models.Index(F("updated_at").desc(), "id", name="project_recent_idx"),
            # "Which of these search hits may an anonymous visitor see" answered from the index alone (an
            # index-only probe per hit instead of a read of the wide project row).
            models.Index("id", condition=Q(visibility="public"), name="project_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="project_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(phase=Phase.STOPPED) | ~Q(stopped_reason=""),
                name="project_stopped_has_reason",
                violation_error_message=_("A stopped project must say why it was stopped."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="project_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Partner(models.Model):
    """A partner in the project: a registered organisation, or a free-text name (a citizens' panel, a company not
    registered on the platform)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners", verbose_name=_("project"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_in",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("When not a registered organisation."))
    role = models.CharField(_("role"), max_length=16, choices=PartnerRole.choices)
    contribution = models.CharField(_("contribution"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""),
                name="partner_organisation_or_name",
                violation_error_message=_("Choose an organisation or write the partner's name."),
            ),
            models.UniqueConstraint(
                fields=["project", "organisation"],
                condition=Q(organisation__isnull=False),
                name="partner_organisation_once_per_project",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation) if self.organisation_id else self.name


class FundingSource(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="funding_sources", verbose_name=_("project")
    )
    source_name = models.CharField(_("source"), max_length=200)
    amount = models.DecimalField(_("amount (NOK)"), max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="funding_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.year or '–'}): {self.amount}"


class PhaseChange(models.Model):
    """One entry in a project's timeline. ``from_phase`` is empty for the entry written when the project was
    created. Written only by ``services.project_create`` and ``services.project_change_phase``."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="phase_changes", verbose_name=_("project")
    )
    from_phase = models.CharField(_("from phase"), max_length=16, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("to phase"), max_length=16, choices=Phase.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("changed at"), db_index=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        constraints = [
            models.CheckConstraint(condition=~Q(from_phase=F("to_phase")), name="phase_change_changes_phase"),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_phase or '–'} → {self.to_phase}"


class Adoption(models.Model):
    """“We adopted this”: a project — or an organisation that took the solution into use without a project of its
    own — adopted ``source_project``. ``source_phase`` records the source's phase when the adoption was registered:
    adopting before the source is implemented is allowed (bodies do reuse ideas from pilots), and this keeps it
    visible."""

    source_project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("adopted project")
    )
    adopting_project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adopted_from",
        verbose_name=_("adopting project"),
    )
    adopting_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("adopting organisation"),
    )
    how = models.CharField(_("how"), max_length=16, choices=AdoptionHow.choices)
    adopted_on = models.DateField(_("adopted on"))
    note = models.TextField(_("note"), blank=True)
    source_phase = models.CharField(_("phase of the adopted project then"), max_length=16, choices=Phase.choices)
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
        ordering = ["adopted_on", "pk"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(adopting_project__isnull=False, adopting_organisation__isnull=True)
                    | Q(adopting_project__isnull=True, adopting_organisation__isnull=False)
                ),
                name="adoption_exactly_one_adopter",
                violation_error_message=_("Choose either the adopting project or the adopting organisation."),
            ),
            models.CheckConstraint(
                condition=Q(adopting_project__isnull=True) | ~Q(adopting_project=F("source_project")),
                name="adoption_not_self",
                violation_error_message=_("A project cannot adopt itself."),
            ),
            models.UniqueConstraint(
                fields=["source_project", "adopting_project"],
                condition=Q(adopting_project__isnull=False),
                name="adoption_once_per_project",
            ),
            models.UniqueConstraint(
                fields=["source_project", "adopting_organisation"],
                condition=Q(adopting_organisation__isnull=False),
                name="adoption_once_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        adopter = self.adopting_project if self.adopting_project_id else self.adopting_organisation
        return f"{adopter} ← {self.source_project}"


# Following


class SubscriptionKind(models.TextChoices):
    PROJECT = "project", _("Project")
    ORGANISATION = "organisation", _("Organisation")
    SECTOR = "sector", _("Sector")
    SEARCH = "search", _("Saved search")


class Subscription(models.Model):
    """A user follows a project, an organisation (its projects), a sector or a saved search, and gets a daily
    digest of new projects and phase changes that match. Exactly one target field is set, the one of ``kind``.
    ``query`` is a saved search's normalised query string (see ``following.normalise_search_query``). Written only
    by ``following.subscription_create`` and ``following.subscription_delete``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_subscriptions", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SubscriptionKind.choices)
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("project"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="project_subscriptions",
        verbose_name=_("organisation"),
    )
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True)
    query = models.CharField(_("saved search"), max_length=1000, blank=True)
    label = models.CharField(_("label"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "label", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=SubscriptionKind.PROJECT,
                        project__isnull=False,
                        organisation__isnull=True,
                        sector="",
                        query="",
                    )
                    | Q(
                        kind=SubscriptionKind.ORGANISATION,
                        project__isnull=True,
                        organisation__isnull=False,
                        sector="",
                        query="",
                    )
                    | (
                        Q(kind=SubscriptionKind.SECTOR, project__isnull=True, organisation__isnull=True, query="")
                        & ~Q(sector="")
                    )
                    | (
                        Q(kind=SubscriptionKind.SEARCH, project__isnull=True, organisation__isnull=True, sector="")
                        & ~Q(query="")
                    )
                ),
                name="subscription_target_matches_kind",
                violation_error_message=_("Set exactly the target that belongs to the kind of subscription."),
            ),
            models.UniqueConstraint(
                fields=["user", "project"],
                condition=Q(kind=SubscriptionKind.PROJECT),
                name="subscription_project_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(kind=SubscriptionKind.ORGANISATION),
                name="subscription_organisation_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "sector"],
                condition=Q(kind=SubscriptionKind.SECTOR),
                name="subscription_sector_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "query"],
                condition=Q(kind=SubscriptionKind.SEARCH),
                name="subscription_search_once_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} {self.label}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random folder per file: names never collide and cannot be guessed from the project.
    return f"project-attachments/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    """A document or picture belonging to a project; served only to those who may see the project."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("project")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    title = models.CharField(_("title"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]
