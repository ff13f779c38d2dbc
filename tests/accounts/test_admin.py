from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client

from nyskap.accounts.models import Membership, Role, User

pytestmark = pytest.mark.django_db


def test_when_admin_changes_role_then_audit_entry_names_the_actor(as_leader, leader, colleague):
    membership = Membership.objects.get(user=colleague)
    response = as_leader.post(
        f"/konto/organisasjoner/oygarden/medlemmer/{membership.pk}/rolle/",
        {f"member-{membership.pk}-role": "editor"},
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(membership).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == leader
    assert entry.changes_dict["role"] == ["member", "editor"]


def test_when_operator_opens_auditlog_list_then_it_shows(as_operator):
    assert as_operator.get("/drift/auditlog/logentry/").status_code == 200


@pytest.mark.parametrize("client_fixture", ["as_leader", "as_outsider"])
def test_when_non_staff_opens_auditlog_list_then_redirected_to_admin_login(client_fixture, request):
    response = request.getfixturevalue(client_fixture).get("/drift/auditlog/logentry/")
    assert response.status_code == 302
    assert response["Location"].startswith("/drift/login/")


@pytest.mark.parametrize(
    "path",
    [
        "/drift/accounts/user/",
        "/drift/accounts/membership/",
        "/drift/accounts/invitation/",
        "/drift/accounts/joinrequest/",
    ],
)
def test_when_operator_opens_account_admin_lists_then_they_show(as_operator, colleague, path):
    response = as_operator.get(path, {"q": "kollega"})
    assert response.status_code == 200


def test_when_operator_opens_user_in_admin_then_form_shows(as_operator, colleague):
    response = as_operator.get(f"/drift/accounts/user/{colleague.pk}/change/")
    assert response.status_code == 200
    assert colleague.email in response.content.decode()


def test_when_operator_deactivates_user_in_admin_then_their_sessions_end(as_operator, colleague):
    victim = Client()
    victim.force_login(colleague)
    assert victim.get("/konto/").status_code == 200
    data = {
        "email": colleague.email,
        "username": colleague.username,
        "name": "Kari Kollega",
        "title": "",
        "phone": "",
        "is_active": "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(Membership.objects.get(user=colleague).pk),
        "memberships-0-user": str(colleague.pk),
        "memberships-0-organisation": str(Membership.objects.get(user=colleague).organisation_id),
        "memberships-0-role": Role.MEMBER,
        # The supplier profile inline, empty (the colleague is no supplier).
        "supplier_profile-TOTAL_FORMS": "0",
        "supplier_profile-INITIAL_FORMS": "0",
        "supplier_profile-MIN_NUM_FORMS": "0",
        "supplier_profile-MAX_NUM_FORMS": "1",
    }
    response = as_operator.post(f"/drift/accounts/user/{colleague.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    colleague.refresh_from_db()
    assert colleague.is_active is False
    assert colleague.session_generation == 1
    assert victim.get("/konto/").status_code == 302


def test_when_outsider_opens_user_admin_then_refused(as_outsider, colleague):
    response = as_outsider.get(f"/drift/accounts/user/{colleague.pk}/change/")
    assert response.status_code == 302
    assert User.objects.get(pk=colleague.pk).is_active
