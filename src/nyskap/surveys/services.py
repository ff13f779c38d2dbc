"""Writes of the survey engine. Each function owns its transaction, checks access and validates before it saves,
and raises `SurveyError` (a message fit for the user, with the field it concerns) or `PermissionDenied`.

Round lifecycle: a round is created for dates; it is open between them; a leader may close it early and reopen it
until its close date — unless it is frozen (its figures were seen or used in comparisons, `Round.frozen`).
Respondents reach a round through a personal invitation (recommended; the invitation carries the unit) or, when
the round allows it, its shared link (a one-time ticket per answer, a cap, the round as a whole only). The first
save uses the invitation (single use) and hands the respondent a resume secret instead — so the invitation never
has to be looked up again and nothing joins it to the answers. See ADR 0006 for the threat model.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nyskap.core.mail import deliver_now, site_url
from nyskap.core.permissions import require_editor_of
from nyskap.organisations.models import Organisation

from . import selectors
from .answers import parse_answers
from .errors import SurveyError
from .models import (
    DEFAULT_LINK_CAP,
    DEFAULT_LINK_THRESHOLD,
    MAX_LINK_CAP,
    MINIMUM_THRESHOLD,
    Answer,
    FrozenRoundError,
    Invitation,
    InvitationBatch,
    LinkTicket,
    QuestionnaireVersion,
    Response,
    Round,
    Unit,
    VersionStatus,
    hash_secret,
    link_threshold_error,
    new_secret,
    round_date_error,
)
from .selectors import Access, require_open

MAX_UNITS = 100


def require_leader(actor: Any, round: Round) -> None:
    """Leaders of a round are the editors and administrators of its organisation (and operators)."""
    require_editor_of(actor, round.organisation)


# Questionnaires


@transaction.atomic
def version_publish(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Freeze a draft version; from now on its items and dimensions refuse changes."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise SurveyError(_("This version is already published."))
    if not version.items.exists():
        raise SurveyError(_("A version without items cannot be published."))
    version.status = VersionStatus.PUBLISHED
    version.published_on = timezone.localdate()
    version.save(update_fields=["status", "published_on"])
    return version


@transaction.atomic
def version_new_draft(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """A new draft version copied from ``version``, for changes to a published questionnaire."""
    latest = QuestionnaireVersion.objects.filter(questionnaire=version.questionnaire).order_by("-number").first()
    draft = QuestionnaireVersion.objects.create(
        questionnaire=version.questionnaire,
        number=(latest.number if latest else 0) + 1,
        introduction_nb=version.introduction_nb,
        introduction_nn=version.introduction_nn,
        introduction_en=version.introduction_en,
    )
    dimensions = {}
    for dimension in version.dimensions.all():
        old_pk = dimension.pk
        dimension.pk = None
        dimension.version = draft
        dimension.save()
        dimensions[old_pk] = dimension
    for item in version.items.all():
        item.pk = None
        item.version = draft
        item.dimension = dimensions.get(item.dimension_id) if item.dimension_id else None
        item.save()
    return draft


# Rounds


@dataclass
class RoundInput:
    title: str
    version: QuestionnaireVersion
    opens_on: datetime.date
    closes_on: datetime.date
    threshold: int = 5
    expected_respondents: int | None = None
    share_in_benchmarks: bool = True
    units: Sequence[str] = field(default_factory=list)
    link_enabled: bool = False
    link_threshold: int = DEFAULT_LINK_THRESHOLD
    link_cap: int = DEFAULT_LINK_CAP


def _validate_round(data: RoundInput) -> list[str]:
    title = (data.title or "").strip()
    if not title:
        raise SurveyError(_("Give the round a title."), field="title")
    if len(title) > 200:
        raise SurveyError(_("The title can be at most 200 characters."), field="title")
    if not data.version.is_published:
        raise SurveyError(_("Only a published questionnaire can be used in a round."), field="version")
    date_error = round_date_error(data.opens_on, data.closes_on, new_opening=True)
    if date_error:
        raise SurveyError(date_error[1], field=date_error[0])
    if data.threshold < MINIMUM_THRESHOLD:
        raise SurveyError(_("The anonymity threshold must be at least 3."), field="threshold")
    if data.threshold > 100:
        raise SurveyError(_("The anonymity threshold can be at most 100."), field="threshold")
    if data.link_enabled:
        link_error = link_threshold_error(data.threshold, data.link_threshold)
        if link_error:
            raise SurveyError(link_error, field="link_threshold")
        if not 1 <= data.link_cap <= MAX_LINK_CAP:
            raise SurveyError(_("The most answers by shared link must be from 1 to 10000."), field="link_cap")
    units: list[str] = []
    for name in data.units:
        name = name.strip()
        if name and name.lower() not in {u.lower() for u in units}:
            if len(name) > 200:
                raise SurveyError(_("A unit name can be at most 200 characters."), field="units")
            units.append(name)
    if len(units) > MAX_UNITS:
        raise SurveyError(_("A round can have at most 100 units."), field="units")
    return units


@transaction.atomic
def round_create(*, actor: Any, organisation: Organisation, data: RoundInput) -> Round:
    require_editor_of(actor, organisation)
    units = _validate_round(data)
    round = Round.objects.create(
        organisation=organisation,
        version=data.version,
        title=data.title.strip(),
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        threshold=data.threshold,
        expected_respondents=data.expected_respondents,
        share_in_benchmarks=data.share_in_benchmarks,
        link_enabled=data.link_enabled,
        link_threshold=max(data.link_threshold, data.threshold),
        link_cap=data.link_cap,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Unit.objects.bulk_create(Unit(round=round, name=name, order=i) for i, name in enumerate(units))
    return round


@transaction.atomic
def round_close(*, actor: Any, round: Round) -> Round:
    require_leader(actor, round)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.is_closed():
        raise SurveyError(_("The round is already closed."))
    round.closed_early = True
    round.save(update_fields=["closed_early"])
    round_forget_addresses(round=round)
    return round


def round_forget_addresses(*, round: Round) -> None:
    """A closed round keeps no address list: the invitations' addresses are erased (the rows stay, so the counts
    of invited per unit and the used flags remain) and unspent shared-link tickets are deleted."""
    Invitation.objects.filter(round=round, email__isnull=False).update(email=None)
    LinkTicket.objects.filter(round=round).delete()


@transaction.atomic
def round_reopen(*, actor: Any, round: Round) -> Round:
    require_leader(actor, round)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.closed_early:
        raise SurveyError(_("Only a round closed early can be reopened."))
    if round.frozen:
        raise SurveyError(FrozenRoundError().message)
    if timezone.localdate() > round.closes_on:
        raise SurveyError(_("The close date has passed; the round can no longer be reopened."))
    round.closed_early = False
    round.save(update_fields=["closed_early"])
    return round


def rounds_freeze_for_comparisons(*, round_ids: Sequence[int]) -> None:
    """Rounds whose figures go into national or comparison figures are frozen (and keep no address list)."""
    Round.objects.filter(pk__in=round_ids, in_comparisons=False).update(in_comparisons=True)
    Invitation.objects.filter(round_id__in=round_ids, email__isnull=False).update(email=None)
    LinkTicket.objects.filter(round_id__in=round_ids).delete()


def round_results_opened(*, round: Round) -> None:
    """Record that figures of a closed round have been seen (see `Round.results_opened`). Called only when the
    results carried figures: a round closed under its threshold revealed nothing and may still be reopened."""
    if not round.is_closed():
        return
    if not round.results_opened:
        Round.objects.filter(pk=round.pk).update(results_opened=True)
        round.results_opened = True
    round_forget_addresses(round=round)


# Invitations


def email_domain_allow(*, organisation: Organisation, domain: str) -> None:
    """Register an e-mail domain of the organisation, so invitations may go to its addresses (what an operator does
    in the operator pages; used by demo content)."""
    from .models import EmailDomain

    EmailDomain.objects.get_or_create(organisation=organisation, domain=domain.lower())


@dataclass(frozen=True)
class InviteResult:
    sent: int
    already_invited: int


def _deliver_invitation(invitation: Invitation, token: str, reminder: bool) -> None:
    """Send straight through the delivery backend, not through the mail queue: a queued message would keep the
    address and the personal link in the task table. Written in the invitation's language."""
    with translation.override(invitation.language):
        message = _invitation_message(invitation, token, reminder)
    try:
        deliver_now([message])
    except Exception:
        # The delivery error may quote the address; the task's stored traceback must not.
        raise InvitationNotSent(invitation.pk) from None


