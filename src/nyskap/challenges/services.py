"""Every write to challenges: creating and editing, one function per status transition, joining, questions,
proposals, evaluation and the outcome.

Who may do what:
- change a challenge, answer questions, evaluate, record the outcome: editors and administrators of an owning
  public body (`core.permissions.edits_for_any`); operators moderate through the admin, not here;
- read proposals: members of an owning body (any role) and the supplier that sent them — nobody else;
- join ("we have the same need"): an editor of another public body;
- ask and propose: a signed-in user with a supplier profile (`accounts.SupplierProfile`).

Deadlines are aware datetimes compared with `timezone.now()` on the server; forms read them in Europe/Oslo time.
A refused change raises `ChallengeError` naming the field.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nyskap.accounts.models import SupplierProfile
from nyskap.core.forms import Refusal
from nyskap.core.mail import site_url
from nyskap.core.permissions import edits_for_any, organisations_edited_by, require_editor_of
from nyskap.core.slugs import unique_slug
from nyskap.organisations.models import Organisation
from nyskap.organisations.reference_data import slug_base

from . import calculations
from .models import (
    Challenge,
    ChallengeAttachment,
    ChallengeOwner,
    ChallengeStatus,
    Criterion,
    JoinStatus,
    OpeningAlert,
    Outcome,
    ProgrammeStage,
    ProgrammeStageKind,
    Proposal,
    ProposalAccess,
    ProposalStatus,
    Question,
    Score,
    SharedNeed,
    StatusChange,
    SupplierFollow,
)
from .search import index_challenge

logger = logging.getLogger(__name__)

RESERVED_SLUGS = {"ny", "resultater", "eksport", "leverandor", "forslag"}

RULE_MESSAGES = {
    "Add at least one criterion.": gettext_lazy("Add at least one criterion."),
    "A weight is a percentage from 0 to 100.": gettext_lazy("A weight is a percentage from 0 to 100."),
    "The weights must add up to 100.": gettext_lazy("The weights must add up to 100."),
    "The budget cannot be negative.": gettext_lazy("The budget cannot be negative."),
    "The upper budget cannot be below the lower budget.": gettext_lazy(
        "The upper budget cannot be below the lower budget."
    ),
}


class ChallengeError(Refusal):
    """A refused change: ``problems`` are (field, message) pairs, the messages fit to show next to the field."""


# Access


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def owner_ids(challenge: Challenge) -> set[int]:
    return set(ChallengeOwner.objects.filter(challenge=challenge).values_list("organisation_id", flat=True))


def is_owner_member(user: Any, challenge: Challenge) -> bool:
    """A member (any role) of an owning body: sees the draft, the proposals, who asked."""
    if not _signed_in(user):
        return False
    return bool(user.memberships.filter(organisation_id__in=owner_ids(challenge)).exists())


def can_change(user: Any, challenge: Challenge) -> bool:
    """An editor or administrator of an owning body."""
    if not _signed_in(user):
        return False
    return edits_for_any(user, owner_ids(challenge))


def can_view(user: Any, challenge: Challenge) -> bool:
    return challenge.is_public or is_owner_member(user, challenge)


def require_change(user: Any, challenge: Challenge) -> None:
    if not can_change(user, challenge):
        raise PermissionDenied(_("Only editors of the challenge's owners can change it."))


def public_bodies_edited_by(user: Any) -> Any:
    return organisations_edited_by(user).filter(pk__in=Organisation.objects.public_sector().values("pk")).distinct()


def may_create(user: Any) -> bool:
    return _signed_in(user) and public_bodies_edited_by(user).exists()


def supplier_of(user: Any) -> SupplierProfile | None:
    if not _signed_in(user):
        return None
    return SupplierProfile.objects.filter(user=user).first()


# Creating and editing

EDITABLE_FIELDS = (
    "title",
    "need",
    "effect",
    "target_users",
    "sector",
    "topics",
    "budget_min",
    "budget_max",
    "procedure",
    "opens_at",
    "dialogue_deadline",
    "proposal_deadline",
    "contact_name",
    "contact_email",
)


NULLABLE_FIELDS = {"budget_min", "budget_max", "opens_at", "dialogue_deadline", "proposal_deadline"}


def _value(name: str, value: Any) -> Any:
    if value is None and name not in NULLABLE_FIELDS:
        return ""
    return value


def check_fields(challenge: Challenge) -> None:
    problems: list[tuple[str, str]] = []
    if not challenge.title.strip():
        problems.append(("title", _("Give the challenge a title.")))
    if not challenge.need.strip():
        problems.append(("need", _("Describe the need.")))
    field, message = calculations.budget_problem(challenge.budget_min, challenge.budget_max)
    if field:
        problems.append((field, str(RULE_MESSAGES[message])))
    if challenge.opens_at and challenge.proposal_deadline and challenge.proposal_deadline <= challenge.opens_at:
        problems.append(("proposal_deadline", _("The deadline for proposals must be after the opening.")))
    if challenge.opens_at and challenge.dialogue_deadline and challenge.dialogue_deadline <= challenge.opens_at:
        problems.append(("dialogue_deadline", _("The deadline for questions must be after the opening.")))
    if problems:
        raise ChallengeError(problems)


def _check_owners(actor: Any, owners: Sequence[Organisation]) -> None:
    if not owners:
        raise ChallengeError.one("owners", _("Choose at least one public body as owner."))
    public = set(
        Organisation.objects.public_sector().filter(pk__in=[o.pk for o in owners]).values_list("pk", flat=True)
    )
    for owner in owners:
        if owner.pk not in public:
            raise ChallengeError.one("owners", _("Only public bodies own challenges."))
        if not edits_for_any(actor, [owner.pk]):
            raise PermissionDenied(_("Only editors of %(organisation)s can post for it.") % {"organisation": owner})


def update_bodies_count(challenge: Challenge) -> int:
    count = ChallengeOwner.objects.filter(challenge=challenge).count()
    # Accepted bodies are owners now; pending and declined ones still have the same need.
    count += SharedNeed.objects.filter(challenge=challenge).exclude(status=JoinStatus.ACCEPTED).count()
    Challenge.objects.filter(pk=challenge.pk).update(bodies_count=count)
    challenge.bodies_count = count
    return count


@transaction.atomic
def challenge_create(
    *, actor: Any, owners: Sequence[Organisation], fields: Mapping[str, Any], is_example: bool = False, source: str = ""
) -> Challenge:
    """A new challenge, as a draft. The actor must edit for every owner."""
    _check_owners(actor, owners)
    challenge = Challenge(status=ChallengeStatus.DRAFT, is_example=is_example, source=source)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(challenge, name, _value(name, fields[name]))
    check_fields(challenge)
    base = slug_base(challenge.title) or "utfordring"
    taken = set(Challenge.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    challenge.slug = unique_slug(base, taken)
    challenge.save()
    for owner in owners:
        ChallengeOwner.objects.create(challenge=challenge, organisation=owner, is_lead=True)
    if _signed_in(actor):
        challenge.authors.add(actor)
    StatusChange.objects.create(
        challenge=challenge, status=ChallengeStatus.DRAFT, by=actor if _signed_in(actor) else None
    )
    update_bodies_count(challenge)
    ensure_programme(challenge)
    index_challenge(challenge)
    return challenge


@transaction.atomic
def challenge_update(*, actor: Any, challenge: Challenge, fields: Mapping[str, Any]) -> Challenge:
    require_change(actor, challenge)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(challenge, name, _value(name, fields[name]))
    check_fields(challenge)
    challenge.save()
    ensure_programme(challenge)
    index_challenge(challenge)
    return challenge


@transaction.atomic
def attachment_add(*, actor: Any, challenge: Challenge, file: Any, title: str = "") -> ChallengeAttachment:
    require_change(actor, challenge)
    # An uploaded file's name has no length limit; the title column has one (PostgreSQL refuses longer values).
    limit = ChallengeAttachment._meta.get_field("title").max_length or 200
    return ChallengeAttachment.objects.create(challenge=challenge, file=file, title=(title or file.name)[:limit])


# The start-up programme (StartOff shape, DOMAIN.md §6.2)

# (kind, suppliers, amount each): the StartOff defaults, to be adjusted per challenge. The development stage's
# NOK 600,000 is the example budget DOMAIN.md names; the others are placeholders.
PROGRAMME_TEMPLATE: list[tuple[str, int | None, int | None]] = [
    (ProgrammeStageKind.IDEA_SKETCH, None, None),
    (ProgrammeStageKind.SOLUTION_PROPOSALS, 3, 100_000),
    (ProgrammeStageKind.DEVELOPMENT, 1, 600_000),
    (ProgrammeStageKind.PROTOTYPE, 1, None),
    (ProgrammeStageKind.PURCHASE, None, None),
]


def ensure_programme(challenge: Challenge) -> list[ProgrammeStage]:
    """A challenge with the start-up programme procedure gets the five stages, once."""
    from .models import Procedure

    if challenge.procedure != Procedure.STARTUP_PROGRAMME or challenge.stages.exists():
        return list(challenge.stages.all())
    return [
        ProgrammeStage.objects.create(
            challenge=challenge, kind=kind, position=position, suppliers=suppliers, amount_each=amount
        )
        for position, (kind, suppliers, amount) in enumerate(PROGRAMME_TEMPLATE, start=1)
    ]


def _months_between(start: datetime.date, end: datetime.date) -> float:
    return (end - start).days / 30.44


@transaction.atomic
def stage_update(
    *,
    actor: Any,
    stage: ProgrammeStage,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    suppliers: int | None,
    amount_each: int | None,
    note: str = "",
) -> ProgrammeStage:
    require_change(actor, stage.challenge)
    if starts_on and ends_on and ends_on < starts_on:
        raise ChallengeError.one("ends_on", _("The stage cannot end before it starts."))
    if stage.kind == ProgrammeStageKind.DEVELOPMENT and starts_on and ends_on:
        months = _months_between(starts_on, ends_on)
        if months < 2.9 or months > 6.1:
            raise ChallengeError.one("ends_on", _("A development contract lasts 3 to 6 months."))
    stage.starts_on, stage.ends_on = starts_on, ends_on
    stage.suppliers, stage.amount_each, stage.note = suppliers, amount_each, note
    stage.save()
    return stage


# Transitions


def _move(challenge: Challenge, actor: Any, status: str, *, allowed_from: Sequence[str], note: str = "") -> None:
    if challenge.status not in set(allowed_from):
        raise ChallengeError.one(
            "status",
            _("A challenge that is “%(now)s” cannot become “%(next)s”.")
            % {"now": challenge.get_status_display(), "next": ChallengeStatus(status).label},
        )
    challenge.status = status
    challenge.status_changed_at = timezone.now()
    StatusChange.objects.create(challenge=challenge, status=status, by=actor, note=note)


def _locked(actor: Any, challenge: Challenge) -> Challenge:
    require_change(actor, challenge)
    return Challenge.objects.select_for_update().get(pk=challenge.pk)


def _opened(challenge: Challenge) -> None:
    if challenge.opens_at is None:
        challenge.opens_at = timezone.now()
    if challenge.proposal_deadline and challenge.proposal_deadline <= challenge.opens_at:
        raise ChallengeError.one("proposal_deadline", _("The deadline for proposals must be after the opening."))
    from . import tasks

    transaction.on_commit(partial(tasks.send_opening_alerts.enqueue, challenge.pk))


@transaction.atomic
def open_dialogue(*, actor: Any, challenge: Challenge) -> Challenge:
    challenge = _locked(actor, challenge)
    _move(challenge, actor, ChallengeStatus.DIALOGUE, allowed_from=[ChallengeStatus.DRAFT])
    _opened(challenge)
    challenge.save()
    return challenge


@transaction.atomic
def open_proposals(*, actor: Any, challenge: Challenge) -> Challenge:
    challenge = _locked(actor, challenge)
    was_draft = challenge.status == ChallengeStatus.DRAFT
    _move(challenge, actor, ChallengeStatus.PROPOSALS, allowed_from=[ChallengeStatus.DRAFT, ChallengeStatus.DIALOGUE])
    if was_draft:
        _opened(challenge)
    challenge.save()
    return challenge


@transaction.atomic
def start_evaluation(*, actor: Any, challenge: Challenge) -> Challenge:
    challenge = _locked(actor, challenge)
    _move(challenge, actor, ChallengeStatus.EVALUATION, allowed_from=[ChallengeStatus.PROPOSALS])
    challenge.save()
    return challenge


@transaction.atomic
def award(
    *,
    actor: Any,
    challenge: Challenge,
    procedure: str,
    decided_on: datetime.date,
    contract_value: int | None = None,
    suppliers: str = "",
    project: Any = None,
) -> Outcome:
    """Awarded: the outcome is recorded and everyone who proposed is told."""
    challenge = _locked(actor, challenge)
    if contract_value is not None and contract_value < 0:
        raise ChallengeError.one("contract_value", _("The contract value cannot be negative."))
    _move(challenge, actor, ChallengeStatus.AWARDED, allowed_from=[ChallengeStatus.EVALUATION])
    challenge.save()
    outcome, _created = Outcome.objects.update_or_create(
        challenge=challenge,
        defaults={
            "procedure": procedure,
            "decided_on": decided_on,
            "contract_value": contract_value,
            "suppliers": suppliers,
            "project": project,
        },
    )
    _tell_proposers(challenge)
    return outcome


@transaction.atomic
def not_award(*, actor: Any, challenge: Challenge, reason: str) -> Challenge:
    if not reason.strip():
        raise ChallengeError.one("reason", _("Say why the challenge is not awarded."))
    challenge = _locked(actor, challenge)
    _move(
        challenge,
        actor,
        ChallengeStatus.NOT_AWARDED,
        allowed_from=[ChallengeStatus.DIALOGUE, ChallengeStatus.PROPOSALS, ChallengeStatus.EVALUATION],
        note=reason.strip(),
    )
    challenge.not_awarded_reason = reason.strip()
    challenge.save()
    _tell_proposers(challenge)
    return challenge


@transaction.atomic
def put_in_use(*, actor: Any, challenge: Challenge) -> Challenge:
    challenge = _locked(actor, challenge)
    _move(challenge, actor, ChallengeStatus.IN_USE, allowed_from=[ChallengeStatus.AWARDED])
    challenge.save()
    return challenge


# Joining: "we have the same need"


@transaction.atomic
def join(*, actor: Any, challenge: Challenge, organisation: Organisation, note: str = "") -> SharedNeed:
    if not challenge.is_public:
        raise ChallengeError.one("organisation", _("Only an open challenge can be joined."))
    require_editor_of(actor, organisation)
    if not Organisation.objects.public_sector().filter(pk=organisation.pk).exists():
        raise ChallengeError.one("organisation", _("Only public bodies can join a challenge."))
    if organisation.pk in owner_ids(challenge):
        raise ChallengeError.one(
            "organisation", _("%(organisation)s already owns this challenge.") % {"organisation": organisation}
        )
    if SharedNeed.objects.filter(challenge=challenge, organisation=organisation).exists():
        raise ChallengeError.one(
            "organisation", _("%(organisation)s has already joined this challenge.") % {"organisation": organisation}
        )
    shared = SharedNeed.objects.create(challenge=challenge, organisation=organisation, note=note.strip(), by=actor)
    update_bodies_count(challenge)
    return shared


@transaction.atomic
def accept_co_owner(*, actor: Any, shared: SharedNeed) -> SharedNeed:
    require_change(actor, shared.challenge)
    if shared.status != JoinStatus.PENDING:
        raise ChallengeError.one("status", _("This body has already been answered."))
    shared.status = JoinStatus.ACCEPTED
    shared.decided_at = timezone.now()
    shared.save()
    ChallengeOwner.objects.get_or_create(
        challenge=shared.challenge, organisation=shared.organisation, defaults={"is_lead": False}
    )
    update_bodies_count(shared.challenge)
    return shared


@transaction.atomic
def decline_co_owner(*, actor: Any, shared: SharedNeed) -> SharedNeed:
    """The body keeps saying it has the same need (it still counts), but does not become a co-owner."""
    require_change(actor, shared.challenge)
    if shared.status != JoinStatus.PENDING:
        raise ChallengeError.one("status", _("This body has already been answered."))
    shared.status = JoinStatus.DECLINED
    shared.decided_at = timezone.now()
    shared.save()
    update_bodies_count(shared.challenge)
    return shared


# Suppliers follow sectors and topics


def follow(*, actor: Any, sector: str = "", topic: str = "") -> SupplierFollow:
    supplier = supplier_of(actor)
    if supplier is None:
        raise ChallengeError.one("sector", _("Register your company as a supplier first."))
    topic = topic.strip().lower()
    if not sector and not topic:
        raise ChallengeError.one("sector", _("Choose a sector or write a topic."))
    existing = SupplierFollow.objects.filter(supplier=supplier, sector=sector, topic=topic).first()
    if existing:
        return existing
    return SupplierFollow.objects.create(supplier=supplier, sector=sector, topic=topic)


def unfollow(*, actor: Any, follow_id: int) -> None:
    supplier = supplier_of(actor)
    if supplier is None:
        raise PermissionDenied
    SupplierFollow.objects.filter(supplier=supplier, pk=follow_id).delete()


def followers_of(challenge: Challenge) -> Any:
    """The users of the suppliers following the challenge's sector or one of its topics."""
    condition = Q(pk__in=[])
    if challenge.sector:
        condition |= Q(sector=challenge.sector)
    topics = [t.lower() for t in challenge.topic_list]
    if topics:
        condition |= Q(topic__in=topics)
    from django.contrib.auth import get_user_model

    supplier_ids = SupplierFollow.objects.filter(condition).values("supplier_id")
    return get_user_model().objects.filter(is_active=True, supplier_profile__in=supplier_ids).distinct()


