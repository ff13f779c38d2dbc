"""Helpers for culture tests: the real questionnaire and rounds filled with answers."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import time_machine

from nyskap.culture import instrument
from nyskap.culture.services import load_questionnaire
from nyskap.surveys.models import Invitation, Round, hash_secret, new_secret
from nyskap.surveys.selectors import resolve_token
from nyskap.surveys.services import RoundInput, response_save, round_create

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
    """A round created the day it opens (a new round may not open in the past)."""
    version = culture_version()
    with time_machine.travel(datetime.datetime.combine(opens_on, datetime.time(12)), tick=False):
        return round_create(
            actor=actor,
            organisation=organisation,
            data=RoundInput(
                title=title,
                version=version,
                opens_on=opens_on,
                closes_on=closes_on,
                threshold=threshold,
                units=list(units),
                share_in_benchmarks=share_in_benchmarks,
                link_enabled=link_enabled,
            ),
        )


def invite(round: Round, unit=None) -> str:
    """An invitation (to ``unit``) made directly, without mail; returns its personal token."""
    token = new_secret()
    Invitation.objects.create(round=round, unit=unit, email=f"{token[:8].lower()}@x.no", token_hash=hash_secret(token))
    return token


def answer_all(round: Round, value: int | str, unit=None, overrides: dict | None = None) -> None:
    """One submitted response through an invitation to ``unit``, answering every statement with ``value``
    (``overrides`` by item key)."""
    data = {key: str(value) for key in ITEM_KEYS}
    data.update(overrides or {})
    response_save(access=resolve_token(invite(round, unit)), data=data, submit=True)


def close(round: Round) -> Round:
    """Close the round early (results are shown only for closed rounds)."""
    Round.objects.filter(pk=round.pk).update(closed_early=True)
    round.refresh_from_db()
    return round
