from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from django.utils import translation
from django.utils.translation import trans_real


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


class SecurityLog:
    def __init__(self, handler: logging.Handler) -> None:
        self.handler = handler

    @property
    def lines(self) -> list[str]:
        records = self.handler.records  # type: ignore[attr-defined]
        return [record.getMessage() for record in records if record.name == "nyskap.security"]

    @property
    def events(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]

    def named(self, event: str) -> list[dict]:
        return [entry for entry in self.events if entry["event"] == event]


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
