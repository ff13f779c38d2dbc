"""Reads for challenges: what a visitor may see, the list's filters and counts, the questions as each reader may
see them, the proposals a reader may open, the ranking and the public outcome table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from nyskap.core.search import filter_queryset

from . import calculations
from .models import (
    PUBLIC_STATUSES,
    Challenge,
    ChallengeOwner,
    ChallengeStatus,
    Procedure,
    Proposal,
    ProposalStatus,
    Question,
)

FACETS = ("procedure", "status", "sector")


def _member_org_ids(user: Any) -> list[int]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return list(user.memberships.values_list("organisation_id", flat=True))


def visible_to(user: Any) -> QuerySet[Challenge]:
    """Open challenges for everyone; drafts for the members of their owners only."""
    orgs = _member_org_ids(user)
    condition = Q(status__in=PUBLIC_STATUSES)
    if orgs:
        owned = ChallengeOwner.objects.filter(organisation_id__in=orgs).values("challenge_id")
        condition |= Q(pk__in=owned)
    return Challenge.objects.filter(condition)


def public() -> QuerySet[Challenge]:
    return Challenge.objects.filter(status__in=PUBLIC_STATUSES)


def filtered(
    base: QuerySet[Challenge],
    params: dict[str, list[str]],
    query: str = "",
    sort: str = "",
    min_bodies: int | None = None,
) -> QuerySet[Challenge]:
    """Narrowed by the chosen facet values (OR within a facet, AND across), the number of bodies sharing the need,
    the topic and the text query (ranked by `nyskap.core.search` when given, unless another order is chosen)."""
    challenges = base
    for facet in FACETS:
        values = [v for v in params.get(facet, []) if v]
        if values:
            challenges = challenges.filter(**{f"{facet}__in": values})
    topic = next((v for v in params.get("topic", []) if v.strip()), "")
    if topic:
        challenges = challenges.filter(topics__icontains=topic.strip())
    if min_bodies:
        challenges = challenges.filter(bodies_count__gte=min_bodies)
    if query.strip():
        challenges = filter_queryset(challenges, query)
        if not sort:
            return challenges
    if sort == "bodies":
        return challenges.order_by("-bodies_count", "-updated_at", "pk")
    if sort == "deadline":
        return challenges.order_by(F("proposal_deadline").asc(nulls_last=True), "pk")
    return challenges.order_by("-updated_at", "pk")


def facet_counts(challenges: QuerySet[Challenge]) -> dict[str, dict[Any, int]]:
    ids = challenges.order_by().values("pk")
    base = Challenge.objects.filter(pk__in=ids).order_by()
    counts: dict[str, dict[Any, int]] = {}
    for field in FACETS:
        rows = base.exclude(**{field: ""}).values_list(field).annotate(n=Count("pk"))
        counts[field] = dict(rows)  # type: ignore[arg-type]
    return counts


@dataclass
class QuestionView:
    question: Question
    asker: str  # "" unless the reader may know who asked
    mine: bool


def questions_for(user: Any, challenge: Challenge, *, owner: bool) -> list[QuestionView]:
    """Answered questions for everyone, without who asked; owners see every question and who asked it; a supplier
    also sees their own unanswered questions."""
    result = []
    for question in challenge.questions.select_related("supplier"):
        mine = bool(user.is_authenticated and question.asked_by_id == user.pk)
        if not (owner or mine or question.answered_at):
            continue
        asker = question.supplier.company_name if (owner and question.supplier) else ""
        result.append(QuestionView(question, asker, mine))
    return result


def proposals_for_owners(challenge: Challenge) -> QuerySet[Proposal]:
    return challenge.proposals.filter(status=ProposalStatus.SUBMITTED).select_related("supplier")


@dataclass
class RankedProposal:
    proposal: Proposal
    total: float | None
    rank: int | None
    evaluators: int


def ranked(challenge: Challenge) -> list[RankedProposal]:
    weights = {c.pk: c.weight for c in challenge.criteria.all()}
    proposals = list(proposals_for_owners(challenge).prefetch_related("scores"))
    totals = {}
    evaluators = {}
    for proposal in proposals:
        scores = list(proposal.scores.all())
        totals[proposal.pk] = calculations.weighted_total(weights, [(s.criterion_id, s.value) for s in scores])
        evaluators[proposal.pk] = len({s.evaluator_id for s in scores})
    by_id = {p.pk: p for p in proposals}
    return [
        RankedProposal(by_id[r.proposal], r.total, r.rank, evaluators[r.proposal]) for r in calculations.ranking(totals)
    ]


OUTCOME_STATUSES = [
    ChallengeStatus.EVALUATION,
    ChallengeStatus.AWARDED,
    ChallengeStatus.NOT_AWARDED,
    ChallengeStatus.IN_USE,
]


def outcome_rows() -> QuerySet[Challenge]:
    """The public outcome table: every challenge past the proposals, with its outcome."""
    return (
        Challenge.objects.filter(status__in=OUTCOME_STATUSES)
        .select_related("outcome", "outcome__project")
        .prefetch_related("owners")
        .order_by("-status_changed_at", "pk")
    )


# Facts for the dashboards (M8)


@dataclass(frozen=True)
class ChallengeFact:
    id: int
    public: bool
    procedure: str
    status: str
    sector: str
    joint: bool  # more than one body owns the need (co-owners who joined, or the bodies the case names)
    owners: tuple[int, ...]


def challenge_facts() -> list[ChallengeFact]:
    """Every challenge with its owners (two queries); drafts are internal to their owners."""
    owners: dict[int, list[int]] = {}
    for challenge_id, organisation_id in ChallengeOwner.objects.values_list("challenge_id", "organisation_id"):
        owners.setdefault(challenge_id, []).append(organisation_id)
    rows = Challenge.objects.order_by().values_list("pk", "status", "procedure", "sector", "bodies_count")
    return [
        ChallengeFact(
            id=pk,
            public=status in PUBLIC_STATUSES,
            procedure=procedure,
            status=status,
            sector=sector,
            joint=bodies > 1 or len(owners.get(pk, ())) > 1,
            owners=tuple(sorted(owners.get(pk, ()))),
        )
        for pk, status, procedure, sector, bodies in rows
    ]


def vocabularies() -> dict[str, list[tuple[str, Any]]]:
    return {"procedure": list(Procedure.choices), "status": list(ChallengeStatus.choices)}
