from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from ..helpers import SecurityLog


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    """Assert the English msgids exactly, whatever the nb/nn catalogues say.

    A catalogue built while the default language is English falls back to English, and Django keeps it after the
    setting is restored (it clears its catalogues only when LANGUAGES changes): drop them afterwards, or a later test
    would read allauth's nynorsk pages, which fall back to bokmål, in English."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
    trans_real._translations = {}
    trans_real._default = None


@pytest.fixture
def security_log(caplog) -> Iterator[SecurityLog]:
    """The `nyskap.security` logger does not propagate to the root logger, so listen on it directly."""
    logger = logging.getLogger("nyskap.security")
    caplog.handler.records.clear()
    logger.addHandler(caplog.handler)
    try:
        yield SecurityLog(caplog.handler)
    finally:
        logger.removeHandler(caplog.handler)
