"""Trends over rounds: for each indicator, the published rounds of one questionnaire kind side by side over time,
with the published national and Nordic figures beside them.

Differencing over time: two published rounds may share their frame and most of their units, so subtracting one
round's figure from the other's could tell a cell that either round hides. The trend therefore never counts
answers itself: every point is the round's own overall figure from ``round_results`` — exactly what the round's
results page shows, hidden where that page hides it, a band where that page shows a band."""

from __future__ import annotations

from dataclasses import dataclass

from . import comparison
from .models import QuestionnaireKind, Round
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
