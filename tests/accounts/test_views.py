from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
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
from nyskap.organisations.models import OrganisationKind
from tests.accounts.factories import UserFactory
from tests.helpers import flash as _messages
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MEMBERS_URL = "/konto/organisasjoner/oygarden/medlemmer/"


# Profile


def test_when_anonymous_opens_profile_then_redirected_to_login(anonymous):
    response = anonymous.get("/konto/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/konto/"


def test_when_member_opens_profile_then_memberships_and_pending_requests_show(
    as_colleague, colleague, other_municipality
):
    services.join_request_create(user=colleague, organisation=other_municipality, role=Role.MEMBER, message="")
    response = as_colleague.get("/konto/")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Øygarden kommune" in content
    assert "Bodø kommune as Member" in content
    assert reverse("accounts:join_request_create") in content
    assert MEMBERS_URL not in content  # a member does not manage members


def test_when_admin_opens_profile_then_manage_members_link_shows(as_leader):
    response = as_leader.get("/konto/")
    assert response.status_code == 200
    assert MEMBERS_URL in response.content.decode()


def test_when_user_edits_profile_then_it_is_saved(as_colleague, colleague):
    response = as_colleague.post(
        "/konto/rediger/", {"name": "Kari K. Kollega", "title": "Rådgiver", "phone": "+47 912 34 567"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    colleague.refresh_from_db()
    assert (colleague.name, colleague.title, colleague.phone) == (
        "Kari K. Kollega",
        "Rådgiver",
        "+47 912 34 567",
    )
    assert _messages(response) == ["Your profile has been saved."]


def test_when_profile_has_bad_phone_then_form_shows_error_and_keeps_input(as_colleague, colleague):
    response = as_colleague.post("/konto/rediger/", {"name": "Nytt Navn", "title": "", "phone": "ring meg"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Enter a phone number with digits only, for example +47 912 34 567." in content
    assert 'value="Nytt Navn"' in content
    assert 'value="ring meg"' in content
    colleague.refresh_from_db()
    assert colleague.name == "Kari Kollega"


def test_when_outsider_edits_profile_then_only_own_profile_changes(as_outsider, outsider, colleague):
    response = as_outsider.post("/konto/rediger/", {"name": "Endret", "title": "", "phone": ""})
    assert response.status_code == 302
    colleague.refresh_from_db()
    outsider.refresh_from_db()
    assert colleague.name == "Kari Kollega"
    assert outsider.name == "Endret"


# Delete account


def test_when_delete_page_is_opened_then_nothing_is_deleted(as_colleague, colleague):
    response = as_colleague.get("/konto/slett/")
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()
    assert User.objects.filter(pk=colleague.pk).exists()


def test_when_member_confirms_delete_then_account_is_gone_and_logged_out(as_colleague, colleague):
    pk = colleague.pk
    response = as_colleague.post("/konto/slett/", {"email": colleague.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=pk).exists()
    assert not Membership.objects.filter(user_id=pk).exists()
    assert _messages(response) == ["Your account has been deleted."]
    assert as_colleague.get("/konto/").status_code == 302


def test_when_wrong_email_is_typed_then_account_is_kept(as_colleague, colleague):
    response = as_colleague.post("/konto/slett/", {"email": "feil@example.no"})
    assert response.status_code == 400
    assert "The e-mail address does not match your account." in response.content.decode()
    assert 'value="feil@example.no"' in response.content.decode()
    assert User.objects.filter(pk=colleague.pk).exists()


def test_when_outsider_types_another_users_email_then_nothing_is_deleted(as_outsider, outsider, colleague):
    response = as_outsider.post("/konto/slett/", {"email": colleague.email})
    assert response.status_code == 400
    assert User.objects.filter(pk=colleague.pk).exists()
    assert User.objects.filter(pk=outsider.pk).exists()


def test_when_last_admin_deletes_account_then_error_names_organisation(as_leader, leader):
    response = as_leader.post("/konto/slett/", {"email": leader.email})
    assert response.status_code == 400
    assert "You are the last administrator of Øygarden kommune." in response.content.decode()
    assert User.objects.filter(pk=leader.pk).exists()


# Members page


def test_when_admin_opens_members_page_then_members_invitations_and_requests_show(
    as_leader, leader, colleague, outsider, home_municipality
):
    services.invitation_create(organisation=home_municipality, email="ny@x.no", role=Role.MEMBER, invited_by=leader)
    services.join_request_create(user=outsider, organisation=home_municipality, role=Role.MEMBER, message="Hei")
    response = as_leader.get(MEMBERS_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert colleague.email in content
    assert "ny@x.no" in content
    assert "Approve Ola Utenfor" in content
    assert f'for="id_member-{Membership.objects.get(user=colleague).pk}-role"' in content
    assert '<caption id="members-table-1">' in content
    assert 'role="region" aria-labelledby="members-table-1"' in content


def test_when_operator_opens_members_page_then_it_shows(as_operator, home_municipality):
    assert as_operator.get(MEMBERS_URL).status_code == 200


@pytest.mark.parametrize("client_fixture", ["as_outsider", "as_innovator", "as_colleague"])
def test_when_non_admin_opens_members_page_then_403(client_fixture, request, home_municipality):
    client = request.getfixturevalue(client_fixture)
    assert client.get(MEMBERS_URL).status_code == 403


def test_when_anonymous_opens_members_page_then_redirected_to_login(anonymous):
    response = anonymous.get(MEMBERS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_when_admin_changes_role_then_it_is_saved(as_leader, colleague):
    membership = Membership.objects.get(user=colleague)
    response = as_leader.post(f"{MEMBERS_URL}{membership.pk}/rolle/", {f"member-{membership.pk}-role": "editor"})
    assert response.status_code == 302
    assert response["Location"] == MEMBERS_URL
    assert _messages(response) == ["The role of Kari Kollega is now Editor."]
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR


def test_when_role_is_changed_with_htmx_then_the_row_is_returned(as_leader, colleague):
    membership = Membership.objects.get(user=colleague)
    response = as_leader.post(
        f"{MEMBERS_URL}{membership.pk}/rolle/",
        {f"member-{membership.pk}-role": "admin"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith(f'<tr id="member-{membership.pk}">')
    assert "The role of Kari Kollega is now Administrator." in content
    assert "<html" not in content
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_when_last_admin_demotes_self_then_error_shows_beside_role(as_leader, leader):
    membership = Membership.objects.get(user=leader)
    response = as_leader.post(f"{MEMBERS_URL}{membership.pk}/rolle/", {f"member-{membership.pk}-role": "member"})
    assert response.status_code == 400
    content = response.content.decode()
    assert f'id="id_member-{membership.pk}-role_error"' in content
    assert "Øygarden kommune must have at least one administrator. Appoint another administrator first." in content
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_when_outsider_changes_role_then_403(as_outsider, colleague):
    membership = Membership.objects.get(user=colleague)
    response = as_outsider.post(f"{MEMBERS_URL}{membership.pk}/rolle/", {f"member-{membership.pk}-role": "admin"})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_when_role_change_is_requested_with_get_then_405(as_leader, colleague):
    membership = Membership.objects.get(user=colleague)
    assert as_leader.get(f"{MEMBERS_URL}{membership.pk}/rolle/").status_code == 405


def test_when_admin_removes_member_then_membership_is_gone(as_leader, colleague):
    membership = Membership.objects.get(user=colleague)
    response = as_leader.post(f"{MEMBERS_URL}{membership.pk}/fjern/")
    assert response.status_code == 302
    assert _messages(response) == ["Kari Kollega is no longer a member of Øygarden kommune."]
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_when_outsider_removes_member_then_403(as_outsider, colleague):
    membership = Membership.objects.get(user=colleague)
    assert as_outsider.post(f"{MEMBERS_URL}{membership.pk}/fjern/").status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_when_membership_belongs_to_other_org_then_404(as_leader, outsider):
    membership = Membership.objects.get(user=outsider)
    assert as_leader.post(f"{MEMBERS_URL}{membership.pk}/fjern/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


# Invitations


def test_when_admin_invites_then_invitation_is_sent(as_leader, home_municipality, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_leader.post(
            "/konto/organisasjoner/oygarden/invitasjoner/",
            {"email": "ny@oygarden.kommune.no", "role": "editor"},
        )
    assert response.status_code == 302
    assert _messages(response) == ["An invitation has been sent to ny@oygarden.kommune.no."]
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.role) == (home_municipality, Role.EDITOR)
    assert mail.outbox[0].to == ["ny@oygarden.kommune.no"]


def test_when_existing_member_is_invited_then_error_is_beside_email(as_leader, colleague):
    response = as_leader.post(
        "/konto/organisasjoner/oygarden/invitasjoner/", {"email": colleague.email, "role": "admin"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_email_error">This person is already a member of the organisation.' in content
    assert f'value="{colleague.email}"' in content
    assert not Invitation.objects.exists()


def test_when_invitation_email_is_invalid_then_error_shows(as_leader):
    response = as_leader.post(
        "/konto/organisasjoner/oygarden/invitasjoner/", {"email": "ikke-en-adresse", "role": "member"}
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_when_outsider_invites_then_403(as_outsider, home_municipality):
    response = as_outsider.post("/konto/organisasjoner/oygarden/invitasjoner/", {"email": "x@y.no", "role": "admin"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_when_admin_revokes_invitation_then_it_is_withdrawn(as_leader, leader, home_municipality):
    invitation = services.invitation_create(
        organisation=home_municipality, email="ny@x.no", role=Role.MEMBER, invited_by=leader
    )
    response = as_leader.post(f"/konto/organisasjoner/oygarden/invitasjoner/{invitation.pk}/trekk-tilbake/")
    assert response.status_code == 302
    assert _messages(response) == ["The invitation to ny@x.no has been withdrawn."]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED


def test_when_outsider_revokes_invitation_then_403(as_outsider, leader, home_municipality):
    invitation = services.invitation_create(
        organisation=home_municipality, email="ny@x.no", role=Role.MEMBER, invited_by=leader
    )
    assert (
        as_outsider.post(f"/konto/organisasjoner/oygarden/invitasjoner/{invitation.pk}/trekk-tilbake/").status_code
        == 403
    )
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


# Accepting an invitation


@pytest.fixture
def invitation(leader, home_municipality) -> Invitation:
    return services.invitation_create(
        organisation=home_municipality, email="ny@oygarden.kommune.no", role=Role.EDITOR, invited_by=leader
    )


def test_when_anonymous_opens_invitation_then_redirected_to_login_with_next(anonymous, invitation):
    url = f"/konto/invitasjon/{invitation.token}/"
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_when_invitee_opens_invitation_then_it_shows_what_is_accepted(client, invitation):
    client.force_login(UserFactory(email="ny@oygarden.kommune.no"))
    response = client.get(f"/konto/invitasjon/{invitation.token}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Invitation to Øygarden kommune" in content
    assert "Editor" in content
    assert "Accept the invitation" in content
    assert not Membership.objects.filter(user__email="ny@oygarden.kommune.no").exists()


def test_when_invitee_accepts_then_membership_is_created(client, invitation, home_municipality):
    user = UserFactory(email="Ny@Oygarden.Kommune.no")
    client.force_login(user)
    response = client.post(f"/konto/invitasjon/{invitation.token}/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    assert _messages(response) == ["You are now a member of Øygarden kommune."]
    assert Membership.objects.get(user=user, organisation=home_municipality).role == Role.EDITOR


def test_when_outsider_accepts_someone_elses_invitation_then_403(as_outsider, outsider, invitation, home_municipality):
    response = as_outsider.post(f"/konto/invitasjon/{invitation.token}/")
    assert response.status_code == 403
    assert "The invitation was sent to another e-mail address." in response.content.decode()
    assert not Membership.objects.filter(user=outsider, organisation=home_municipality).exists()


def test_when_invitation_has_expired_then_page_says_so_and_accepting_fails(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    user = UserFactory(email="ny@oygarden.kommune.no")
    client.force_login(user)
    message = "The invitation has expired. Ask the administrator for a new one."
    page = client.get(f"/konto/invitasjon/{invitation.token}/")
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "Accept the invitation" not in page.content.decode()
    response = client.post(f"/konto/invitasjon/{invitation.token}/")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_when_token_is_unknown_then_404(as_colleague):
    assert as_colleague.get("/konto/invitasjon/finnes-ikke/").status_code == 404


# Asking to join


def test_when_user_asks_to_join_by_slug_then_request_is_created(as_outsider, outsider, home_municipality):
    response = as_outsider.post(
        "/konto/bli-medlem/", {"organisation": "Oygarden", "role": "editor", "message": "Ny jobb"}
    )
    assert response.status_code == 302
    assert _messages(response) == ["Your request to join Øygarden kommune has been sent."]
    join_request = JoinRequest.objects.get()
    assert (join_request.user, join_request.organisation, join_request.role) == (
        outsider,
        home_municipality,
        "editor",
    )
    assert join_request.message == "Ny jobb"


def test_when_user_asks_to_join_by_organisation_number_then_request_is_created(
    as_outsider, outsider, home_municipality
):
    number = home_municipality.organisation_number
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    response = as_outsider.post("/konto/bli-medlem/", {"organisation": spaced, "role": "member", "message": ""})
    assert response.status_code == 302
    assert JoinRequest.objects.get().organisation == home_municipality


def test_when_organisation_is_unknown_then_error_is_beside_field_and_input_kept(as_outsider):
    response = as_outsider.post("/konto/bli-medlem/", {"organisation": "atlantis", "role": "member", "message": "Hei"})
    assert response.status_code == 400
    content = response.content.decode()
    assert (
        'id="id_organisation_error">No public-sector organisation has this organisation number or short '
        "name. Check it and try again." in content
    )
    assert 'value="atlantis"' in content
    assert ">\nHei</textarea>" in content
    assert not JoinRequest.objects.exists()


def test_when_organisation_is_a_company_then_it_is_refused(as_outsider):
    OrganisationFactory(slug="firma-as", kind=OrganisationKind.COMPANY)
    response = as_outsider.post("/konto/bli-medlem/", {"organisation": "firma-as", "role": "member", "message": ""})
    assert response.status_code == 400
    assert not JoinRequest.objects.exists()


def test_when_member_asks_to_join_own_organisation_then_error_shows(as_colleague):
    response = as_colleague.post("/konto/bli-medlem/", {"organisation": "oygarden", "role": "admin", "message": ""})
    assert response.status_code == 400
    assert "You are already a member of the organisation." in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_when_admin_approves_request_then_member_is_added(as_leader, outsider, home_municipality):
    join_request = services.join_request_create(
        user=outsider, organisation=home_municipality, role=Role.MEMBER, message=""
    )
    response = as_leader.post(f"/konto/forespørsler/{join_request.pk}/avgjør/", {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == MEMBERS_URL
    assert _messages(response) == ["Ola Utenfor is now a member of Øygarden kommune."]
    assert Membership.objects.get(user=outsider, organisation=home_municipality).role == Role.MEMBER


def test_when_admin_rejects_request_then_no_member_is_added(as_leader, outsider, home_municipality):
    join_request = services.join_request_create(
        user=outsider, organisation=home_municipality, role=Role.MEMBER, message=""
    )
    response = as_leader.post(f"/konto/forespørsler/{join_request.pk}/avgjør/", {"decision": "reject"})
    assert response.status_code == 302
    assert _messages(response) == ["The request from Ola Utenfor to join Øygarden kommune has been rejected."]
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.REJECTED
    assert not Membership.objects.filter(user=outsider, organisation=home_municipality).exists()


def test_when_outsider_decides_a_request_then_403(as_outsider, colleague, other_municipality, home_municipality):
    stranger = UserFactory(email="ny@x.no")
    join_request = services.join_request_create(
        user=stranger, organisation=home_municipality, role=Role.ADMIN, message=""
    )
    response = as_outsider.post(f"/konto/forespørsler/{join_request.pk}/avgjør/", {"decision": "approve"})
    assert response.status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.PENDING
    assert not Membership.objects.filter(user=stranger).exists()


# Operator list


def test_when_operator_opens_request_list_then_only_orgs_without_admin_show(as_operator, outsider, colleague, leader):
    orphan = OrganisationFactory(name="Ny kommune uten admin", slug="ny-kommune")
    services.join_request_create(user=outsider, organisation=orphan, role=Role.ADMIN, message="")
    with_admin = services.join_request_create(
        user=UserFactory(email="ny@x.no"),
        organisation=Membership.objects.get(user=colleague).organisation,
        role=Role.MEMBER,
        message="",
    )
    response = as_operator.get("/konto/drift/forespørsler/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ny kommune uten admin" in content
    assert "Approve Ola Utenfor" in content
    assert str(with_admin.user) not in content


def test_when_operator_approves_first_admin_then_back_to_list(as_operator, outsider):
    orphan = OrganisationFactory(slug="ny-kommune")
    join_request = services.join_request_create(user=outsider, organisation=orphan, role=Role.ADMIN, message="")
    url = reverse("accounts:operator_join_requests")
    response = as_operator.post(f"/konto/forespørsler/{join_request.pk}/avgjør/", {"decision": "approve", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    assert Membership.objects.get(user=outsider, organisation=orphan).role == Role.ADMIN


def test_when_next_points_elsewhere_then_it_is_ignored(as_operator, outsider):
    orphan = OrganisationFactory(slug="ny-kommune")
    join_request = services.join_request_create(user=outsider, organisation=orphan, role=Role.ADMIN, message="")
    response = as_operator.post(
        f"/konto/forespørsler/{join_request.pk}/avgjør/",
        {"decision": "reject", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/organisasjoner/ny-kommune/medlemmer/"


@pytest.mark.parametrize("client_fixture", ["as_outsider", "as_leader"])
def test_when_non_operator_opens_request_list_then_403(client_fixture, request):
    client = request.getfixturevalue(client_fixture)
    assert client.get("/konto/drift/forespørsler/").status_code == 403
