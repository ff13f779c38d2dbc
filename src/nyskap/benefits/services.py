"""Writes on benefit-realisation plans. Each function owns its transaction, checks access, validates before it saves,
and raises `BenefitError` (a message fit to show the user, and the field it concerns), `PlanIncomplete` (the
problems that stop a submission, one per benefit and field) or Django's `PermissionDenied`.

Who may do what: the project's authors and the editors of its owning organisations change the plan (the rule
``core.change_object`` on the project, the same as for the project itself); a benefit's owner — a person in the line
organisation — records its measurements, as can the plan's editors.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nyskap.accounts.models import User
from nyskap.core.mail import site_url
from nyskap.core.permissions import require_editor_of
from nyskap.projects.models import Project

from . import calculations, followup
from .cleaning import (
    BenefitError,
    PlanIncomplete,
    clean_decimal,
    clean_growth,
    clean_plan_period,
    clean_text,
    clean_yearly,
    submission_problems,
)
from .models import (
    Bearer,
    Benefit,
    BenefitAmount,
    BenefitPlan,
    BenefitType,
    Cost,
    CostKind,
    Frequency,
    Measurement,
    ParameterSet,
    PlanStatus,
    PreventionSet,
    RealisationForm,
)
from .parameters import R109_2021
from .portfolio_cache import invalidate_portfolio

# Access


def can_change(user: Any, project: Project) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("core.change_object", project))


def can_measure(user: Any, benefit: Benefit) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return benefit.owner_id == user.pk or can_change(user, benefit.plan.project)


def _require_change(actor: Any, project: Project) -> None:
    if not can_change(actor, project):
        raise PermissionDenied(_("Only the project's authors and editors of its organisations can change its plan."))


def _require_editable(plan: BenefitPlan) -> None:
    if not plan.is_editable:
        raise BenefitError(_("This version has been submitted. Start a new version to change the plan."))


# Parameters


def current_parameters(on: datetime.date | None = None) -> ParameterSet:
    """The parameter version in force on ``on`` (today by default). The shipped R-109 version is restored if the
    table is empty, so a plan can always be computed."""
    on = on or timezone.localdate()
    found = ParameterSet.objects.filter(in_force_from__lte=on).order_by("-in_force_from", "-pk").first()
    if found is not None:
        return found
    values = dict(R109_2021)
    parameters, _created = ParameterSet.objects.get_or_create(version=values.pop("version"), defaults=values)
    return parameters


# Plans


@transaction.atomic
def plan_create(
    *,
    project: Project,
    actor: Any,
    rationale: str,
    goals: str,
    base_year: int,
    analysis_years: int | None = None,
    real_growth_rate: Any = 0,
    residual_value: Any = 0,
    is_example: bool = False,
    example_note: str = "",
) -> BenefitPlan:
    _require_change(actor, project)
    if BenefitPlan.objects.select_for_update().filter(project=project, is_current=True).exists():
        raise BenefitError(_("The project already has a benefit-realisation plan."))
    parameters = current_parameters()
    base, years = clean_plan_period(
        base_year=base_year,
        analysis_years=analysis_years if analysis_years is not None else parameters.default_analysis_years,
        parameters=parameters,
    )
    return BenefitPlan.objects.create(
        project=project,
        version=1,
        rationale=clean_text(rationale, field="rationale", required=_("Describe why the project is done.")),
        goals=clean_text(goals, field="goals", required=_("Describe the goals the benefits serve.")),
        parameters=parameters,
        base_year=base,
        analysis_years=years,
        real_growth_rate=clean_growth(real_growth_rate),
        residual_value=clean_decimal(residual_value, field="residual_value") or Decimal(0),
        is_example=is_example,
        example_note=example_note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def plan_update(
    *,
    plan: BenefitPlan,
    actor: Any,
    rationale: str,
    goals: str,
    base_year: int,
    analysis_years: int,
    real_growth_rate: Any = 0,
    residual_value: Any = 0,
) -> BenefitPlan:
    _require_change(actor, plan.project)
    _require_editable(plan)
    base, years = clean_plan_period(base_year=base_year, analysis_years=analysis_years, parameters=plan.parameters)
    last = base + years - 1
    outside = (
        Cost.objects.filter(plan=plan).exclude(year__range=(base, last)).exists()
        or BenefitAmount.objects.filter(plan=plan).exclude(year__range=(base, last)).exists()
    )
    if outside:
        raise BenefitError(
            _("Costs or benefits are entered for years outside %(first)d–%(last)d. Remove them first.")
            % {"first": base, "last": last},
            "analysis_years",
        )
    plan.rationale = clean_text(rationale, field="rationale", required=_("Describe why the project is done."))
    plan.goals = clean_text(goals, field="goals", required=_("Describe the goals the benefits serve."))
    plan.base_year, plan.analysis_years = base, years
    plan.real_growth_rate = clean_growth(real_growth_rate)
    plan.residual_value = clean_decimal(residual_value, field="residual_value") or Decimal(0)
    plan.save()
    return plan


@transaction.atomic
def plan_submit(*, plan: BenefitPlan, actor: Any) -> BenefitPlan:
    """Freeze this version as the binding plan. Every benefit needs an owner and an indicator."""
    _require_change(actor, plan.project)
    _require_editable(plan)
    problems = submission_problems(plan)
    if problems:
        raise PlanIncomplete(problems)
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = actor
    plan.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    return plan


def can_start_version(plan: BenefitPlan) -> BenefitError | None:
    """Why no new version can be started from ``plan`` (its current state), or None: the rule that a new version
    follows the current version once it is submitted (a draft is changed directly)."""
    if not plan.is_current:
        return BenefitError(_("Only the current version can be revised."))
    if plan.status != PlanStatus.SUBMITTED:
        return BenefitError(_("This version is still a draft: change it directly."))
    return None


@transaction.atomic
def plan_next_version(*, plan: BenefitPlan, actor: Any, **fields: Any) -> BenefitPlan:
    """Start the next version of the project's plan after ``plan`` with the plan fields given (a draft, current;
    ``plan`` is kept as it was and no longer current). The one place of the rule for new versions: for the plan's
    editors, from the current version once it is submitted. The caller fills in the benefits and costs in the same
    transaction (`plan_new_version` copies them; the spreadsheet import reads them)."""
    _require_change(actor, plan.project)
    plan = BenefitPlan.objects.select_for_update().get(pk=plan.pk)
    refusal = can_start_version(plan)
    if refusal is not None:
        raise refusal
    BenefitPlan.objects.filter(pk=plan.pk).update(is_current=False)
    return BenefitPlan.objects.create(
        project=plan.project,
        version=(plan.project.benefit_plans.aggregate(v=Max("version"))["v"] or 0) + 1,
        created_by=actor,
        **fields,
    )


@transaction.atomic
def plan_new_version(*, plan: BenefitPlan, actor: Any) -> BenefitPlan:
    """Start the next version as a copy of this submitted one; this one is kept as it was. Measurements move to the
    new version's copies of their benefits (they are the history of the indicator, not of the plan)."""
    plan = BenefitPlan.objects.select_for_update().get(pk=plan.pk)
    benefits = list(plan.benefits.prefetch_related("amounts"))
    costs = list(plan.costs.all())
    new = plan_next_version(
        plan=plan,
        actor=actor,
        rationale=plan.rationale,
        goals=plan.goals,
        parameters=plan.parameters,
        base_year=plan.base_year,
        analysis_years=plan.analysis_years,
        real_growth_rate=plan.real_growth_rate,
        residual_value=plan.residual_value,
        is_example=plan.is_example,
        example_note=plan.example_note,
    )
    Cost.objects.bulk_create([Cost(plan=new, kind=c.kind, year=c.year, amount=c.amount) for c in costs])
    for benefit in benefits:
        old_pk = benefit.pk
        amounts = list(benefit.amounts.all())
        benefit.pk = None
        benefit.plan = new
        benefit.save()
        BenefitAmount.objects.bulk_create(
            [
                BenefitAmount(benefit=benefit, plan=new, bearer=benefit.bearer, year=a.year, amount=a.amount)
                for a in amounts
            ]
        )
        Measurement.objects.filter(benefit_id=old_pk).update(benefit=benefit)
    invalidate_portfolio()
    return new


