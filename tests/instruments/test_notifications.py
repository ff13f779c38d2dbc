"""Saved matcher questions and the e-mail when a call opens that fits, with the signed unsubscribe link."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail

from nyskap.instruments.models import Call, MatcherProfile
from nyskap.instruments.notifications import notify_profile, read_unsubscribe_token, unsubscribe_token
from nyskap.instruments.tasks import send_call_alerts

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "phase=ideas&needs=money&kind=municipality"


def _at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC))


def test_when_a_question_is_saved_then_it_is_stored_once_in_normal_form(as_innovator, innovator, loaded):
    response = as_innovator.post("/virkemidler/finn/lagre/", {"query": "phase=ideas&needs=money&kind=municipality&x=1",
                                                               "label": "Penger til idéfasen"})  # fmt: skip
    assert response.status_code == 302
    profile = MatcherProfile.objects.get()
    assert (profile.user, profile.query, profile.label) == (innovator, QUESTION, "Penger til idéfasen")
    as_innovator.post("/virkemidler/finn/lagre/", {"query": QUESTION, "label": "Igjen"})
    assert MatcherProfile.objects.count() == 1


def test_when_anonymous_saves_a_question_then_it_is_refused(anonymous, loaded):
    response = anonymous.post("/virkemidler/finn/lagre/", {"query": QUESTION})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert MatcherProfile.objects.count() == 0


def test_when_a_fitting_call_opens_then_one_email_is_sent_once(innovator, loaded):
    with _at(datetime.date(2026, 3, 1)):
        profile = MatcherProfile.objects.create(user=innovator, query=QUESTION, label="Idéfasen",
                                                last_notified_on=datetime.date(2026, 3, 1))  # fmt: skip
    # FORKOMMUNE fits a municipality with money in the idea phase; the co-financing scheme does not (state only).
    Call.objects.create(instrument=loaded["forkommune"], title="FORKOMMUNE 2026", opens_on=datetime.date(2026, 3, 5),
                        closes_on=datetime.date(2026, 5, 1))  # fmt: skip
    Call.objects.create(instrument=loaded["medfinansiering"], title="Medfinansiering 2026",
                        opens_on=datetime.date(2026, 3, 5), closes_on=datetime.date(2026, 5, 1))  # fmt: skip
    mail.outbox.clear()
    with _at(datetime.date(2026, 3, 6)):
        assert send_call_alerts.call() == 1
        assert send_call_alerts.call() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [innovator.email]
    assert "FORKOMMUNE 2026" in message.body and "Medfinansiering 2026" not in message.body
    token = re.search(r"/virkemidler/avmeld/([^/]+)/", message.body).group(1)
    assert read_unsubscribe_token(token) == profile.pk
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    profile.refresh_from_db()
    assert profile.last_notified_on == datetime.date(2026, 3, 6)


def test_when_no_new_call_fits_then_no_email_is_sent(innovator, loaded):
    profile = MatcherProfile.objects.create(
        user=innovator, query=QUESTION, label="X", last_notified_on=datetime.date(2026, 3, 1)
    )
    Call.objects.create(instrument=loaded["medfinansiering"], title="Bare staten", opens_on=datetime.date(2026, 3, 5))
    mail.outbox.clear()
    assert notify_profile(profile, today=datetime.date(2026, 3, 6)) is False
    assert mail.outbox == []


def test_when_the_unsubscribe_link_is_used_then_the_question_is_deleted(anonymous, innovator, loaded):
    profile = MatcherProfile.objects.create(user=innovator, query=QUESTION, label="X")
    token = unsubscribe_token(profile)
    assert anonymous.get(f"/virkemidler/avmeld/{token}/").status_code == 200
    assert MatcherProfile.objects.count() == 1
    assert anonymous.post(f"/virkemidler/avmeld/{token}/").status_code == 200
    assert MatcherProfile.objects.count() == 0


def test_when_the_unsubscribe_token_is_tampered_with_then_it_is_refused(anonymous, innovator, loaded):
    profile = MatcherProfile.objects.create(user=innovator, query=QUESTION, label="X")
    response = anonymous.post(f"/virkemidler/avmeld/{unsubscribe_token(profile)}x/")
    assert response.status_code == 403
    assert MatcherProfile.objects.count() == 1


def test_when_someone_else_deletes_a_question_then_404(as_outsider, innovator, loaded):
    profile = MatcherProfile.objects.create(user=innovator, query=QUESTION, label="X")
    assert as_outsider.post(f"/virkemidler/varsler/{profile.pk}/slett/").status_code == 404
    assert MatcherProfile.objects.count() == 1


def test_when_a_saved_question_has_a_refused_character_then_the_form_is_shown_again_and_nothing_is_saved(
    as_innovator, innovator
):
    from nyskap.instruments.models import MatcherProfile

    response = as_innovator.post("/virkemidler/finn/lagre/", {"query": QUESTION, "label": "Penger\u0000"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "U+0000" in page
    assert 'value="Penger' in page  # what was typed is kept
    assert not MatcherProfile.objects.filter(user=innovator).exists()
