"""The instrument catalogue in the open API (``/api/v1/instruments``): the catalogue with filters, one instrument,
calls (open now, closing soon, upcoming, closed), and the matcher (answers → ranked instruments with reasons).

Reading needs no token. The instrument owners of an instrument's organisations (and operators) change it and
publish its calls with a token, through the same services as the pages: anyone else gets a 403, a refused value a
422 naming the field. The matcher takes the same answers as the matcher page; an unknown
organisation or an unknown kind of organisation is a 422 with the field named, never a silent empty answer.
"""

import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StringConstraints

from nyskap.api.auth import TOKEN_AUTH
from nyskap.api.errors import ErrorOut, refusal
from nyskap.api.pagination import PageNumberPagination
from nyskap.api.types import InSchema, NoNul
from nyskap.core.memory import collector_paused
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.organisations.schemas import OrganisationRef
from nyskap.projects.models import InnovationTypeCode, Sector

from . import selectors, services
from .matching import MatchInput
from .models import Call, Instrument, Offer, Verification
from .models import Status as Status_

router = Router(tags=["instruments"])

ShortText = Annotated[NoNul, StringConstraints(max_length=200)]
Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=220)]


class MatchPhase(StrEnum):
    NEED = "need"
    IDEAS = "ideas"
    DEVELOP_TEST = "develop_test"
    IMPLEMENTED = "implemented"
    SPREAD = "spread"


class CallState(StrEnum):
    OPEN = "open"
    CLOSING = "closing"
    UPCOMING = "upcoming"
    CLOSED = "closed"


