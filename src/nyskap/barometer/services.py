"""Writes of the barometer, one function per transition: loading its questionnaires into the survey engine,
creating a round, uploading its frame, drawing the sample, starting fieldwork (the survey engine's round, its
invitations in each manager's language), closing and publishing. Every write checks that the actor edits for the
round's owner."""

from __future__ import annotations

import datetime
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.core.permissions import require_editor_of
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.surveys import selectors as survey_selectors
from nyskap.surveys import services as survey_services
from nyskap.surveys.errors import SurveyError
from nyskap.surveys.loading import questionnaire_load

from . import questionnaire, sampling
from .frame import FrameEntry, read_frame
from .models import (
    NO_COUNTY,
    STRATUM_VARIABLES,
    Centrality,
    QuestionnaireKind,
    Round,
    RoundStatus,
    Sector,
    SizeBand,
    Workplace,
    organisation_unit,
)

if TYPE_CHECKING:
    from nyskap.surveys.models import QuestionnaireVersion

MAX_SEED = 2**48


class BarometerError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def load_questionnaires() -> list[tuple[QuestionnaireVersion, bool]]:
    """Create and publish both questionnaires unless they exist. Safe to run on every start."""
    return [questionnaire_load(questionnaire.spec(kind)) for kind in questionnaire.KINDS]


@dataclass
class RoundInput:
    title: str
    kind: str
    period_start: datetime.date
    period_end: datetime.date
    strata: list[str]
    min_cell: int = 5
    synthetic: bool = False


def _check(data: RoundInput) -> None:
    if not data.title.strip():
        raise BarometerError(_("Give the round a title."), "title")
    if data.period_end < data.period_start:
        raise BarometerError(_("The period must end after it starts."), "period_end")
    if data.min_cell < 3 or data.min_cell > 100:
        raise BarometerError(_("The smallest cell must be from 3 to 100 respondents."), "min_cell")
    if any(s not in STRATUM_VARIABLES for s in data.strata) or len(set(data.strata)) != len(data.strata):
        raise BarometerError(_("Choose the strata among the frame's variables."), "strata")


def round_create(*, actor: Any, owner: Organisation, data: RoundInput) -> Round:
    require_editor_of(actor, owner)
    _check(data)
    return Round.objects.create(
        owner=owner,
        kind=data.kind,
        title=data.title.strip(),
        period_start=data.period_start,
        period_end=data.period_end,
        strata=data.strata,
        min_cell=data.min_cell,
        synthetic=data.synthetic,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _require_draft(round: Round) -> None:
    if round.status != RoundStatus.DRAFT:
        raise BarometerError(_("Only a round in draft can change its frame or sample."))


def frame_upload_check(*, actor: Any, round: Round) -> None:
    """The refusals that need no file, made where the file is uploaded (so nothing is queued) and again by the
    upload: an editor of the owner (else `PermissionDenied`) and a round in draft (else `BarometerError`)."""
    require_editor_of(actor, round.owner)
    _require_draft(round)


def frame_upload(
    *,
    actor: Any,
    round: Round,
    upload: IO[bytes],
    filename: str,
    on_total: Callable[[int], None] | None = None,
    on_row: Callable[[], None] | None = None,
) -> int:
    """Replace the round's frame with the file's workplaces, all or nothing (`frame.FrameError` lists every bad
    row and cell); the number of workplaces. Any earlier sample is dropped with the old frame. The file is read and
    checked outside any transaction (``on_total`` and ``on_row`` report the rows, as in `frame.read_frame`, so a
    background upload's progress page sees the count grow); then the frame is written in one transaction, after the
    round's state is checked again under a lock."""
    frame_upload_check(actor=actor, round=round)
    entries = read_frame(upload, filename, on_total=on_total, on_row=on_row)
    return _frame_write(round, entries)


@transaction.atomic
def _frame_write(round: Round, entries: list[FrameEntry]) -> int:
    # The round may have moved on while the file was read (the fieldwork started).
    round.status = Round.objects.select_for_update().filter(pk=round.pk).values_list("status", flat=True).get()
    _require_draft(round)
    Workplace.objects.filter(round=round).delete()
    Workplace.objects.bulk_create(
        Workplace(
            round=round,
            row=e.row,
            name=e.name,
            sector=e.sector,
            org_type=e.org_type,
            size_band=e.size_band,
            county=e.county,
            centrality=e.centrality,
            organisation_id=e.organisation_id,
            email=e.email,
            language=e.language,
        )
        for e in entries
    )
    Round.objects.filter(pk=round.pk).update(seed=None, sample_size=None)
    return len(entries)


# The organisations of the reference data a strategic round's frame may be taken from, by the form's choice.
REFERENCE_KINDS: dict[str, list[str]] = {
    "municipalities": [OrganisationKind.MUNICIPALITY],
    "county_municipalities": [OrganisationKind.COUNTY_MUNICIPALITY],
    "state": [str(kind) for kind in OrganisationKind.central_state()],
}


def _reference_row(row: int, organisation: Organisation) -> Workplace:
    """One administration of the reference data as a frame row: municipal or state sector by its kind, its county
    and centrality where the reference data has them; its size in employees is not known."""
    municipal = organisation.kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY_MUNICIPALITY)
    centrality = organisation.centrality_class
    return Workplace(
        row=row,
        name=organisation.name[:200],
        sector=Sector.MUNICIPAL if municipal else Sector.STATE,
        org_type=organisation.kind,
        size_band=SizeBand.UNKNOWN,
        county=" ".join(organisation.county.name.replace("|", " ").split()) if organisation.county else NO_COUNTY,
        centrality=str(centrality) if centrality in range(1, 7) else Centrality.UNKNOWN,
        organisation=organisation,
        email=None,
        language="nb",
    )


