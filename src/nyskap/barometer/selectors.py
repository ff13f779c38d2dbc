"""Reads of the barometer: which rounds a person may see, a round's frame and sample, and its response rates per
stratum during fieldwork (counts only where they cannot tell who answered)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from nyskap.core.permissions import is_editor_of, organisations_edited_by
from nyskap.organisations.models import Organisation
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


def own_organisations(user: Any, round: Round) -> list[Organisation]:
    """The organisations ``user`` is a member of (any role) that have workplaces in a published round's frame: each
    may see its own workplaces' aggregate figures. Operators are not members by being operators."""
    if round.status != RoundStatus.PUBLISHED or not getattr(user, "is_authenticated", False):
        return []
    in_frame = Workplace.objects.filter(round=round, organisation__isnull=False).values("organisation_id")
    return list(Organisation.objects.filter(memberships__user=user, pk__in=in_frame).distinct().order_by("name"))


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


# Figures for the dashboards (M8): only what a published round's results page shows — its overall figure and its
# breakdown groups, hidden where that page hides them — so no combination of dashboards can tell more than the
# rounds have published (no differencing across lenses).


def _figure_data(figure: Any) -> dict[str, Any] | None:
    if not figure.shown:
        return None
    share = figure.share
    if share is None:
        return {"band": figure.band}
    return {"share": round(share.estimate, 4), "low": round(share.low, 4), "high": round(share.high, 4)}


def latest_published_figures() -> list[dict[str, Any]]:
    """For the latest published round of each questionnaire kind: its id, title, period end, and per indicator the
    published overall figure and breakdown figures (``{variable: {group: figure}}``), shown ones only."""
    from .results import round_results  # the results build on these selectors

    out = []
    for kind in ("operative", "strategic"):
        round = published_rounds().filter(kind=kind).order_by("-period_end", "-pk").first()
        results = round_results(round) if round is not None else None
        if round is None or results is None:
            continue
        indicators = []
        for result in results.indicators:
            breakdowns = {
                variable: {f.group: data for f in figures if (data := _figure_data(f)) is not None}
                for variable, figures in result.breakdowns.items()
            }
            indicators.append(
                {
                    "key": result.indicator.key,
                    "overall": _figure_data(result.overall),
                    "breakdowns": {variable: groups for variable, groups in breakdowns.items() if groups},
                }
            )
        out.append(
            {
                "round": round.pk,
                "kind": kind,
                "title": round.title,
                "period_end": round.period_end.isoformat(),
                "indicators": indicators,
            }
        )
    return out


def indicator_labels() -> dict[str, str]:
    """Indicator key → its label in the active language (both questionnaires)."""
    from .questionnaire import KINDS
    from .results import indicators, label_of

    return {indicator.key: label_of(indicator.label) for kind in KINDS for indicator in indicators(kind)}
