"""Helpers for culture tests: the real questionnaire and rounds filled with answers (built on the survey engine's
factories in tests/surveys/factories.py)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from nyskap.culture import instrument
from nyskap.culture.services import load_questionnaire
from nyskap.surveys.models import Round

from ..surveys.factories import invite, make_round, submit

__all__ = ["ITEM_KEYS", "answer_all", "close", "culture_round", "culture_version", "invite"]

ITEM_KEYS = [item["key"] for spec in instrument.DIMENSIONS for item in spec["items"]]


def culture_version():
    version, _created = load_questionnaire()
    return version


def culture_round(
    *,
    actor,
    organisation,
    units: Sequence[str] = (),
    opens_on: datetime.date = datetime.date(2026, 11, 1),
    closes_on: datetime.date = datetime.date(2026, 11, 30),
    threshold: int = 5,
    title: str = "Kultur 2026",
    share_in_benchmarks: bool = True,
    link_enabled: bool = False,
) -> Round:
    """A round of the culture questionnaire created the day it opens (a new round may not open in the past)."""
    return make_round(
        actor=actor,
        organisation=organisation,
        version=culture_version(),
        opens_on=opens_on,
        closes_on=closes_on,
        units=units,
        threshold=threshold,
        title=title,
        share_in_benchmarks=share_in_benchmarks,
        link_enabled=link_enabled,
    )


def answer_all(round: Round, value: int | str, unit=None, overrides: dict | None = None) -> None:
    """One submitted response through an invitation to ``unit``, answering every statement with ``value``
    (``overrides`` by item key)."""
    data = {key: str(value) for key in ITEM_KEYS}
    data.update(overrides or {})
    submit(round, data, unit)


def close(round: Round) -> Round:
    """Close the round early (results are shown only for closed rounds)."""
    Round.objects.filter(pk=round.pk).update(closed_early=True)
    round.refresh_from_db()
    return round
