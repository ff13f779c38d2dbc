"""The language a user's reminders and alerts are written in: chosen on the profile page, recorded at sign-up and on a
language switch, and carried by an invitation to the account made from it."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_when_a_language_is_chosen_on_the_profile_then_it_is_kept(as_colleague, colleague):
    form = as_colleague.get("/konto/rediger/").content.decode()
    assert '<option value="nn"' in form and '<select name="language"' in form
    response = as_colleague.post("/konto/rediger/", {"name": "Kari Kollega", "language": "nn"})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert (colleague.language, colleague.email_language) == ("nn", "nn")
    as_colleague.post("/konto/rediger/", {"name": "Kari Kollega", "language": ""})
    colleague.refresh_from_db()
    assert (colleague.language, colleague.email_language) == ("", settings.LANGUAGE_CODE)


def test_when_an_unknown_language_is_posted_then_the_field_is_named(as_colleague, colleague):
    as_colleague.cookies["django_language"] = "nb"
    response = as_colleague.post("/konto/rediger/", {"name": "Kari Kollega", "language": "klingon"})
    assert response.status_code == 400
    assert 'id="id_language_error"' in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.language == ""


# The language is also recorded at sign-up, on a language switch and from an invitation.

import re  # noqa: E402

from django.core import mail  # noqa: E402

from nyskap.accounts import services  # noqa: E402
from nyskap.accounts.models import Invitation, Role, User  # noqa: E402
from tests.accounts.factories import UserFactory  # noqa: E402


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_when_someone_signs_up_then_the_language_they_see_is_their_email_language(client, language):
    client.cookies["django_language"] = language
    password = "Et-langt-passord-2026!"
    response = client.post(
        "/accounts/signup/", {"email": "ny.bruker@kommune.no", "password1": password, "password2": password}
    )
    assert response.status_code == 302
    assert User.objects.get(email="ny.bruker@kommune.no").language == language


def test_when_a_signed_in_user_switches_language_then_it_becomes_their_email_language(as_colleague, colleague):
    response = as_colleague.post("/sprak/", {"language": "nn", "next": "/"})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.email_language == "nn"


def test_when_a_switch_is_posted_from_another_site_then_the_email_language_is_unchanged(as_colleague, colleague):
    response = as_colleague.post("/sprak/", {"language": "en"}, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 302  # the display language may change; what is stored may not
    colleague.refresh_from_db()
    assert colleague.language == ""


INVITATIONS = {
    "nb": ("Invitasjon til Øygarden kommune på Nyskap", "har invitert deg til å bli med i Øygarden kommune"),
    "nn": ("Invitasjon til Øygarden kommune i Nyskap", "har invitert deg til å bli med i Øygarden kommune"),
    "en": ("Invitation to Øygarden kommune on Nyskap", "has invited you to join Øygarden kommune on Nyskap"),
}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_when_an_invitation_is_sent_in_a_chosen_language_then_the_email_is_in_it(
    as_leader, leader, language, django_capture_on_commit_callbacks
):
    as_leader.cookies["django_language"] = "nb"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_leader.post(
            "/konto/organisasjoner/oygarden/invitasjoner/",
            {"email": "ny@oygarden.kommune.no", "role": Role.MEMBER, "language": language},
        )
    assert response.status_code == 302
    assert Invitation.objects.get(email="ny@oygarden.kommune.no").language == language
    assert len(mail.outbox) == 1
    subject, sentence = INVITATIONS[language]
    assert mail.outbox[0].subject == subject
    assert sentence in mail.outbox[0].body


def test_the_invitation_form_offers_the_inviters_language_and_the_new_account_starts_with_it(
    as_leader, leader, home_municipality, client, django_capture_on_commit_callbacks
):
    leader.language = "nn"
    leader.save()
    form = as_leader.get("/konto/organisasjoner/oygarden/medlemmer/").content.decode()
    assert re.search(r'<option value="nn" selected\s*>', form)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organisation=home_municipality, email="ny@oygarden.kommune.no", role=Role.MEMBER, invited_by=leader
        )
    assert invitation.language == "nn"
    assert mail.outbox[-1].subject == INVITATIONS["nn"][0]
    invitee = UserFactory(email="ny@oygarden.kommune.no")
    client.force_login(invitee)
    assert client.post(f"/konto/invitasjon/{invitation.token}/").status_code == 302
    invitee.refresh_from_db()
    assert invitee.email_language == "nn"


def test_when_an_unknown_invitation_language_is_posted_then_the_field_is_named(as_leader):
    response = as_leader.post(
        "/konto/organisasjoner/oygarden/invitasjoner/",
        {"email": "ny@oygarden.kommune.no", "role": Role.MEMBER, "language": "klingon"},
    )
    assert response.status_code == 400
    assert 'id="id_language_error"' in response.content.decode()
    assert not Invitation.objects.exists()


JOIN_REQUESTS = {
    "nb": "Forespørsel om medlemskap i Øygarden kommune på Nyskap",
    "nn": "Førespurnad om medlemskap i Øygarden kommune i Nyskap",
    "en": "Request to join Øygarden kommune on Nyskap",
}
DECISIONS = {
    "nb": "Forespørselen din om medlemskap i Øygarden kommune",
    "nn": "Førespurnaden din om medlemskap i Øygarden kommune",
    "en": "Your request to join Øygarden kommune",
}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_when_someone_asks_to_join_then_each_party_is_written_to_in_their_own_language(
    leader, outsider, home_municipality, language, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.utils import translation

    from nyskap.accounts import services
    from nyskap.accounts.models import Role

    leader.language = language
    leader.save()
    other = {"nb": "en", "nn": "nb", "en": "nn"}[language]
    outsider.language = other
    outsider.save()
    with translation.override(other), django_capture_on_commit_callbacks(execute=True):
        # The requester's page language does not decide the administrator's mail.
        join_request = services.join_request_create(user=outsider, organisation=home_municipality, role=Role.MEMBER)
    assert [(m.subject, m.to) for m in mail.outbox] == [(JOIN_REQUESTS[language], [leader.email])]
    mail.outbox.clear()
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        # Nor does the deciding administrator's language decide the requester's.
        services.join_request_decide(join_request=join_request, approve=True, actor=leader)
    assert [(m.subject, m.to) for m in mail.outbox] == [(DECISIONS[other], [outsider.email])]


@pytest.mark.parametrize("target", ["abc", "account_login", "https://elsewhere.example/", "//elsewhere.example/x"])
def test_when_the_language_switch_is_sent_a_next_that_is_not_a_local_path_then_it_goes_home(client, target):
    response = client.post("/sprak/", {"language": "nn", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
