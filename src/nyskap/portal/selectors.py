"""What the front door shows: the public picture (the same for everybody, cached) and one person's work.

Every query is bounded (a fixed number of queries and rows per page), so the home page stays fast however large the
library grows; the tests assert the number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Max, Q
from django.utils import timezone

from nyskap.accounts.models import Invitation, InvitationStatus, JoinRequest, JoinRequestStatus
from nyskap.benefits import calculations as benefit_calculations
from nyskap.benefits.followup import status_of
from nyskap.benefits.models import Benefit, PlanStatus
from nyskap.core.permissions import is_admin_membership
from nyskap.core.visibility import Visibility
from nyskap.instruments import selectors as instrument_selectors
from nyskap.instruments.models import Call, Instrument
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.projects.following import services as following
from nyskap.projects.models import Adoption, Phase, Project
from nyskap.surveys.models import Round

PUBLIC_CACHE_KEY = "portal:public:v1"
PUBLIC_CACHE_SECONDS = 120
LATEST = 5
MY_PROJECTS_LIMIT = 100
MY_ROUNDS_LIMIT = 50
MY_BENEFITS_LIMIT = 100
# A measurement falling due within this many days is listed as coming up.
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class PublicPicture:
    latest_projects: list[Project]
    latest_adoptions: list[dict[str, Any]]
    closing_calls: list[Call]
    figures: dict[str, int]


def _public_picture(today: datetime.date) -> PublicPicture:
    public = Project.objects.filter(visibility=Visibility.PUBLIC)
    latest_projects = list(public.real().order_by("-created_at", "-pk")[:LATEST])
    adoptions = []
    for adoption in (
        Adoption.objects.filter(source_project__visibility=Visibility.PUBLIC)
        .select_related("source_project", "adopting_project", "adopting_organisation")
        .order_by("-adopted_on", "-pk")[:LATEST]
    ):
        adopting = adoption.adopting_project
        # An adopting project that is not public is named only by its owner's name, never by its title.
        adoptions.append(
            {
                "adoption": adoption,
                "source": adoption.source_project,
                "adopting_project": adopting if adopting and adopting.visibility == Visibility.PUBLIC else None,
                "adopting_organisation": adoption.adopting_organisation,
            }
        )
    closing_calls = list(instrument_selectors.calls_closing_soon(today)[:LATEST])
    figures = {
        "projects": public.real().count(),
        "adoptions": Adoption.objects.filter(source_project__visibility=Visibility.PUBLIC).count(),
        "instruments": Instrument.objects.count(),
        "open_calls": Call.objects.open_on(today).count(),
        "organisations": Organisation.objects.filter(kind__in=OrganisationKind.public_sector()).count(),
    }
    return PublicPicture(latest_projects, adoptions, closing_calls, figures)


def public_picture(today: datetime.date | None = None) -> PublicPicture:
    """The same for every visitor (only public content), so it is cached for a short while: the home page costs no
    query on most visits and at most a fixed handful on the others."""
    today = today or timezone.localdate()
    key = f"{PUBLIC_CACHE_KEY}:{today.isoformat()}"
    picture = cache.get(key)
    if picture is None:
        picture = _public_picture(today)
        cache.set(key, picture, PUBLIC_CACHE_SECONDS)
    return picture


# My work


@dataclass
class PhaseGroup:
    phase: str
    label: str
    projects: list[Project] = field(default_factory=list)


@dataclass(frozen=True)
class DueBenefit:
    benefit: Benefit
    due: datetime.date
    overdue: bool


@dataclass
class MyWork:
    organisations: list[Any]
    phase_groups: list[PhaseGroup]
    projects_capped: bool
    rounds: list[Round]
    due_benefits: list[DueBenefit]
    invitations: list[Invitation]
    my_join_requests: list[JoinRequest]
    join_requests_to_decide: list[JoinRequest]
    subscriptions: list[dict[str, Any]]
    admin_organisations: list[Any] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.phase_groups
            or self.rounds
            or self.due_benefits
            or self.invitations
            or self.my_join_requests
            or self.join_requests_to_decide
            or self.subscriptions
        )


def _my_projects(user: Any, org_ids: list[int]) -> tuple[list[PhaseGroup], bool]:
    """Projects owned by the person's organisations or written by them, that they may see, grouped by phase."""
    mine = Q(authors=user)
    if org_ids:
        mine |= Q(pk__in=Project.objects.filter(owners__in=org_ids).values("pk"))
    projects = list(
        Project.objects.visible_to(user)
        .filter(pk__in=Project.objects.filter(mine).values("pk"))
        .only("pk", "slug", "title", "phase", "visibility", "updated_at")
        .order_by("-updated_at", "pk")[: MY_PROJECTS_LIMIT + 1]
    )
    capped = len(projects) > MY_PROJECTS_LIMIT
    groups = {value: PhaseGroup(value, str(label)) for value, label in Phase.choices}
    for project in projects[:MY_PROJECTS_LIMIT]:
        groups[project.phase].projects.append(project)
    return [group for group in groups.values() if group.projects], capped