class InstrumentOut(Schema):
    slug: str = Field(description="Stable identifier used in URLs.")
    name: str = Field(description="The name in the language of the request (nb, nn or en).")
    name_nb: str = Field(description="Name in Norwegian bokmål.")
    name_nn: str = Field(description="Name in Norwegian nynorsk.")
    name_en: str = Field(description="Name in English.")
    url: str = Field(description="Address of the instrument's page.")
    owners: list[OrganisationRef] = Field(description="The owner organisations.")
    offers: list[Offer] = Field(description="What the instrument offers.")
    applicant_kinds: list[OrganisationKind] = Field(description="Kinds of organisation that may apply.")
    partner_kinds: list[OrganisationKind] = Field(
        description="Kinds of organisation that may take part only as partners."
    )
    phases: list[MatchPhase] = Field(description="Phases the instrument covers.")
    sectors: list[Sector] = Field(description="Sectors it is aimed at; empty means every sector.")
    innovation_types: list[InnovationTypeCode] = Field(description="Innovation types; empty means every type.")
    requires_open_call: bool = Field(description="True when applications are taken only through calls.")
    status: Status_ = Field(description="active or ended.")
    ended_on: datetime.date | None = Field(description="When it ended; null when active or not known.")
    verification: Verification = Field(description="How well the facts are sourced.")

    @staticmethod
    def resolve_url(obj: Instrument, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_owners(obj: Instrument) -> list[Organisation]:
        return list(obj.owners.all())


class CallOut(Schema):
    id: int = Field(description="The call's identifier.")
    instrument: str = Field(description="Slug of the instrument the call belongs to.")
    title: str = Field(description="The call's title.")
    opens_on: datetime.date = Field(description="The first day applications are taken.")
    closes_on: datetime.date | None = Field(description="The deadline; null for continuous intake.")
    budget: Decimal | None = Field(description="The call's budget in kroner; null when not given.")
    url: str = Field(description="Link to the call at the owner; empty when not given.")
    is_example: bool = Field(description="True for made-up demonstration calls.")

    @staticmethod
    def resolve_instrument(obj: Call) -> str:
        return obj.instrument.slug


class InstrumentDetailOut(InstrumentOut):
    summary: str = Field(description="Summary (Markdown); empty when not given.")
    owner_text: str = Field(description="The owner as stated in the source.")
    offers_text: str = Field(description="The offers as stated in the source.")
    target_text: str = Field(description="The target group as stated in the source.")
    phases_text: str = Field(description="The phases as stated in the source.")
    max_population: int | None = Field(description="Largest population of an applicant municipality; null: no limit.")
    grant_max: Decimal | None = Field(description="Largest grant per project in kroner; null when not stated.")
    project_cost_min: Decimal | None = Field(description="Smallest project cost in kroner; null when not stated.")
    project_cost_max: Decimal | None = Field(description="Largest project cost in kroner; null when not stated.")
    cofunding_max_percent: Decimal | None = Field(description="Largest share of the cost covered, in per cent.")
    amounts_text: str = Field(description="Amounts and rules as stated in the source.")
    requirements: list[str] = Field(description="Requirements: benefit_plan, research_partner, pilot_customer, ….")
    status_note: str = Field(description="About the status; empty when nothing to add.")
    verification_text: str = Field(description="The verification as stated in the source (V, S, U and qualifiers).")
    unverified_facts: str = Field(description="Which facts are not verified; empty when none.")
    source: str = Field(description="Where the facts come from.")
    website: str = Field(description="The owner's page about the instrument; empty when not given.")
    website_origin: str = Field(
        description="Where the link comes from: source (named in the source), owner_home (the owner's home page; "
        "the source names no address), owner (given by the instrument's owner); empty when there is no link."
    )
    calls: list[CallOut] = Field(description="All calls, newest first (closed ones stay as history).")

    @staticmethod
    def resolve_calls(obj: Instrument) -> list[Call]:
        return list(obj.calls.all())


class InstrumentFilters(Schema):
    q: ShortText | None = Field(None, description="Words in the name or owner.")
    offer: list[Offer] = Field([], description="What it offers (repeat for alternatives).")
    phase: list[MatchPhase] = Field([], description="Phases covered (repeat for alternatives).")
    applicant_kind: OrganisationKind | None = Field(None, description="Kind of organisation that may apply.")
    sector: Sector | None = Field(None, description="Aimed at this sector or at every sector.")
    status: Status_ | None = Field(None, description="active or ended.")
    owner: Slug | None = Field(None, description="Slug of an owner organisation.")


class MatchIn(InSchema):
    phase: MatchPhase | None = Field(None, description="The phase the work is in.")
    needs: list[Offer] = Field([], description="What the asker needs (repeat for several).")
    innovation_types: list[InnovationTypeCode] = Field([], description="Kinds of innovation (repeat for several).")
    sector: Sector | None = Field(None, description="The sector.")
    organisation: Slug | None = Field(None, description="Slug of the asker's organisation: gives kind and size.")
    kind: OrganisationKind | None = Field(None, description="The kind of organisation, when no organisation is given.")
    only_open_calls: bool = Field(
        False, description="Exclude instruments taking applications only through calls when none is open today."
    )
    include_excluded: bool = Field(False, description="Also return the excluded instruments, with the reason.")


class ReasonOut(Schema):
    code: str = Field(
        description="Stable code: ended, partner_only, not_eligible, too_large, no_open_call, "
        "eligible, kind_unknown, phase, needs, innovation_type, sector, open_call."
    )
    message: str = Field(description="The reason in plain language, in the language of the request.")
    fits: bool | None = Field(description="True speaks for, false against, null is a note.")


class MatchOut(Schema):
    instrument: InstrumentOut = Field(description="The instrument.")
    score: int = Field(description="Fit from 0 to 100 (0 when excluded).")
    rank: int | None = Field(description="Position in the ranking, from 1; null when excluded.")
    excluded: bool = Field(description="True when a hard rule leaves the instrument out.")
    fit: str = Field(
        description="The fit in words: fits (no answered criterion against it), fits_partly, or does_not_fit (left "
        "out by a hard rule, or offering none of the kinds of support asked for; such an instrument never ranks "
        "above one offering at least one of them)."
    )
    has_open_call: bool = Field(description="True when a call for the instrument is open today.")
    reasons: list[ReasonOut] = Field(description="Why it fits or does not.")


class MatchResultOut(Schema):
    organisation_kind: OrganisationKind | None = Field(
        description="The kind of organisation the rules were applied for."
    )
    population: int | None = Field(description="The population used for size limits; null when not known.")
    results: list[MatchOut] = Field(description="Ranked instruments first, then (when asked for) the excluded ones.")


def _with_relations(instruments: QuerySet[Instrument]) -> QuerySet[Instrument]:
    return instruments.prefetch_related(Prefetch("owners", queryset=Organisation.objects.order_by("name")))


@router.get(
    "",
    response={200: list[InstrumentOut], 422: ErrorOut},
    summary="List instruments",
    description="The catalogue, by name, with filters. Values of one filter are alternatives; filters narrow each "
    "other. Ended instruments are included (filter `status=active` to leave them out).",
)
@paginate(PageNumberPagination)
def instrument_list(request: HttpRequest, filters: Query[InstrumentFilters]) -> QuerySet[Instrument]:
    return _with_relations(
        selectors.instrument_search(
            q=filters.q or "",
            offer=[str(o) for o in filters.offer],
            phase=[str(p) for p in filters.phase],
            applicant_kind=str(filters.applicant_kind or ""),
            sector=str(filters.sector or ""),
            status=str(filters.status or ""),
            owner=filters.owner or "",
        )
    )


@router.get(
    "/calls",
    response={200: list[CallOut], 422: ErrorOut},
    summary="List calls",
    description="Calls for applications: `open` (open today), `closing` (open and closing within 30 days), "
    "`upcoming` (opening later) or `closed` (history, latest first).",
)
@paginate(PageNumberPagination)
def call_list(
    request: HttpRequest, state: Annotated[CallState, Query(description="Which calls.")] = CallState.OPEN
) -> QuerySet[Call]:
    today = timezone.localdate()
    return {
        CallState.OPEN: selectors.calls_open,
        CallState.CLOSING: selectors.calls_closing_soon,
        CallState.UPCOMING: selectors.calls_upcoming,
        CallState.CLOSED: selectors.calls_closed,
    }[state](today)


@router.get(
    "/match",
    response={200: MatchResultOut, 404: ErrorOut, 422: ErrorOut},
    summary="Match instruments",
    description="The matcher: the answers give a ranked list of instruments, each with the reasons it fits or does "
    "not. Hard rules (who may apply, ended, open call when asked) exclude; phase, needs, innovation type and "
    "sector rank. Deterministic: the same answers give the same list. The methods are described on the matcher "
    "page.",
)
def match_instruments(request: HttpRequest, answers: Query[MatchIn]) -> JsonResponse:
    with collector_paused():
        return _match_response(request, answers)


def _match_response(request: HttpRequest, answers: MatchIn) -> JsonResponse:
    organisation = None
    if answers.organisation:
        organisation = Organisation.objects.filter(slug=answers.organisation).first()
        if organisation is None:
            # A well-formed slug that names nothing is a missing resource (404), not a malformed request (422).
            raise HttpError(404, "No organisation has the slug given in `organisation`.")
    asked = MatchInput(
        phase=str(answers.phase or ""),
        needs=tuple(str(n) for n in answers.needs),
        innovation_types=tuple(str(t) for t in answers.innovation_types),
        sector=str(answers.sector or ""),
        organisation_kind=organisation.kind if organisation else str(answers.kind or ""),
        population=organisation.population if organisation else None,
        only_open_calls=answers.only_open_calls,
    )
    ranked = selectors.run_matcher(asked, today=timezone.localdate())
    chosen = [item for item in ranked if answers.include_excluded or not item.result.excluded]
    owners: dict[int, list[dict[str, str]]] = {}
    through = Instrument.owners.through.objects.filter(instrument_id__in=[item.row.pk for item in chosen])
    for instrument_id, slug, name in through.order_by("organisation__name").values_list(
        "instrument_id", "organisation__slug", "organisation__name"
    ):
        owners.setdefault(instrument_id, []).append({"slug": slug, "name": name})
    base = request.build_absolute_uri("/").rstrip("/")
    results = []
    rank = 0
    for item in chosen:
        row, facts, result = item.row, item.facts, item.result
        rank += 0 if result.excluded else 1
        results.append(
            {
                "instrument": {
                    "slug": row.slug,
                    "name": facts.name,
                    "name_nb": row.name_nb,
                    "name_nn": row.name_nn,
                    "name_en": row.name_en,
                    "url": base + item.url,
                    "owners": owners.get(row.pk, []),
                    "offers": facts.offers,
                    "applicant_kinds": facts.applicant_kinds,
                    "partner_kinds": facts.partner_kinds,
                    "phases": facts.phases,
                    "sectors": facts.sectors,
                    "innovation_types": facts.innovation_types,
                    "requires_open_call": facts.requires_open_call,
                    "status": row.status,
                    "ended_on": facts.ended_on,
                    "verification": row.verification,
                },
                "score": result.score,
                "rank": None if result.excluded else rank,
                "excluded": result.excluded,
                "fit": result.fit,
                "has_open_call": result.has_open_call,
                "reasons": [{"code": r.code, "message": r.message, "fits": r.fits} for r in result.reasons],
            }
        )
    # Built to MatchResultOut's shape and sent as it is: validating a thousand nested results again through the
    # schema would take several times longer than the matching (the benchmark's p95 target is 100 ms).
    return JsonResponse(
        {"organisation_kind": asked.organisation_kind or None, "population": asked.population, "results": results},
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False},
    )


