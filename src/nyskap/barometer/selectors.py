"""Reads of the barometer: which rounds a person may see, a round's frame and sample, and its response rates per
stratum during fieldwork (counts only where they cannot tell who answered)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from nyskap.core.permissions import is_editor_of, organisations_edited_by
from nyskap.surveys import selectors as survey_selectors
from nyskap.surveys.disclosure import disclose

from .models import STRATUM_VARIABLES, Round, RoundStatus, Workplace


def published_rounds() -> QuerySet[Round]:
    return Round.objects.filter(status=RoundStatus.PUBLISHED).select_related("owner")


def rounds_edited_by(user: Any) -> QuerySet[Round]:
    if not getattr(user, "is_authenticated", False):
        return Round.objects.none()
    return Round.objects.filter(owner__in=organisations_edited_by(user)).select_related("owner")


def round_for_editor(user: Any, pk: int) -> Round | None:
    round = Round.objects.select_related("owner", "survey_round").filter(pk=pk).first()
    return round if round is not None and is_editor_of(user, round.owner) else None


def round_for_results(user: Any, pk: int) -> Round | None:
    """Published rounds for everybody; a closed round's results for its owner's editors only."""
    round = Round.objects.select_related("owner", "survey_round").filter(pk=pk).first()
    if round is None:
        return None
    if round.status == RoundStatus.PUBLISHED:
        return round
    if round.status == RoundStatus.CLOSED and is_editor_of(user, round.owner):
        return round
    return None


@dataclass(frozen=True)
class StratumRow:
    stratum: str
    frame: int
    sampled: int
    invited: int | None = None
    answered: int | None = None  # None when it could tell who answered


def _stratum_expression(round: Round) -> list[str]:
    return list(round.strata) or []


def frame_rows(round: Round) -> list[StratumRow]:
    variables = _stratum_expression(round)
    rows = (
        Workplace.objects.filter(round=round)
        .values(*variables)
        .annotate(n=Count("pk"), sampled=Count("pk", filter=Q(sampled=True)))
        .order_by(*variables)
    )
    return [StratumRow(" | ".join(str(row[v]) for v in variables) or "all", row["n"], row["sampled"]) for row in rows]


def response_rates(round: Round) -> list[StratumRow]:
    """Per stratum: the frame, the sample, the invited and — only where neither those who answered nor those who
    did not are fewer than the round's smallest cell — how many answered (the survey engine's rule)."""
    rows = frame_rows(round)
    if round.survey_round is None:
        return rows
    names = survey_selectors.unit_names(round.survey_round)
    invited_by_unit = survey_selectors.invited_by_unit(round.survey_round)
    answered_by_unit = survey_selectors.submitted_by_unit(round.survey_round)
    invited: dict[str, int] = defaultdict(int)
    answered: dict[str, int] = defaultdict(int)
    for pk, name in names.items():
        values = name.split(" | ")
        stratum = " | ".join(values[STRATUM_VARIABLES.index(v)] for v in round.strata) or "all"
        invited[stratum] += invited_by_unit.get(pk, 0)
        answered[stratum] += answered_by_unit.get(pk, 0)
    result = []
    for row in rows:
        total, yes = invited.get(row.stratum, 0), answered.get(row.stratum, 0)
        decision = disclose(total, {"answered": yes, "not": total - yes}, round.min_cell)
        shown = decision.is_shown("answered") or yes == 0
        result.append(StratumRow(row.stratum, row.frame, row.sampled, total, yes if shown else None))
    return result