def _due_benefits(user: Any, today: datetime.date) -> list[DueBenefit]:
    """Benefits the person owns in current, submitted plans whose next measurement is overdue or due soon."""
    candidates = (
        Benefit.objects.filter(
            owner=user, plan__is_current=True, plan__status=PlanStatus.SUBMITTED, abandoned_reason=""
        )
        .select_related("plan__project")
        .prefetch_related("measurements")
        .annotate(last_measured=Max("measurements__measured_on"))
        .order_by("pk")[:MY_BENEFITS_LIMIT]
    )
    due = []
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    for benefit in candidates:
        start = benefit.baseline_date or (
            timezone.localdate(benefit.plan.submitted_at) if benefit.plan.submitted_at else None
        )
        if start is None:
            continue
        when = benefit_calculations.next_measurement_due(
            frequency_months=benefit.measurement_frequency,
            last_measured=benefit.last_measured,  # type: ignore[attr-defined]
            start=start,
        )
        if when > horizon:
            continue
        if status_of(benefit, today=today) == benefit_calculations.Status.REALISED:
            continue
        due.append(DueBenefit(benefit=benefit, due=when, overdue=when < today))
    return sorted(due, key=lambda row: (row.due, row.benefit.pk))


def my_work(user: Any, today: datetime.date | None = None) -> MyWork:
    """Only the person's own things: their organisations' projects they may see, rounds they lead, benefits they
    own, invitations to their own e-mail addresses, their requests, and requests they may decide."""
    today = today or timezone.localdate()
    memberships = list(user.memberships.select_related("organisation").order_by("organisation__name"))
    org_ids = [membership.organisation_id for membership in memberships]
    admin_org_ids = [m.organisation_id for m in memberships if is_admin_membership(m)]
    phase_groups, capped = _my_projects(user, org_ids)
    rounds = list(
        Round.objects.led_by(user)
        .filter(organisation_id__in=org_ids)
        .select_related("organisation")
        .order_by("-opens_on", "-pk")[:MY_ROUNDS_LIMIT]
    )
    from allauth.account.models import EmailAddress

    emails = {
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    }
    if user.email:
        emails.add(user.email.lower())
    invitations = [
        invitation
        for invitation in Invitation.objects.filter(status=InvitationStatus.PENDING, expires_at__gt=timezone.now())
        .filter(email__in=sorted(emails))
        .select_related("organisation")[:20]
        if invitation.email.lower() in emails
    ]
    my_join_requests = list(
        user.join_requests.filter(status=JoinRequestStatus.PENDING).select_related("organisation")[:20]
    )
    to_decide = list(
        JoinRequest.objects.filter(status=JoinRequestStatus.PENDING, organisation_id__in=admin_org_ids)
        .select_related("organisation", "user")
        .order_by("organisation__name", "created_at")[:50]
    )
    subscriptions = [
        {"subscription": subscription, "url": following.target_path(subscription)}
        for subscription in following.subscriptions_of(user)[:100]
    ]
    return MyWork(
        organisations=memberships,
        phase_groups=phase_groups,
        projects_capped=capped,
        rounds=rounds,
        due_benefits=_due_benefits(user, today),
        invitations=invitations,
        my_join_requests=my_join_requests,
        join_requests_to_decide=to_decide,
        subscriptions=subscriptions,
        admin_organisations=[m.organisation for m in memberships if is_admin_membership(m)],
    )
