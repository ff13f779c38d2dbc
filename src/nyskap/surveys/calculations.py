"""Survey statistics as pure functions (no Django), so they can be checked against scipy/statsmodels and with
hypothesis. Results carry their n so the caller can apply disclosure control before showing anything.

Means are computed from sufficient statistics (n, Σx, Σx²) so the database can aggregate millions of answers and
send back three numbers per group; `moments` builds them from raw values for tests and small inputs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scipy import stats

# The share's interval is shared by every module (core.statistics); re-exported for the survey engine's users.
from nyskap.core.statistics import Interval as Interval
from nyskap.core.statistics import wilson_interval as wilson_interval

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Moments:
    n: int
    total: float
    total_squares: float

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def variance(self) -> float | None:
        """Sample variance (n − 1 in the denominator); never negative despite rounding."""
        if self.n < 2:
            return None
        return max((self.total_squares - self.total * self.total / self.n) / (self.n - 1), 0.0)

    def __add__(self, other: Moments) -> Moments:
        return Moments(self.n + other.n, self.total + other.total, self.total_squares + other.total_squares)


def moments(values: Iterable[float]) -> Moments:
    n, total, squares = 0, 0.0, 0.0
    for value in values:
        n += 1
        total += value
        squares += value * value
    return Moments(n, total, squares)


def mean_interval(
    m: Moments, confidence: float = CONFIDENCE, bounds: tuple[float, float] | None = None
) -> Interval | None:
    """Mean with a t-based confidence interval (Student's t with n − 1 degrees of freedom). None under 2 values.
    ``bounds`` cuts the interval at the ends of a bounded scale (a mean of 1–5 answers cannot exceed 5), which
    matters for small groups, such as three organisations."""
    variance = m.variance
    if variance is None or m.mean is None:
        return None
    half = float(stats.t.ppf((1 + confidence) / 2, m.n - 1)) * math.sqrt(variance / m.n)
    low, high = m.mean - half, m.mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return Interval(estimate=m.mean, low=low, high=high, n=m.n)


@dataclass(frozen=True)
class Difference:
    estimate: float
    low: float
    high: float
    degrees_of_freedom: float

    @property
    def significant(self) -> bool:
        return bool(self.low > 0 or self.high < 0)


def welch_difference(later: Moments, earlier: Moments, confidence: float = CONFIDENCE) -> Difference | None:
    """Difference of two means (later − earlier) with Welch's interval: the two rounds are independent samples
    whose variances need not be equal. Degrees of freedom by Welch–Satterthwaite."""
    v1, v2 = later.variance, earlier.variance
    if v1 is None or v2 is None or later.mean is None or earlier.mean is None:
        return None
    a, b = v1 / later.n, v2 / earlier.n
    se = math.sqrt(a + b)
    estimate = later.mean - earlier.mean
    if se == 0:
        return Difference(estimate, estimate, estimate, float(later.n + earlier.n - 2))
    df = (a + b) ** 2 / (a * a / (later.n - 1) + b * b / (earlier.n - 1))
    half = float(stats.t.ppf((1 + confidence) / 2, df)) * se
    return Difference(estimate=estimate, low=estimate - half, high=estimate + half, degrees_of_freedom=df)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha for respondents (rows) × items (columns), complete rows only. None when it is undefined
    (fewer than 2 items or 2 rows, or no variance in the total score)."""
    if not rows:
        return None
    k = len(rows[0])
    if k < 2 or len(rows) < 2 or any(len(row) != k for row in rows):
        return None
    item_variances = [moments(row[i] for row in rows).variance or 0.0 for i in range(k)]
    total_variance = moments(sum(row) for row in rows).variance or 0.0
    return cronbach_alpha_from_variances(item_variances, total_variance)


def cronbach_alpha_from_variances(item_variances: Sequence[float], total_variance: float) -> float | None:
    """α = k/(k − 1) · (1 − Σ item variances / variance of the sum), the form the database can feed."""
    k = len(item_variances)
    if k < 2 or total_variance <= 0:
        return None
    return k / (k - 1) * (1 - sum(item_variances) / total_variance)


def distribution(counts: dict[int, int], points: int) -> list[tuple[int, int, float]]:
    """(point, count, share) for each scale point 1..points, shares of the valid answers (zeros included)."""
    n = sum(counts.get(p, 0) for p in range(1, points + 1))
    return [(p, counts.get(p, 0), counts.get(p, 0) / n if n else 0.0) for p in range(1, points + 1)]
