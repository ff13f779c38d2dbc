"""Benefit fixtures on top of the shared cast (tests/conftest.py) and the project fixtures."""

from __future__ import annotations

import pytest

from nyskap.core.visibility import Visibility

from ..projects.factories import make_project
from .factories import hand_worked_plan


@pytest.fixture
def project(innovator, home_municipality):
    return make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)


@pytest.fixture
def public_project(innovator, home_municipality):
    return make_project(
        actor=innovator, owner=home_municipality, title="Digital hjemmeoppfølging", visibility=Visibility.PUBLIC
    )


@pytest.fixture
def plan(project, innovator, colleague):
    return hand_worked_plan(project=project, actor=innovator, owner=colleague)


@pytest.fixture
def public_plan(public_project, innovator, colleague):
    """Submitted: a draft is seen by the owning organisation only, whatever the project's visibility."""
    from nyskap.benefits import services

    return services.plan_submit(
        plan=hand_worked_plan(project=public_project, actor=innovator, owner=colleague), actor=innovator
    )


@pytest.fixture
def public_draft_plan(public_project, innovator, colleague):
    return hand_worked_plan(project=public_project, actor=innovator, owner=colleague)


@pytest.fixture(autouse=True)
def _english_messages():
    """Service refusals are asserted in English (the msgids); pages and the API choose their language per request."""
    from django.utils import translation

    with translation.override("en"):
        yield
