"""Project-library fixtures on top of the shared cast in tests/conftest.py."""

from __future__ import annotations

import pytest

from nyskap.core.visibility import Visibility
from nyskap.projects.models import Project

from .factories import make_project


@pytest.fixture
def project(innovator, home_municipality) -> Project:
    return make_project(actor=innovator, owner=home_municipality, visibility=Visibility.ORGANISATION)
