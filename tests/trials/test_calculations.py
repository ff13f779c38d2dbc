"""Trial effect estimates against an independent implementation (statsmodels, a test-only oracle), invariants with
hypothesis, and examples worked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind

from nyskap.trials.calculations import (
    BINARY,
    CLUSTER_WARNING,
    CONTINUOUS,
    DESIGN_EFFECT_WARNING,
    CountArm,
    EffectError,
    MeanArm,
    UnitRow,
    binary_effect,
    continuous_effect,
    effect_from_units,
)


def test_newcombes_own_example_is_reproduced():
    # Newcombe (1998), Statistics in Medicine 17:873–890, table II example (a): 56/70 against 48/80, method 10.
    effect = binary_effect([CountArm("a", 56, 70), CountArm("b", 48, 80)])
    assert effect.difference.estimate == pytest.approx(0.2)
    assert effect.difference.low == pytest.approx(0.0524, abs=5e-5)
    assert effect.difference.high == pytest.approx(0.3339, abs=5e-5)


def test_a_share_worked_by_hand():
    # 120 of 400 with the Wilson formula written out: centre (p + z²/2n)/(1 + z²/n), half z√(p(1−p)/n + z²/4n²)/(…).
    z = 1.959963984540054
    p, n = 0.3, 400
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (round(centre - half, 6), round(centre + half, 6)) == (0.257168, 0.346637)
    share = binary_effect([CountArm("SMS", 120, 400), CountArm("brev", 90, 410)]).arms[0].share
    assert (round(share.low, 6), round(share.high, 6)) == (0.257168, 0.346637)


def test_the_risk_ratio_worked_by_hand():
    # 120/400 = 0.3 against 90/410: RR = 0.3 / 0.2195122 = 1.366667; se(log RR) = √(1/120 − 1/400 + 1/90 − 1/410)
    # = 0.120438; exp(log 1.366667 ± 1.959964 × 0.120438) = 1.0793 … 1.7305.
    effect = binary_effect([CountArm("SMS", 120, 400), CountArm("brev", 90, 410)])
    se = math.sqrt(1 / 120 - 1 / 400 + 1 / 90 - 1 / 410)
    assert effect.risk_ratio is not None
    assert effect.risk_ratio.estimate == pytest.approx(0.3 / (90 / 410))
    assert effect.risk_ratio.low == pytest.approx(math.exp(math.log(0.3 / (90 / 410)) - 1.959963984540054 * se))
    assert round(effect.risk_ratio.estimate, 4) == 1.3667
    assert round(effect.risk_ratio.low, 4) == 1.0793
    assert round(effect.risk_ratio.high, 4) == 1.7305


counts = st.integers(min_value=1, max_value=2000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)
confidences = st.sampled_from([0.8, 0.9, 0.95, 0.99])


@given(counts, counts, confidences)
def test_binary_effect_agrees_with_statsmodels(first, second, confidence):
    (e1, n1), (e2, n2) = first, second
    effect = binary_effect([CountArm("a", e1, n1), CountArm("b", e2, n2)], confidence)
    low, high = confint_proportions_2indep(e1, n1, e2, n2, method="newcomb", compare="diff", alpha=1 - confidence)
    assert effect.difference.estimate == pytest.approx(e1 / n1 - e2 / n2, abs=1e-12)
    assert effect.difference.low == pytest.approx(low, abs=1e-9)
    assert effect.difference.high == pytest.approx(high, abs=1e-9)
    for arm, (events, n) in zip(effect.arms, (first, second), strict=True):
        w_low, w_high = proportion_confint(events, n, alpha=1 - confidence, method="wilson")
        assert arm.share.low == pytest.approx(w_low, abs=1e-9)
        assert arm.share.high == pytest.approx(w_high, abs=1e-9)
    if 0 < e1 + e2 < n1 + n2:
        _z, p_value = proportions_ztest([e1, e2], [n1, n2])
        assert effect.difference.p_value == pytest.approx(p_value, rel=1e-6, abs=1e-12)
    if e1 > 0 and e2 > 0 and (e1 < n1 or e2 < n2):
        r_low, r_high = confint_proportions_2indep(e1, n1, e2, n2, method="log", compare="ratio", alpha=1 - confidence)
        assert effect.risk_ratio is not None
        assert effect.risk_ratio.low == pytest.approx(r_low, rel=1e-9)
        assert effect.risk_ratio.high == pytest.approx(r_high, rel=1e-9)


@given(counts, counts)
def test_swapping_the_arms_negates_the_difference(first, second):
    ab = binary_effect([CountArm("a", *first), CountArm("b", *second)]).difference
    ba = binary_effect([CountArm("b", *second), CountArm("a", *first)]).difference
    assert ba.estimate == pytest.approx(-ab.estimate, abs=1e-12)
    assert ba.low == pytest.approx(-ab.high, abs=1e-12)
    assert ba.high == pytest.approx(-ab.low, abs=1e-12)
    assert ba.p_value == pytest.approx(ab.p_value)


@given(counts, counts)
def test_more_events_in_the_trial_arm_never_lowers_the_difference(first, second):
    (e1, n1) = first
    if e1 == n1:
        return
    before = binary_effect([CountArm("a", e1, n1), CountArm("b", *second)]).difference
    after = binary_effect([CountArm("a", e1 + 1, n1), CountArm("b", *second)]).difference
    assert after.estimate > before.estimate
    assert after.low >= before.low - 1e-12
    assert after.high >= before.high - 1e-12


@given(counts, counts)
def test_the_interval_holds_the_estimate_and_stays_within_minus_one_and_one(first, second):
    d = binary_effect([CountArm("a", *first), CountArm("b", *second)]).difference
    assert -1 - 1e-12 <= d.low <= d.estimate <= d.high <= 1 + 1e-12


samples = st.lists(st.floats(min_value=-1000, max_value=1000, allow_nan=False), min_size=2, max_size=60)


@given(samples, samples, confidences)
def test_continuous_effect_agrees_with_statsmodels_welch(x1, x2, confidence):
    d1, d2 = DescrStatsW(x1), DescrStatsW(x2)
    if d1.std_ddof(1) + d2.std_ddof(1) < 1e-6:
        return
    arms = [MeanArm("a", d1.mean, d1.std_ddof(1), len(x1)), MeanArm("b", d2.mean, d2.std_ddof(1), len(x2))]
    effect = continuous_effect(arms, confidence)
    _t, p_value, _df = ttest_ind(x1, x2, usevar="unequal")
    low, high = CompareMeans(d1, d2).tconfint_diff(alpha=1 - confidence, usevar="unequal")
    assert effect.outcome == CONTINUOUS
    assert effect.difference.estimate == pytest.approx(d1.mean - d2.mean, rel=1e-9, abs=1e-9)
    assert effect.difference.low == pytest.approx(low, rel=1e-7, abs=1e-7)
    assert effect.difference.high == pytest.approx(high, rel=1e-7, abs=1e-7)
    assert effect.difference.p_value == pytest.approx(p_value, rel=1e-6, abs=1e-12)


def test_welch_worked_by_hand():
    # 5.1 (SD 2.0, n 60) against 4.3 (SD 2.4, n 55): se = √(4/60 + 5.76/55) = 0.413998, Welch–Satterthwaite
    # df = (a + b)² / (a²/59 + b²/54) = 105.50, t(0.975, 105.50) = 1.982705; 0.8 ± 0.820835 = −0.0208 … 1.6208.
    a, b = 4 / 60, 5.76 / 55
    se = math.sqrt(a + b)
    df = (a + b) ** 2 / (a * a / 59 + b * b / 54)
    assert round(se, 6) == 0.413998
    assert round(df, 2) == 105.5
    effect = continuous_effect([MeanArm("ny", 5.1, 2.0, 60), MeanArm("gammel", 4.3, 2.4, 55)])
    half = stats.t.ppf(0.975, df) * se
    assert effect.difference.estimate == pytest.approx(0.8)
    assert effect.difference.low == pytest.approx(0.8 - half)
    assert round(effect.difference.low, 4) == -0.0208
    assert round(effect.difference.high, 4) == 1.6208
    assert round(effect.difference.p_value, 4) == 0.056


# One row per unit


def _rows(arm, outcomes, clusters=None):
    return [UnitRow(arm, value, clusters[i] if clusters else "") for i, value in enumerate(outcomes)]


def test_unit_rows_without_clusters_give_the_same_estimate_as_counts():
    rows = _rows("SMS", [1] * 12 + [0] * 28) + _rows("brev", [1] * 9 + [0] * 32)
    from_rows = effect_from_units(rows, BINARY)
    from_counts = binary_effect([CountArm("SMS", 12, 40), CountArm("brev", 9, 41)])
    assert from_rows.difference == from_counts.difference
    assert from_rows.warnings == ()
    assert effect_from_units(rows, BINARY, arms=["brev", "SMS"]).difference.estimate == pytest.approx(9 / 41 - 12 / 40)


def test_clusters_without_an_icc_are_analysed_at_the_cluster_level():
    treated = [[5.0, 6.0, 7.0], [4.0, 4.5], [8.0, 7.5, 9.0, 8.5]]
    control = [[3.0, 3.5], [5.0, 4.0, 4.5], [2.0, 2.5, 3.0]]
    rows = [UnitRow("ny", v, f"t{i}") for i, c in enumerate(treated) for v in c]
    rows += [UnitRow("gammel", v, f"k{i}") for i, c in enumerate(control) for v in c]
    effect = effect_from_units(rows, CONTINUOUS)
    means_t = [sum(c) / len(c) for c in treated]
    means_k = [sum(c) / len(c) for c in control]
    oracle = stats.ttest_ind(means_t, means_k, equal_var=False)
    ci = oracle.confidence_interval(0.95)
    assert effect.clusters == 6
    assert effect.units == 17
    assert effect.warnings == (CLUSTER_WARNING,)
    assert effect.difference.estimate == pytest.approx(sum(means_t) / 3 - sum(means_k) / 3)
    assert effect.difference.low == pytest.approx(ci.low)
    assert effect.difference.high == pytest.approx(ci.high)
    assert effect.difference.p_value == pytest.approx(oracle.pvalue)
    # The unit-level interval is narrower: the reason for the warning.
    naive = effect_from_units([UnitRow(r.arm, r.outcome) for r in rows], CONTINUOUS).difference
    assert naive.high - naive.low < effect.difference.high - effect.difference.low


def test_an_icc_widens_the_interval_by_the_root_of_the_design_effect():
    rows = []
    for cluster in range(10):
        arm = "ny" if cluster < 5 else "gammel"
        rows += [UnitRow(arm, 1 if (cluster + i) % 3 else 0, f"c{cluster}") for i in range(20)]
    plain = effect_from_units(rows, BINARY, icc=0.0)
    wald_low, wald_high = confint_proportions_2indep(
        sum(r.outcome for r in rows if r.arm == "ny"), 100, sum(r.outcome for r in rows if r.arm == "gammel"), 100,
        method="wald", compare="diff", correction=False,
    )  # fmt: skip
    assert plain.design_effect == 1.0
    assert plain.difference.low == pytest.approx(wald_low)
    assert plain.difference.high == pytest.approx(wald_high)
    widened = effect_from_units(rows, BINARY, icc=0.05)
    assert widened.design_effect == pytest.approx(1 + (20 - 1) * 0.05)
    assert widened.warnings == (DESIGN_EFFECT_WARNING,)
    width = widened.difference.high - widened.difference.low
    assert width == pytest.approx((plain.difference.high - plain.difference.low) * math.sqrt(1.95))
    assert widened.difference.estimate == plain.difference.estimate


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: binary_effect([CountArm("a", 5, 4), CountArm("b", 1, 4)]), "arms[0].events"),
        (lambda: binary_effect([CountArm("a", 1, 4), CountArm("b", 0, 0)]), "arms[1].n"),
        (lambda: binary_effect([CountArm("a", -1, 4), CountArm("b", 0, 3)]), "arms[0].events"),
        (lambda: binary_effect([CountArm("a", 1, 4)]), "arms"),
        (lambda: binary_effect([CountArm("a", 1, 4), CountArm("b", 1, 4)], 1.0), "confidence"),
        (lambda: continuous_effect([MeanArm("a", 1, -2, 10), MeanArm("b", 1, 2, 10)]), "arms[0].sd"),
        (lambda: continuous_effect([MeanArm("a", 1, 2, 10), MeanArm("b", 1, 2, 1)]), "arms[1].n"),
        (lambda: effect_from_units([UnitRow("a", 2), UnitRow("b", 0)], BINARY), "rows[1].outcome"),
        (lambda: effect_from_units([UnitRow("a", 1, "x"), UnitRow("b", 0)], BINARY), "rows[2].cluster"),
        (lambda: effect_from_units([UnitRow("a", 1), UnitRow("a", 0)], BINARY), "arms"),
        (lambda: effect_from_units([UnitRow("a", 1, "x"), UnitRow("b", 0, "y")], BINARY, icc=1.5), "icc"),
        (lambda: effect_from_units([UnitRow("a", 1, "x"), UnitRow("b", 0, "y")], BINARY), "arms[0]"),
    ],
)
def test_input_that_cannot_give_an_estimate_names_the_field(call, field):
    with pytest.raises(EffectError) as refused:
        call()
    assert refused.value.field == field
