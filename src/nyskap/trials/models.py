"""The trials registry (M6, DOMAIN.md §5): trials under the trial act (forsøksloven), sector-law trial provisions,
regulatory sandboxes, pilots and labs — their plan, legal basis, approval, pre-registration, results and decision.

The rules a record must meet are pure functions in `rules` (periods, approval steps, the § 4 checklist, the plan's
fingerprint) and the effect estimates in `calculations`; the models store what was entered, and the estimates are
computed from the stored inputs when a page shows them. TrialStatus changes go through `services`, one function per
transition, each recorded as a `StatusChange` (who, when); every other change is in the audit log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from nyskap.core.visibility import VisibleModel, VisibleQuerySet
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project, Sector


class TrialKind(models.TextChoices):
    FORSOKSLOVEN = "forsoksloven", _("Trial under the trial act (forsøksloven)")
    SECTOR_LAW = "sector_law", _("Trial provision in a sector law")
    SANDBOX = "sandbox", _("Regulatory sandbox")
    PILOT = "pilot", _("Pilot")
    LAB = "lab", _("Lab")


class TrialDesign(models.TextChoices):
    INDIVIDUAL_RCT = "individual_rct", _("Randomised, individuals")
    CLUSTER_RCT = "cluster_rct", _("Randomised, groups (clusters)")
    STEPPED_WEDGE = "stepped_wedge", _("Stepped wedge")
    COMPARISON_GROUP = "comparison_group", _("Comparison group, not randomised")
    BEFORE_AFTER = "before_after", _("Before and after")
    NONE = "none", _("No comparison")


class TrialStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PREREGISTERED = "preregistered", _("Pre-registered")
    APPROVED = "approved", _("Approved")
    RUNNING = "running", _("Running")
    ENDED = "ended", _("Ended")
    RESULTS_REPORTED = "results_reported", _("Results reported")
    DECIDED = "decided", _("Decided")


class TrialDecision(models.TextChoices):
    PERMANENT = "permanent", _("Made permanent")
    SPREAD = "spread", _("Spread to others")
    RETEST = "retest", _("Tested again")
    STOPPED = "stopped", _("Stopped")


class TrialOutcome(models.TextChoices):
    """What has come of a trial so far, read from its results (not stored): the overview's outcome facet."""

    ESTIMATED = "estimated", _("Results entered as data (effect estimate)")
    SUMMARY = "summary", _("Results in words only")
    NONE = "none", _("No results yet")


