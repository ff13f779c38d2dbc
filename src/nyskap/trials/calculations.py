"""Effect estimates for a trial, as pure functions (no Django): from counts per arm, from means per arm, or from
one row per unit (with clusters when the trial randomised groups).

Two arms are compared as *first minus second* (the treated arm is entered first), the convention of the API
(`POST /api/v1/trials/effect`). The statistics themselves are `nyskap.core.statistics`; what this module adds is
the trial's view of them: each arm's share with its interval, the risk ratio, and for grouped (cluster) data an
interval that is not too narrow — a cluster-level analysis, or a design effect from an entered ICC.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scipy import stats

from nyskap.core.statistics import (
    CONFIDENCE,
    Comparison,
    Interval,
    newcombe_difference,
    risk_ratio,
    welch_difference,
    wilson_interval,
)

BINARY = "binary"
CONTINUOUS = "continuous"
# Beyond four nines the normal quantile leaves floating-point precision (at 1 − 1e-16 it is infinite).
MIN_CONFIDENCE, MAX_CONFIDENCE = 0.5, 0.9999


class EffectError(ValueError):
    """Input that cannot give an estimate; ``field`` names what is wrong (``arms[1].events``, ``rows[3].outcome``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class CountArm:
    label: str
    events: int
    n: int


@dataclass(frozen=True)
class MeanArm:
    label: str
    mean: float
    sd: float
    n: int


@dataclass(frozen=True)
class ArmShare:
    label: str
    events: int
    n: int
    share: Interval


@dataclass(frozen=True)
class Effect:
    """The estimate of an effect: ``difference`` (first arm minus second) with its interval and p-value; for a
    binary outcome also each arm's share and the risk ratio. ``warnings`` say what a reader must know (clusters)."""

    outcome: str
    confidence: float
    difference: Comparison
    arms: tuple[ArmShare, ...] = ()
    risk_ratio: Comparison | None = None
    units: int = 0
    clusters: int | None = None
    design_effect: float | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _check_confidence(confidence: float) -> None:
    if not MIN_CONFIDENCE <= confidence <= MAX_CONFIDENCE:
        raise EffectError("confidence", "The confidence level must be between 0.5 and 0.9999.")


def _two(arms: Sequence[object]) -> None:
    if len(arms) != 2:
        raise EffectError("arms", "Give exactly two arms: the trial arm first, then the comparison arm.")


def binary_effect(arms: Sequence[CountArm], confidence: float = CONFIDENCE) -> Effect:
    """Counts per arm (events of n): the difference in shares (Newcombe), each share (Wilson), the risk ratio."""
    _check_confidence(confidence)
    _two(arms)
    for index, arm in enumerate(arms):
        if arm.n <= 0:
            raise EffectError(f"arms[{index}].n", "The number of units must be at least 1.")
        if arm.events < 0:
            raise EffectError(f"arms[{index}].events", "The number of events cannot be negative.")
        if arm.events > arm.n:
            raise EffectError(
                f"arms[{index}].events", "The number of events cannot be greater than the number of units."
            )
    first, second = arms
    shares = []
    for arm in arms:
        share = wilson_interval(arm.events, arm.n, confidence)
        assert share is not None  # n was checked above
        shares.append(ArmShare(arm.label, arm.events, arm.n, share))
    return Effect(
        outcome=BINARY,
        confidence=confidence,
        difference=newcombe_difference(first.events, first.n, second.events, second.n, confidence),
        arms=tuple(shares),
        risk_ratio=risk_ratio(first.events, first.n, second.events, second.n, confidence),
        units=first.n + second.n,
    )


def continuous_effect(arms: Sequence[MeanArm], confidence: float = CONFIDENCE) -> Effect:
    """Means per arm (mean, standard deviation, n): the difference in means with Welch's interval and t-test."""
    _check_confidence(confidence)
    _two(arms)
    for index, arm in enumerate(arms):
        if arm.n < 2:
            raise EffectError(f"arms[{index}].n", "Each arm needs at least 2 units to estimate its spread.")
        if arm.sd < 0:
            raise EffectError(f"arms[{index}].sd", "The standard deviation cannot be negative.")
    first, second = arms
    return Effect(
        outcome=CONTINUOUS,
        confidence=confidence,
        difference=welch_difference(first.mean, first.sd, first.n, second.mean, second.sd, second.n, confidence),
        units=first.n + second.n,
    )


# One row per unit


@dataclass(frozen=True)
class UnitRow:
    arm: str
    outcome: float
    cluster: str = ""


CLUSTER_WARNING = (
    "The units are grouped in clusters, so they are not independent: an interval computed unit by unit would be "
    "too narrow. The estimate is made at the cluster level."
)
DESIGN_EFFECT_WARNING = (
    "The units are grouped in clusters: the interval is widened by the design effect 1 + (m − 1) × ICC "
    "from the intra-cluster correlation entered (m is the average cluster size)."
)


def _mean_and_sd(values: Sequence[float]) -> tuple[float, float]:
    n = len(values)
    mean = sum(values) / n
    variance = sum((value - mean) ** 2 for value in values) / (n - 1) if n > 1 else 0.0
    return mean, variance**0.5


def effect_from_units(
    rows: Iterable[UnitRow],
    outcome: str,
    *,
    arms: Sequence[str] | None = None,
    icc: float | None = None,
    confidence: float = CONFIDENCE,
) -> Effect:
    """The same estimates from one row per unit. ``arms`` gives the order (first minus second); without it the arms
    are taken in the order they first appear. A binary outcome is 0 or 1 per unit.

    With clusters (every row names one) the units are not independent. Without an ICC the analysis is at the
    cluster level: each cluster's mean (for a binary outcome its share) is one observation, compared with Welch's
    interval. With an ICC the unit-level estimate is kept and its precision reduced by the design effect
    DE = 1 + (m̄ − 1)·ICC (Donner & Klar 2000): every variance is multiplied by DE — for a binary outcome the
    difference gets a normal interval and z-test on the inflated variance (the score interval has no such form), the
    risk ratio its log interval likewise; a continuous difference's standard error is multiplied by √DE."""
    _check_confidence(confidence)
    if outcome not in (BINARY, CONTINUOUS):
        raise EffectError("outcome", "The outcome must be binary or continuous.")
    if icc is not None and not 0 <= icc <= 1:
        raise EffectError("icc", "The intra-cluster correlation must be between 0 and 1.")
    by_arm: dict[str, list[UnitRow]] = defaultdict(list)
    clustered = None
    for number, row in enumerate(rows, start=1):
        if outcome == BINARY and row.outcome not in (0, 1):
            raise EffectError(f"rows[{number}].outcome", "A binary outcome must be 0 or 1.")
        has_cluster = bool(row.cluster)
        if clustered is None:
            clustered = has_cluster
        elif clustered != has_cluster:
            raise EffectError(f"rows[{number}].cluster", "Either every row names its cluster, or none does.")
        by_arm[row.arm].append(row)
    order = list(arms) if arms is not None else list(by_arm)
    if len(order) != 2 or set(order) != set(by_arm):
        raise EffectError("arms", f"The data must have exactly two arms; found {len(by_arm)}.")
    groups = [by_arm[label] for label in order]

    if not clustered:
        return _unit_effect(order, groups, outcome, confidence)
    if icc is None:
        return _cluster_level_effect(order, groups, outcome, confidence)
    return _design_effect(order, groups, outcome, icc, confidence)


def _unit_effect(order: list[str], groups: list[list[UnitRow]], outcome: str, confidence: float) -> Effect:
    if outcome == BINARY:
        return binary_effect(
            [CountArm(label, int(sum(r.outcome for r in g)), len(g)) for label, g in zip(order, groups, strict=True)],
            confidence,
        )
    arms = []
    for label, group in zip(order, groups, strict=True):
        mean, sd = _mean_and_sd([r.outcome for r in group])
        arms.append(MeanArm(label, mean, sd, len(group)))
    return continuous_effect(arms, confidence)


def _cluster_means(group: list[UnitRow]) -> list[float]:
    clusters: dict[str, list[float]] = defaultdict(list)
    for row in group:
        clusters[row.cluster].append(row.outcome)
    return [sum(values) / len(values) for values in clusters.values()]


def _cluster_level_effect(order: list[str], groups: list[list[UnitRow]], outcome: str, confidence: float) -> Effect:
    means = [_cluster_means(group) for group in groups]
    for index, cluster_means in enumerate(means):
        if len(cluster_means) < 2:
            raise EffectError(
                f"arms[{index}]",
                "A cluster-level analysis needs at least 2 clusters in each arm; enter an ICC instead.",
            )
    (m1, s1), (m2, s2) = (_mean_and_sd(cluster_means) for cluster_means in means)
    difference = welch_difference(m1, s1, len(means[0]), m2, s2, len(means[1]), confidence)
    shares: tuple[ArmShare, ...] = ()
    if outcome == BINARY:
        shares = tuple(
            ArmShare(label, int(sum(r.outcome for r in g)), len(g), _share(g, confidence))
            for label, g in zip(order, groups, strict=True)
        )
    return Effect(
        outcome=outcome,
        confidence=confidence,
        difference=Comparison(
            difference.estimate, difference.low, difference.high, difference.p_value, "cluster-level welch"
        ),
        arms=shares,
        units=sum(len(g) for g in groups),
        clusters=len(means[0]) + len(means[1]),
        warnings=(CLUSTER_WARNING,),
    )


def _share(group: list[UnitRow], confidence: float) -> Interval:
    share = wilson_interval(int(sum(r.outcome for r in group)), len(group), confidence)
    assert share is not None
    return share


def _design_effect(
    order: list[str], groups: list[list[UnitRow]], outcome: str, icc: float, confidence: float
) -> Effect:
    units = sum(len(g) for g in groups)
    clusters = sum(len({r.cluster for r in g}) for g in groups)
    design = 1 + (units / clusters - 1) * icc
    if outcome == BINARY:
        counts = [(int(sum(r.outcome for r in g)), len(g)) for g in groups]
        difference, ratio = _binary_with_design_effect(counts, design, confidence)
        shares = tuple(
            ArmShare(label, events, n, _share(g, confidence))
            for label, g, (events, n) in zip(order, groups, counts, strict=True)
        )
    else:
        stats_ = [_mean_and_sd([r.outcome for r in g]) for g in groups]
        # Multiplying each arm's SD by √DE multiplies the standard error of the difference by √DE.
        root = design**0.5
        (m1, s1), (m2, s2) = stats_
        difference = welch_difference(m1, s1 * root, len(groups[0]), m2, s2 * root, len(groups[1]), confidence)
        ratio, shares = None, ()
    return Effect(
        outcome=outcome,
        confidence=confidence,
        difference=Comparison(
            difference.estimate,
            difference.low,
            difference.high,
            difference.p_value,
            difference.method + "; design effect",
        ),
        arms=shares,
        risk_ratio=ratio,
        units=units,
        clusters=clusters,
        design_effect=design,
        warnings=(DESIGN_EFFECT_WARNING,),
    )


def _binary_with_design_effect(
    counts: list[tuple[int, int]], design: float, confidence: float
) -> tuple[Comparison, Comparison | None]:
    """The difference in shares and the risk ratio with every variance multiplied by the design effect."""
    (e1, n1), (e2, n2) = counts
    p1, p2 = e1 / n1, e2 / n2
    z = float(stats.norm.ppf((1 + confidence) / 2))
    difference = p1 - p2
    se = math.sqrt(design * (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2))
    pooled = (e1 + e2) / (n1 + n2)
    se_test = math.sqrt(design * pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = (1.0 if difference == 0 else 0.0) if se_test == 0 else float(2 * stats.norm.sf(abs(difference) / se_test))
    result = Comparison(difference, difference - z * se, difference + z * se, p_value, "wald")
    ratio = None
    if e1 > 0 and e2 > 0:
        log_ratio = math.log(p1 / p2)
        se_log = math.sqrt(design * (1 / e1 - 1 / n1 + 1 / e2 - 1 / n2))
        p_ratio = 1.0 if se_log == 0 else float(2 * stats.norm.sf(abs(log_ratio) / se_log))
        ratio = Comparison(
            p1 / p2,
            math.exp(log_ratio - z * se_log),
            math.exp(log_ratio + z * se_log),
            p_ratio,
            "log (Katz); design effect",
        )
    return result, ratio
