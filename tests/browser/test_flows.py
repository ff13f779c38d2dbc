"""The main user flows of the foundation in a real browser: sign up, log in (with two-factor for an admin), switch
language and invite a member. Every page is checked for CSP violations by the `page` fixture."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core import mail

from nyskap.accounts.models import Invitation, Membership, User
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _totp_code(user: User) -> str:
    secret = decrypt(user.authenticator_set.get(type="totp").data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def _log_in(page, live_server, email: str, password: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) button[type=submit]").first.click()


def test_when_a_person_signs_up_then_the_confirmation_mail_logs_them_in(page, live_server, home_municipality):
    mail.outbox.clear()
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("input[name=email]", "ny.person@kommune.no")
    page.fill("input[name=password1]", "Et-langt-passord-2026!")
    page.fill("input[name=password2]", "Et-langt-passord-2026!")
    page.locator("form:has(input[name=password1]) button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    assert User.objects.filter(email="ny.person@kommune.no").exists()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert User.objects.get(email="ny.person@kommune.no").emailaddress_set.get().verified is True


def test_when_signup_has_mismatched_passwords_then_the_error_is_shown_and_the_email_kept(page, live_server):
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("input[name=email]", "skrivefeil@kommune.no")
    page.fill("input[name=password1]", "Et-langt-passord-2026!")
    page.fill("input[name=password2]", "Et-annet-passord-2026!")
    page.locator("form:has(input[name=password1]) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.input_value("input[name=email]") == "skrivefeil@kommune.no"
    assert page.locator(".ds-validation-message, .ds-alert[data-color=danger]").count() >= 1
    assert not User.objects.filter(email="skrivefeil@kommune.no").exists()


def test_when_a_member_logs_in_then_my_page_shows_the_organisation(page, live_server, colleague):
    _log_in(page, live_server, colleague.email, PASSWORD)
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/konto/")
    assert page.get_by_text("Øygarden kommune").first.is_visible()


def test_when_the_language_is_switched_then_the_page_follows_without_javascript_too(browser, live_server, csp):
    for javascript in (True, False):
        context = browser.new_context(locale="nb-NO", java_script_enabled=javascript)
        page = context.new_page()
        csp.attach(page)
        page.goto(live_server.url + "/tilgjengelighet/")
        assert page.locator("html").get_attribute("lang") == "nb"
        page.locator(".language-switcher button[lang=en]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.url.endswith("/tilgjengelighet/")
        assert page.locator("h1").inner_text() == "Accessibility statement"
        page.locator(".language-switcher button[lang=nn]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "nn"
        context.close()
    assert csp.violations == []


def test_when_an_admin_logs_in_with_totp_and_invites_then_the_invitee_can_join(page, live_server, leader, db):
    _log_in(page, live_server, leader.email, PASSWORD)
    page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/$"))
    page.fill("input[name=code]", _totp_code(leader))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/")

    mail.outbox.clear()
    page.goto(live_server.url + "/konto/organisasjoner/oygarden/medlemmer/")
    page.fill("input[name=email]", "ny.kollega@oygarden.kommune.no")
    page.select_option("select[name=role]", "editor")
    page.locator("form:has(input[name=email]) button[type=submit]").click()
    page.wait_for_load_state()
    invitation = Invitation.objects.get(email="ny.kollega@oygarden.kommune.no")
    assert invitation.role == "editor" and invitation.status == "pending"
    assert page.get_by_text("ny.kollega@oygarden.kommune.no").first.is_visible()
    assert len(mail.outbox) == 1 and invitation.token in mail.outbox[0].body

    # The invitee signs in (an account already exists) in a separate browser and accepts.
    from tests.accounts.factories import UserFactory

    UserFactory(email="ny.kollega@oygarden.kommune.no")
    other = page.context.browser.new_context(locale="nb-NO")
    invitee = other.new_page()
    _log_in(invitee, live_server, "ny.kollega@oygarden.kommune.no", PASSWORD)
    invitee.wait_for_url(live_server.url + "/")
    invitee.goto(live_server.url + f"/konto/invitasjon/{invitation.token}/")
    invitee.locator("main form button[type=submit]").first.click()
    invitee.wait_for_load_state()
    other.close()
    membership = Membership.objects.get(user__email="ny.kollega@oygarden.kommune.no")
    assert membership.organisation.slug == "oygarden" and membership.role == "editor"
