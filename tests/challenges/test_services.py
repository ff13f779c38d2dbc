"""The challenge's rules, through the services."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from nyskap.challenges import selectors, services
from nyskap.challenges.models import (
    ChallengeStatus,
    JoinStatus,
    Procedure,
    ProgrammeStageKind,
    ProposalStatus,
    StatusChange,
)
from nyskap.challenges.services import ChallengeError

from .factories import make_challenge

pytestmark = pytest.mark.django_db


def test_created_as_draft_with_the_transition_recorded(challenge, innovator):
    assert challenge.status == ChallengeStatus.DRAFT
    assert challenge.bodies_count == 1
    assert list(challenge.status_changes.values_list("status", flat=True)) == ["draft"]


def test_lifecycle_each_step_dated_and_recorded(challenge, innovator):
    services.open_dialogue(actor=innovator, challenge=challenge)
    services.open_proposals(actor=innovator, challenge=challenge)
    services.start_evaluation(actor=innovator, challenge=challenge)
    services.award(
        actor=innovator,
        challenge=challenge,
        procedure=Procedure.INNOVATION_PARTNERSHIP,
        decided_on=datetime.date(2026, 5, 1),
        contract_value=400_000,
        suppliers="Start AS",
    )
    services.put_in_use(actor=innovator, challenge=challenge)
    changes = list(StatusChange.objects.filter(challenge=challenge).order_by("at", "pk"))
    assert [c.status for c in changes] == ["draft", "dialogue", "proposals", "evaluation", "awarded", "in_use"]
    assert all(c.at and c.by == innovator for c in changes)


def test_transition_out_of_order_is_refused(challenge, innovator):
    with pytest.raises(ChallengeError) as error:
        services.start_evaluation(actor=innovator, challenge=challenge)
    assert error.value.problems[0][0] == "status"


def test_not_awarded_needs_a_reason(open_challenge, innovator):
    with pytest.raises(ChallengeError) as error:
        services.not_award(actor=innovator, challenge=open_challenge, reason="  ")
    assert error.value.problems[0][0] == "reason"
    services.not_award(actor=innovator, challenge=open_challenge, reason="Ingen forslag dekket behovet.")
    open_challenge.refresh_from_db()
    assert open_challenge.status == ChallengeStatus.NOT_AWARDED


def test_only_owners_editors_change(challenge, outsider, colleague, operator):
    for user in (outsider, colleague, operator):
        with pytest.raises(PermissionDenied):
            services.open_dialogue(actor=user, challenge=challenge)


def test_bad_budget_and_deadline_are_refused_at_their_fields(innovator, home_municipality):
    with pytest.raises(ChallengeError) as error:
        make_challenge(actor=innovator, owner=home_municipality, budget_min=500, budget_max=100)
    assert error.value.problems[0][0] == "budget_max"
    now = timezone.now()
    with pytest.raises(ChallengeError) as error:
        make_challenge(
            actor=innovator, owner=home_municipality, opens_at=now, proposal_deadline=now - datetime.timedelta(hours=1)
        )
    assert error.value.problems[0][0] == "proposal_deadline"


def test_only_public_bodies_own(innovator, company):
    from ..accounts.factories import MembershipFactory

    MembershipFactory(user=innovator, organisation=company, role="editor")
    with pytest.raises(ChallengeError) as error:
        make_challenge(actor=innovator, owner=company)
    assert error.value.problems[0][0] == "owners"


def test_join_accept_as_co_owner_and_counts(open_challenge, innovator, outsider, other_municipality):
    shared = services.join(
        actor=outsider, challenge=open_challenge, organisation=other_municipality, note="Samme hos oss"
    )
    open_challenge.refresh_from_db()
    assert open_challenge.bodies_count == 2
    with pytest.raises(ChallengeError):
        services.join(actor=outsider, challenge=open_challenge, organisation=other_municipality)
    with pytest.raises(PermissionDenied):
        services.accept_co_owner(actor=outsider, shared=shared)
    services.accept_co_owner(actor=innovator, shared=shared)
    shared.refresh_from_db()
    open_challenge.refresh_from_db()
    assert shared.status == JoinStatus.ACCEPTED
    assert open_challenge.bodies_count == 2
    assert services.can_change(outsider, open_challenge)
    assert selectors.filtered(selectors.public(), {}, min_bodies=2).count() == 1
    assert selectors.filtered(selectors.public(), {}, min_bodies=3).count() == 0


def test_a_draft_cannot_be_joined(challenge, outsider, other_municipality):
    with pytest.raises(ChallengeError):
        services.join(actor=outsider, challenge=challenge, organisation=other_municipality)


def test_startup_programme_creates_the_stages(innovator, home_municipality):
    challenge = make_challenge(actor=innovator, owner=home_municipality, procedure=Procedure.STARTUP_PROGRAMME)
    kinds = list(challenge.stages.values_list("kind", flat=True))
    assert kinds == [k.value for k in ProgrammeStageKind]
    development = challenge.stages.get(kind=ProgrammeStageKind.DEVELOPMENT)
    assert development.amount_each == 600_000
    with pytest.raises(ChallengeError):
        services.stage_update(
            actor=innovator,
            stage=development,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 1),
            suppliers=1,
            amount_each=1,
        )
    services.stage_update(
        actor=innovator,
        stage=development,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 1),
        suppliers=2,
        amount_each=300_000,
    )
    development.refresh_from_db()
    assert development.amount_total == 600_000


def test_followers_are_mailed_in_their_language_once(
    challenge, innovator, supplier, other_supplier, django_capture_on_commit_callbacks
):
    services.follow(actor=supplier, topic="Tunnel")
    services.follow(actor=other_supplier, sector="health_care")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.open_dialogue(actor=innovator, challenge=challenge)
    assert [m.to for m in mail.outbox] == [[supplier.email]]
    assert "A new challenge you follow" in mail.outbox[0].subject or "new challenge" in mail.outbox[0].subject
    assert services.send_opening_alert(challenge=challenge, user=supplier) == 0


def test_follow_needs_a_supplier_profile(innovator):
    with pytest.raises(ChallengeError):
        services.follow(actor=innovator, topic="vann")


def test_question_answered_publicly_without_the_asker(open_challenge, innovator, supplier, other_supplier, anonymous):
    question = services.ask(actor=supplier, challenge=open_challenge, text="Kan vi bruke droner?")
    services.answer(actor=innovator, question=question, text="Ja.")
    other = selectors.questions_for(other_supplier, open_challenge, owner=False)
    assert [(q.question.text, q.asker) for q in other] == [("Kan vi bruke droner?", "")]
    owners = selectors.questions_for(innovator, open_challenge, owner=True)
    assert owners[0].asker == "Start AS"


def test_proposal_receipt_hash_and_mail(open_challenge, supplier, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("forslag.pdf", b"%PDF-1.4 innhold", content_type="application/pdf")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.submit_proposal(
            actor=supplier, challenge=open_challenge, text="Vi foreslår roboter.", attachment=upload
        )
    assert proposal.receipt_hash == hashlib.sha256(b"Vi foresl\xc3\xa5r roboter.\x00%PDF-1.4 innhold").hexdigest()
    assert len(mail.outbox) == 1 and proposal.receipt_hash in mail.outbox[0].body
    # Changing the text keeps the attachment in the hash.
    changed = services.submit_proposal(actor=supplier, challenge=open_challenge, text="Vi foreslår droner.")
    assert changed.pk == proposal.pk
    assert changed.receipt_hash == hashlib.sha256("Vi foreslår droner.".encode() + b"\x00%PDF-1.4 innhold").hexdigest()
    services.withdraw_proposal(actor=supplier, proposal=changed)
    changed.refresh_from_db()
    assert changed.status == ProposalStatus.WITHDRAWN


def test_proposal_one_minute_after_the_deadline_is_refused(innovator, home_municipality, supplier):
    deadline = timezone.now() - datetime.timedelta(minutes=1)
    challenge = make_challenge(
        actor=innovator,
        owner=home_municipality,
        opens_at=deadline - datetime.timedelta(days=5),
        proposal_deadline=deadline,
    )
    services.open_proposals(actor=innovator, challenge=challenge)
    with translation.override("en"), pytest.raises(ChallengeError) as error:
        services.submit_proposal(actor=supplier, challenge=challenge, text="For sent")
    field, message = error.value.problems[0]
    assert field == "text" and "Norwegian time" in message


def test_the_deadline_is_oslo_time(innovator, home_municipality, supplier):
    """A deadline typed as 12:00 in Oslo is 11:00 UTC in winter: a proposal at 11:01 UTC is late."""
    import zoneinfo
    from unittest import mock

    oslo = zoneinfo.ZoneInfo("Europe/Oslo")
    deadline = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=oslo)
    challenge = make_challenge(
        actor=innovator,
        owner=home_municipality,
        opens_at=deadline - datetime.timedelta(days=10),
        proposal_deadline=deadline,
    )
    services.open_proposals(actor=innovator, challenge=challenge)
    at = datetime.datetime(2026, 1, 15, 11, 1, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=at), pytest.raises(ChallengeError):
        services.submit_proposal(actor=supplier, challenge=challenge, text="Litt for sent")
    at = datetime.datetime(2026, 1, 15, 10, 59, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=at):
        assert services.submit_proposal(actor=supplier, challenge=challenge, text="Rett før fristen").pk


def test_evaluation_ranking_shortlist_and_everyone_told(
    open_challenge, innovator, leader, supplier, other_supplier, django_capture_on_commit_callbacks
):
    first = services.submit_proposal(actor=supplier, challenge=open_challenge, text="A")
    second = services.submit_proposal(actor=other_supplier, challenge=open_challenge, text="B")
    services.start_evaluation(actor=innovator, challenge=open_challenge)
    with pytest.raises(ChallengeError):
        services.set_criteria(actor=innovator, challenge=open_challenge, criteria=[("Kvalitet", 60), ("Pris", 30)])
    quality, price = services.set_criteria(
        actor=innovator, challenge=open_challenge, criteria=[("Kvalitet", 60), ("Pris", 40)]
    )
    services.score(actor=innovator, proposal=first, values={quality.pk: 8, price.pk: 6})
    services.score(actor=leader, proposal=first, values={quality.pk: 6, price.pk: 10})
    services.score(actor=innovator, proposal=second, values={quality.pk: 9, price.pk: 9})
    with pytest.raises(ChallengeError):
        services.score(actor=innovator, proposal=second, values={quality.pk: 11})
    ranked = selectors.ranked(open_challenge)
    assert [(r.proposal.pk, r.total, r.rank) for r in ranked] == [(second.pk, 9.0, 1), (first.pk, 7.4, 2)]
    services.set_shortlisted(actor=innovator, proposal=second, shortlisted=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.award(
            actor=innovator,
            challenge=open_challenge,
            procedure=Procedure.INNOVATION_PARTNERSHIP,
            decided_on=datetime.date(2026, 6, 1),
            suppliers="Konkurrent AS",
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([supplier.email, other_supplier.email])


def test_operator_access_is_logged_with_a_reason(open_challenge, supplier, operator, innovator):
    proposal = services.submit_proposal(actor=supplier, challenge=open_challenge, text="Hemmelig")
    with pytest.raises(ChallengeError):
        services.log_operator_access(actor=operator, proposal=proposal, reason="kort")
    with pytest.raises(PermissionDenied):
        services.log_operator_access(actor=innovator, proposal=proposal, reason="Jeg vil bare se den")
    access = services.log_operator_access(
        actor=operator, proposal=proposal, reason="Klage på behandlingen, sak 2026/12"
    )
    assert access.user == operator and proposal.accesses.count() == 1


def test_a_declined_body_still_counts(open_challenge, innovator, outsider, other_municipality, co_owner_non_member):
    first = services.join(actor=outsider, challenge=open_challenge, organisation=other_municipality)
    askoy = co_owner_non_member.memberships.get().organisation
    services.join(actor=co_owner_non_member, challenge=open_challenge, organisation=askoy)
    services.decline_co_owner(actor=innovator, shared=first)
    open_challenge.refresh_from_db()
    assert open_challenge.bodies_count == 3
    assert not services.can_change(outsider, open_challenge)
