"""Statistics every module shares, as pure functions (no Django): a share with its Wilson interval, the difference
of two shares with Newcombe's hybrid score interval, a risk ratio with its log interval, the difference of two
means with Welch's interval, and their two-sided p-values.

The library does the distributions and the Wilson interval (scipy); what is written here is the arithmetic that
joins them, each step named after its source, and each function is checked in the tests against statsmodels and
against examples worked by hand. Inputs are plain numbers so the callers (survey results, trials, the barometer)
can aggregate in the database and send three numbers per group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    """An estimate with its interval, and the n it rests on (so the caller can apply disclosure rules)."""

    estimate: float
    low: float
    high: float
    n: int


@dataclass(frozen=True)
class Comparison:
    """A difference (or ratio) between two groups, first minus second, with its interval and two-sided p-value.
    ``method`` names the interval and the test, so a page can say how the number was made."""

    estimate: float
    low: float
    high: float
    p_value: float | None
    method: str


def _z(confidence: float) -> float:
    z = float(stats.norm.ppf((1 + confidence) / 2)) if 0 < confidence < 1 else math.nan
    if not math.isfinite(z):  # also a confidence so close to 1 that (1 + c) / 2 rounds to 1
        raise ValueError("confidence must be between 0 and 1, and not so close to 1 that its quantile is infinite")
    return z


def wilson_interval(successes: int, n: int, confidence: float = CONFIDENCE) -> Interval | None:
    """A share with the Wilson score interval (Wilson 1927), from scipy: it stays inside [0, 1] and behaves at
    shares near 0 or 1 and at small n, where the normal ("Wald") interval does not. None when n is 0."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    _z(confidence)
    ci = stats.binomtest(successes, n).proportion_ci(confidence_level=confidence, method="wilson")
    p = successes / n
    # Clamped so floating-point rounding never puts the share outside its own interval.
    low = 0.0 if successes == 0 else min(max(0.0, float(ci.low)), p)
    high = 1.0 if successes == n else max(min(1.0, float(ci.high)), p)
    return Interval(estimate=p, low=low, high=high, n=n)


def newcombe_difference(events_1: int, n_1: int, events_2: int, n_2: int, confidence: float = CONFIDENCE) -> Comparison:
    """p₁ − p₂ with Newcombe's hybrid score interval (Newcombe 1998, method 10: the Wilson limits of each share
    combined by the square-and-add rule) and the p-value of the pooled two-proportion z-test (the χ² test without
    continuity correction)."""
    first, second = wilson_interval(events_1, n_1, confidence), wilson_interval(events_2, n_2, confidence)
    if first is None or second is None:
        raise ValueError("both groups need at least one unit")
    p1, p2 = first.estimate, second.estimate
    difference = p1 - p2
    low = difference - math.sqrt((p1 - first.low) ** 2 + (second.high - p2) ** 2)
    high = difference + math.sqrt((first.high - p1) ** 2 + (p2 - second.low) ** 2)
    pooled = (events_1 + events_2) / (n_1 + n_2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_1 + 1 / n_2))
    p_value = 1.0 if se == 0 else float(2 * stats.norm.sf(abs(difference) / se))
    return Comparison(difference, low, high, p_value, "newcombe-hybrid-score; pooled z-test")


def risk_ratio(events_1: int, n_1: int, events_2: int, n_2: int, confidence: float = CONFIDENCE) -> Comparison | None:
    """p₁ / p₂ with the interval on the log scale (Katz et al. 1978): exp(log RR ± z·√(1/a − 1/n₁ + 1/c − 1/n₂)),
    and the p-value of the same Wald test. None when either group has no events (the ratio or its log is then
    undefined; the difference in shares is the figure to read)."""
    if events_1 <= 0 or events_2 <= 0 or n_1 <= 0 or n_2 <= 0:
        return None
    ratio = (events_1 / n_1) / (events_2 / n_2)
    se = math.sqrt(1 / events_1 - 1 / n_1 + 1 / events_2 - 1 / n_2)
    z = _z(confidence)
    log_ratio = math.log(ratio)
    p_value = 1.0 if se == 0 else float(2 * stats.norm.sf(abs(log_ratio) / se))
    return Comparison(ratio, math.exp(log_ratio - z * se), math.exp(log_ratio + z * se), p_value, "log (Katz)")


def welch_difference(
    mean_1: float, sd_1: float, n_1: int, mean_2: float, sd_2: float, n_2: int, confidence: float = CONFIDENCE
) -> Comparison:
    """mean₁ − mean₂ with Welch's interval and t-test: two independent groups whose variances need not be equal,
    degrees of freedom by Welch–Satterthwaite. Each group needs at least two units."""
    if n_1 < 2 or n_2 < 2:
        raise ValueError("each group needs at least two units")
    if sd_1 < 0 or sd_2 < 0:
        raise ValueError("a standard deviation cannot be negative")
    _z(confidence)
    a, b = sd_1 * sd_1 / n_1, sd_2 * sd_2 / n_2
    se = math.sqrt(a + b)
    difference = mean_1 - mean_2
    if se == 0:  # no spread in either group: the difference is exact
        return Comparison(difference, difference, difference, 1.0 if difference == 0 else 0.0, "welch")
    df = (a + b) ** 2 / (a * a / (n_1 - 1) + b * b / (n_2 - 1))
    half = float(stats.t.ppf((1 + confidence) / 2, df)) * se
    p_value = float(2 * stats.t.sf(abs(difference) / se, df))
    return Comparison(difference, difference - half, difference + half, p_value, "welch")