@router.get(
    "/{slug}",
    response={200: InstrumentDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="One instrument",
    description="Everything about one instrument, with the source of its facts and all its calls.",
)
def instrument_detail(request: HttpRequest, slug: Slug) -> Instrument:
    return get_object_or_404(selectors.instrument_for_detail(), slug=slug)


# Writes by the instrument's owners

LongText = Annotated[NoNul, StringConstraints(max_length=20000)]
NameText = Annotated[NoNul, StringConstraints(max_length=300)]
Amount = Annotated[Decimal, Field(ge=0, le=10**12, allow_inf_nan=False)]


class InstrumentUpdateIn(InSchema):
    """The fields an owner may change; only those sent are changed."""

    name_nb: NameText | None = Field(None, description="Name in Norwegian bokmål (required, not empty).")
    name_nn: NameText | None = Field(None, description="Name in Norwegian nynorsk.")
    name_en: NameText | None = Field(None, description="Name in English.")
    summary: LongText | None = Field(None, description="Summary (Markdown).")
    amounts_text: LongText | None = Field(None, description="Amounts and rules in words.")
    status_note: NameText | None = Field(None, description="About the status.")
    offers: list[Offer] | None = Field(None, description="What the instrument offers.")
    phases: list[MatchPhase] | None = Field(None, description="Phases the instrument covers.")
    sectors: list[Sector] | None = Field(None, description="Sectors; empty means every sector.")
    innovation_types: list[InnovationTypeCode] | None = Field(None, description="Innovation types; empty: all.")
    applicant_kinds: list[OrganisationKind] | None = Field(None, description="Kinds of organisation that may apply.")
    partner_kinds: list[OrganisationKind] | None = Field(None, description="Kinds that may only be partners.")
    grant_max: Amount | None = Field(None, description="Largest grant per project in kroner.")
    project_cost_min: Amount | None = Field(None, description="Smallest project cost in kroner.")
    project_cost_max: Amount | None = Field(None, description="Largest project cost in kroner.")
    cofunding_max_percent: Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)] | None = Field(
        None, description="Largest share of the cost covered, in per cent."
    )
    requires_open_call: bool | None = Field(None, description="Applications only through calls.")
    status: Status_ | None = Field(None, description="active or ended.")
    ended_on: datetime.date | None = Field(None, description="When it ended (only for an ended instrument).")
    website: Annotated[NoNul, StringConstraints(max_length=500)] | None = Field(
        None, description="The owner's page about the instrument (https)."
    )


