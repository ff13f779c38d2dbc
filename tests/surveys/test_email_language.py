"""Survey invitations and their reminders are written in the language the inviting leader chose for them (the
respondent may have no account, so has no language of their own): the leader's own e-mail language by default."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from nyskap.surveys.models import Invitation, Round
from nyskap.surveys.services import round_invite, round_request_reminders

from .factories import make_round, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_round(innovator, home_municipality) -> Round:
    return make_round(actor=innovator, organisation=home_municipality, version=make_version(), units=["Helse"])


SUBJECTS = {
    "nb": ("Du er invitert til å svare: {title}", "Påminnelse: {title}", "Svar her"),
    "nn": ("Du er invitert til å svare: {title}", "Påminning: {title}", "Svar her"),
    "en": ("You are invited to answer: {title}", "Reminder: {title}", "Answer here"),
}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_when_invited_in_a_language_then_the_invitation_and_the_reminder_are_in_it(
    survey_round, innovator, django_capture_on_commit_callbacks, language
):
    invited, reminded, body_words = SUBJECTS[language]
    unit = survey_round.units.first()
    with django_capture_on_commit_callbacks(execute=True):
        round_invite(actor=innovator, round=survey_round, unit=unit, emails=["a@x.no"], language=language)
    assert [m.subject for m in mail.outbox] == [invited.format(title=survey_round.title)]
    assert body_words in mail.outbox[0].body
    assert Invitation.objects.get(email="a@x.no").language == language
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        round_request_reminders(actor=innovator, round=survey_round)
    assert [m.subject for m in mail.outbox] == [reminded.format(title=survey_round.title)]


@pytest.mark.parametrize(("own", "expected"), [("", "nb"), ("nn", "nn"), ("en", "en")])
def test_when_no_language_is_chosen_then_the_leaders_own_is_used(
    survey_round, innovator, django_capture_on_commit_callbacks, own, expected
):
    innovator.language = own
    innovator.save()
    with django_capture_on_commit_callbacks(execute=True):
        round_invite(actor=innovator, round=survey_round, unit=survey_round.units.first(), emails=["b@x.no"])
    assert mail.outbox[0].subject == SUBJECTS[expected][0].format(title=survey_round.title)


def test_the_invite_form_offers_the_leaders_language_and_refuses_an_unknown_one(
    client, survey_round, innovator, django_capture_on_commit_callbacks
):
    innovator.language = "nn"
    innovator.save()
    client.force_login(innovator)
    page = client.get(f"/undersokelser/runde/{survey_round.pk}/").content.decode()
    assert re.search(r'<option value="nn" selected\s*>', page), page[page.find('name="language"') - 200 :][:600]
    unit = str(survey_round.units.first().pk)
    refused = client.post(
        f"/undersokelser/runde/{survey_round.pk}/inviter/", {"emails": "c@x.no", "unit": unit, "language": "de"}
    )
    assert refused.status_code == 422
    assert not Invitation.objects.filter(email="c@x.no").exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"/undersokelser/runde/{survey_round.pk}/inviter/", {"emails": "c@x.no", "unit": unit, "language": "en"}
        )
    assert sent.status_code == 302
    assert mail.outbox[-1].subject == SUBJECTS["en"][0].format(title=survey_round.title)
