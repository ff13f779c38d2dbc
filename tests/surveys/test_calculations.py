"""Survey statistics against independent computations (scipy, statsmodels, hand-worked numbers) to the fourth
decimal, and invariants with hypothesis."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from nyskap.surveys.calculations import (
    Moments,
    cronbach_alpha,
    cronbach_alpha_from_variances,
    distribution,
    mean_interval,
    moments,
    welch_difference,
    wilson_interval,
)

VALUES = [4, 5, 3, 4, 2, 5, 4, 3, 4, 5]


def test_when_ten_answers_are_summarised_then_mean_and_t_interval_match_a_hand_computation():
    interval = mean_interval(moments(VALUES))
    # mean 3.9, s² = 0.9888..., se = 0.31447, t(0.975, 9) = 2.262157
    assert interval.estimate == pytest.approx(3.9)
    assert interval.low == pytest.approx(3.9 - 2.262157 * math.sqrt(0.988889 / 10), abs=1e-4)
    assert interval.low == pytest.approx(3.1886, abs=1e-4)
    assert interval.high == pytest.approx(4.6114, abs=1e-4)
    assert interval.n == 10


def test_when_compared_with_statsmodels_then_the_mean_interval_agrees():
    low, high = DescrStatsW(np.array(VALUES, dtype=float)).tconfint_mean(alpha=0.05)
    interval = mean_interval(moments(VALUES))
    assert interval.low == pytest.approx(low, abs=1e-4)
    assert interval.high == pytest.approx(high, abs=1e-4)


def test_when_there_is_one_value_then_there_is_no_interval():
    assert mean_interval(moments([3])) is None
    assert mean_interval(Moments(0, 0, 0)) is None


@pytest.mark.parametrize(("successes", "n"), [(0, 10), (3, 10), (10, 10), (46, 100), (1, 7)])
def test_when_compared_with_statsmodels_then_the_wilson_interval_agrees(successes, n):
    low, high = proportion_confint(successes, n, alpha=0.05, method="wilson")
    interval = wilson_interval(successes, n)
    assert interval.estimate == pytest.approx(successes / n)
    assert interval.low == pytest.approx(low, abs=1e-4)
    assert interval.high == pytest.approx(high, abs=1e-4)


def test_when_46_of_100_agree_then_the_wilson_interval_is_the_hand_worked_one():
    interval = wilson_interval(46, 100)
    assert (round(interval.low, 4), round(interval.high, 4)) == (0.3656, 0.5574)


def test_when_two_rounds_are_compared_then_welch_matches_scipy_and_statsmodels():
    later = [4, 5, 4, 4, 5, 3, 5, 4]
    earlier = [3, 3, 4, 2, 3, 4, 3, 2, 3, 3]
    difference = welch_difference(moments(later), moments(earlier))
    low, high = CompareMeans(DescrStatsW(np.array(later, float)), DescrStatsW(np.array(earlier, float))).tconfint_diff(
        alpha=0.05, usevar="unequal"
    )
    assert difference.estimate == pytest.approx(np.mean(later) - np.mean(earlier))
    assert difference.low == pytest.approx(low, abs=1e-4)
    assert difference.high == pytest.approx(high, abs=1e-4)
    t = stats.ttest_ind(later, earlier, equal_var=False)
    assert difference.significant is bool(t.pvalue < 0.05)
    assert difference.significant is True


def test_when_cronbach_alpha_is_computed_then_it_matches_the_hand_worked_example():
    rows = [[1, 2, 2], [2, 2, 3], [3, 3, 3], [4, 4, 5], [5, 4, 5]]
    # item variances 2.5, 1.0, 1.8 (sum 5.3); totals 5, 7, 9, 13, 14 → variance 14.8; α = 1.5 · (1 − 5.3/14.8)
    assert cronbach_alpha(rows) == pytest.approx(1.5 * (1 - 5.3 / 14.8), abs=1e-4)
    assert cronbach_alpha(rows) == pytest.approx(0.9628, abs=1e-4)
    assert cronbach_alpha_from_variances([2.5, 1.0, 1.8], 14.8) == pytest.approx(0.9628, abs=1e-4)


def test_when_alpha_is_compared_with_pingouin_style_formula_on_random_data_then_it_agrees():
    rng = np.random.default_rng(7)
    base = rng.normal(3, 1, size=200)
    matrix = np.column_stack([base + rng.normal(0, 0.7, 200) for _ in range(4)])
    k = matrix.shape[1]
    expected = k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))
    assert cronbach_alpha(matrix.tolist()) == pytest.approx(expected, abs=1e-4)


def test_when_alpha_is_undefined_then_none():
    assert cronbach_alpha([[1, 2]]) is None
    assert cronbach_alpha([[1], [2]]) is None
    assert cronbach_alpha([[3, 3], [3, 3]]) is None


def test_when_answers_are_distributed_then_every_point_is_listed_with_its_share():
    assert distribution({1: 1, 4: 2, 5: 1}, 5) == [(1, 1, 0.25), (2, 0, 0.0), (3, 0, 0.0), (4, 2, 0.5), (5, 1, 0.25)]


likert = st.lists(st.integers(1, 5), min_size=2, max_size=60)


@given(likert)
def test_invariant_the_interval_contains_the_mean(values):
    interval = mean_interval(moments(values))
    assert interval.low <= interval.estimate + 1e-12
    assert interval.estimate <= interval.high + 1e-12


@given(likert, st.integers(2, 5))
def test_invariant_more_data_with_the_same_spread_never_widens_the_interval(values, copies):
    narrow = mean_interval(moments(values * copies))
    wide = mean_interval(moments(values))
    assert (narrow.high - narrow.low) <= (wide.high - wide.low) + 1e-9


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_invariant_the_wilson_interval_stays_in_0_1_and_contains_the_share(case):
    successes, n = case
    interval = wilson_interval(successes, n)
    assert 0 <= interval.low <= interval.estimate <= interval.high <= 1


def test_when_bounds_are_given_then_the_interval_is_cut_at_the_ends_of_the_scale():
    interval = mean_interval(moments([5, 5, 4]), bounds=(1, 5))
    unbounded = mean_interval(moments([5, 5, 4]))
    assert unbounded.high > 5
    assert interval.high == 5
    assert interval.low == pytest.approx(unbounded.low)
    assert interval.estimate == pytest.approx(14 / 3)
