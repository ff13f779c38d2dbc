"""Trends over rounds: for each indicator, the published rounds of one questionnaire kind side by side over time,
with the published national and Nordic figures beside them.

Differencing over time: two published rounds may share their frame and most of their units, so subtracting one
round's figure from the other's could tell a cell that either round hides. The trend therefore never counts
answers itself: every point is the round's own overall figure from ``round_results`` — exactly what the round's
results page shows, hidden where that page hides it, a band where that page shows a band."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from . import calculations, comparison
from .models import QuestionnaireKind, Round, Sector, Workplace
from .results import Figure, IndicatorResult, round_results
from .selectors import published_rounds


@dataclass(frozen=True)
class Point:
    round: Round
    figure: Figure | None  # None: the round has no figure for this indicator


@dataclass
class Trend:
    key: str
    label: str
    group: str
    points: list[Point]
    series: list[comparison.Published]

    @property
    def shown(self) -> list[Point]:
        return [p for p in self.points if p.figure is not None and p.figure.share is not None]


def published_of_kind(kind: str) -> list[Round]:
    return list(published_rounds().filter(kind=kind).order_by("period_end", "pk"))


def trends(kind: str = QuestionnaireKind.OPERATIVE) -> tuple[list[Round], list[Trend]]:
    """The published rounds of ``kind`` in time order and, per indicator, each round's published figure."""
    rounds = published_of_kind(kind)
    per_round: list[tuple[Round, dict[str, IndicatorResult]]] = []
    for round in rounds:
        results = round_results(round)
        if results is not None:
            per_round.append((round, {r.indicator.key: r for r in results.indicators}))
    result: dict[str, Trend] = {}
    for _round, by_key in per_round:
        for key, indicator in by_key.items():
            if key not in result:
                result[key] = Trend(key, indicator.label, indicator.group, [], comparison.for_indicator(key))
    for trend in result.values():
        for round, by_key in per_round:
            found = by_key.get(trend.key)
            trend.points.append(Point(round, found.overall if found is not None else None))
    return [round for round, _ in per_round], list(result.values())


@dataclass(frozen=True)
class NationalRow:
    key: str
    label: str
    group: str
    municipal: Figure
    state: Figure
    national: calculations.NationalFigure | None  # None unless both parts show a share

    @property
    def figure(self) -> Figure | None:
        """The national figure as a figure of the tables (its n is both parts' respondents)."""
        return Figure("national", self.national.share.n, self.national.share) if self.national else None


@dataclass
class National:
    """The national figure per indicator: Σ a_i p_i / Σ a_i over the latest published municipal and state rounds'
    own overall figures (`calculations.national_figure`), with the stated weights a_i."""

    municipal: Round
    state: Round
    weights: dict[str, float]
    rows: list[NationalRow]


def national_weights() -> dict[str, float]:
    """The stated weights of the national figure: the setting ``BAROMETER_NATIONAL_WEIGHTS`` ({"municipal": a,
    "state": b}), or the calculation's default (shares of public employment), normalised to add up to 1."""
    stated = getattr(settings, "BAROMETER_NATIONAL_WEIGHTS", None) or calculations.NATIONAL_WEIGHTS
    total = sum(stated.values())
    return {part: stated[part] / total for part in ("municipal", "state")}


def _latest(rounds: list[Round], state: bool) -> Round | None:
    """The latest round whose frame is all state administration (``state``), or has none of it."""
    for round in reversed(rounds):
        workplaces = Workplace.objects.filter(round=round)
        in_state = workplaces.filter(sector=Sector.STATE).exists()
        outside = workplaces.exclude(sector=Sector.STATE).exists()
        if (in_state and not outside) if state else (outside and not in_state):
            return round
    return None


def national(kind: str = QuestionnaireKind.OPERATIVE) -> National | None:
    """The national figures from the latest published round of ``kind`` of the municipal sector and of the state,
    or None while one of them is missing. Each part is the round's published figure, so the national figure is
    hidden where either part is hidden or only a band (it tells nothing the two results pages do not)."""
    rounds = published_of_kind(kind)
    municipal, state = _latest(rounds, state=False), _latest(rounds, state=True)
    if municipal is None or state is None:
        return None
    municipal_results, state_results = round_results(municipal), round_results(state)
    if municipal_results is None or state_results is None:
        return None
    weights = national_weights()
    by_key = {r.indicator.key: r for r in state_results.indicators}
    rows = []
    for result in municipal_results.indicators:
        other = by_key.get(result.indicator.key)
        if other is None:
            continue
        m, s = result.overall.share, other.overall.share
        figure = None
        if m is not None and s is not None:
            figure = calculations.national_figure({"municipal": m, "state": s}, weights)
        rows.append(
            NationalRow(result.indicator.key, result.label, result.group, result.overall, other.overall, figure)
        )
    return National(municipal, state, weights, rows)
