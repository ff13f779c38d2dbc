"""The survey engine in the API (``/api/v1/surveys``).

Respondents need no token: the survey link's token is the authority, as on the pages, and the same service
validates the answers (an impossible value is refused with the item named, and nothing is stored). Leaders read
their rounds' progress with a bearer token; a round of an organisation the caller does not lead answers 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from nyskap.api.auth import TOKEN_AUTH
from nyskap.api.errors import ErrorOut, error_body
from nyskap.api.throttling import ANONYMOUS_WRITES
from nyskap.core.permissions import is_editor_of

from . import selectors, services, throttle
from .errors import SurveyError
from .models import Round

router = Router(tags=["surveys"])

RoundId = Annotated[int, Path(ge=1, le=2**63 - 1)]
LinkToken = Annotated[str, Path(max_length=100)]


def _led_round(request: HttpRequest, round_id: int) -> Round:
    round = Round.objects.select_related("organisation", "version__questionnaire").filter(pk=round_id).first()
    if round is None or not is_editor_of(request.auth, round.organisation):  # type: ignore[attr-defined]
        raise Http404
    return round


class RoundOut(Schema):
    id: int = Field(description="The round's number.")
    title: str = Field(description="The round's title.")
    organisation: str = Field(description="The organisation's slug.")
    questionnaire: str = Field(description="The questionnaire's key.")
    version: int = Field(description="The questionnaire version the round uses.")
    opens_on: str = Field(description="First day answers are taken (ISO date).")
    closes_on: str = Field(description="Last day answers are taken (ISO date).")
    is_open: bool = Field(description="Whether answers are taken today.")
    threshold: int = Field(description="Anonymity threshold: no figure for a smaller group.")
    responses: int = Field(description="Submitted responses so far.")
    invited: int = Field(description="People invited by e-mail.")
    response_rate: float | None = Field(
        description="Responses per invited (or asked) person, never capped at 1; null when unknown."
    )
    by_link: int = Field(description="Submitted responses that came through the shared link.")
    frozen: bool = Field(description="Results seen or used in comparisons: the round can no longer change.")


def _round_out(round: Round) -> dict[str, Any]:
    progress = selectors.round_progress(round)
    return {
        "id": round.pk,
        "title": round.title,
        "organisation": round.organisation.slug,
        "questionnaire": round.version.questionnaire.key,
        "version": round.version.number,
        "opens_on": round.opens_on.isoformat(),
        "closes_on": round.closes_on.isoformat(),
        "is_open": round.is_open(),
        "threshold": round.threshold,
        "responses": progress.responses,
        "invited": progress.invited,
        "response_rate": progress.rate,
        "by_link": progress.by_link,
        "frozen": round.frozen,
    }


@router.get(
    "/rounds",
    response={200: list[RoundOut], 401: ErrorOut},
    summary="Rounds I lead",
    description="Survey rounds of the organisations where the token's user is an editor or administrator.",
    auth=TOKEN_AUTH,
)
def survey_round_list(request: HttpRequest) -> list[dict[str, Any]]:
    rounds = Round.objects.led_by(request.auth).select_related("organisation", "version__questionnaire")[:200]  # type: ignore[attr-defined]
    return [_round_out(r) for r in rounds]


@router.get(
    "/rounds/{round_id}",
    response={200: RoundOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One round's progress",
    description="Dates, threshold, live response count and rate. 404 unless the caller leads the organisation.",
    auth=TOKEN_AUTH,
)
def survey_round_detail(request: HttpRequest, round_id: RoundId) -> dict[str, Any]:
    return _round_out(_led_round(request, round_id))


class OptionOut(Schema):
    key: str
    label: str


class ItemOut(Schema):
    key: str = Field(description="Send the answer under this key.")
    kind: str = Field(description="likert, single, multiple, number or text.")
    text: str = Field(description="The question in the request's language.")
    dimension: str | None = Field(description="Key of the dimension the item belongs to.")
    required: bool
    options: list[OptionOut] = Field(description="Scale points or choices; answer with the option's key.")
    allow_dont_know: bool = Field(description="Likert only: `dk` is accepted as “don't know”.")
    minimum: float | None = None
    maximum: float | None = None


class SurveyOut(Schema):
    title: str
    organisation: str
    closes_on: str
    version: int
    items: list[ItemOut]
    ticket: str | None = Field(
        description="For the shared link: a one-time ticket to send back with the answers (null for a personal "
        "link). Fetch the survey again for each answer."
    )


class AnswersIn(Schema):
    # Checked item by item by the same service as the form (unknown items and impossible values are named in the
    # 422), so the schema itself stays permissive.
    answers: dict[str, Any] = Field(
        description="Answers by item key: a scale point (1–5) or `dk`, an option key, a list of option keys, a "
        "number, or free text.",
        max_length=500,
    )
    unit: int | None = Field(
        default=None,
        ge=1,
        le=2**63 - 1,
        description="Refused when given: the unit follows from the invitation; answers by shared link have none.",
    )
    ticket: str | None = Field(
        default=None, max_length=100, description="The one-time ticket from `GET /respond/{token}` (shared link only)."
    )
    submit: bool = Field(default=True, description="False saves a draft and returns a secret to continue with.")


class SavedOut(Schema):
    submitted: bool
    resume_secret: str | None = Field(description="For a draft: continue with `/surveys/resume/{secret}`.")


def _refused_link(error: SurveyError) -> Status[dict[str, Any]]:
    """404 for a link that does not exist; 410 for one that did work (used, or the survey closed)."""
    if error.unknown:
        return Status(404, error_body(404, "not_found", error.message))
    return Status(410, error_body(410, "link_refused", error.message))


def _too_many() -> Status[dict[str, Any]]:
    message = _("Too many answers from this device in a short time. Wait a few minutes and try again.")
    return Status(429, error_body(429, "too_many_requests", message))


def _by_link(access: selectors.Access) -> bool:
    return access.invitation is None and access.draft is None


def _answer(
    request: HttpRequest, access: selectors.Access, payload: AnswersIn, resume_secret: str | None
) -> Status[Any]:
    if _by_link(access) and not throttle.link_allowed(request, round_id=access.round.pk, action="answer"):
        return _too_many()
    try:
        result = services.response_save(
            access=access,
            data=payload.answers,
            unit_id=payload.unit,
            submit=payload.submit,
            resume_secret=resume_secret,
            ticket=payload.ticket,
        )
    except SurveyError as error:
        if error.errors:
            errors = [{"field": f"answers.{key}", "message": message} for key, message in error.errors.items()]
            return Status(422, error_body(422, "validation_error", error.message, errors))
        if error.field:
            field_error = [{"field": error.field, "message": error.message}]
            return Status(422, error_body(422, "validation_error", error.message, field_error))
        return _refused_link(error)
    return Status(201, {"submitted": result.submitted, "resume_secret": result.resume_secret})


def _survey_out(round: Round, ticket: str | None) -> dict[str, Any]:
    items = round.version.items.select_related("dimension").order_by("order")
    return {
        "title": round.title,
        "organisation": round.organisation.name,
        "closes_on": round.closes_on.isoformat(),
        "version": round.version.number,
        "ticket": ticket,
        "items": [
            {
                "key": item.key,
                "kind": item.kind,
                "text": item.text,
                "dimension": item.dimension.key if item.dimension else None,
                "required": item.required,
                "options": [{"key": k, "label": label} for k, label in item.option_labels()],
                "allow_dont_know": item.allow_dont_know,
                "minimum": item.minimum,
                "maximum": item.maximum,
            }
            for item in items
        ],
    }


@router.get(
    "/respond/{token}",
    response={200: SurveyOut, 404: ErrorOut, 410: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="The survey behind a link",
    description="The questions of the survey a link (shared or personal) opens, and for a shared link a one-time "
    "ticket for one answer. 404 for an unknown link; 410 when it has been used or the survey is closed; 429 when "
    "this client drew too many tickets.",
    auth=None,
)
def survey_for_link(request: HttpRequest, token: LinkToken) -> Any:
    try:
        access = selectors.resolve_token(token)
    except SurveyError as error:
        return _refused_link(error)
    ticket = None
    if _by_link(access):
        if not throttle.link_allowed(request, round_id=access.round.pk, action="ticket"):
            return _too_many()
        ticket = services.link_ticket_issue(round=access.round)
    return _survey_out(access.round, ticket)


@router.post(
    "/respond/{token}",
    response={201: SavedOut, 400: ErrorOut, 404: ErrorOut, 410: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Answer a survey",
    description="Submit (or save as a draft) anonymous answers through a survey link. Impossible values are refused "
    "with the item named and nothing is stored. A personal link works once: 404 for an unknown link, 410 for a used "
    "one or a closed survey. The shared link needs a one-time `ticket` per answer (422 without), takes at most the "
    "round's cap of answers (410), and answers 429 to a client that posts too often.",
    auth=None,
    throttle=ANONYMOUS_WRITES,
)
def survey_respond(request: HttpRequest, token: LinkToken, payload: AnswersIn) -> Status[Any]:
    try:
        access = selectors.resolve_token(token)
    except SurveyError as error:
        return _refused_link(error)
    return _answer(request, access, payload, None)


@router.post(
    "/resume/{secret}",
    response={201: SavedOut, 400: ErrorOut, 404: ErrorOut, 410: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Continue a saved draft",
    description="Replace a draft's answers, and submit them when `submit` is true. 404 when the secret is not "
    "valid or the answers were already submitted; 410 when the survey is closed; 429 when this client posts too "
    "often.",
    auth=None,
    throttle=ANONYMOUS_WRITES,
)
def survey_resume(request: HttpRequest, secret: LinkToken, payload: AnswersIn) -> Status[Any]:
    try:
        access = selectors.resolve_resume(secret)
    except SurveyError as error:
        return _refused_link(error)
    return _answer(request, access, payload, secret)