@transaction.atomic
def frame_from_reference(*, actor: Any, round: Round, kinds: list[str]) -> int:
    """Replace a strategic round's frame with the active organisations of the reference data of the chosen
    ``kinds`` (municipalities, county municipalities, state bodies), one row each, with no address: the
    administrations are invited by uploading a frame instead, or answer through imported data. The number of rows."""
    require_editor_of(actor, round.owner)
    _require_draft(round)
    if round.kind != QuestionnaireKind.STRATEGIC:
        raise BarometerError(_("Only a strategic round can take its frame from the reference data."), "kinds")
    if not kinds or any(kind not in REFERENCE_KINDS for kind in kinds):
        raise BarometerError(_("Choose which organisations of the reference data make the frame."), "kinds")
    chosen = [k for kind in kinds for k in REFERENCE_KINDS[kind]]
    organisations = Organisation.objects.filter(kind__in=chosen, ended_on__isnull=True).select_related("county")
    rows = [_reference_row(row, o) for row, o in enumerate(organisations.order_by("kind", "name", "pk"), start=2)]
    if not rows:
        raise BarometerError(_("The reference data has no such organisations."), "kinds")
    Workplace.objects.filter(round=round).delete()
    for workplace in rows:
        workplace.round = round
    Workplace.objects.bulk_create(rows)
    Round.objects.filter(pk=round.pk).update(seed=None, sample_size=None)
    return len(rows)


def stratum_of(round: Round, workplace: Workplace) -> str:
    """The workplace's weighting stratum: its values of the round's stratum variables, joined; "all" without."""
    return " | ".join(workplace.value(v) for v in round.strata) or "all"


@transaction.atomic
def sample_draw(*, actor: Any, round: Round, size: int | None, seed: int | None = None) -> int:
    """Draw a stratified random sample of ``size`` workplaces (None: a census), with ``seed`` or a new random one,
    and record both. The number of workplaces in the sample."""
    require_editor_of(actor, round.owner)
    _require_draft(round)
    workplaces = list(Workplace.objects.filter(round=round).order_by("row"))
    if not workplaces:
        raise BarometerError(_("Upload the frame first."), "size")
    if size is not None and not 1 <= size <= len(workplaces):
        raise BarometerError(_("The sample must be from 1 to the number of workplaces in the frame."), "size")
    if seed is not None and not 0 <= seed < MAX_SEED:
        raise BarometerError(_("The seed must be a whole number from 0 to 281474976710655."), "seed")
    seed = secrets.randbelow(MAX_SEED) if seed is None else seed
    members: dict[str, list[int]] = defaultdict(list)
    for workplace in workplaces:
        members[stratum_of(round, workplace)].append(workplace.pk)
    chosen = sampling.draw(members, size, seed)
    Workplace.objects.filter(round=round).update(sampled=False)
    Workplace.objects.filter(pk__in=chosen).update(sampled=True)
    round.seed, round.sample_size = seed, size
    round.save(update_fields=["seed", "sample_size"])
    return len(chosen)


def cell_of(workplace: Workplace, own_units: Collection[int] = ()) -> str:
    """The survey engine's unit for a workplace: its values of every breakdown variable. Answers carry their unit
    (from the invitation), so the results can be weighted and broken down without knowing who answered. A
    workplace of an organisation in ``own_units`` gets a unit of that organisation's own (the same values, then its
    id), so the organisation can be shown its workplaces' aggregate."""
    cell = " | ".join(workplace.value(v) for v in STRATUM_VARIABLES)
    if workplace.organisation_id is not None and workplace.organisation_id in own_units:
        return organisation_unit(cell, workplace.organisation_id)
    return cell


