"""Trials in the open API (``/api/v1/trials``).

- ``GET /`` and ``GET /{slug}``: the registry — the trials the caller may see, with plan, pre-registration,
  amendments and results (effect estimates computed from the stored inputs).
- ``POST /effect``: counts or means per arm in; the effect estimate out — the difference (first arm minus second)
  with its interval and two-sided p-value, and for a binary outcome each arm's share with its Wilson interval and
  the risk ratio with its log interval. The same functions as the trial pages (`calculations`), so other systems
  and analysts compute exactly as Nyskap does. No token needed; nothing is stored.
"""

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from nyskap.api.auth import OPTIONAL_AUTH, OPTIONAL_SECURITY
from nyskap.api.errors import ErrorOut, invalid
from nyskap.api.pagination import PageNumberPagination
from nyskap.api.throttling import ANONYMOUS_WRITES
from nyskap.api.types import InSchema, NoNul, one_of, whole_number
from nyskap.core.statistics import Comparison
from nyskap.projects.models import Sector

from . import calculations, selectors
from .models import Trial, TrialDecision, TrialDesign, TrialKind, TrialOutcome, TrialStatus

router = Router(tags=["trials"])

# Beyond this no trial has units; the bound keeps every number a 64-bit integer on both databases and in clients.
MAX_UNITS = 1_000_000_000
Finite = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-1e12, le=1e12)]


FacetText = Annotated[NoNul, Field(max_length=300)]
Label = Annotated[NoNul, Field(max_length=100, description="What the arm got, e.g. “SMS the day before”.")]
Units = whole_number(1, MAX_UNITS)
Events = whole_number(0, MAX_UNITS)
SpreadUnits = whole_number(2, MAX_UNITS)
Confidence = Annotated[
    float,
    Field(
        strict=True,
        ge=calculations.MIN_CONFIDENCE,
        le=calculations.MAX_CONFIDENCE,
        description="Confidence level of every interval.",
    ),
]
TWO_ARMS = "Exactly two arms: the trial arm first, the comparison arm second."


class CountArmIn(InSchema):
    label: Label = ""
    n: Units = Field(description="Units in the arm.")  # type: ignore[valid-type]
    events: Events = Field(description="Units with the event (at most n).")  # type: ignore[valid-type]


class MeanArmIn(InSchema):
    label: Label = ""
    n: SpreadUnits = Field(description="Units in the arm (at least 2, for its spread).")  # type: ignore[valid-type]
    mean: Finite = Field(description="The arm's mean.")
    sd: float = Field(
        strict=True,
        allow_inf_nan=False,
        ge=0,
        le=1e12,
        description="The arm's standard deviation (n − 1 in the denominator).",
    )


class BinaryEffectIn(InSchema):
    outcome: Literal["binary"]
    confidence: Confidence = 0.95
    arms: list[CountArmIn] = Field(min_length=2, max_length=2, description=TWO_ARMS)


class ContinuousEffectIn(InSchema):
    outcome: Literal["continuous"]
    confidence: Confidence = 0.95
    arms: list[MeanArmIn] = Field(min_length=2, max_length=2, description=TWO_ARMS)


if TYPE_CHECKING:
    EffectIn = BinaryEffectIn | ContinuousEffectIn
else:
    EffectIn = one_of("outcome", BinaryEffectIn, ContinuousEffectIn)


class ComparisonOut(Schema):
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float | None
    method: str


class ArmOut(Schema):
    label: str
    events: int
    n: int
    proportion: float
    ci_low: float
    ci_high: float


class EffectOut(Schema):
    outcome: str
    confidence: float
    difference: float = Field(description="First arm minus second: a share difference or a mean difference.")
    ci_low: float
    ci_high: float
    p_value: float | None
    method: str
    arms: list[ArmOut] = Field(description="Binary outcome: each arm's share with its Wilson interval.")
    risk_ratio: ComparisonOut | None = Field(
        description="Binary outcome: first arm's share over the second's; null when an arm has no events."
    )


def _comparison(comparison: Comparison | None) -> dict[str, Any] | None:
    if comparison is None:
        return None
    return {
        "estimate": comparison.estimate,
        "ci_low": comparison.low,
        "ci_high": comparison.high,
        "p_value": comparison.p_value,
        "method": comparison.method,
    }


def _api_field(field: str) -> str:
    """``arms[1].events`` as the API names fields elsewhere: ``arms.1.events``."""
    return field.replace("[", ".").replace("]", "")


