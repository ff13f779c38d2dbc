"""The operators' admin shows a published version read-only and copies it into a new draft."""

from __future__ import annotations

import pytest

from nyskap.surveys.models import QuestionnaireVersion

from .factories import make_version

pytestmark = pytest.mark.django_db


def test_when_an_operator_opens_a_published_version_then_its_items_cannot_be_edited(as_operator):
    version = make_version()
    html = as_operator.get(f"/drift/surveys/questionnaireversion/{version.pk}/change/").content.decode()
    assert 'name="items-0-text_nb"' not in html
    assert "Spørsmål" in html


def test_when_an_operator_makes_a_draft_then_a_new_editable_version_exists(as_operator):
    version = make_version()
    response = as_operator.post(
        "/drift/surveys/questionnaireversion/",
        {"action": "make_draft", "_selected_action": [version.pk]},
    )
    assert response.status_code == 302
    draft = QuestionnaireVersion.objects.get(number=2)
    assert draft.is_published is False
    assert draft.items.count() == 6
    html = as_operator.get(f"/drift/surveys/questionnaireversion/{draft.pk}/change/").content.decode()
    assert 'name="items-0-text_nb"' in html