class CallIn(InSchema):
    title: ShortText = Field(description="The call's title.")
    opens_on: datetime.date = Field(description="The first day applications are taken.")
    closes_on: datetime.date | None = Field(None, description="The deadline; null for continuous intake.")
    budget: Amount | None = Field(None, description="The call's budget in kroner.")
    url: Annotated[NoNul, StringConstraints(max_length=500)] = Field("", description="Link to the call (https).")
    description: LongText = Field("", description="About the call (Markdown).")


class CallUpdateIn(InSchema):
    title: ShortText | None = Field(None, description="The call's title.")
    opens_on: datetime.date | None = Field(None, description="The first day applications are taken.")
    closes_on: datetime.date | None = Field(None, description="The deadline; null for continuous intake.")
    budget: Amount | None = Field(None, description="The call's budget in kroner.")
    url: Annotated[NoNul, StringConstraints(max_length=500)] | None = Field(None, description="Link to the call.")
    description: LongText | None = Field(None, description="About the call (Markdown).")


def _sent(payload: Schema) -> dict[str, Any]:
    return {name: value for name, value in payload.model_dump(exclude_unset=True).items()}


WRITE_RESPONSES: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.patch(
    "/{slug}",
    auth=TOKEN_AUTH,
    response={200: InstrumentDetailOut, **WRITE_RESPONSES},
    summary="Change an instrument",
    description="Changes the fields sent, nothing else. Only the instrument owners of the instrument's "
    "organisations (and operators) may change it.",
)
def instrument_update(request: HttpRequest, slug: Slug, payload: InstrumentUpdateIn) -> Status[Any]:
    instrument = get_object_or_404(Instrument, slug=slug)
    values = _sent(payload)
    for name in ("offers", "phases", "sectors", "innovation_types", "applicant_kinds", "partner_kinds"):
        if name in values and values[name] is not None:
            values[name] = [str(value) for value in values[name]]
    try:
        services.instrument_update(instrument=instrument, actor=request.auth, **values)  # type: ignore[attr-defined]
    except (services.CatalogueError, PermissionDenied) as exc:
        return refusal(exc, forbidden="You may not do this.")
    return Status(200, selectors.instrument_for_detail().get(pk=instrument.pk))