def opening_message(challenge: Challenge, user: Any) -> EmailMultiAlternatives:
    with translation.override(user.email_language):
        url = site_url(reverse("challenges:detail", kwargs={"slug": challenge.slug}))
        subject = _("Nyskap: a new challenge you follow: “%(title)s”") % {"title": challenge.title}
        text = render_to_string("challenges/email/opened.txt", {"challenge": challenge, "url": url, "user": user})
    return EmailMultiAlternatives(subject=subject, body=text, to=[user.email])


@transaction.atomic
def send_opening_alert(*, challenge: Challenge, user: Any) -> int:
    _alert, created = OpeningAlert.objects.get_or_create(challenge=challenge, user=user)
    if not created:
        return 0
    return opening_message(challenge, user).send()


# Questions


def _require_supplier(actor: Any) -> SupplierProfile:
    supplier = supplier_of(actor)
    if supplier is None:
        raise PermissionDenied(_("Register your company as a supplier first."))
    return supplier


@transaction.atomic
def ask(*, actor: Any, challenge: Challenge, text: str) -> Question:
    supplier = _require_supplier(actor)
    if challenge.status not in (ChallengeStatus.DIALOGUE, ChallengeStatus.PROPOSALS):
        raise ChallengeError.one("text", _("Questions can be asked while the challenge is open."))
    if challenge.dialogue_deadline and timezone.now() > challenge.dialogue_deadline:
        raise ChallengeError.one("text", _("The deadline for questions has passed."))
    if not text.strip():
        raise ChallengeError.one("text", _("Write the question."))
    return Question.objects.create(challenge=challenge, asked_by=actor, supplier=supplier, text=text.strip())


