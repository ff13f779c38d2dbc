"""The barometer's estimates as pure functions (no Django): post-stratification weights, weighted shares, Kish's
effective sample size, Wilson intervals on the effective n, the national figure, and which cells may be shown.

The method (DOMAIN.md §1.1.2; the KS and Digdir barometers do not publish their formula, so this is ours, stated):

- The population is divided into strata h (sector as KS 2020, or enterprise level × region as KS 2018 — the
  caller chooses). N_h workplaces are in stratum h, n_h of them answered. Every respondent in h gets the
  post-stratification weight w_h = N_h / n_h: it stands for that many workplaces.
- A weighted share is p = Σ w·y / Σ w over the respondents of a cell (a breakdown group, or everybody).
- Kish's effective sample size n_eff = (Σ w)² / Σ w² says how many unweighted answers the weighted ones are worth
  (n_eff = n exactly when the weights are equal, smaller otherwise).
- The interval is Wilson's score interval for p with n_eff in place of n (Kish's design-effect correction).
- A stratum of the population with no respondents has no weight: it is left out and the figure covers the other
  strata's population (``covered_population`` says how much).
- The national figure is a weighted average Σ a_i p_i / Σ a_i of independent sector estimates (state and
  municipal) with stated weights a_i; its variance Σ (a_i / Σ a)² p_i (1 − p_i) / n_eff,i gives its effective n.

Everything works from sufficient statistics per cell — (weight, respondents, yes answers) — so the database can
count per stratum × breakdown group with one GROUP BY and send back three numbers per cell.

Disclosure control is the survey engine's (``nyskap.surveys.disclosure``): primary suppression under the threshold
and complementary suppression so no hidden cell follows from the total and the shown ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from scipy import stats

from nyskap.surveys.disclosure import DEFAULT_THRESHOLD, MINIMUM_THRESHOLD, disclose

CONFIDENCE = 0.95
MIN_CONFIDENCE, MAX_CONFIDENCE = 0.5, 0.9999
MIN_CELL = DEFAULT_THRESHOLD

# The national figure's weights when nothing else is stated: the shares of public employment in the municipal and
# the state sector (roughly 2/3 and 1/3 of public-sector employees in Norway). The source publishes none (§1.1.2).
NATIONAL_WEIGHTS: dict[str, float] = {"municipal": 2 / 3, "state": 1 / 3}


class EstimateError(ValueError):
    """Input the estimate cannot rest on, naming what is wrong (a stratum, or a parameter)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Cell:
    """Respondents of one stratum inside one group: their common weight, how many, how many said yes."""

    weight: float
    n: int
    yes: float

    def __post_init__(self) -> None:
        if self.n < 0 or not 0 <= self.yes <= self.n or not self.weight > 0 or not math.isfinite(self.weight):
            raise ValueError("A cell needs n ≥ 0, 0 ≤ yes ≤ n and a positive, finite weight.")


@dataclass(frozen=True)
class Share:
    """A weighted share with its interval on the effective n; ``n`` is the respondents it rests on."""

    estimate: float
    low: float
    high: float
    n: int
    n_eff: float


def z_value(confidence: float) -> float:
    if not MIN_CONFIDENCE <= confidence <= MAX_CONFIDENCE:  # also NaN
        message = f"The confidence level must be between {MIN_CONFIDENCE} and {MAX_CONFIDENCE}."
        raise EstimateError("confidence", message)
    return _quantile(confidence)


@cache
def _quantile(confidence: float) -> float:
    return float(stats.norm.ppf((1 + confidence) / 2))


