from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    """Assert the English msgids exactly, whatever the nb/nn catalogues say."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


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
