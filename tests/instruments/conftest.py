"""Catalogue fixtures on top of the shared cast in tests/conftest.py (which holds the owner organisations and the
instrument owner)."""

from __future__ import annotations

import pytest

from nyskap.instruments.models import Instrument

from .factories import load_catalogue


@pytest.fixture
def loaded(owner_organisations) -> dict[str, Instrument]:
    return load_catalogue()