@transaction.atomic
def answer(*, actor: Any, question: Question, text: str) -> Question:
    require_change(actor, question.challenge)
    if not text.strip():
        raise ChallengeError.one("answer", _("Write the answer."))
    question.answer = text.strip()
    question.answered_at = timezone.now()
    question.save()
    return question


# Proposals


def _check_deadline(challenge: Challenge, field: str) -> None:
    if challenge.status != ChallengeStatus.PROPOSALS:
        raise ChallengeError.one(field, _("The challenge is not open for proposals."))
    deadline = challenge.proposal_deadline
    if deadline is not None and timezone.now() >= deadline:
        local = timezone.localtime(deadline)
        raise ChallengeError.one(
            field,
            _(
                "The deadline for proposals was %(deadline)s (Norwegian time). "
                "Proposals can no longer be sent or changed."
            )
            % {"deadline": date_format(local, "DATETIME_FORMAT")},
        )


def _attachment_bytes(upload: Any) -> bytes:
    if not upload:
        return b""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return bytes(data)


@transaction.atomic
def submit_proposal(*, actor: Any, challenge: Challenge, text: str, attachment: Any = None) -> Proposal:
    """Send (or send again after withdrawing, or change) the supplier's proposal; a receipt is e-mailed."""
    supplier = _require_supplier(actor)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    _check_deadline(challenge, "text")
    if not text.strip():
        raise ChallengeError.one("text", _("Write the proposal."))
    proposal = Proposal.objects.filter(challenge=challenge, supplier=supplier).first()
    data = _attachment_bytes(attachment)
    if proposal is None:
        proposal = Proposal(challenge=challenge, supplier=supplier)
    elif not attachment and proposal.attachment:
        with proposal.attachment.open("rb") as kept:
            data = kept.read()
    proposal.submitted_by = actor
    proposal.text = text.strip()
    if attachment:
        proposal.attachment = attachment
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.receipt_hash = calculations.receipt_hash(proposal.text, data)
    proposal.save()
    receipt_message(proposal, actor).send()
    return proposal