# Benefits

BENEFIT_FIELDS = (
    "description",
    "benefit_type",
    "bearer",
    "bearer_organisation",
    "bearer_name",
    "indicator",
    "unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "owner",
    "measures",
    "realisation_form",
    "preconditions_risks",
    "measurement_method",
    "measurement_frequency",
)


def owner_candidates(project: Project) -> Any:
    """People who can own a benefit: members of the project's owning organisations (the line organisation)."""
    return (
        User.objects.filter(is_active=True, memberships__organisation__in=project.owners.all())
        .distinct()
        .order_by("name", "email")
    )


def _clean_benefit(plan: BenefitPlan, values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    cleaned["description"] = clean_text(
        values.get("description"), field="description", limit=300, required=_("Describe the benefit.")
    )
    for name, choices in (
        ("benefit_type", BenefitType),
        ("bearer", Bearer),
        ("realisation_form", RealisationForm),
    ):
        value = values.get(name) or ""
        if value not in choices.values:
            raise BenefitError(_("Choose one of the options."), name)
        cleaned[name] = value
    frequency = values.get("measurement_frequency") or Frequency.QUARTERLY
    try:
        frequency = int(frequency)
    except (TypeError, ValueError):
        frequency = -1
    if frequency not in Frequency.values:
        raise BenefitError(_("Choose one of the options."), "measurement_frequency")
    cleaned["measurement_frequency"] = frequency
    for name, limit in (("bearer_name", 200), ("indicator", 300), ("unit", 50), ("measurement_method", 300)):
        cleaned[name] = clean_text(values.get(name), field=name, limit=limit)
    for name in ("measures", "preconditions_risks"):
        cleaned[name] = clean_text(values.get(name), field=name)
    cleaned["bearer_organisation"] = values.get("bearer_organisation")
    if (
        cleaned["realisation_form"] == RealisationForm.BUDGET_CUT
        and cleaned["bearer"] not in calculations.PUBLIC_BEARERS
    ):
        raise BenefitError(_("Only benefits in public bodies can be realised as budget cuts."), "realisation_form")
    baseline = clean_decimal(values.get("baseline_value"), field="baseline_value")
    target = clean_decimal(values.get("target_value"), field="target_value")
    baseline_date, target_date = values.get("baseline_date"), values.get("target_date")
    if target is not None and baseline is None:
        raise BenefitError(_("A target needs a baseline to be measured against."), "baseline_value")
    if baseline is not None and baseline_date is None:
        raise BenefitError(_("Give the date of the baseline measurement."), "baseline_date")
    if target is not None and target_date is None:
        raise BenefitError(_("Give the date the target should be reached."), "target_date")
    if baseline_date and target_date and target_date <= baseline_date:
        raise BenefitError(_("The target date must be after the baseline date."), "target_date")
    cleaned.update(baseline_value=baseline, target_value=target, baseline_date=baseline_date, target_date=target_date)
    owner = values.get("owner")
    if owner is not None and not owner_candidates(plan.project).filter(pk=owner.pk).exists():
        raise BenefitError(_("The benefit owner must be a member of one of the project's organisations."), "owner")
    cleaned["owner"] = owner
    return cleaned


@transaction.atomic
def benefit_save(*, plan: BenefitPlan, actor: Any, benefit: Benefit | None = None, **values: Any) -> Benefit:
    _require_change(actor, plan.project)
    _require_editable(plan)
    unknown = set(values) - set(BENEFIT_FIELDS)
    if unknown:
        raise BenefitError(_("The field “%(field)s” cannot be changed here.") % {"field": sorted(unknown)[0]})
    cleaned = _clean_benefit(plan, values)
    if benefit is None:
        position = (plan.benefits.aggregate(p=Max("position"))["p"] or 0) + 1
        benefit = Benefit.objects.create(plan=plan, position=position, **cleaned)
    else:
        if benefit.plan_id != plan.pk:
            raise PermissionDenied
        for name, value in cleaned.items():
            setattr(benefit, name, value)
        benefit.save()
        BenefitAmount.objects.filter(benefit=benefit).update(bearer=benefit.bearer)
        invalidate_portfolio()
    return benefit


@transaction.atomic
def benefit_delete(*, benefit: Benefit, actor: Any) -> None:
    _require_change(actor, benefit.plan.project)
    _require_editable(benefit.plan)
    if benefit.measurements.exists():
        raise BenefitError(_("The benefit has measurements. Mark it as abandoned instead, with the reason."))
    benefit.delete()


@transaction.atomic
def costs_set(*, plan: BenefitPlan, actor: Any, kind: str, amounts: Mapping[Any, Any]) -> None:
    """Replace the plan's costs of ``kind`` by year (blank or zero years are left out)."""
    _require_change(actor, plan.project)
    _require_editable(plan)
    if kind not in CostKind.values:
        raise BenefitError(_("Choose one of the options."), "kind")
    cleaned = clean_yearly(plan, amounts, field=kind, negative=False)
    Cost.objects.filter(plan=plan, kind=kind).delete()
    Cost.objects.bulk_create([Cost(plan=plan, kind=kind, year=y, amount=a) for y, a in sorted(cleaned.items())])


@transaction.atomic
def benefit_amounts_set(*, benefit: Benefit, actor: Any, amounts: Mapping[Any, Any]) -> None:
    """Replace the benefit's monetised amounts by year (base-year prices; a negative amount is a disbenefit)."""
    plan = benefit.plan
    _require_change(actor, plan.project)
    _require_editable(plan)
    cleaned = clean_yearly(plan, amounts, field="amounts", negative=True)
    BenefitAmount.objects.filter(benefit=benefit).delete()
    BenefitAmount.objects.bulk_create(
        [
            BenefitAmount(benefit=benefit, plan=plan, bearer=benefit.bearer, year=y, amount=a)
            for y, a in sorted(cleaned.items())
        ]
    )
    invalidate_portfolio()


# Follow-up


@transaction.atomic
def measurement_record(
    *,
    benefit: Benefit,
    actor: Any,
    value: Any,
    measured_on: datetime.date,
    source: str,
    comment: str = "",
    deviation_explanation: str = "",
    realised_amount: Any = None,
    today: datetime.date | None = None,
) -> Measurement:
    """Record a measurement. When it leaves the benefit behind its path to the target, the deviation must be
    explained (DFØ: investigate deviations and say why)."""
    if not can_measure(actor, benefit):
        raise PermissionDenied(_("Only the benefit owner and the plan's editors can record measurements."))
    if not benefit.plan.is_current:
        raise BenefitError(_("Measurements are recorded on the current version of the plan."))
    today = today or timezone.localdate()
    number = clean_decimal(value, field="value", allow_none=False)
    assert number is not None
    if not isinstance(measured_on, datetime.date):
        raise BenefitError(_("Enter a valid date."), "measured_on")
    if measured_on > today:
        raise BenefitError(_("The date cannot be in the future."), "measured_on")
    if benefit.baseline_date and measured_on < benefit.baseline_date:
        raise BenefitError(_("The date cannot be before the baseline date."), "measured_on")
    source = clean_text(source, field="source", limit=300, required=_("Say where the figure comes from."))
    explanation = clean_text(deviation_explanation, field="deviation_explanation")
    status = followup.status_of(benefit, today=today, extra=[calculations.Reading(measured_on, number)])
    if status == calculations.Status.BEHIND and not explanation:
        raise BenefitError(
            _("The benefit is behind its path to the target. Explain the deviation."), "deviation_explanation"
        )
    return Measurement.objects.create(
        benefit=benefit,
        value=number,
        measured_on=measured_on,
        source=source,
        comment=clean_text(comment, field="comment"),
        deviation_explanation=explanation,
        realised_amount=clean_decimal(realised_amount, field="realised_amount"),
        recorded_by=actor,
    )


@transaction.atomic
def benefit_abandon(*, benefit: Benefit, actor: Any, reason: str) -> Benefit:
    if not can_measure(actor, benefit):
        raise PermissionDenied(_("Only the benefit owner and the plan's editors can change the follow-up."))
    benefit.abandoned_reason = clean_text(reason, field="reason", required=_("Say why the benefit is abandoned."))
    benefit.save(update_fields=["abandoned_reason"])
    return benefit


# Reminders


def reminder_message(benefit: Benefit, due: datetime.date) -> EmailMultiAlternatives:
    """The reminder in the benefit owner's language (their profile; the site's default when none is chosen)."""
    with translation.override(benefit.owner.email_language):  # type: ignore[union-attr]
        url = site_url(reverse("benefits:measure", kwargs={"slug": benefit.plan.project.slug, "pk": benefit.pk}))
        context = {"benefit": benefit, "project": benefit.plan.project, "due": due, "url": url}
        subject = _("Nyskap: time to measure “%(benefit)s”") % {"benefit": benefit.description}
        text = render_to_string("benefits/email/reminder.txt", context)
    return EmailMultiAlternatives(subject=subject, body=text, to=[benefit.owner.email])  # type: ignore[union-attr]


@transaction.atomic
def send_reminder(*, benefit: Benefit, due: datetime.date, today: datetime.date) -> bool:
    """Remind the benefit owner once per due measurement; the row is locked so two workers cannot both send it."""
    locked = Benefit.objects.select_for_update().filter(pk=benefit.pk).values_list("last_reminded_on", flat=True)
    last = locked.first()
    if last is not None and last >= due:
        return False
    reminder_message(benefit, due).send()
    Benefit.objects.filter(pk=benefit.pk).update(last_reminded_on=today)
    return True


# Prevention sets


@transaction.atomic
def prevention_set_save(
    *, actor: Any, organisation: Any, name: str, target_group: str, rows: list[dict[str, Any]]
) -> PreventionSet:
    """Save the calculator's cost lines for an organisation the actor edits for (examples are loaded by command)."""
    require_editor_of(actor, organisation)
    return PreventionSet.objects.create(
        name=clean_text(name, field="name", limit=200, required=_("Give the set a name.")),
        target_group=clean_text(target_group, field="target_group", limit=300),
        organisation=organisation,
        rows=rows,
        created_by=actor,
    )