def wilson(p: float, n_eff: float, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson's score interval for a share p on n_eff (not necessarily whole) observations:
    (p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n). With a whole n it is exactly
    ``nyskap.core.statistics.wilson_interval``."""
    if n_eff <= 0:
        raise ValueError("n_eff must be positive")
    z = z_value(confidence)
    z2 = z * z
    centre = p + z2 / (2 * n_eff)
    half = z * math.sqrt(max(p * (1 - p), 0.0) / n_eff + z2 / (4 * n_eff * n_eff))
    denominator = 1 + z2 / n_eff
    low, high = (centre - half) / denominator, (centre + half) / denominator
    # Rounding never puts the share outside its interval, nor the interval outside [0, 1].
    low = 0.0 if p <= 0 else min(max(0.0, low), p)
    high = 1.0 if p >= 1 else max(min(1.0, high), p)
    return low, high


def post_stratification_weights(population: Mapping[str, int], respondents: Mapping[str, int]) -> dict[str, float]:
    """w_h = N_h / n_h for each stratum with respondents. A stratum with respondents but no population, or fewer
    workplaces than respondents, is an error naming the stratum; strata without respondents get no weight."""
    for stratum, n in respondents.items():
        if n <= 0:
            continue
        if stratum not in population:
            raise EstimateError(stratum, f"The stratum «{stratum}» has respondents but no population.")
        if population[stratum] < n:
            raise EstimateError(
                stratum, f"The stratum «{stratum}» has {n} respondents but a population of only {population[stratum]}."
            )
    return {h: population[h] / n for h, n in respondents.items() if n > 0}


def weighted_share(cells: Iterable[Cell], confidence: float = CONFIDENCE) -> Share | None:
    """p = Σ w·y / Σ w, n_eff = (Σ w)² / Σ w², Wilson on n_eff. None when there are no respondents."""
    n, total, squares, yes = 0, 0.0, 0.0, 0.0
    for cell in cells:
        n += cell.n
        total += cell.weight * cell.n
        squares += cell.weight * cell.weight * cell.n
        yes += cell.weight * cell.yes
    if n == 0:
        return None
    p = min(max(yes / total, 0.0), 1.0)
    n_eff = min(total * total / squares, float(n))  # ≤ n by Cauchy–Schwarz; min() removes rounding above it
    low, high = wilson(p, n_eff, confidence)
    return Share(p, low, high, n, n_eff)


@dataclass(frozen=True)
class StratumFigure:
    stratum: str
    population: int
    n: int
    weight: float | None
    share: Share | None  # None when suppressed or without respondents

    @property
    def suppressed(self) -> bool:
        return self.share is None and self.n > 0


@dataclass(frozen=True)
class Estimate:
    """The overall weighted share (None when the total itself is under the threshold) and each stratum's."""

    share: Share | None
    n: int
    covered_population: int
    by_stratum: list[StratumFigure] = field(default_factory=list)


def check_min_cell(min_cell: int) -> int:
    if min_cell < MINIMUM_THRESHOLD:
        raise EstimateError("min_cell", f"The smallest cell shown must be at least {MINIMUM_THRESHOLD} respondents.")
    return min_cell


def estimate(
    population: Mapping[str, int],
    counts: Mapping[str, tuple[int, int]],
    confidence: float = CONFIDENCE,
    min_cell: int = MIN_CELL,
) -> Estimate:
    """The post-stratified share from per-stratum (respondents, yes) counts, overall and per stratum, with the
    survey engine's disclosure rules deciding which strata show a figure."""
    z_value(confidence)
    check_min_cell(min_cell)
    for stratum, (n, yes) in counts.items():
        if n < 0 or not 0 <= yes <= n:
            raise EstimateError(stratum, f"The stratum «{stratum}» has impossible counts.")
    weights = post_stratification_weights(population, {h: n for h, (n, _y) in counts.items()})
    total = sum(n for n, _y in counts.values())
    decision = disclose(total, {h: n for h, (n, _y) in counts.items()}, min_cell)
    overall = (
        weighted_share((Cell(weights[h], n, y) for h, (n, y) in counts.items() if n > 0), confidence)
        if decision.total_shown
        else None
    )
    figures = []
    for h in sorted(set(population) | set(counts)):
        n, yes = counts.get(h, (0, 0))
        share = weighted_share([Cell(weights[h], n, yes)], confidence) if n > 0 and decision.is_shown(h) else None
        figures.append(StratumFigure(h, population.get(h, 0), n, weights.get(h), share))
    covered = sum(population[h] for h in weights)
    return Estimate(overall, total, covered, figures)


@dataclass(frozen=True)
class GroupFigure:
    group: str
    n: int
    share: Share | None  # None when suppressed


def breakdown(
    weights: Mapping[str, float],
    cells: Mapping[tuple[str, str], tuple[int, int]],
    confidence: float = CONFIDENCE,
    min_cell: int = MIN_CELL,
    total: int | None = None,
) -> list[GroupFigure]:
    """Weighted shares per group of one breakdown (county, size band …) from (stratum, group) → (n, yes) counts,
    each respondent keeping its stratum's weight; groups disclosed by the survey engine's rules against ``total``
    (all respondents, including those without a group)."""
    check_min_cell(min_cell)
    by_group: dict[str, list[Cell]] = {}
    for (stratum, group), (n, yes) in cells.items():
        if n > 0:
            by_group.setdefault(group, []).append(Cell(weights[stratum], n, yes))
    counts = {g: sum(c.n for c in cs) for g, cs in by_group.items()}
    decision = disclose(sum(counts.values()) if total is None else total, counts, min_cell)
    return [
        GroupFigure(g, counts[g], weighted_share(by_group[g], confidence) if decision.is_shown(g) else None)
        for g in sorted(by_group)
    ]


@dataclass(frozen=True)
class NationalFigure:
    share: Share
    weights: dict[str, float]


def national_figure(
    parts: Mapping[str, Share], weights: Mapping[str, float] | None = None, confidence: float = CONFIDENCE
) -> NationalFigure:
    """Σ a_i p_i / Σ a_i over independent sector estimates (state, municipal) with stated weights a_i (normalised);
    variance Σ (a_i/Σa)² p_i(1 − p_i)/n_eff,i, and n_eff = p(1 − p)/variance for the Wilson interval (when the
    variance is 0 every part is 0 or 1: the parts' n_eff add up)."""
    stated = dict(NATIONAL_WEIGHTS if weights is None else weights)
    missing = [key for key in stated if key not in parts]
    if missing:
        raise EstimateError(missing[0], f"No estimate for «{missing[0]}».")
    if any(not (a >= 0 and math.isfinite(a)) for a in stated.values()) or sum(stated.values()) <= 0:
        raise EstimateError("weights", "The weights must be non-negative and not all zero.")
    a_total = sum(stated.values())
    normalised = {key: a / a_total for key, a in stated.items()}
    p = sum(normalised[k] * parts[k].estimate for k in stated)
    variance = sum(normalised[k] ** 2 * parts[k].estimate * (1 - parts[k].estimate) / parts[k].n_eff for k in stated)
    n = sum(parts[k].n for k in stated if normalised[k] > 0)
    if variance > 0 and 0 < p < 1:
        n_eff = min(p * (1 - p) / variance, float(n))
    else:
        n_eff = sum(parts[k].n_eff for k in stated if normalised[k] > 0)
    low, high = wilson(p, n_eff, confidence)
    return NationalFigure(Share(p, low, high, n, n_eff), normalised)
