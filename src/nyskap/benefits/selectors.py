"""Reads of benefit realisation shared by pages, exports and the API: the plan with its calculation, the portfolio
roll-up (aggregated in the database, filtered by the projects' visibility in the same query) and the prevention
sets a user may load."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.history import action_label, field_labels
from nyskap.core.permissions import organisations_edited_by
from nyskap.core.visibility import Visibility, is_operator
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project, Sector

from . import calculations, followup, services
from .models import (
    Bearer,
    Benefit,
    BenefitAmount,
    BenefitPlan,
    CostKind,
    Measurement,
    PlanStatus,
    PreventionSet,
    RealisationForm,
)
from .portfolio_cache import PORTFOLIO_CACHE_SECONDS, portfolio_version


def status_label(status: calculations.Status) -> str:
    labels = {
        calculations.Status.NOT_STARTED: _("Not started"),
        calculations.Status.ON_TRACK: _("On track"),
        calculations.Status.BEHIND: _("Behind"),
        calculations.Status.REALISED: _("Realised"),
        calculations.Status.ABANDONED: _("Abandoned"),
    }
    return str(labels[status])


# One plan


@dataclass
class BenefitRow:
    benefit: Benefit
    status: calculations.Status
    status_label: str
    next_due: datetime.date | None
    total: Decimal
    measurements: list[Measurement]
    can_measure: bool
    # The next measurement was due before today and none has been recorded since.
    overdue: bool = False


@dataclass
class Section:
    """One of Prosjektveiviseren's benefit groups in a plan."""

    key: str
    title: str
    rows: list[BenefitRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.rows), Decimal(0))


def section_key(benefit: Benefit, priced: bool) -> str:
    """Prosjektveiviseren: budget effect in own organisation / alternative use in own organisation / priced
    benefits elsewhere in the public sector / non-priced effects (and, beside them, priced benefits for citizens
    and business, which the state's template also asks to be shown)."""
    if not priced:
        return "non_priced"
    if benefit.bearer == Bearer.OWN_ORGANISATION:
        return "own_budget" if benefit.realisation_form == RealisationForm.BUDGET_CUT else "own_alternative"
    if benefit.bearer in (Bearer.OTHER_STATE, Bearer.MUNICIPAL_SECTOR):
        return "public_elsewhere"
    return "others"


def section_titles() -> list[tuple[str, str]]:
    return [
        ("own_budget", _("Budget effect in own organisation")),
        ("own_alternative", _("Alternative use in own organisation")),
        ("public_elsewhere", _("Priced benefits elsewhere in the public sector")),
        ("others", _("Priced benefits for citizens and business")),
        ("non_priced", _("Non-priced effects")),
    ]


def current_plan(user: Any, project: Any) -> BenefitPlan | None:
    """The project's current plan if ``user`` may see it (with its project and parameters), else None."""
    return (
        BenefitPlan.objects.visible_to(user)
        .select_related("project", "parameters")
        .filter(project=project, is_current=True)
        .first()
    )


def plan_benefits(plan: BenefitPlan) -> list[Benefit]:
    return list(
        plan.benefits.select_related("owner", "bearer_organisation").prefetch_related("amounts", "measurements")
    )


def plan_flows(plan: BenefitPlan, benefits: list[Benefit] | None = None) -> calculations.CashFlows:
    """The plan's cash flows for `calculations.net_present_value`; benefits with their amounts prefetched."""
    if benefits is None:
        benefits = list(plan.benefits.select_related("bearer_organisation").prefetch_related("amounts"))
    investment: dict[int, Decimal] = {}
    operating: dict[int, Decimal] = {}
    for cost in plan.costs.all():
        target = investment if cost.kind == CostKind.INVESTMENT else operating
        target[cost.year] = target.get(cost.year, Decimal(0)) + cost.amount
    streams = [
        calculations.BenefitStream(
            bearer=benefit.bearer,
            amounts={a.year: a.amount for a in benefit.amounts.all()},
            budget_cut=benefit.realisation_form == RealisationForm.BUDGET_CUT,
            organisation=(benefit.bearer_organisation.name if benefit.bearer_organisation_id else benefit.bearer_name),  # type: ignore[union-attr]
            label=benefit.description,
        )
        for benefit in benefits
    ]
    return calculations.CashFlows(
        base_year=plan.base_year,
        analysis_years=plan.analysis_years,
        investment=investment,
        operating=operating,
        benefits=streams,
        real_growth_rate=plan.real_growth_rate,
        residual_value=plan.residual_value,
    )


