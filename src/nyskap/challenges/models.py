"""Challenges and innovative procurement (M7, DOMAIN.md §6): public needs posted by one or more public bodies,
joined by others with the same need, asked about and answered by suppliers, and evaluated to an outcome.

Status changes go through `services`, one function per transition, each recorded as a `StatusChange` (who, when):

    draft → dialogue → proposals → evaluation → awarded / not_awarded (with the reason) → in_use

Proposals are commercially confidential: only the challenge's owners and the supplier that sent them read them
(`selectors.proposal_for`); operators see their metadata in the admin and their content only through a view that
asks for a reason and logs it (`ProposalAccess`). Numbers (weighted scores, ranking) are pure functions in
`calculations`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from nyskap.accounts.models import SupplierProfile
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project, Sector

MAX_AMOUNT = 10**13  # NOK; larger sums are typing errors


class Procedure(models.TextChoices):
    MARKET_DIALOGUE = "market_dialogue", _("Market dialogue")
    COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Competitive dialogue")
    NEGOTIATION = "negotiation", _("Competition with negotiation")
    INNOVATION_PARTNERSHIP = "innovation_partnership", _("Innovation partnership")
    PRE_COMMERCIAL = "pre_commercial", _("Pre-commercial procurement (R&D exception)")
    INNOVATION_CONTRACT = "innovation_contract", _("Innovation contract")
    STARTUP_PROGRAMME = "startup_programme", _("Start-up programme")
    DESIGN_CONTEST = "design_contest", _("Design contest")


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DIALOGUE = "dialogue", _("Open for dialogue")
    PROPOSALS = "proposals", _("Open for proposals")
    EVALUATION = "evaluation", _("Evaluation")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    IN_USE = "in_use", _("In use")


# The statuses the public sees (everything but the draft).
PUBLIC_STATUSES = [s for s in ChallengeStatus.values if s != ChallengeStatus.DRAFT]


def attachment_path(instance: models.Model, filename: str) -> str:
    return f"challenge-attachments/{uuid.uuid4().hex}/{filename}"


def proposal_path(instance: models.Model, filename: str) -> str:
    return f"challenge-proposals/{uuid.uuid4().hex}/{filename}"


class Challenge(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    need = models.TextField(_("the need"), max_length=20000, help_text=_("What is the problem? Not a specification."))
    effect = models.TextField(_("effect wanted"), max_length=20000)
    target_users = models.TextField(_("target users"), max_length=5000, blank=True)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True, db_index=True)
    topics = models.CharField(
        _("topics"), max_length=300, blank=True, help_text=_("Keywords separated by commas, e.g. drones, water.")
    )
    budget_min = models.PositiveBigIntegerField(_("budget from (NOK)"), null=True, blank=True)
    budget_max = models.PositiveBigIntegerField(_("budget up to (NOK)"), null=True, blank=True)
    procedure = models.CharField(_("intended procedure"), max_length=24, choices=Procedure.choices, db_index=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    dialogue_deadline = models.DateTimeField(_("deadline for questions"), null=True, blank=True)
    proposal_deadline = models.DateTimeField(_("deadline for proposals"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ChallengeStatus.choices, default=ChallengeStatus.DRAFT, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    not_awarded_reason = models.TextField(_("why not awarded"), max_length=5000, blank=True)
    owners = models.ManyToManyField(
        Organisation, through="ChallengeOwner", verbose_name=_("owners"), related_name="challenges"
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), related_name="authored_challenges", blank=True
    )
    bodies_count = models.PositiveIntegerField(
        _("bodies with this need"), default=1, db_index=True, help_text=_("Owners and bodies that have joined.")
    )
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Built from a case in the white paper; details are illustrative.")
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True) | Q(budget_max__isnull=True) | Q(budget_min__lte=F("budget_max")),
                name="challenge_budget_min_not_above_max",
                violation_error_message=_("The lower budget cannot be above the upper budget."),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(proposal_deadline__isnull=True)
                | Q(proposal_deadline__gt=F("opens_at")),
                name="challenge_deadline_after_opening",
                violation_error_message=_("The deadline must be after the opening."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.split(",") if t.strip()]

    @property
    def is_public(self) -> bool:
        return self.status != ChallengeStatus.DRAFT


class ChallengeOwner(models.Model):
    """An owning public body: the one that posted the challenge (lead) or one accepted as co-owner."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="ownerships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="challenge_ownerships")
    is_lead = models.BooleanField(_("lead owner"), default=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("owner")
        verbose_name_plural = _("owners")
        constraints = [models.UniqueConstraint(fields=["challenge", "organisation"], name="challenge_owner_once")]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.challenge}"


class StatusChange(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=16, choices=ChallengeStatus.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.challenge}: {self.status}"


