"""Writes of the barometer: loading its questionnaires into the survey engine (through the engine's loader)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nyskap.surveys.loading import questionnaire_load

from . import questionnaire

if TYPE_CHECKING:
    from nyskap.surveys.models import QuestionnaireVersion


def load_questionnaires() -> list[tuple[QuestionnaireVersion, bool]]:
    """Create and publish both questionnaires unless they exist. Safe to run on every start."""
    return [questionnaire_load(questionnaire.spec(kind)) for kind in questionnaire.KINDS]
