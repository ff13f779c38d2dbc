"""Reminders are written in the benefit owner's own language (profile), bokmål when none is chosen."""

from __future__ import annotations

import datetime

import pytest

from nyskap.benefits.services import reminder_message

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject", "body_word"),
    [
        ("", "Nyskap: tid for å måle «Færre kjøreturer»", "Registrer målingen her:"),
        ("nn", "Nyskap: tid for å måle «Færre kjøreturer»", "Registrer målinga her:"),
        ("en", "Nyskap: time to measure “Færre kjøreturer”", "Record the measurement here:"),
    ],
)
def test_when_a_reminder_is_written_then_it_is_in_the_owners_language(plan, colleague, language, subject, body_word):
    colleague.language = language
    colleague.save()
    benefit = plan.benefits.select_related("owner", "plan__project").get()
    message = reminder_message(benefit, datetime.date(2025, 1, 1))
    assert message.subject == subject
    assert message.to == [colleague.email]
    assert body_word in message.body