class ChallengeAttachment(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    title = models.CharField(_("title"), max_length=200)
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


class JoinStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the owners")
    ACCEPTED = "accepted", _("Co-owner")
    DECLINED = "declined", _("Declined as co-owner")


class SharedNeed(models.Model):
    """Another public body says "we have the same need"; the owners may accept it as a co-owner."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="shared_needs")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="shared_challenge_needs")
    note = models.TextField(_("note"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=JoinStatus.choices, default=JoinStatus.PENDING)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("shared need")
        verbose_name_plural = _("shared needs")
        constraints = [models.UniqueConstraint(fields=["challenge", "organisation"], name="shared_need_once")]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.challenge}"


class ProgrammeStageKind(models.TextChoices):
    IDEA_SKETCH = "idea_sketch", _("Idea-sketch competition")
    SOLUTION_PROPOSALS = "solution_proposals", _("Paid solution proposals")
    DEVELOPMENT = "development", _("Development contract")
    PROTOTYPE = "prototype", _("Prototype / minimum viable product")
    PURCHASE = "purchase", _("Later purchase (a separate procurement)")


class ProgrammeStage(models.Model):
    """One stage of a start-up programme in the StartOff shape (DOMAIN.md §6.2)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=24, choices=ProgrammeStageKind.choices)
    position = models.PositiveSmallIntegerField(_("order"))
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    suppliers = models.PositiveSmallIntegerField(_("number of suppliers"), null=True, blank=True)
    amount_each = models.PositiveBigIntegerField(_("amount per supplier (NOK)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["challenge", "position"]
        verbose_name = _("programme stage")
        verbose_name_plural = _("programme stages")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "kind"], name="programme_stage_once"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="programme_stage_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.challenge}: {self.get_kind_display()}"

    @property
    def amount_total(self) -> int | None:
        if self.amount_each is None:
            return None
        return self.amount_each * (self.suppliers or 1)


class SupplierFollow(models.Model):
    """A supplier follows a sector or a topic and is told by e-mail when a matching challenge opens."""

    supplier = models.ForeignKey(SupplierProfile, on_delete=models.CASCADE, related_name="challenge_follows")
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("followed sector or topic")
        verbose_name_plural = _("followed sectors and topics")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "sector", "topic"], name="supplier_follow_once"),
            models.CheckConstraint(condition=~Q(sector="", topic=""), name="supplier_follow_sector_or_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier}: {self.sector or self.topic}"


class OpeningAlert(models.Model):
    """One e-mail told a supplier's user that a challenge opened: never twice."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="alerts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["challenge", "user"], name="opening_alert_once")]

    def __str__(self) -> str:
        return f"{self.challenge_id} → {self.user_id}"


class Question(models.Model):
    """A supplier's question. The answer is public; who asked is seen only by the owners (equal treatment)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    supplier = models.ForeignKey(SupplierProfile, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("question"), max_length=5000)
    answer = models.TextField(_("answer"), max_length=10000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:60]


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    """A supplier's proposal: confidential to the challenge's owners and the supplier."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="proposals")
    supplier = models.ForeignKey(SupplierProfile, on_delete=models.PROTECT, related_name="challenge_proposals")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("proposal"), max_length=50000)
    attachment = models.FileField(_("attachment"), upload_to=proposal_path, max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"))
    receipt_hash = models.CharField(_("SHA-256 of what was sent"), max_length=64)
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    outcome_sent_at = models.DateTimeField(_("outcome sent"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [models.UniqueConstraint(fields=["challenge", "supplier"], name="proposal_once_per_supplier")]

    def __str__(self) -> str:
        return f"{self.supplier.company_name} → {self.challenge}"

    @property
    def attachment_name(self) -> str:
        return (self.attachment.name or "").rsplit("/", 1)[-1]


class ProposalAccess(models.Model):
    """An operator read a proposal's content: who, when and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "pk"]
        verbose_name = _("access to a proposal")
        verbose_name_plural = _("accesses to proposals")

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal_id}"


class Criterion(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))

    class Meta:
        ordering = ["challenge", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.CheckConstraint(condition=Q(weight__lte=100), name="criterion_weight_at_most_100")]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("score (0–10)"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "criterion", "evaluator"], name="score_once"),
            models.CheckConstraint(condition=Q(value__lte=10), name="score_at_most_10"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.criterion_id}: {self.value}"


class Outcome(models.Model):
    """What came of the challenge: the contract, its procedure and value, the supplier(s), the project it led to."""

    challenge = models.OneToOneField(Challenge, on_delete=models.CASCADE, related_name="outcome")
    procedure = models.CharField(_("procedure used"), max_length=24, choices=Procedure.choices)
    contract_value = models.PositiveBigIntegerField(_("contract value (NOK)"), null=True, blank=True)
    suppliers = models.CharField(_("supplier(s)"), max_length=500, blank=True)
    decided_on = models.DateField(_("date"))
    project = models.ForeignKey(
        Project,
        verbose_name=_("project in the library"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenge_outcomes",
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.challenge}: {self.get_procedure_display()}"