class Evaluator(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Sandbox(models.Model):
    """A regulatory sandbox: a scheme that admits projects in rounds, each with a plan and a published exit report."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("run by"),
        related_name="sandboxes",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    criteria = models.JSONField(_("admission criteria"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regulatory sandbox")
        verbose_name_plural = _("regulatory sandboxes")

    def __str__(self) -> str:
        return self.name


class SandboxRound(models.Model):
    sandbox = models.ForeignKey(Sandbox, verbose_name=_("sandbox"), related_name="rounds", on_delete=models.CASCADE)
    opened_on = models.DateField(_("opened"), null=True, blank=True)
    deadline = models.DateField(_("application deadline"), null=True, blank=True)
    applications = models.PositiveIntegerField(_("applications"), null=True, blank=True)
    admitted = models.PositiveIntegerField(_("admitted"), null=True, blank=True)

    class Meta:
        ordering = ["sandbox", "deadline", "pk"]
        verbose_name = _("sandbox round")
        verbose_name_plural = _("sandbox rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(admitted__isnull=True) | Q(applications__isnull=True) | Q(admitted__lte=F("applications")),
                name="sandbox_round_admitted_not_above_applications",
                violation_error_message=_("More projects cannot be admitted than applied."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sandbox} {self.deadline or ''}".strip()


class TrialQuerySet(VisibleQuerySet):
    def in_status(self, *statuses: str) -> TrialQuerySet:
        return self.filter(status__in=statuses)


class Trial(VisibleModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind of trial"), max_length=16, choices=TrialKind.choices, db_index=True)
    sandbox = models.ForeignKey(
        Sandbox, verbose_name=_("sandbox"), related_name="trials", on_delete=models.PROTECT, null=True, blank=True
    )
    owners = models.ManyToManyField(Organisation, verbose_name=_("owning organisations"), related_name="trials")
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), related_name="trial_partnerships", blank=True
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), related_name="authored_trials", blank=True
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project in the library"),
        related_name="trials",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    adopted_by = models.ManyToManyField(
        Project, verbose_name=_("adopted by"), related_name="adopted_trials", blank=True
    )

    legal_act = models.CharField(_("act"), max_length=200, blank=True)
    legal_section = models.CharField(_("section"), max_length=100, blank=True)

    # The plan: what a pre-registration freezes (rules.REGISTERED_FIELDS).
    hypothesis = models.TextField(_("hypothesis"), blank=True)
    intervention = models.TextField(_("intervention"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    primary_outcome = models.TextField(_("primary outcome"), blank=True)
    secondary_outcomes = models.TextField(_("secondary outcomes"), blank=True, help_text=_("One per line."))
    design = models.CharField(_("design"), max_length=20, choices=TrialDesign.choices, blank=True, db_index=True)
    planned_sample_size = models.PositiveIntegerField(_("planned sample size"), null=True, blank=True)
    sample_size_rationale = models.TextField(_("how the sample size was chosen"), blank=True)
    analysis_plan = models.TextField(_("evaluation plan"), blank=True)
    evaluator = models.CharField(_("evaluator"), max_length=10, choices=Evaluator.choices, blank=True)

    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True, db_index=True)
    area = models.CharField(_("area"), max_length=200, blank=True)

    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("dates known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    extended_to = models.DateField(_("extended until"), null=True, blank=True)
    extension_reform = models.CharField(
        _("extended until the reform"),
        max_length=300,
        blank=True,
        help_text=_("Name the reform when the extension runs until it enters into force."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=TrialStatus.choices, default=TrialStatus.PLANNED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    not_preregistered = models.BooleanField(
        _("not pre-registered"),
        default=False,
        help_text=_("The trial reports results without a pre-registered plan; this is shown wherever it appears."),
    )
    result_summary = models.TextField(_("summary of the results"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=TrialDecision.choices, blank=True, db_index=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)

    source = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("E.g. “Meld. St. 30 (2019–2020), box 10.2”.")
    )
    last_reminded_on = models.DateField(_("last reminded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TrialQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("trial")
        verbose_name_plural = _("trials")
        # The overview's order: a page of the latest trials is read from the index, not sorted from all of them.
        indexes = [models.Index(fields=["-updated_at", "id"], name="trial_updated_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="trial_end_not_before_start",
                violation_error_message=_("The trial cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status=TrialStatus.DECIDED) | (~Q(decision="") & ~Q(decision_reason="")),
                name="trial_decided_has_decision",
                violation_error_message=_("A decided trial must have a decision and its reason."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def plan(self) -> dict[str, Any]:
        """The registered fields as they stand now (what a pre-registration or an amendment freezes)."""
        return {
            "hypothesis": self.hypothesis,
            "intervention": self.intervention,
            "target_group": self.target_group,
            "primary_outcome": self.primary_outcome,
            "secondary_outcomes": self.secondary_outcome_list(),
            "design": self.design,
            "planned_sample_size": self.planned_sample_size,
            "sample_size_rationale": self.sample_size_rationale,
            "analysis_plan": self.analysis_plan,
        }

    def secondary_outcome_list(self) -> list[str]:
        return [line.strip() for line in self.secondary_outcomes.splitlines() if line.strip()]

    @property
    def under_trial_act(self) -> bool:
        return self.kind == TrialKind.FORSOKSLOVEN

    @property
    def planned_end(self) -> Any:
        return self.extended_to or self.ends_on


class StatusChange(models.Model):
    """One transition of a trial's status: who made it and when."""

    trial = models.ForeignKey(Trial, verbose_name=_("trial"), related_name="status_changes", on_delete=models.CASCADE)
    status = models.CharField(_("status"), max_length=20, choices=TrialStatus.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), related_name="+", on_delete=models.SET_NULL, null=True
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.trial} → {self.status}"


class Exemption(models.Model):
    """A rule the trial sets aside: which, why and for whom."""

    trial = models.ForeignKey(Trial, verbose_name=_("trial"), related_name="exemptions", on_delete=models.CASCADE)
    rule = models.CharField(_("rule set aside"), max_length=300)
    reason = models.TextField(_("why"), blank=True)
    for_whom = models.CharField(_("for whom"), max_length=300, blank=True)

    class Meta:
        ordering = ["trial", "pk"]
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")

    def __str__(self) -> str:
        return self.rule


