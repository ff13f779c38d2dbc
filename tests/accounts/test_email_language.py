"""The language a user's reminders and alerts are written in is chosen on the profile page."""

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
