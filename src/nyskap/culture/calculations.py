"""Maturity of a culture for innovation, as pure functions.

The rule (documented on the methods page): a dimension's level follows its mean on the 1–5 agreement scale —

==========  ============  ===========================================================
Level       Mean          Reading
==========  ============  ===========================================================
1           under 2.5     Beginning: most disagree that the practice is present
2           2.5 – 3.24    Developing: mixed; the practice is present in places
3           3.25 – 3.99   Established: most agree somewhat
4           4.0 and over  Leading: broad, firm agreement
==========  ============  ===========================================================

The overall level is the level of the unweighted mean of the seven dimension means, shown only when every
dimension has a figure (a hidden dimension would otherwise bias it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

LEVEL_LIMITS = (2.5, 3.25, 4.0)
AGREE_FROM = 4.0


def maturity_level(mean: float | None) -> int | None:
    if mean is None:
        return None
    return 1 + sum(1 for limit in LEVEL_LIMITS if mean >= limit)


def overall_level(dimension_means: Sequence[float | None]) -> int | None:
    if not dimension_means or any(m is None for m in dimension_means):
        return None
    values = [m for m in dimension_means if m is not None]
    return maturity_level(sum(values) / len(values))


def agrees(score: float) -> bool:
    """A respondent agrees with a dimension when their mean over its items is 4 ("somewhat agree") or more."""
    return score >= AGREE_FROM


def weakest(dimension_means: dict[str, float | None], count: int = 2) -> list[str]:
    """The ``count`` dimensions with the lowest means (ties by key, so the choice is stable); hidden ones skipped."""
    known = sorted((mean, key) for key, mean in dimension_means.items() if mean is not None)
    return [key for _mean, key in known[:count]]


def band(value: int) -> str:
    """The band shown for a group dominated by one answer value on the 1–5 scale: "disagree" (1–2), "neither"
    (3) or "agree" (4–5). Coarse on purpose: it must not tell which exact point everybody chose."""
    if value <= 2:
        return "disagree"
    if value == 3:
        return "neither"
    return "agree"


MEAN_DECIMALS = 1
COUNT_STEP = 5


@overload
def rounded_figure(value: float, decimals: int = ...) -> float: ...
@overload
def rounded_figure(value: None, decimals: int = ...) -> None: ...
def rounded_figure(value: float | None, decimals: int = MEAN_DECIMALS) -> float | None:
    """Published means and interval ends are rounded (to 0.1 on the 1–5 scale): adding and subtracting rounded
    figures of several groups no longer gives any one organisation's mean exactly."""
    return None if value is None else round(value, decimals)


def rounded_count(count: int, step: int = COUNT_STEP) -> int:
    """Published counts of organisations and respondents, to the nearest ``step`` and never under it."""
    return max(step, step * round(count / step))