APPROVAL_STEP_LABELS = {
    "preliminary_application": _("Preliminary application to the ministry"),
    "selection": _("Selected by the ministries"),
    "council_adoption": _("Final application adopted by the council"),
    "regulation_adopted": _("Local regulation adopted by the council"),
    "ministry_approval": _("Regulation approved by the ministry"),
}
CHECKLIST_LABELS = {
    "deviates_local_government_act": _("Does the trial deviate from the Local Government Act's basic rules?"),
    "deviates_case_handling": _("Does the trial deviate from the Public Administration Act's case-handling rules?"),
    "restricts_rights": _("Does the trial restrict individuals' rights or extend their duties?"),
    "materially_new_content": _("Is it a dispensation with materially new content rather than a trial?"),
}
# The labels follow rules.APPROVAL_STEPS and rules.LIMITS_CHECKLIST in order (tests/trials/test_models.py).


class ApprovalStep(models.Model):
    trial = models.ForeignKey(Trial, verbose_name=_("trial"), related_name="approval_steps", on_delete=models.CASCADE)
    step = models.CharField(_("step"), max_length=32, choices=list(APPROVAL_STEP_LABELS.items()))
    dated_on = models.DateField(_("date"))

    class Meta:
        ordering = ["trial", "dated_on", "pk"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [models.UniqueConstraint("trial", "step", name="trial_approval_step_once")]

    def __str__(self) -> str:
        return f"{self.step} {self.dated_on}"


class ChecklistAnswer(models.Model):
    """An answer to one of the trial act's § 4 limits, with its reason."""

    trial = models.ForeignKey(
        Trial, verbose_name=_("trial"), related_name="checklist_answers", on_delete=models.CASCADE
    )
    item = models.CharField(_("question"), max_length=40, choices=list(CHECKLIST_LABELS.items()))
    answer = models.BooleanField(_("answer"))
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["trial", "pk"]
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [models.UniqueConstraint("trial", "item", name="trial_checklist_answer_once")]

    def __str__(self) -> str:
        return self.item


class Registration(models.Model):
    """The pre-registered plan, frozen: the registered fields as canonical JSON and their SHA-256."""

    trial = models.OneToOneField(Trial, verbose_name=_("trial"), related_name="registration", on_delete=models.CASCADE)
    plan = models.JSONField(_("registered plan"))
    fingerprint = models.CharField(_("fingerprint (SHA-256)"), max_length=64)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), related_name="+", on_delete=models.SET_NULL, null=True
    )

    class Meta:
        verbose_name = _("pre-registration")
        verbose_name_plural = _("pre-registrations")

    def __str__(self) -> str:
        return self.fingerprint


class Amendment(models.Model):
    """A change to the plan after pre-registration: the reason, the plan before and after, the new fingerprint."""

    trial = models.ForeignKey(Trial, verbose_name=_("trial"), related_name="amendments", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("number"))
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    fields = models.JSONField(_("changed fields"), default=list)
    fingerprint = models.CharField(_("fingerprint (SHA-256)"), max_length=64)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), related_name="+", on_delete=models.SET_NULL, null=True
    )

    class Meta:
        ordering = ["trial", "number"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [models.UniqueConstraint("trial", "number", name="trial_amendment_number_once")]

    def __str__(self) -> str:
        return f"{self.trial} #{self.number}"


class ResultKind(models.TextChoices):
    COUNTS = "counts", _("Counts per arm (yes/no outcome)")
    MEANS = "means", _("Means per arm")
    UNITS = "units", _("One row per unit (uploaded)")


class Result(models.Model):
    """A result as entered: counts or means per arm, or the uploaded unit rows. The estimate is computed from these
    inputs by `calculations` whenever it is shown, so a correction of the method reaches every page."""

    trial = models.ForeignKey(Trial, verbose_name=_("trial"), related_name="results", on_delete=models.CASCADE)
    outcome = models.CharField(_("outcome"), max_length=300)
    kind = models.CharField(_("kind of result"), max_length=10, choices=ResultKind.choices)
    outcome_type = models.CharField(_("outcome type"), max_length=12, default="binary")
    inputs = models.JSONField(_("inputs"))
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), related_name="+", on_delete=models.SET_NULL, null=True
    )

    class Meta:
        ordering = ["trial", "pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return self.outcome


class SandboxAdmission(models.Model):
    """A project admitted to a sandbox round: its plan, and the exit report it must publish."""

    round = models.ForeignKey(
        SandboxRound, verbose_name=_("round"), related_name="admissions", on_delete=models.CASCADE
    )
    trial = models.OneToOneField(Trial, verbose_name=_("trial"), related_name="admission", on_delete=models.CASCADE)
    plan = models.TextField(_("plan"))
    exit_report = models.TextField(_("exit report"), blank=True)
    exit_report_published_on = models.DateField(_("exit report published"), null=True, blank=True)

    class Meta:
        verbose_name = _("sandbox admission")
        verbose_name_plural = _("sandbox admissions")

    def __str__(self) -> str:
        return str(self.trial)