def plan_context(plan: BenefitPlan, *, user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    project = plan.project
    benefits = plan_benefits(plan)
    flows = plan_flows(plan, benefits)
    parameters = plan.parameters.as_parameters()
    result = calculations.net_present_value(flows, parameters)
    checks = calculations.co_financing_checks(flows, plan.parameters.co_financing_basis)
    can_edit = services.can_change(user, project)
    rows = []
    for benefit in benefits:
        status = followup.status_of(benefit, today=today)
        measured = [m.measured_on for m in benefit.measurements.all()]
        start = benefit.baseline_date or (timezone.localdate(plan.submitted_at) if plan.submitted_at else None)
        next_due = (
            calculations.next_measurement_due(
                frequency_months=benefit.measurement_frequency, last_measured=max(measured, default=None), start=start
            )
            if start and plan.is_current and status not in (calculations.Status.REALISED, calculations.Status.ABANDONED)
            else None
        )
        rows.append(
            BenefitRow(
                benefit=benefit,
                status=status,
                status_label=status_label(status),
                next_due=next_due,
                total=sum((a.amount for a in benefit.amounts.all()), Decimal(0)),
                measurements=list(benefit.measurements.all()),
                can_measure=plan.is_current and (can_edit or (user.is_authenticated and benefit.owner_id == user.pk)),
                overdue=next_due is not None and next_due < today,
            )
        )
    sections = {key: Section(key=key, title=str(title)) for key, title in section_titles()}
    for row in rows:
        sections[section_key(row.benefit, priced=bool(row.benefit.amounts.all()))].rows.append(row)
    bearers_used = [b for b in Bearer if any(r.benefits_by_bearer[b.value] for r in result.rows)]
    return {
        "plan": plan,
        "project": project,
        "rows": rows,
        "sections": [s for s in sections.values() if s.rows],
        "result": result,
        "checks": checks,
        "bearers_used": bearers_used,
        "year_rows": [(row, [row.benefits_by_bearer[b.value] for b in bearers_used]) for row in result.rows],
        "bearer_totals": [t for t in result.by_bearer if t.gross or t.operating],
        "parameters": plan.parameters,
        "can_edit": can_edit,
        "editable": can_edit and plan.is_editable,
        "versions": list(
            project.benefit_plans.order_by("-version").values("version", "status", "submitted_at", "is_current")
        ),
        "cost_rows": _cost_rows(plan),
        "history": plan_history(plan, [b.pk for b in benefits]) if can_edit else None,
    }


HISTORY_LIMIT = 50


def plan_history(plan: BenefitPlan, benefit_ids: list[int]) -> list[dict[str, Any]]:
    """The audit trail of the plan and its benefits, latest first, for those who may edit it: when, who, what."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    plan_type = ContentType.objects.get_for_model(BenefitPlan)
    benefit_type = ContentType.objects.get_for_model(Benefit)
    entries = (
        LogEntry.objects.filter(
            Q(content_type=plan_type, object_pk=str(plan.pk))
            | Q(content_type=benefit_type, object_pk__in=[str(pk) for pk in benefit_ids])
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:HISTORY_LIMIT]
    )
    return [
        {
            "at": entry.timestamp,
            "actor": entry.actor,
            "action": action_label(entry.action),
            "object": entry.object_repr,
            "fields": field_labels(
                Benefit if entry.content_type_id == benefit_type.pk else BenefitPlan, entry.changes_dict
            ),
        }
        for entry in entries
    ]


def _cost_rows(plan: BenefitPlan) -> list[tuple[int, Decimal, Decimal]]:
    by_year: dict[int, list[Decimal]] = {}
    for cost in plan.costs.all():
        entry = by_year.setdefault(cost.year, [Decimal(0), Decimal(0)])
        entry[0 if cost.kind == "investment" else 1] += cost.amount
    return [(year, values[0], values[1]) for year, values in sorted(by_year.items())]


def owned_benefits(user: Any) -> list[BenefitRow]:
    benefits = (
        Benefit.objects.filter(owner=user, plan__is_current=True)
        .select_related("plan__project", "owner")
        .prefetch_related("amounts", "measurements")
        .order_by("plan__project__title", "position")
    )
    rows = []
    for benefit in benefits:
        status = followup.status_of(benefit)
        rows.append(
            BenefitRow(
                benefit=benefit,
                status=status,
                status_label=status_label(status),
                next_due=None,
                total=Decimal(0),
                measurements=list(benefit.measurements.all()),
                can_measure=True,
            )
        )
    return rows


# Portfolio


@dataclass(frozen=True)
class PortfolioScope:
    organisation: Organisation | None = None
    sector: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> PortfolioScope:
        slug = str(params.get("organisasjon") or "")
        sector = str(params.get("sektor") or "")
        organisation = Organisation.objects.filter(slug=slug).first() if slug else None
        return cls(organisation=organisation, sector=sector if sector in Sector.values else "")

    @property
    def title(self) -> str:
        if self.organisation is not None:
            return str(self.organisation.name)
        if self.sector:
            return str(Sector(self.sector).label)
        return _("The whole country")


@dataclass
class Rollup:
    plans: int
    benefits: int
    by_year: list[tuple[int, Decimal, Decimal]]
    by_bearer: list[tuple[str, str, Decimal, Decimal, bool]]
    planned_total: Decimal
    realised_total: Decimal
    outside_total: Decimal
    received_total: Decimal

    def chart_by_bearer(self) -> list[tuple[str, int]]:
        return [(label, int(planned)) for _code, label, planned, _realised, _outside in self.by_bearer]

    def chart_planned_by_year(self) -> list[tuple[str, int]]:
        return [(str(year), int(planned)) for year, planned, _realised in self.by_year]

    def chart_realised_by_year(self) -> list[tuple[str, int]]:
        return [(str(year), int(realised)) for year, _planned, realised in self.by_year]


def scoped_plans(*, user: Any, scope: PortfolioScope) -> QuerySet[BenefitPlan]:
    plans = BenefitPlan.objects.current().visible_to(user)
    return _in_scope(plans, scope)


def _in_scope(plans: QuerySet[BenefitPlan], scope: PortfolioScope) -> QuerySet[BenefitPlan]:
    if scope.sector:
        plans = plans.filter(project__sector=scope.sector)
    if scope.organisation is not None:
        plans = plans.filter(project__in=Project.objects.filter(owners=scope.organisation).values("pk"))
    return plans


# The roll-up is split in two parts that add up: the plans of public projects (the same for every visitor, so
# computed once per version of the data and cached) and the plans the visitor sees beyond those (organisation and
# draft projects: for most users a handful, for operators the non-public share). Every part is one GROUP BY per
# table; only the grouped rows (years × bearers) come back to Python.


@dataclass
class _Sums:
    planned: dict[tuple[int, str], Decimal]
    realised: dict[tuple[int, str], Decimal]
    plans: int
    benefits: int

    def __add__(self, other: _Sums) -> _Sums:
        planned = dict(self.planned)
        for key, value in other.planned.items():
            planned[key] = planned.get(key, Decimal(0)) + value
        realised = dict(self.realised)
        for key, value in other.realised.items():
            realised[key] = realised.get(key, Decimal(0)) + value
        return _Sums(planned, realised, self.plans + other.plans, self.benefits + other.benefits)


def _sums(plans: QuerySet[BenefitPlan]) -> _Sums:
    plan_ids = plans.values("pk")
    planned = {
        (row["year"], row["bearer"]): row["total"]
        for row in BenefitAmount.objects.filter(plan__in=plan_ids)
        .values("year", "bearer")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    realised = {
        (row["year"], row["benefit__bearer"]): row["total"]
        for row in Measurement.objects.filter(benefit__plan__in=plan_ids, realised_amount__isnull=False)
        .annotate(year=ExtractYear("measured_on"))
        .values("year", "benefit__bearer")
        .annotate(total=Sum("realised_amount"))
        .order_by()
    }
    return _Sums(
        planned=planned,
        realised=realised,
        plans=plans.count(),
        benefits=Benefit.objects.filter(plan__in=plan_ids).count(),
    )


def _public_sums(scope: PortfolioScope) -> _Sums:
    organisation = scope.organisation.pk if scope.organisation is not None else ""
    key = f"benefits:portfolio:{portfolio_version()}:{scope.sector}:{organisation}"
    found = cache.get(key)
    if found is None:
        public = BenefitPlan.objects.current().in_public_figures().filter(project__visibility=Visibility.PUBLIC)
        found = _sums(_in_scope(public, scope))
        cache.set(key, found, PORTFOLIO_CACHE_SECONDS)
    return found


def portfolio_rollup(*, user: Any, scope: PortfolioScope) -> Rollup:
    """Planned (the current plans' monetised benefits) and realised (the measurements' realised amounts, by the
    year measured) benefits, by year and by bearer, over the plans ``user`` may see.

    For an organisation, benefits whose bearer is not the organisation itself land outside the paying organisation
    and are marked so; benefits other organisations' plans put on this organisation are shown as received."""
    sums = _public_sums(scope)
    if user is not None and user.is_authenticated:
        # Everything the visitor sees that the shared public part leaves out: non-public projects' plans, and the
        # drafts of the visitor's own organisations (drafts never enter the public part).
        beyond_public = scoped_plans(user=user, scope=scope).exclude(
            Q(project__visibility=Visibility.PUBLIC) & ~Q(status=PlanStatus.DRAFT)
        )
        sums = sums + _sums(beyond_public)
    zero = Decimal(0)
    planned_year: dict[int, Decimal] = {}
    realised_year: dict[int, Decimal] = {}
    planned_bearer: dict[str, Decimal] = {}
    realised_bearer: dict[str, Decimal] = {}
    for (year, bearer), total in sums.planned.items():
        planned_year[year] = planned_year.get(year, zero) + total
        planned_bearer[bearer] = planned_bearer.get(bearer, zero) + total
    for (year, bearer), total in sums.realised.items():
        realised_year[year] = realised_year.get(year, zero) + total
        realised_bearer[bearer] = realised_bearer.get(bearer, zero) + total
    by_year = [
        (year, planned_year.get(year) or zero, realised_year.get(year) or zero)
        for year in sorted(set(planned_year) | set(realised_year))
    ]
    by_bearer = [
        (
            bearer.value,
            str(bearer.label),
            planned_bearer.get(bearer.value) or zero,
            realised_bearer.get(bearer.value) or zero,
            bearer != Bearer.OWN_ORGANISATION,
        )
        for bearer in Bearer
        if bearer.value in planned_bearer or bearer.value in realised_bearer
    ]
    received = zero
    if scope.organisation is not None:
        received = (
            BenefitAmount.objects.filter(
                plan__in=BenefitPlan.objects.current().visible_to(user).values("pk"),
                benefit__bearer_organisation=scope.organisation,
            )
            .exclude(plan__project__owners=scope.organisation)
            .aggregate(total=Sum("amount"))["total"]
            or zero
        )
    planned_total = sum(planned_year.values(), zero)
    return Rollup(
        plans=sums.plans,
        benefits=sums.benefits,
        by_year=by_year,
        by_bearer=by_bearer,
        planned_total=planned_total,
        realised_total=sum(realised_year.values(), zero),
        outside_total=planned_total - (planned_bearer.get(Bearer.OWN_ORGANISATION) or zero),
        received_total=received,
    )


def plan_owners(user: Any) -> QuerySet[Organisation]:
    """Organisations owning a project with a current plan the user may see (the portfolio's organisation filter)."""
    visible = BenefitPlan.objects.current().visible_to(user).values("project_id")
    return Organisation.objects.filter(projects__in=visible).distinct().order_by("name").only("slug", "name")


# Prevention


def editable_organisations(user: Any) -> QuerySet[Organisation]:
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    if is_operator(user):
        return Organisation.objects.public_sector().order_by("name")
    return organisations_edited_by(user).order_by("name")


def prevention_sets(user: Any) -> QuerySet[PreventionSet]:
    """The examples, and the sets saved by organisations the user is a member of."""
    condition = Q(is_example=True)
    if user is not None and user.is_authenticated:
        if is_operator(user):
            return PreventionSet.objects.all()
        condition |= Q(organisation__memberships__user=user)
    return PreventionSet.objects.filter(condition).distinct()


def level_rows(result: calculations.PreventionResult) -> list[tuple[str, Decimal]]:
    labels = {"state": _("State"), "county": _("County"), "municipality": _("Municipality")}
    return [(str(labels[level]), result.by_level[level]) for level in calculations.LEVELS]


# Facts for the dashboards (M8): the current plans' planned and realised amounts per project, year and bearer. A
# draft plan counts only in its owners' internal figures, never in a figure for everybody (`in_public_figures`).


@dataclass(frozen=True)
class BenefitSum:
    project: int
    draft: bool
    year: int
    bearer: str
    planned: Decimal
    realised: Decimal


def benefit_sums() -> list[BenefitSum]:
    """Two grouped queries over the current plans; the project's visibility is the caller's to apply."""
    current = BenefitPlan.objects.current()
    keyed: dict[tuple[int, bool, int, str], list[Decimal]] = {}
    zero = Decimal(0)
    for project, status, year, bearer, total in (
        BenefitAmount.objects.filter(plan__in=current.values("pk"))
        .values_list("plan__project_id", "plan__status", "year", "bearer")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        keyed.setdefault((project, status == PlanStatus.DRAFT, year, bearer), [zero, zero])[0] += total or zero
    for project, status, year, bearer, total in (
        Measurement.objects.filter(benefit__plan__in=current.values("pk"), realised_amount__isnull=False)
        .annotate(year=ExtractYear("measured_on"))
        .values_list("benefit__plan__project_id", "benefit__plan__status", "year", "benefit__bearer")
        .annotate(total=Sum("realised_amount"))
        .order_by()
    ):
        keyed.setdefault((project, status == PlanStatus.DRAFT, year, bearer), [zero, zero])[1] += total or zero
    return [
        BenefitSum(project=p, draft=d, year=y, bearer=b, planned=v[0], realised=v[1])
        for (p, d, y, b), v in sorted(keyed.items())
    ]


def plan_counts() -> list[tuple[int, bool]]:
    """(project, is draft) of every current plan."""
    return [
        (project, status == PlanStatus.DRAFT)
        for project, status in BenefitPlan.objects.current().order_by().values_list("project_id", "status")
    ]


OWN_ORGANISATION = Bearer.OWN_ORGANISATION.value


def bearer_choices() -> list[tuple[str, Any]]:
    return list(Bearer.choices)