@transaction.atomic
def withdraw_proposal(*, actor: Any, proposal: Proposal) -> Proposal:
    if supplier_of(actor) != proposal.supplier:
        raise PermissionDenied
    _check_deadline(Challenge.objects.get(pk=proposal.challenge_id), "text")
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status"])
    return proposal


def receipt_message(proposal: Proposal, user: Any) -> EmailMultiAlternatives:
    with translation.override(user.email_language):
        url = site_url(reverse("challenges:proposal", kwargs={"slug": proposal.challenge.slug}))
        subject = _("Nyskap: receipt for your proposal to “%(title)s”") % {"title": proposal.challenge.title}
        text = render_to_string("challenges/email/receipt.txt", {"proposal": proposal, "url": url})
    return EmailMultiAlternatives(subject=subject, body=text, to=[user.email])


def log_operator_access(*, actor: Any, proposal: Proposal, reason: str) -> ProposalAccess:
    from nyskap.core.permissions import is_operator

    if not is_operator(actor):
        raise PermissionDenied
    if len(reason.strip()) < 10:
        raise ChallengeError.one("reason", _("State the reason for reading the proposal (at least 10 characters)."))
    return ProposalAccess.objects.create(proposal=proposal, user=actor, reason=reason.strip())


# Evaluation


@transaction.atomic
def set_criteria(*, actor: Any, challenge: Challenge, criteria: Sequence[tuple[str, int]]) -> list[Criterion]:
    require_change(actor, challenge)
    criteria = [(name.strip(), weight) for name, weight in criteria if name.strip()]
    problem = calculations.weights_problem([weight for _name, weight in criteria])
    if problem:
        raise ChallengeError.one("criteria", str(RULE_MESSAGES[problem]))
    if Score.objects.filter(criterion__challenge=challenge).exists():
        raise ChallengeError.one("criteria", _("Proposals have been scored: the criteria can no longer change."))
    Criterion.objects.filter(challenge=challenge).delete()
    return [Criterion.objects.create(challenge=challenge, name=name, weight=weight) for name, weight in criteria]