def organisations_with_own_units(round: Round, sampled: list[Workplace]) -> set[int]:
    """The organisations with at least the round's smallest cell of workplaces in the sample: only they could ever
    be shown a figure of their own, so only they get units of their own (the engine allows 100 units a round)."""
    counts = Counter(w.organisation_id for w in sampled if w.organisation_id is not None)
    return {organisation for organisation, n in counts.items() if n >= round.min_cell}


@dataclass(frozen=True)
class FieldworkResult:
    invited: int
    without_address: int


@transaction.atomic
def fieldwork_start(*, actor: Any, round: Round, closes_on: datetime.date) -> FieldworkResult:
    """Open the survey engine's round (one unit per combination of the breakdown variables in the sample) and
    invite every sampled workplace's manager in their language. The engine refuses addresses outside the owner's
    e-mail domains unless an operator allowed them."""
    require_editor_of(actor, round.owner)
    _require_draft(round)
    sampled = list(Workplace.objects.filter(round=round, sampled=True).order_by("row"))
    if not sampled:
        raise BarometerError(_("Draw the sample first."), "closes_on")
    version = survey_selectors.latest_published_version(questionnaire.key(round.kind))
    if version is None:
        raise BarometerError(_("The questionnaire is not loaded."), "closes_on")
    own_units = organisations_with_own_units(round, sampled)
    cells = sorted({cell_of(w, own_units) for w in sampled})
    try:
        survey_round = survey_services.round_create(
            actor=actor,
            organisation=round.owner,
            data=survey_services.RoundInput(
                title=round.title,
                version=version,
                opens_on=timezone.localdate(),
                closes_on=closes_on,
                threshold=round.min_cell,
                share_in_benchmarks=False,
                units=cells,
            ),
        )
        units = {u.name: u for u in survey_round.units.all()}
        batches: dict[tuple[str, str], list[str]] = defaultdict(list)
        for workplace in sampled:
            if workplace.email:
                batches[(cell_of(workplace, own_units), workplace.language)].append(workplace.email)
        invited = 0
        for (cell, language), emails in sorted(batches.items()):
            result = survey_services.round_invite(
                actor=actor, round=survey_round, emails=emails, unit=units[cell], language=language
            )
            invited += result.sent
    except SurveyError as error:
        raise BarometerError(error.message, "closes_on" if error.field != "emails" else "emails") from None
    round.survey_round = survey_round
    round.status = RoundStatus.FIELDWORK
    round.save(update_fields=["survey_round", "status"])
    return FieldworkResult(invited, sum(1 for w in sampled if not w.email))


def reminders_send(*, actor: Any, round: Round) -> int:
    """Remind every sampled manager who has not answered, through the survey engine (a fresh link, in the language
    of their invitation). The number reminded."""
    require_editor_of(actor, round.owner)
    if round.status != RoundStatus.FIELDWORK or round.survey_round is None:
        raise BarometerError(_("Reminders can only be sent during fieldwork."))
    try:
        return survey_services.round_request_reminders(actor=actor, round=round.survey_round)
    except SurveyError as error:
        raise BarometerError(error.message) from None


@transaction.atomic
def round_close(*, actor: Any, round: Round) -> Round:
    """End fieldwork: the engine's round closes (it forgets the invitation addresses) and so do the frame's."""
    require_editor_of(actor, round.owner)
    if round.status != RoundStatus.FIELDWORK or round.survey_round is None:
        raise BarometerError(_("Only a round in fieldwork can be closed."))
    if not round.survey_round.is_closed():
        survey_services.round_close(actor=actor, round=round.survey_round)
    Workplace.objects.filter(round=round).update(email=None)
    round.status = RoundStatus.CLOSED
    round.save(update_fields=["status"])
    return round


def results_seen(*, round: Round, shown: bool) -> None:
    """A closed round's figures have been seen by its owner (results page, exports, microdata): the engine's round is
    frozen from here, as the engine does for its own results, so it can no longer be reopened for a late answer
    whose effect would show by comparing the figures before and after. A round whose results showed nothing (under
    the threshold) revealed nothing and stays as it is."""
    if not shown or round.status != RoundStatus.CLOSED or round.survey_round_id is None:
        return
    survey_round = survey_selectors.round_with_organisation(round.survey_round_id)
    if survey_round is not None:
        survey_services.round_results_opened(round=survey_round)


@transaction.atomic
def round_publish(*, actor: Any, round: Round) -> Round:
    """Publish a closed round's results. The engine's round is frozen from here: it is never reopened (new answers
    could be singled out by comparing the figures before and after)."""
    require_editor_of(actor, round.owner)
    if round.status != RoundStatus.CLOSED:
        raise BarometerError(_("Only a closed round can be published."))
    survey_round = survey_selectors.round_with_organisation(round.survey_round_id) if round.survey_round_id else None
    if survey_round is not None:
        survey_services.round_results_opened(round=survey_round)
    round.status = RoundStatus.PUBLISHED
    round.save(update_fields=["status"])
    return round
