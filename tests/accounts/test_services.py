from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from nyskap.accounts import services
from nyskap.accounts.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Role,
    User,
)
from nyskap.accounts.services import AccessDenied, ServiceError
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


# Invitations


def test_when_admin_invites_then_invitation_is_pending_and_mail_has_accept_link(
    leader, home_municipality, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://nyskap.example.no"
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organisation=home_municipality,
            email=" Ny.Person@Oygarden.Kommune.no ",
            role=Role.EDITOR,
            invited_by=leader,
        )
    invitation.refresh_from_db()
    assert invitation.email == "ny.person@oygarden.kommune.no"
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.role == Role.EDITOR
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny.person@oygarden.kommune.no"]
    assert f"https://nyskap.example.no/konto/invitasjon/{invitation.token}/" in mail.outbox[0].body


def test_when_invitation_fails_then_no_mail_is_sent(
    leader, colleague, home_municipality, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError) as exc:
        services.invitation_create(
            organisation=home_municipality, email=colleague.email.upper(), role=Role.MEMBER, invited_by=leader
        )
    assert exc.value.message == "This person is already a member of the organisation."
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_when_invitation_is_already_pending_then_a_second_is_refused(leader, home_municipality):
    services.invitation_create(organisation=home_municipality, email="a@b.no", role=Role.MEMBER, invited_by=leader)
    with pytest.raises(ServiceError) as exc:
        services.invitation_create(organisation=home_municipality, email="A@B.no", role=Role.MEMBER, invited_by=leader)
    assert exc.value.message == "This person already has a pending invitation to the organisation."
    assert Invitation.objects.count() == 1


def test_when_pending_invitation_has_expired_then_a_new_one_replaces_it(leader, home_municipality):
    old = services.invitation_create(
        organisation=home_municipality, email="a@b.no", role=Role.MEMBER, invited_by=leader
    )
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    new = services.invitation_create(organisation=home_municipality, email="a@b.no", role=Role.ADMIN, invited_by=leader)
    old.refresh_from_db()
    assert old.status == InvitationStatus.REVOKED
    assert new.status == InvitationStatus.PENDING


@pytest.mark.parametrize("persona", ["innovator", "colleague", "outsider"])
def test_when_non_admin_invites_then_access_is_denied(persona, request, home_municipality):
    user = request.getfixturevalue(persona)
    with pytest.raises(AccessDenied):
        services.invitation_create(organisation=home_municipality, email="x@y.no", role=Role.MEMBER, invited_by=user)
    assert not Invitation.objects.exists()


def test_when_operator_invites_then_invitation_is_created(operator, other_municipality):
    invitation = services.invitation_create(
        organisation=other_municipality, email="x@y.no", role=Role.ADMIN, invited_by=operator
    )
    assert invitation.organisation == other_municipality


def test_when_invited_user_accepts_then_membership_is_created(leader, home_municipality):
    invitation = services.invitation_create(
        organisation=home_municipality, email="NY@oygarden.kommune.no", role=Role.EDITOR, invited_by=leader
    )
    user = UserFactory(email="ny@oygarden.kommune.no")
    membership = services.invitation_accept(invitation=invitation, user=user)
    invitation.refresh_from_db()
    assert membership.role == Role.EDITOR
    assert Membership.objects.get(user=user, organisation=home_municipality).role == Role.EDITOR
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None