@router.post(
    "/{slug}/calls",
    auth=TOKEN_AUTH,
    response={201: CallOut, **WRITE_RESPONSES},
    summary="Publish a call",
    description="Adds a call to the instrument. Only the instrument owners of its organisations may.",
)
def call_create(request: HttpRequest, slug: Slug, payload: CallIn) -> Status[Any]:
    instrument = get_object_or_404(Instrument, slug=slug)
    try:
        call = services.call_create(instrument=instrument, actor=request.auth, **payload.model_dump())  # type: ignore[attr-defined]
    except (services.CatalogueError, PermissionDenied) as exc:
        return refusal(exc, forbidden="You may not do this.")
    return Status(201, call)


@router.patch(
    "/{slug}/calls/{call_id}",
    auth=TOKEN_AUTH,
    response={200: CallOut, **WRITE_RESPONSES},
    summary="Change a call",
    description="Changes the fields sent, nothing else. Only the instrument owners of its organisations may.",
)
def call_update(
    request: HttpRequest, slug: Slug, call_id: Annotated[int, Field(ge=1, le=2**63 - 1)], payload: CallUpdateIn
) -> Status[Any]:
    call = get_object_or_404(Call.objects.select_related("instrument"), pk=call_id, instrument__slug=slug)
    try:
        call = services.call_update(call=call, actor=request.auth, **_sent(payload))  # type: ignore[attr-defined]
    except (services.CatalogueError, PermissionDenied) as exc:
        return refusal(exc, forbidden="You may not do this.")
    return Status(200, call)
