"""Call alerts are written in the recipient's own language (profile), bokmål when none is chosen."""

from __future__ import annotations

import datetime

import pytest

from nyskap.instruments.models import Call, MatcherProfile
from nyskap.instruments.notifications import message_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("", "Nyskap: 1 ny utlysning som passer «Idéfasen»"),
        ("en", "Nyskap: 1 new call that fits “Idéfasen”"),
    ],
)
def test_when_an_alert_is_written_then_it_is_in_the_recipients_language(innovator, loaded, language, subject):
    innovator.language = language
    innovator.save()
    profile = MatcherProfile.objects.create(user=innovator, query="phase=ideas", label="Idéfasen")
    call = Call.objects.create(
        instrument=loaded["forkommune"], title="FORKOMMUNE 2026", opens_on=datetime.date(2026, 3, 5)
    )
    message = message_for(profile, [call])
    assert message.subject == subject
    assert message.to == [innovator.email]
