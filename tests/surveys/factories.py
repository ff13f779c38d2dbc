"""Factories and helpers for survey tests: a small published questionnaire, rounds, and submitted responses."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import time_machine

from nyskap.surveys.models import (
    Dimension,
    Invitation,
    Item,
    ItemKind,
    Questionnaire,
    QuestionnaireVersion,
    Round,
    hash_secret,
    new_secret,
)
from nyskap.surveys.selectors import Access, resolve_token
from nyskap.surveys.services import RoundInput, link_ticket_issue, response_save, round_create, version_publish

SCALE = [{"key": str(p), "nb": f"P{p}", "nn": f"P{p}", "en": f"P{p}"} for p in range(1, 6)]


def make_version(*, publish: bool = True, key: str = "test-survey") -> QuestionnaireVersion:
    """A questionnaire with two Likert items in dimension "a", one single choice, one multiple choice, one number
    and one free-text item."""
    questionnaire, _ = Questionnaire.objects.get_or_create(
        key=key, defaults={"name_nb": "Testskjema", "name_nn": "Testskjema", "name_en": "Test survey"}
    )
    number = questionnaire.versions.count() + 1
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=number)
    dimension = Dimension.objects.create(version=version, key="a", name_nb="A", name_nn="A", name_en="A")
    texts = {"text_nb": "Spørsmål", "text_nn": "Spørsmål", "text_en": "Question"}
    Item.objects.create(
        version=version,
        dimension=dimension,
        key="l1",
        order=1,
        kind=ItemKind.LIKERT,
        options=SCALE,
        required=True,
        **texts,
    )
    Item.objects.create(
        version=version, dimension=dimension, key="l2", order=2, kind=ItemKind.LIKERT, options=SCALE, **texts
    )
    options = [{"key": "x", "nb": "X", "nn": "X", "en": "X"}, {"key": "y", "nb": "Y", "nn": "Y", "en": "Y"}]
    Item.objects.create(version=version, key="one", order=3, kind=ItemKind.SINGLE, options=options, **texts)
    Item.objects.create(version=version, key="many", order=4, kind=ItemKind.MULTIPLE, options=options, **texts)
    Item.objects.create(version=version, key="num", order=5, kind=ItemKind.NUMBER, minimum=0, maximum=100, **texts)
    Item.objects.create(version=version, key="free", order=6, kind=ItemKind.TEXT, **texts)
    if publish:
        version = version_publish(version=version)
    return version


def make_round(
    *,
    actor,
    organisation,
    version: QuestionnaireVersion,
    opens_on: datetime.date = datetime.date(2026, 11, 1),
    closes_on: datetime.date = datetime.date(2026, 11, 30),
    units: Sequence[str] = (),
    threshold: int = 5,
    title: str = "Kulturundersøkelse høsten 2026",
    share_in_benchmarks: bool = True,
    link_enabled: bool = False,
    link_threshold: int = 10,
    link_cap: int = 200,
) -> Round:
    """A round created the day it opens (a new round may not open in the past)."""
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
                link_threshold=link_threshold,
                link_cap=link_cap,
            ),
        )


def invite(round: Round, unit=None, email: str | None = None) -> str:
    """An invitation (to ``unit``) made directly, without mail; returns its personal token."""
    token = new_secret()
    Invitation.objects.create(
        round=round, unit=unit, email=email or f"{token[:8].lower()}@x.no", token_hash=hash_secret(token)
    )
    return token


def submit(round: Round, answers: dict, unit=None) -> None:
    """One submitted response through a personal invitation to ``unit``."""
    response_save(access=resolve_token(invite(round, unit)), data=answers, submit=True)


def submit_by_link(round: Round, answers: dict) -> None:
    """One submitted response through the shared link, with a fresh one-time ticket."""
    response_save(access=Access(round=round), data=answers, submit=True, ticket=link_ticket_issue(round=round))