def test_when_expired_invitation_is_accepted_then_it_is_refused(leader, home_municipality):
    invitation = services.invitation_create(
        organisation=home_municipality, email="ny@x.no", role=Role.MEMBER, invited_by=leader
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    user = UserFactory(email="ny@x.no")
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(invitation=invitation, user=user)
    assert exc.value.message == "The invitation has expired. Ask the administrator for a new one."
    assert not Membership.objects.filter(user=user).exists()


def test_when_used_invitation_is_accepted_again_then_it_is_refused(leader, home_municipality):
    invitation = services.invitation_create(
        organisation=home_municipality, email="ny@x.no", role=Role.MEMBER, invited_by=leader
    )
    user = UserFactory(email="ny@x.no")
    services.invitation_accept(invitation=invitation, user=user)
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(invitation=invitation, user=user)
    assert exc.value.message == "The invitation has already been used."
    assert Membership.objects.filter(user=user).count() == 1


def test_when_revoked_invitation_is_accepted_then_it_is_refused(leader, home_municipality):
    invitation = services.invitation_create(
        organisation=home_municipality, email="ny@x.no", role=Role.MEMBER, invited_by=leader
    )
    services.invitation_revoke(invitation=invitation, actor=leader)
    user = UserFactory(email="ny@x.no")
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(invitation=invitation, user=user)
    assert exc.value.message == "The invitation has been withdrawn by the administrator."
    assert not Membership.objects.filter(user=user).exists()


def test_when_other_user_accepts_invitation_then_it_is_refused(leader, outsider, home_municipality):
    invitation = services.invitation_create(
        organisation=home_municipality, email="ny@x.no", role=Role.ADMIN, invited_by=leader
    )
    with pytest.raises(AccessDenied) as exc:
        services.invitation_accept(invitation=invitation, user=outsider)
    assert exc.value.message == (
        "The invitation was sent to another e-mail address. Log in with the address the invitation was sent to."
    )
    assert not Membership.objects.filter(user=outsider, organisation=home_municipality).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_when_outsider_revokes_invitation_then_access_is_denied(leader, outsider, home_municipality):
    invitation = services.invitation_create(
        organisation=home_municipality, email="ny@x.no", role=Role.MEMBER, invited_by=leader
    )
    with pytest.raises(AccessDenied):
        services.invitation_revoke(invitation=invitation, actor=outsider)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


# Memberships


def test_when_admin_changes_role_then_role_is_saved_and_logged(leader, colleague, home_municipality, security_log):
    membership = Membership.objects.get(user=colleague)
    services.membership_change_role(membership=membership, role=Role.EDITOR, actor=leader)
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR
    [event] = security_log.named("role_changed")
    assert event["user_id"] == colleague.pk
    assert event["actor_id"] == leader.pk
    assert event["organisation_id"] == home_municipality.pk
    assert (event["old_role"], event["new_role"]) == ("member", "editor")


def test_when_last_admin_is_demoted_then_it_is_refused(leader):
    membership = Membership.objects.get(user=leader)
    with pytest.raises(ServiceError) as exc:
        services.membership_change_role(membership=membership, role=Role.MEMBER, actor=leader)
    assert exc.value.message == (
        "Øygarden kommune must have at least one administrator. Appoint another administrator first."
    )
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_when_another_admin_exists_then_admin_may_step_down(leader, innovator):
    services.membership_change_role(membership=Membership.objects.get(user=innovator), role=Role.ADMIN, actor=leader)
    services.membership_change_role(membership=Membership.objects.get(user=leader), role=Role.MEMBER, actor=leader)
    assert Membership.objects.get(user=leader).role == Role.MEMBER
    assert Membership.objects.get(user=innovator).role == Role.ADMIN


def test_when_last_admin_is_removed_then_it_is_refused(leader, operator):
    with pytest.raises(ServiceError):
        services.membership_remove(membership=Membership.objects.get(user=leader), actor=operator)
    assert Membership.objects.filter(user=leader).exists()


def test_when_outsider_changes_role_then_access_is_denied(outsider, colleague):
    membership = Membership.objects.get(user=colleague)
    with pytest.raises(AccessDenied):
        services.membership_change_role(membership=membership, role=Role.ADMIN, actor=outsider)
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_when_editor_changes_role_then_access_is_denied(innovator, colleague):
    with pytest.raises(AccessDenied):
        services.membership_change_role(
            membership=Membership.objects.get(user=colleague), role=Role.ADMIN, actor=innovator
        )
    assert Membership.objects.get(user=colleague).role == Role.MEMBER


def test_when_admin_removes_member_then_membership_is_gone_and_logged(leader, colleague, security_log):
    services.membership_remove(membership=Membership.objects.get(user=colleague), actor=leader)
    assert not Membership.objects.filter(user=colleague).exists()
    [event] = security_log.named("role_changed")
    assert (event["user_id"], event["old_role"], event["new_role"]) == (colleague.pk, "member", None)


def test_when_member_leaves_then_membership_is_gone(colleague):
    services.membership_remove(membership=Membership.objects.get(user=colleague), actor=colleague)
    assert not Membership.objects.filter(user=colleague).exists()


# Requests to join


def test_when_user_asks_to_join_then_request_is_pending_and_admins_get_mail(
    outsider, leader, home_municipality, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        join_request = services.join_request_create(
            user=outsider, organisation=home_municipality, role=Role.MEMBER, message="Jeg jobber her nå."
        )
    assert join_request.status == JoinRequestStatus.PENDING
    assert JoinRequest.objects.get().message == "Jeg jobber her nå."
    assert [m.to for m in mail.outbox] == [[leader.email]]


def test_when_member_asks_to_join_then_it_is_refused(colleague, home_municipality):
    with pytest.raises(ServiceError) as exc:
        services.join_request_create(user=colleague, organisation=home_municipality, role=Role.ADMIN, message="")
    assert exc.value.message == "You are already a member of the organisation."
    assert not JoinRequest.objects.exists()


def test_when_request_is_already_pending_then_a_second_is_refused(outsider, home_municipality):
    services.join_request_create(user=outsider, organisation=home_municipality, role=Role.MEMBER, message="")
    with pytest.raises(ServiceError) as exc:
        services.join_request_create(user=outsider, organisation=home_municipality, role=Role.EDITOR, message="")
    assert exc.value.message == "You have already asked to join this organisation. The request awaits a decision."
    assert JoinRequest.objects.count() == 1


def test_when_admin_approves_then_membership_is_created(leader, outsider, home_municipality, security_log):
    join_request = services.join_request_create(
        user=outsider, organisation=home_municipality, role=Role.EDITOR, message=""
    )
    services.join_request_decide(join_request=join_request, approve=True, actor=leader)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED
    assert join_request.decided_by == leader
    assert Membership.objects.get(user=outsider, organisation=home_municipality).role == Role.EDITOR
    assert security_log.named("role_changed")[0]["new_role"] == "editor"


def test_when_admin_rejects_then_no_membership_is_created(leader, outsider, home_municipality):
    join_request = services.join_request_create(
        user=outsider, organisation=home_municipality, role=Role.EDITOR, message=""
    )
    services.join_request_decide(join_request=join_request, approve=False, actor=leader)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.REJECTED
    assert not Membership.objects.filter(user=outsider, organisation=home_municipality).exists()


def test_when_organisation_has_no_admin_then_only_an_operator_approves(
    outsider, operator, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation, role=Role.EDITOR).user
    with django_capture_on_commit_callbacks(execute=True):
        join_request = services.join_request_create(
            user=outsider, organisation=organisation, role=Role.ADMIN, message=""
        )
    assert mail.outbox[0].to == [operator.email]
    assert services.join_request_needs_operator(join_request)
    for refused in (member, outsider):
        with pytest.raises(AccessDenied):
            services.join_request_decide(join_request=join_request, approve=True, actor=refused)
    assert not Membership.objects.filter(user=outsider, organisation=organisation).exists()
    services.join_request_decide(join_request=join_request, approve=True, actor=operator)
    assert Membership.objects.get(user=outsider, organisation=organisation).role == Role.ADMIN


def test_when_request_was_decided_then_deciding_again_is_refused(leader, outsider, home_municipality):
    join_request = services.join_request_create(
        user=outsider, organisation=home_municipality, role=Role.MEMBER, message=""
    )
    services.join_request_decide(join_request=join_request, approve=False, actor=leader)
    with pytest.raises(ServiceError) as exc:
        services.join_request_decide(join_request=join_request, approve=True, actor=leader)
    assert exc.value.message == "This request has already been decided."
    assert not Membership.objects.filter(user=outsider, organisation=home_municipality).exists()


# Users


def test_when_sessions_are_ended_then_generation_rises_and_hash_changes(colleague):
    old_hash = colleague.get_session_auth_hash()
    services.user_end_all_sessions(user=colleague)
    assert colleague.session_generation == 1
    assert User.objects.get(pk=colleague.pk).session_generation == 1
    assert colleague.get_session_auth_hash() != old_hash


def test_when_operator_deactivates_user_then_user_is_inactive(colleague, operator):
    services.user_deactivate(user=colleague, actor=operator)
    colleague.refresh_from_db()
    assert colleague.is_active is False
    assert colleague.session_generation == 1


def test_when_non_operator_deactivates_user_then_access_is_denied(colleague, leader):
    with pytest.raises(AccessDenied):
        services.user_deactivate(user=colleague, actor=leader)
    colleague.refresh_from_db()
    assert colleague.is_active is True


def test_when_member_deletes_account_then_user_and_memberships_are_gone(colleague):
    pk = colleague.pk
    services.account_delete(user=colleague)
    assert not User.objects.filter(pk=pk).exists()
    assert not Membership.objects.filter(user_id=pk).exists()


def test_when_last_admin_deletes_account_then_it_is_refused(leader):
    with pytest.raises(ServiceError) as exc:
        services.account_delete(user=leader)
    assert exc.value.message == (
        "You are the last administrator of Øygarden kommune. "
        "Appoint another administrator before you delete your account."
    )
    assert User.objects.filter(pk=leader.pk).exists()
