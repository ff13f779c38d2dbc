"""Challenges in the open API (``/api/v1/challenges``).

- ``GET /`` and ``GET /{slug}``: the open challenges (drafts only for members of their owners), with the number of
  public bodies sharing each need, the answered questions (never who asked), the programme stages and the outcome.
  Proposals are never in the API.
- ``POST /``: post a challenge as a draft for a public body; the token's user must edit for it.
"""

import datetime
from typing import Annotated, Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from nyskap.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY, TOKEN_AUTH
from nyskap.api.errors import ErrorOut, invalid, refusal
from nyskap.api.pagination import PageNumberPagination
from nyskap.api.types import InSchema, NoNul, whole_number
from nyskap.organisations.models import Organisation

from . import selectors, services
from .models import MAX_AMOUNT, Challenge, Procedure

router = Router(tags=["challenges"])

ProcedureCode = Literal[
    "market_dialogue",
    "competitive_dialogue",
    "negotiation",
    "innovation_partnership",
    "pre_commercial",
    "innovation_contract",
    "startup_programme",
    "design_contest",
]
StatusCode = Literal["draft", "dialogue", "proposals", "evaluation", "awarded", "not_awarded", "in_use"]
Amount = whole_number(0, MAX_AMOUNT)
FIRST_YEAR, LAST_YEAR = 2000, 2100


class ChallengeFilters(Schema):
    q: Annotated[NoNul, Field(max_length=200)] = Field("", description="Search text (the library's search).")
    procedure: list[ProcedureCode] = Field([], description="Intended procedure (any of).")
    status: list[StatusCode] = Field([], description="Status (any of).")
    sector: list[Annotated[NoNul, Field(max_length=24)]] = Field([], description="Sector code (any of).")
    min_bodies: int | None = Field(None, ge=1, le=10000, description="At least this many bodies share the need.")
    sort: Literal["", "bodies", "deadline"] = Field("", description="Order: most recent, most bodies, deadline.")

    def as_params(self) -> dict[str, list[str]]:
        return {"procedure": list(self.procedure), "status": list(self.status), "sector": list(self.sector)}


class ChallengeOwnerOut(Schema):
    slug: str
    name: str
    co_owner: bool


class ChallengeOut(Schema):
    slug: str
    title: str
    procedure: str
    status: str
    sector: str
    topics: list[str]
    bodies_count: int = Field(description="Public bodies with this need: the owners and those that joined.")
    budget_min: int | None
    budget_max: int | None
    opens_at: datetime.datetime | None
    dialogue_deadline: datetime.datetime | None
    proposal_deadline: datetime.datetime | None
    is_example: bool
    owners: list[ChallengeOwnerOut]
    url: str


class ChallengeQuestionOut(Schema):
    question: str
    answer: str
    answered_at: datetime.datetime | None


class ChallengeStageOut(Schema):
    kind: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    suppliers: int | None
    amount_each: int | None


class ChallengeOutcomeOut(Schema):
    procedure: str
    contract_value: int | None
    suppliers: str
    decided_on: datetime.date


class ChallengeDetailOut(ChallengeOut):
    need: str
    effect: str
    target_users: str
    contact_name: str
    contact_email: str
    not_awarded_reason: str
    source: str
    questions: list[ChallengeQuestionOut] = Field(description="Answered questions; who asked is never shown.")
    stages: list[ChallengeStageOut]
    outcome: ChallengeOutcomeOut | None


class ChallengeIn(InSchema):
    organisation: Annotated[NoNul, Field(max_length=220)] = Field(
        description="Slug of the owning public body; you must be its editor or admin."
    )
    title: Annotated[NoNul, Field(min_length=1, max_length=200)]
    need: Annotated[NoNul, Field(min_length=1, max_length=20000)] = Field(description="The need, not a specification.")
    effect: Annotated[NoNul, Field(min_length=1, max_length=20000)]
    target_users: Annotated[NoNul, Field(max_length=5000)] = ""
    sector: Annotated[NoNul, Field(max_length=24)] = ""
    topics: Annotated[NoNul, Field(max_length=300)] = Field("", description="Keywords separated by commas.")
    budget_min: Amount | None = None  # type: ignore[valid-type]
    budget_max: Amount | None = None  # type: ignore[valid-type]
    procedure: ProcedureCode
    opens_at: datetime.datetime | None = Field(None, description="Without a zone: Norwegian time.")
    dialogue_deadline: datetime.datetime | None = None
    proposal_deadline: datetime.datetime | None = Field(None, description="Must be after the opening.")
    contact_name: Annotated[NoNul, Field(max_length=150)] = ""
    contact_email: Annotated[NoNul, Field(max_length=254)] = ""


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def _out(challenge: Challenge) -> dict[str, Any]:
    return {
        "slug": challenge.slug,
        "title": challenge.title,
        "procedure": challenge.procedure,
        "status": challenge.status,
        "sector": challenge.sector,
        "topics": challenge.topic_list,
        "bodies_count": challenge.bodies_count,
        "budget_min": challenge.budget_min,
        "budget_max": challenge.budget_max,
        "opens_at": challenge.opens_at,
        "dialogue_deadline": challenge.dialogue_deadline,
        "proposal_deadline": challenge.proposal_deadline,
        "is_example": challenge.is_example,
        "owners": [
            {"slug": o.organisation.slug, "name": o.organisation.name, "co_owner": not o.is_lead}
            for o in challenge.ownerships.all()
        ],
        "url": f"/utfordringer/{challenge.slug}/",
    }