@transaction.atomic
def score(*, actor: Any, proposal: Proposal, values: Mapping[int, int]) -> None:
    challenge = Challenge.objects.get(pk=proposal.challenge_id)
    require_change(actor, challenge)
    if challenge.status != ChallengeStatus.EVALUATION:
        raise ChallengeError.one("status", _("Proposals are scored during the evaluation."))
    criteria = {c.pk: c for c in challenge.criteria.all()}
    for criterion_id, value in values.items():
        if criterion_id not in criteria:
            raise ChallengeError.one("criteria", _("Unknown criterion."))
        if not 0 <= value <= calculations.MAX_SCORE:
            raise ChallengeError.one(f"c{criterion_id}", _("A score is from 0 to 10."))
        Score.objects.update_or_create(
            proposal=proposal, criterion=criteria[criterion_id], evaluator=actor, defaults={"value": value}
        )


@transaction.atomic
def set_shortlisted(*, actor: Any, proposal: Proposal, shortlisted: bool) -> Proposal:
    challenge = Challenge.objects.get(pk=proposal.challenge_id)
    require_change(actor, challenge)
    if challenge.status != ChallengeStatus.EVALUATION:
        raise ChallengeError.one("status", _("The shortlist is made during the evaluation."))
    proposal.shortlisted = shortlisted
    proposal.save(update_fields=["shortlisted"])
    return proposal


def outcome_message(proposal: Proposal, user: Any) -> EmailMultiAlternatives:
    with translation.override(user.email_language):
        url = site_url(reverse("challenges:detail", kwargs={"slug": proposal.challenge.slug}))
        subject = _("Nyskap: the outcome of “%(title)s”") % {"title": proposal.challenge.title}
        context = {"proposal": proposal, "challenge": proposal.challenge, "url": url}
        text = render_to_string("challenges/email/outcome.txt", context)
    return EmailMultiAlternatives(subject=subject, body=text, to=[user.email])


def _tell_proposers(challenge: Challenge) -> int:
    sent = 0
    for proposal in challenge.proposals.filter(status=ProposalStatus.SUBMITTED).select_related("supplier__user"):
        user = proposal.submitted_by or proposal.supplier.user
        sent += outcome_message(proposal, user).send()
        proposal.outcome_sent_at = timezone.now()
        proposal.save(update_fields=["outcome_sent_at"])
    return sent


def can_read_proposals(user: Any, challenge: Challenge) -> bool:
    return is_owner_member(user, challenge)