@router.post(
    "/effect",
    response={200: EffectOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Effect estimate of a two-arm trial",
    description=(
        "Binary outcome: events and n per arm give the difference in shares (first minus second) with Newcombe's "
        "hybrid score interval and the pooled z-test's p-value, each arm's share with its Wilson interval, and the "
        "risk ratio with its log interval. Continuous outcome: mean, standard deviation and n per arm give the "
        "difference in means with Welch's interval and t-test. Nothing is stored."
    ),
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    throttle=ANONYMOUS_WRITES,
)
def trial_effect(request: HttpRequest, payload: EffectIn) -> Any:
    try:
        if isinstance(payload, BinaryEffectIn):
            result = calculations.binary_effect(
                [calculations.CountArm(a.label, a.events, a.n) for a in payload.arms], payload.confidence
            )
        else:
            result = calculations.continuous_effect(
                [calculations.MeanArm(a.label, a.mean, a.sd, a.n) for a in payload.arms], payload.confidence
            )
    except calculations.EffectError as exc:
        return invalid(_api_field(exc.field), exc.message)
    difference = result.difference
    return {
        "outcome": result.outcome,
        "confidence": result.confidence,
        "difference": difference.estimate,
        "ci_low": difference.low,
        "ci_high": difference.high,
        "p_value": difference.p_value,
        "method": difference.method,
        "arms": [
            {
                "label": arm.label,
                "events": arm.events,
                "n": arm.n,
                "proportion": arm.share.estimate,
                "ci_low": arm.share.low,
                "ci_high": arm.share.high,
            }
            for arm in result.arms
        ],
        "risk_ratio": _comparison(result.risk_ratio),
    }


# The registry: public trials for everyone; a trial that is not public only for those who may see it.


class TrialFilters(Schema):
    q: Annotated[NoNul, Field(max_length=200, description="Full-text search.")] = ""
    kind: list[TrialKind] = Field(default_factory=list, description="Kinds of trial (alternatives).")
    status: list[TrialStatus] = Field(default_factory=list, description="Statuses (alternatives).")
    design: list[TrialDesign] = Field(default_factory=list, description="Designs (alternatives).")
    sector: list[Sector] = Field(default_factory=list, description="Sectors (alternatives).")
    area: list[FacetText] = Field(default_factory=list, description="Areas, as written on the trials (alternatives).")
    legal_act: list[FacetText] = Field(default_factory=list, description="Acts of the legal basis (alternatives).")
    outcome: list[TrialOutcome] = Field(
        default_factory=list,
        description="What has come of the trial (alternatives): `estimated` results entered as data, `summary` "
        "results in words only, `none` no results yet.",
    )
    decision: list[TrialDecision] = Field(default_factory=list, description="Decisions (alternatives).")
    overdue: bool = Field(False, description="Only trials past their end without results, or without a decision.")

    def as_params(self) -> dict[str, list[str]]:
        params: dict[str, list[str]] = {
            name: [str(value) for value in getattr(self, name)]
            for name in ("kind", "status", "design", "sector", "area", "legal_act", "outcome", "decision")
        }
        params["overdue"] = ["1"] if self.overdue else []
        return params


class TrialOut(Schema):
    slug: str
    title: str
    kind: str
    status: str
    visibility: str
    owners: list[str]
    legal_basis: str
    design: str
    sector: str
    area: str = Field(description="The area of the trial, as written on it (empty when not given).")
    outcome: TrialOutcome = Field(
        description="What has come of the trial so far, read from its results: `estimated` results entered as data, "
        "`summary` results in words only, `none` no results yet."
    )
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    not_preregistered: bool
    fingerprint: str | None = Field(description="SHA-256 of the pre-registered plan (null before registration).")
    decision: str
    url: str


class ResultOut(Schema):
    outcome: str
    kind: str
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    method: str | None


class TrialDetailOut(TrialOut):
    plan: dict[str, Any]
    registered_plan: dict[str, Any] | None
    amendments: list[dict[str, Any]]
    results: list[ResultOut]
    result_summary: str
    decision_reason: str
    lessons: str
    source: str


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def _trial_out(trial: Trial) -> dict[str, Any]:
    registration = getattr(trial, "registration", None)
    return {
        "slug": trial.slug,
        "title": trial.title,
        "kind": trial.kind,
        "status": trial.status,
        "visibility": trial.visibility,
        "owners": [owner.name for owner in trial.owners.all()],
        "legal_basis": " ".join(part for part in (trial.legal_act, trial.legal_section) if part),
        "design": trial.design,
        "sector": trial.sector,
        "area": trial.area,
        "outcome": getattr(trial, selectors.OUTCOME_STATE),
        "starts_on": trial.starts_on,
        "ends_on": trial.ends_on,
        "not_preregistered": trial.not_preregistered,
        "fingerprint": registration.fingerprint if registration else None,
        "decision": trial.decision,
        "url": f"/forsok/{trial.slug}/",
    }


@router.get(
    "",
    response={200: list[TrialOut], 401: ErrorOut, 422: ErrorOut},
    summary="Trials",
    description=(
        "The trials the caller may see: public trials for everyone, a trial shared with its organisation or the "
        "public-sector network only for those it is shared with. Filters as on the overview page; 50 per page."
    ),
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
@paginate(PageNumberPagination)
def trial_list(request: HttpRequest, filters: Query[TrialFilters]) -> Any:
    trials = selectors.filtered(_caller(request), filters.as_params(), filters.q)
    return _Mapped(selectors.with_outcome(trials).select_related("registration").prefetch_related("owners"))


class _Mapped:
    """A queryset the paginator counts and slices, each page's trials turned into `TrialOut` dicts."""

    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [_trial_out(trial) for trial in self.queryset[page]]


@router.get(
    "/{slug}",
    response={200: TrialDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One trial",
    description="A trial with its plan, its pre-registration and amendments, and its results with the effect "
    "estimates. 404 when no trial has that slug or the caller may not see it.",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
def trial_detail(request: HttpRequest, slug: str) -> Any:
    trial = selectors.with_outcome(Trial.objects.visible_to(_caller(request))).filter(slug=slug).first()
    if trial is None:
        raise Http404
    registration = getattr(trial, "registration", None)
    results = []
    for result, effect, _problem in selectors.results_with_effects(trial):
        difference = effect.difference if effect else None
        results.append(
            {
                "outcome": result.outcome,
                "kind": result.kind,
                "difference": difference.estimate if difference else None,
                "ci_low": difference.low if difference else None,
                "ci_high": difference.high if difference else None,
                "method": difference.method if difference else None,
            }
        )
    return {
        **_trial_out(trial),
        "plan": trial.plan(),
        "registered_plan": registration.plan if registration else None,
        "amendments": [
            {"number": a.number, "reason": a.reason, "fields": a.fields, "fingerprint": a.fingerprint, "at": a.at}
            for a in trial.amendments.all()
        ],
        "results": results,
        "result_summary": trial.result_summary,
        "decision_reason": trial.decision_reason,
        "lessons": trial.lessons,
        "source": trial.source,
    }
