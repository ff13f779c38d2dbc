"""The barometer's estimates: hand-worked examples, an independent oracle (statsmodels' weighted statistics and
numpy), and invariants with hypothesis."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from nyskap.barometer import calculations as calc
from nyskap.core.statistics import wilson_interval


def test_hand_worked_two_strata():
    # A: N = 100, 10 answered, 6 yes → w = 10. B: N = 300, 5 answered, 1 yes → w = 60.
    # Σw = 100 + 300 = 400; Σw·y = 60 + 60 = 120 → p = 0.30. Σw² = 10·100 + 5·3600 = 19 000 → n_eff = 160 000 / 19 000.
    result = calc.estimate({"A": 100, "B": 300}, {"A": (10, 6), "B": (5, 1)})
    assert result.share is not None
    assert result.share.estimate == pytest.approx(0.30)
    assert result.share.n == 15
    assert result.share.n_eff == pytest.approx(160_000 / 19_000)
    a, b = result.by_stratum
    assert (a.weight, b.weight) == (10.0, 60.0)
    assert a.share is not None and a.share.estimate == pytest.approx(0.6)
    assert b.share is not None and b.share.estimate == pytest.approx(0.2)


def test_hand_worked_wilson_interval():
    # p = 0.5, n = 100, z = 1.959964: centre (0.5 + 0.019208) / 1.038415 = 0.5; half = 1.96·√(0.0025 + 0.0000960) /
    # 1.038415 = 0.096170 → (0.40383, 0.59617).
    low, high = calc.wilson(0.5, 100)
    assert (low, high) == (pytest.approx(0.40383, abs=1e-5), pytest.approx(0.59617, abs=1e-5))


@pytest.mark.parametrize(("yes", "n"), [(0, 7), (3, 7), (7, 7), (120, 400), (1, 1000)])
def test_wilson_on_a_whole_n_is_the_shared_wilson_interval(yes, n):
    shared = wilson_interval(yes, n)
    assert shared is not None
    assert calc.wilson(yes / n, n) == (pytest.approx(shared.low), pytest.approx(shared.high))


def test_a_small_stratum_is_suppressed_with_its_complement():
    # 6 and 4 under a total of 10: the 4 is hidden (primary), the 6 too (10 − 6 = 4 would reveal it).
    result = calc.estimate({"A": 50, "B": 50}, {"A": (6, 3), "B": (4, 1)})
    assert result.share is not None
    assert all(f.suppressed and f.share is None for f in result.by_stratum)


def test_under_the_threshold_nothing_is_shown():
    result = calc.estimate({"A": 50}, {"A": (4, 1)})
    assert result.share is None
    assert result.by_stratum[0].suppressed


def test_min_cell_is_configurable_but_never_below_three():
    result = calc.estimate({"A": 50, "B": 50}, {"A": (6, 3), "B": (4, 1)}, min_cell=4)
    assert all(not f.suppressed for f in result.by_stratum)
    with pytest.raises(calc.EstimateError) as error:
        calc.estimate({"A": 50}, {"A": (6, 3)}, min_cell=2)
    assert error.value.field == "min_cell"


def test_a_stratum_without_population_or_with_too_small_a_population_is_named():
    with pytest.raises(calc.EstimateError) as error:
        calc.estimate({"A": 50}, {"A": (6, 3), "helse": (5, 1)})
    assert error.value.field == "helse"
    with pytest.raises(calc.EstimateError) as error:
        calc.estimate({"A": 5}, {"A": (6, 3)})
    assert error.value.field == "A"


def test_a_stratum_without_respondents_is_left_out_of_the_covered_population():
    result = calc.estimate({"A": 50, "B": 70}, {"A": (8, 4)})
    assert result.covered_population == 50
    assert result.by_stratum[1].weight is None and not result.by_stratum[1].suppressed


def test_confidence_outside_its_range_is_refused():
    for confidence in (0.0, 1.0, 0.2, math.nan):
        with pytest.raises(calc.EstimateError):
            calc.estimate({"A": 50}, {"A": (6, 3)}, confidence=confidence)


def test_breakdown_keeps_each_respondents_stratum_weight():
    weights = {"A": 10.0, "B": 60.0}
    cells = {("A", "Oslo"): (6, 4), ("B", "Oslo"): (2, 1), ("A", "Agder"): (4, 2), ("B", "Agder"): (3, 0)}
    groups = {g.group: g for g in calc.breakdown(weights, cells)}
    oslo = groups["Oslo"].share
    assert oslo is not None
    assert oslo.estimate == pytest.approx((10 * 4 + 60 * 1) / (10 * 6 + 60 * 2))
    assert groups["Agder"].n == 7


def test_breakdown_complementary_suppression_counts_respondents_without_a_group():
    weights = {"A": 1.0}
    cells = {("A", "x"): (6, 3), ("A", "y"): (5, 2)}
    shown = {g.group for g in calc.breakdown(weights, cells, total=13) if g.share}
    assert shown == {"x"}  # 13 − 6 = 7 hidden: y plus the two without a group


def test_national_figure_is_the_stated_weighted_average():
    municipal = calc.Share(0.74, 0.70, 0.78, 1000, 800.0)
    state = calc.Share(0.85, 0.80, 0.89, 500, 400.0)
    figure = calc.national_figure({"municipal": municipal, "state": state}, {"municipal": 3, "state": 1})
    assert figure.share.estimate == pytest.approx(0.75 * 0.74 + 0.25 * 0.85)
    variance = 0.75**2 * 0.74 * 0.26 / 800 + 0.25**2 * 0.85 * 0.15 / 400
    assert figure.share.n_eff == pytest.approx(figure.share.estimate * (1 - figure.share.estimate) / variance)
    assert figure.weights == {"municipal": 0.75, "state": 0.25}
    default = calc.national_figure({"municipal": municipal, "state": state})
    assert default.share.estimate == pytest.approx(2 / 3 * 0.74 + 1 / 3 * 0.85)
    with pytest.raises(calc.EstimateError):
        calc.national_figure({"municipal": municipal})


# The oracle: microdata expanded from the counts, the weighted mean by statsmodels, n_eff and the interval by numpy.

strata = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e"]),
    st.tuples(st.integers(1, 40), st.integers(0, 40), st.integers(0, 200)).map(
        lambda t: (t[0], min(t[1], t[0]), t[0] + t[2])  # (n, yes ≤ n, N ≥ n)
    ),
    min_size=1,
)


@settings(max_examples=60, deadline=None)
@given(strata)
def test_against_an_independent_implementation(data):
    counts = {h: (n, y) for h, (n, y, _N) in data.items()}
    population = {h: N for h, (_n, _y, N) in data.items()}
    result = calc.estimate(population, counts, min_cell=3)
    y = np.concatenate([np.r_[np.ones(yes), np.zeros(n - yes)] for n, yes in counts.values()])
    w = np.concatenate([np.full(n, population[h] / n) for h, (n, _y) in counts.items()])
    if len(y) < 3:
        assert result.share is None
        return
    assert result.share is not None
    assert result.share.estimate == pytest.approx(DescrStatsW(y, weights=w).mean)
    n_eff = w.sum() ** 2 / (w**2).sum()
    assert result.share.n_eff == pytest.approx(n_eff)
    low, high = proportion_confint(result.share.estimate * n_eff, n_eff, method="wilson")
    assert result.share.low == pytest.approx(low, abs=1e-9)
    assert result.share.high == pytest.approx(high, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(strata)
def test_invariants(data):
    counts = {h: (n, y) for h, (n, y, _N) in data.items()}
    population = {h: N for h, (_n, _y, N) in data.items()}
    result = calc.estimate(population, counts, min_cell=3)
    if result.share is None:
        return
    share = result.share
    assert share.n_eff <= share.n + 1e-9
    assert share.low <= share.estimate <= share.high
    rates = [y / n for n, y in counts.values()]
    assert min(rates) - 1e-12 <= share.estimate <= max(rates) + 1e-12


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from("abcd"), st.tuples(st.integers(1, 30), st.integers(0, 30)), min_size=1))
def test_equal_weights_give_the_plain_share(data):
    counts = {h: (n, min(y, n)) for h, (n, y) in data.items()}
    population = {h: 7 * n for h, (n, _y) in counts.items()}  # every weight 7
    result = calc.estimate(population, counts, min_cell=3)
    total = sum(n for n, _y in counts.values())
    if result.share is None:
        assert total < 3
        return
    assert result.share.estimate == pytest.approx(sum(y for _n, y in counts.values()) / total)
    assert result.share.n_eff == pytest.approx(total)
