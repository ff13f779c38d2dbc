from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from nyskap.accounts.models import Role
from tests.accounts.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_without_mfa(home_municipality):
    user = UserFactory(email="ny-admin@oygarden.kommune.no")
    MembershipFactory(user=user, organisation=home_municipality, role=Role.ADMIN)
    return user


def test_when_admin_without_mfa_opens_profile_then_redirected_to_mfa_required(client, admin_without_mfa):
    client.force_login(admin_without_mfa)
    response = client.get("/konto/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/tofaktor-kreves/"
    page = client.get("/konto/tofaktor-kreves/")
    assert page.status_code == 200
    assert "Two-factor authentication required" in page.content.decode()


def test_when_admin_without_mfa_opens_members_page_then_redirected(client, admin_without_mfa):
    client.force_login(admin_without_mfa)
    response = client.get("/konto/organisasjoner/oygarden/medlemmer/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/tofaktor-kreves/"


@pytest.mark.parametrize("path", ["/accounts/2fa/", "/accounts/2fa/totp/activate/"])
def test_when_admin_without_mfa_opens_allauth_mfa_pages_then_they_render_in_our_layout(client, admin_without_mfa, path):
    client.force_login(admin_without_mfa)
    # allauth asks for the password again before a new authenticator is added.
    reauthentication = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert reauthentication.status_code == 302
    response = client.get(path)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="site-header"' in content
    assert 'href="#main"' in content


def test_when_admin_without_mfa_logs_out_then_it_works(client, admin_without_mfa):
    client.force_login(admin_without_mfa)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_when_leader_with_totp_opens_profile_then_not_redirected(as_leader):
    assert as_leader.get("/konto/").status_code == 200


def test_when_operator_without_totp_opens_profile_then_redirected(client, db):
    staff = UserFactory(email="ny-drift@nyskap.no", is_staff=True)
    client.force_login(staff)
    response = client.get("/konto/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/tofaktor-kreves/"


def test_when_operator_with_totp_opens_profile_then_not_redirected(as_operator):
    assert as_operator.get("/konto/").status_code == 200


@pytest.mark.parametrize("client_fixture", ["as_colleague", "as_innovator", "as_outsider"])
def test_when_member_or_editor_without_mfa_opens_profile_then_not_redirected(client_fixture, request):
    assert request.getfixturevalue(client_fixture).get("/konto/").status_code == 200


def _current_code(user) -> str:
    secret = decrypt(user.authenticator_set.get(type="totp").data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def test_when_leader_logs_in_with_password_and_totp_then_signed_in(client, leader):
    response = client.post("/accounts/login/", {"login": leader.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone does not sign in
    response = client.post("/accounts/2fa/authenticate/", {"code": _current_code(leader)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(leader.pk)
    assert client.get("/konto/").status_code == 200


def test_when_totp_code_is_wrong_then_not_signed_in(client, leader):
    client.post("/accounts/login/", {"login": leader.email, "password": PASSWORD})
    good = _current_code(leader)
    wrong = "000000" if good != "000000" else "111111"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