def _invitation_message(invitation: Invitation, token: str, reminder: bool) -> EmailMessage:
    round = invitation.round
    url = site_url(reverse("surveys:respond", kwargs={"token": token}))
    subject = (
        _("Reminder: %(title)s") % {"title": round.title}
        if reminder
        else _("You are invited to answer: %(title)s") % {"title": round.title}
    )
    body = _(
        "%(organisation)s asks you to answer the survey “%(title)s”. Your answers are anonymous: they are not "
        "linked to you, your e-mail address or this invitation.\n\nAnswer here (the link works once; you can save "
        "and continue later):\n%(url)s\n\nThe survey closes on %(closes)s."
    ) % {"organisation": round.organisation, "title": round.title, "url": url, "closes": round.closes_on.isoformat()}
    return EmailMessage(subject=subject, body=body, to=[str(invitation.email)])


class InvitationNotSent(Exception):
    def __init__(self, invitation_id: int) -> None:
        super().__init__(f"Invitation {invitation_id} could not be delivered.")


def invitation_send(*, invitation_id: int, reminder: bool = False) -> None:
    """Make the invitation's personal link and send it (the task's only work). The token exists only here: it is
    hashed into the invitation row and put in the message, and goes nowhere else."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("round__organisation").filter(pk=invitation_id)
        ).first()
        if invitation is None or invitation.used or not invitation.email or invitation.round.is_closed():
            return
        token = new_secret()
        invitation.token_hash = hash_secret(token)
        if reminder:
            invitation.reminders_sent += 1
        invitation.save(update_fields=["token_hash", "reminders_sent"])
        _deliver_invitation(invitation, token, reminder)


@transaction.atomic
def round_invite(
    *, actor: Any, round: Round, emails: Sequence[str], unit: Unit | None = None, language: str | None = None
) -> InviteResult:
    """Invite each new address to the unit (when the round has units, one must be given). Addresses outside the
    organisation's domains are refused, naming the first. The invitations and their reminders are written in
    ``language`` (the leader's choice; their own e-mail language when none is given): a respondent may have no
    account, so there is no language of theirs to look up. The batch (who, how many, which unit) is recorded for
    the organisation's leaders. The links are made and sent by a task that is given only each invitation's id."""
    from .tasks import send_invitation

    require_leader(actor, round)
    if round.is_closed():
        raise SurveyError(_("The round is closed; nobody can be invited."), field="emails")
    language = language or getattr(actor, "email_language", settings.LANGUAGE_CODE)
    if language not in dict(settings.LANGUAGES):
        raise SurveyError(_("Choose one of the languages."), field="language")
    has_units = round.units.exists()
    if unit is not None and unit.round_id != round.pk:
        raise SurveyError(_("Choose one of the listed units."), field="unit")
    if has_units and unit is None:
        raise SurveyError(_("Choose the unit the people you invite belong to."), field="unit")
    refused = [email for email in emails if not selectors.invitation_allowed(round.organisation, email)]
    if refused:
        raise SurveyError(
            _(
                "“%(address)s” is not in the organisation's registered e-mail domains. Invitations go only to "
                "the organisation's own addresses; an operator can allow an exception."
            )
            % {"address": refused[0][:100]},
            field="emails",
        )
    existing = set(Invitation.objects.filter(round=round, email__in=emails).values_list("email", flat=True))
    created = [
        Invitation.objects.create(
            round=round, unit=unit, email=email, token_hash=hash_secret(new_secret()), language=language
        )
        for email in emails
        if email not in existing
    ]
    if created:
        InvitationBatch.objects.create(
            round=round,
            unit=unit,
            invited_by=actor if getattr(actor, "is_authenticated", False) else None,
            count=len(created),
        )
    for invitation in created:
        transaction.on_commit(partial(send_invitation.enqueue, invitation.pk))
    return InviteResult(sent=len(created), already_invited=len(existing))


def round_request_reminders(*, actor: Any, round: Round) -> int:
    """Queue the reminder task (it runs after the request, by a worker). The number of people to be reminded."""
    from .tasks import send_round_reminders

    require_leader(actor, round)
    if not round.is_open():
        raise SurveyError(_("Reminders can only be sent while the round is open."))
    pending = Invitation.objects.filter(round=round, used=False, email__isnull=False).count()
    if pending:
        transaction.on_commit(lambda: send_round_reminders.enqueue(round.pk))
    return pending


def round_send_reminders(*, round_id: int) -> int:
    """Send a reminder with a fresh link to every invitation not yet used (the old link stops working). Each
    reminder is its own transaction, so a failure leaves the others sent."""
    round = Round.objects.get(pk=round_id)
    if not round.is_open():
        return 0
    pending = list(Invitation.objects.filter(round=round, used=False, email__isnull=False).values_list("pk", flat=True))
    for pk in pending:
        invitation_send(invitation_id=pk, reminder=True)
    return len(pending)


# Answering


def link_ticket_issue(*, round: Round) -> str:
    """A one-time ticket for one answer by the shared link (drawn when the link's page or survey is fetched)."""
    ticket = new_secret()
    LinkTicket.objects.create(round=round, ticket_hash=hash_secret(ticket))
    return ticket


@dataclass(frozen=True)
class SaveResult:
    submitted: bool
    resume_secret: str | None


def response_save(
    *,
    access: Access,
    data: Mapping[str, Any],
    submit: bool,
    resume_secret: str | None = None,
    ticket: str | None = None,
    unit_id: int | None = None,
) -> SaveResult:
    """Save (and optionally submit) answers. Validation happens before anything is written, so a refusal stores
    nothing. The first save of an invitation marks it used; a draft keeps only the hash of its resume secret,
    which is dropped on submission. Nothing written here holds a time of day, the invitation, or the user.

    The unit comes from the invitation, never from the respondent (``unit_id`` is refused: choosing a unit is how
    a leader would pad a small unit with made-up answers). An answer by the shared link has no unit, spends a
    one-time ticket, and is refused once the round's cap of link answers is reached."""
    round = access.round
    if unit_id is not None:
        raise SurveyError(
            _("The unit cannot be chosen: it follows from the invitation, and answers by shared link have none."),
            field="unit",
        )
    items = list(round.version.items.all())
    parsed = parse_answers(items, data, complete=submit)
    by_link = access.invitation is None and access.draft is None
    if by_link and (not ticket or len(ticket) > 100):
        raise SurveyError(
            _("Open the survey link again to get a fresh answer form (the ticket is missing)."), field="ticket"
        )
    if access.invitation is not None:
        unit_pk = access.invitation.unit_id
    elif access.draft is not None:
        unit_pk = access.draft.unit_id
    else:
        unit_pk = None
    with transaction.atomic():
        if by_link:
            # The cap must hold under concurrent link answers: they queue on the round (invitations do not).
            current = Round.objects.select_for_update().get(pk=round.pk)
            require_open(current)
            spent, _per_model = LinkTicket.objects.filter(round=round, ticket_hash=hash_secret(str(ticket))).delete()
            if not spent:
                raise SurveyError(
                    _("This answer form has already been used or has expired. Open the survey link again."),
                    field="ticket",
                )
            if Response.objects.filter(round=round, via_link=True).count() >= current.link_cap:
                raise SurveyError(_("The survey takes no more answers by this link."))
        else:
            # Read again (without a lock: concurrent respondents must not queue on the round) in case it closed.
            require_open(Round.objects.get(pk=round.pk))
        if access.invitation is not None:
            invitation = Invitation.objects.select_for_update().get(pk=access.invitation.pk)
            if invitation.used:
                raise SurveyError(_("This link has already been used."))
            invitation.used = True
            invitation.save(update_fields=["used"])
        if access.draft is not None:
            response = Response.objects.select_for_update().get(pk=access.draft.pk)
            if response.submitted:
                raise SurveyError(_("These answers have already been submitted."))
            Answer.objects.filter(response=response).delete()
        else:
            response = Response(round=round, via_link=by_link)
        secret = None
        if submit:
            response.submitted = True
            response.resume_hash = None
        else:
            secret = resume_secret or new_secret()
            response.resume_hash = hash_secret(secret)
        response.unit_id = unit_pk
        response.saved_on = timezone.localdate()
        response.save()
        Answer.objects.bulk_create(
            Answer(
                response=response,
                item_id=item_pk,
                value=a.value,
                dont_know=a.dont_know,
                choice=a.choice,
                choices=a.choices,
                text=a.text,
            )
            for item_pk, a in parsed.items()
        )
    return SaveResult(submitted=submit, resume_secret=secret)


# Importing earlier answers


MAX_IMPORTED_RESPONSES = 100_000


@transaction.atomic
def responses_import(*, actor: Any, round: Round, responses: Sequence[tuple[str, Mapping[str, Any]]]) -> int:
    """Import earlier anonymous answers (microdata of an earlier survey) into a closed round whose figures nobody
    has seen: each response as (unit name, answers by item key), checked with the same rules as an answer. All or
    nothing: a `SurveyError` whose ``errors`` are keyed ``"<index>:<item key or 'unit'>"`` lists every problem."""
    require_leader(actor, round)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.is_closed():
        raise SurveyError(_("Only a closed round can take imported answers."))
    if round.frozen:
        raise SurveyError(FrozenRoundError().message)
    if len(responses) > MAX_IMPORTED_RESPONSES:
        raise SurveyError(_("At most 100000 responses can be imported at a time."))
    items = list(round.version.items.all())
    units = {u.name: u.pk for u in round.units.all()}
    errors: dict[str, str] = {}
    parsed_rows = []
    for index, (unit, data) in enumerate(responses):
        if unit not in units:
            errors[f"{index}:unit"] = _("Choose one of the listed units.")
        try:
            parsed_rows.append((units.get(unit), parse_answers(items, data, complete=True)))
        except SurveyError as error:
            for key, message in error.errors.items():
                errors[f"{index}:{key}"] = message
    if errors:
        raise SurveyError(_("Some answers are not valid."), errors=errors)
    today = timezone.localdate()
    created = Response.objects.bulk_create(
        Response(round=round, unit_id=unit_pk, submitted=True, saved_on=today) for unit_pk, _parsed in parsed_rows
    )
    Answer.objects.bulk_create(
        (
            Answer(
                response=response,
                item_id=item_pk,
                value=a.value,
                dont_know=a.dont_know,
                choice=a.choice,
                choices=a.choices,
                text=a.text,
            )
            for response, (_unit, parsed) in zip(created, parsed_rows, strict=True)
            for item_pk, a in parsed.items()
        ),
        batch_size=5000,
    )
    return len(created)