class _Mapped:
    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [_out(challenge) for challenge in self.queryset[page]]


@router.get(
    "",
    response={200: list[ChallengeOut], 401: ErrorOut, 422: ErrorOut},
    summary="Challenges",
    description="The open challenges (drafts only for members of their owners), filtered as on the list page; "
    "50 per page.",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
@paginate(PageNumberPagination)
def challenge_list(request: HttpRequest, filters: Query[ChallengeFilters]) -> Any:
    base = selectors.visible_to(_caller(request))
    challenges = selectors.filtered(base, filters.as_params(), filters.q, filters.sort, filters.min_bodies)
    return _Mapped(challenges.prefetch_related("ownerships__organisation"))


@router.get(
    "/{slug}",
    response={200: ChallengeDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One challenge",
    description="A challenge with its answered questions (never who asked), its programme stages and its outcome. "
    "404 when no challenge has that slug or the caller may not see it. Proposals are never shown here.",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
def challenge_detail(request: HttpRequest, slug: str) -> Any:
    challenge = selectors.visible_to(_caller(request)).filter(slug=slug).first()
    if challenge is None:
        raise Http404
    return _detail(challenge)


def _detail(challenge: Challenge) -> dict[str, Any]:
    outcome = getattr(challenge, "outcome", None)
    return {
        **_out(challenge),
        "need": challenge.need,
        "effect": challenge.effect,
        "target_users": challenge.target_users,
        "contact_name": challenge.contact_name,
        "contact_email": challenge.contact_email,
        "not_awarded_reason": challenge.not_awarded_reason,
        "source": challenge.source,
        "questions": [
            {"question": q.text, "answer": q.answer, "answered_at": q.answered_at}
            for q in challenge.questions.filter(answered_at__isnull=False)
        ],
        "stages": [
            {
                "kind": s.kind,
                "starts_on": s.starts_on,
                "ends_on": s.ends_on,
                "suppliers": s.suppliers,
                "amount_each": s.amount_each,
            }
            for s in challenge.stages.all()
        ],
        "outcome": (
            {
                "procedure": outcome.procedure,
                "contract_value": outcome.contract_value,
                "suppliers": outcome.suppliers,
                "decided_on": outcome.decided_on,
            }
            if outcome
            else None
        ),
    }


def _local(value: datetime.datetime | None, field: str) -> datetime.datetime | None:
    if value is None:
        return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise services.ChallengeError.one(
            field,
            _("Enter a time between the years %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


@router.post(
    "",
    auth=TOKEN_AUTH,
    response={201: ChallengeDetailOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Post a challenge",
    description="Posts a challenge as a draft for `organisation` (a public body); the token's user must be an "
    "editor or administrator there and becomes its first author. Times without a zone are Norwegian time.",
)
def challenge_create(request: HttpRequest, payload: ChallengeIn) -> Status[Any]:
    owner = Organisation.objects.filter(slug=payload.organisation).first()
    if owner is None:
        return invalid("organisation", _("No organisation has this identifier."))
    from nyskap.projects.models import Sector

    if payload.sector and payload.sector not in Sector.values:
        return invalid("sector", _("Unknown sector."))
    if payload.procedure not in Procedure.values:
        return invalid("procedure", _("Unknown procedure."))
    if payload.contact_email and "@" not in payload.contact_email:
        return invalid("contact_email", _("Enter a valid e-mail address."))
    actor = request.auth  # type: ignore[attr-defined]
    fields = payload.dict(exclude={"organisation"})
    try:
        for name in ("opens_at", "dialogue_deadline", "proposal_deadline"):
            fields[name] = _local(fields[name], name)
        challenge = services.challenge_create(actor=actor, owners=[owner], fields=fields)
    except services.ChallengeError as error:
        field, message = error.problems[0]
        return invalid("organisation" if field == "owners" else field, message)
    except PermissionDenied as error:
        return refusal(error, forbidden=_("You may not do this."))
    return Status(201, _detail(challenge))
