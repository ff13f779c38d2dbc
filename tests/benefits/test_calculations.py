"""The pure numbers: hand-worked examples with their arithmetic, an independent float implementation with closed-form
discount factors, and hypothesis invariants."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nyskap.benefits.calculations import (
    MUNICIPAL,
    OTHER_STATE,
    OWN,
    BenefitStream,
    CalculationError,
    CashFlows,
    Parameters,
    PreventionCost,
    Reading,
    Status,
    benefit_status,
    co_financing_checks,
    discount_factors,
    net_present_value,
    next_measurement_due,
    prevention_savings,
)

D = Decimal


amount = st.integers(min_value=0, max_value=50_000_000).map(D)


def close(a: Decimal, b: float | Decimal, places: int = 6) -> bool:
    return abs(D(a) - D(str(b))) < D(10) ** -places


# Hand-worked examples


def example_flows() -> CashFlows:
    """Base year 2024, three years. Investment 1 000 000 in 2024; operating costs 100 000 in 2025 and 2026; the
    own organisation's benefit 600 000 in 2025 and 2026, taken out as a budget cut."""
    return CashFlows(
        base_year=2024,
        analysis_years=3,
        investment={2024: D(1_000_000)},
        operating={2025: D(100_000), 2026: D(100_000)},
        benefits=[BenefitStream(bearer=OWN, amounts={2025: D(600_000), 2026: D(600_000)}, budget_cut=True)],
    )


def test_when_the_example_is_computed_then_every_line_matches_the_hand_worked_table():
    result = net_present_value(example_flows())
    first, second, third = result.rows
    # 2024: DF 1; public budget cost 1 000 000 → tax-financing cost 0.2 × 1 000 000 = 200 000;
    # net = 0 − 1 000 000 − 0 − 200 000 = −1 200 000.
    assert (first.discount_factor, first.net_public_budget_cost, first.tax_financing_cost) == (1, 1_000_000, 200_000)
    assert first.net == -1_200_000 and first.discounted == -1_200_000
    # 2025: DF 1/1.04; budget cost 100 000 − 600 000 = −500 000 (a saving) → tax −100 000;
    # net = 600 000 − 100 000 − (−100 000) = 600 000; discounted 600 000 / 1.04 = 576 923.0769…
    assert second.net_public_budget_cost == -500_000 and second.tax_financing_cost == -100_000
    assert second.net == 600_000 and close(second.discounted, 576923.076923)
    # 2026: DF 1/1.04² = 1/1.0816; 600 000 / 1.0816 = 554 733.7278…
    assert close(third.discount_factor, 1 / 1.0816, 12) and close(third.discounted, 554733.727811)
    # NPV = −1 200 000 + 576 923.0769 + 554 733.7278 = −68 343.1953
    assert close(result.npv, -68343.195266)
    # Per invested krone: −68 343.1953 / 1 000 000 (the investment is in year 0, so its present value is itself).
    assert close(result.npv_per_invested_krone, -0.068343195266, 9)
    # Gross 1 200 000; net of operating costs 1 200 000 − 200 000 = 1 000 000.
    assert result.gross_benefit == 1_200_000 and result.net_benefit == 1_000_000
    own = next(total for total in result.by_bearer if total.bearer == OWN)
    assert (own.gross, own.operating, own.net) == (1_200_000, 200_000, 1_000_000)


def test_when_the_benefit_is_reallocated_not_cut_then_the_tax_financing_cost_stays_on_the_costs():
    flows = example_flows()
    reallocated = CashFlows(
        base_year=2024,
        analysis_years=3,
        investment=flows.investment,
        operating=flows.operating,
        benefits=[BenefitStream(bearer=OWN, amounts={2025: D(600_000), 2026: D(600_000)}, budget_cut=False)],
    )
    result = net_present_value(reallocated)
    # 2025: budget cost 100 000 → tax 20 000; net = 600 000 − 100 000 − 20 000 = 480 000.
    assert result.rows[1].tax_financing_cost == 20_000 and result.rows[1].net == 480_000
    # NPV = −1 200 000 + 480 000/1.04 + 480 000/1.0816 = −1 200 000 + 461 538.4615 + 443 786.9822 = −294 674.5562
    assert close(result.npv, -294674.556213)


def test_when_real_growth_and_residual_value_are_given_then_both_are_applied():
    flows = CashFlows(
        base_year=2020,
        analysis_years=2,
        benefits=[BenefitStream(bearer=MUNICIPAL, amounts={2020: D(100), 2021: D(100)})],
        real_growth_rate=D("0.01"),
        residual_value=D(1040),
    )
    result = net_present_value(flows)
    # 2020: 100; 2021: 100 × 1.01 = 101, discounted 101/1.04; residual 1040 at DF_1 = 1000.
    assert result.rows[1].benefits == D("101.00")
    assert result.residual_value_discounted == 1000
    assert close(result.npv, 100 + 101 / 1.04 + 1000)
    assert result.npv_per_invested_krone is None  # nothing invested


def test_when_flows_fall_outside_the_period_or_costs_are_negative_then_the_field_is_named():
    with pytest.raises(CalculationError) as outside:
        net_present_value(CashFlows(base_year=2024, analysis_years=2, investment={2026: D(1)}))
    assert outside.value.field == "investment" and "outside the analysis period 2024–2025" in outside.value.message
    with pytest.raises(CalculationError) as negative:
        net_present_value(CashFlows(base_year=2024, analysis_years=2, operating={2024: D(-1)}))
    assert (negative.value.field, negative.value.message) == ("operating", "Costs cannot be negative.")
    with pytest.raises(CalculationError) as too_long:
        net_present_value(CashFlows(base_year=2024, analysis_years=101))
    assert too_long.value.field == "analysis_years"
    with pytest.raises(CalculationError) as cut:
        net_present_value(
            CashFlows(
                base_year=2024,
                analysis_years=1,
                benefits=[BenefitStream(bearer="citizens", amounts={2024: D(1)}, budget_cut=True)],
            )
        )
    assert cut.value.field == "benefits.0.budget_cut"


# Discount factors


def test_when_a_flow_is_in_year_41_then_it_is_discounted_40_years_at_4_and_one_at_3_percent():
    factors = discount_factors(42)
    assert close(factors[41], D(1) / (D("1.04") ** 40 * D("1.03")), 20)
    assert close(factors[40], 1.04**-40, 12)


@settings(max_examples=40, deadline=None)
@given(amount, st.integers(min_value=2000, max_value=2050))
def test_when_a_single_flow_lands_in_year_41_then_its_value_is_discounted_40_years_at_4_and_one_at_3(value, base):
    flows = CashFlows(
        base_year=base, analysis_years=42, benefits=[BenefitStream(bearer="citizens", amounts={base + 41: value})]
    )
    assert close(net_present_value(flows).npv, value / (D("1.04") ** 40 * D("1.03")), 12)


def test_when_years_pass_75_then_the_rate_drops_to_2_percent():
    factors = discount_factors(78)
    assert close(factors[77] / factors[76], 1 / 1.02, 12)
    assert close(factors[75] / factors[74], 1 / 1.03, 12)


def independent_factor(t: int) -> float:
    """Closed form instead of the running product: 1.04^−min(t,40) · 1.03^−(years in 41–75) · 1.02^−(years > 75)."""
    return 1.04 ** -min(t, 40) * 1.03 ** -max(0, min(t, 75) - 40) * 1.02 ** -max(0, t - 75)


def independent_npv(flows: CashFlows, tax_rate: float = 0.2) -> float:
    total = 0.0
    for t in range(flows.analysis_years):
        year = flows.base_year + t
        growth = (1 + float(flows.real_growth_rate)) ** t
        benefits = sum(float(s.amounts.get(year, 0)) * growth for s in flows.benefits)
        cuts = sum(float(s.amounts.get(year, 0)) * growth for s in flows.benefits if s.budget_cut)
        costs = float(flows.investment.get(year, 0)) + float(flows.operating.get(year, 0))
        total += independent_factor(t) * (benefits - costs - tax_rate * (costs - cuts))
    return total + independent_factor(flows.analysis_years - 1) * float(flows.residual_value)


@st.composite
def cash_flows(draw: st.DrawFn) -> CashFlows:
    years = draw(st.integers(min_value=1, max_value=100))
    base = draw(st.integers(min_value=2000, max_value=2040))
    year = st.integers(min_value=base, max_value=base + years - 1)
    yearly = st.dictionaries(year, amount, max_size=6)
    streams = [
        BenefitStream(
            bearer=bearer, amounts=draw(yearly), budget_cut=draw(st.booleans()) if bearer != "citizens" else False
        )
        for bearer in draw(st.lists(st.sampled_from([OWN, OTHER_STATE, MUNICIPAL, "citizens"]), max_size=4))
    ]
    return CashFlows(
        base_year=base,
        analysis_years=years,
        investment=draw(yearly),
        operating=draw(yearly),
        benefits=streams,
        real_growth_rate=draw(st.sampled_from([D(0), D("0.01"), D("0.02")])),
        residual_value=draw(amount),
    )


@settings(max_examples=80, deadline=None)
@given(cash_flows())
def test_when_compared_with_an_independent_float_implementation_then_npv_agrees(flows):
    expected = independent_npv(flows)
    assert math.isclose(float(net_present_value(flows).npv), expected, rel_tol=1e-9, abs_tol=1e-3)


@settings(max_examples=60, deadline=None)
@given(cash_flows())
def test_when_every_rate_is_zero_then_npv_is_the_plain_sum(flows):
    flat = Parameters(discount_bands=((None, D(0)),), tax_financing_rate=D(0))
    result = net_present_value(flows, flat)
    plain = (
        sum(
            (
                v * (1 + flows.real_growth_rate) ** (y - flows.base_year)
                for s in flows.benefits
                for y, v in s.amounts.items()
            ),
            D(0),
        )
        - sum(flows.investment.values(), D(0))
        - sum(flows.operating.values(), D(0))
        + flows.residual_value
    )
    assert abs(result.npv - plain) < D("0.000001")


@settings(max_examples=60, deadline=None)
@given(cash_flows(), st.integers(min_value=0, max_value=99), amount, st.sampled_from([OWN, MUNICIPAL, "citizens"]))
def test_when_a_benefit_grows_then_npv_never_falls(flows, offset, extra, bearer):
    year = flows.base_year + offset % flows.analysis_years
    more = CashFlows(
        base_year=flows.base_year,
        analysis_years=flows.analysis_years,
        investment=flows.investment,
        operating=flows.operating,
        benefits=[*flows.benefits, BenefitStream(bearer=bearer, amounts={year: extra}, budget_cut=bearer == OWN)],
        real_growth_rate=flows.real_growth_rate,
        residual_value=flows.residual_value,
    )
    assert net_present_value(more).npv >= net_present_value(flows).npv


# The co-financing scheme


def test_when_the_applicant_cuts_half_its_net_benefit_then_the_rule_passes_and_the_other_state_body_is_checked():
    flows = CashFlows(
        base_year=2024,
        analysis_years=5,
        operating={2025: D(1_000_000), 2026: D(1_000_000)},
        benefits=[
            # Own: gross 10 000 000, net 10 000 000 − 2 000 000 = 8 000 000 → 4 000 000 must be cut; 4 000 000 is.
            BenefitStream(bearer=OWN, amounts={2025: D(2_000_000), 2026: D(2_000_000)}, budget_cut=True),
            BenefitStream(bearer=OWN, amounts={2027: D(6_000_000)}, budget_cut=False),
            # Skatteetaten: net 6 000 000 > 5 000 000 → 3 000 000 must be cut; only 1 000 000 is.
            BenefitStream(
                bearer=OTHER_STATE, organisation="Skatteetaten", amounts={2025: D(1_000_000)}, budget_cut=True
            ),
            BenefitStream(bearer=OTHER_STATE, organisation="Skatteetaten", amounts={2026: D(5_000_000)}),
            # Lånekassen: net 5 000 000 is not above the threshold: shown, not required.
            BenefitStream(bearer=OTHER_STATE, organisation="Lånekassen", amounts={2026: D(5_000_000)}),
        ],
    )
    own, lanekassen, skatt = co_financing_checks(flows)
    assert (own.net_benefit, own.required_cut, own.planned_cut, own.passed) == (8_000_000, 4_000_000, 4_000_000, True)
    assert (skatt.subject, skatt.applies, skatt.required_cut, skatt.planned_cut, skatt.passed) == (
        "Skatteetaten",
        True,
        3_000_000,
        1_000_000,
        False,
    )
    assert (lanekassen.applies, lanekassen.passed, lanekassen.required_cut) == (False, True, 0)


# Follow-up status


def _status(readings, **kwargs):
    base = {
        "baseline": D(100),
        "baseline_date": datetime.date(2024, 1, 1),
        "target": D(200),
        "target_date": datetime.date(2025, 1, 1),
        "today": datetime.date(2024, 7, 1),
    }
    return benefit_status(readings=[Reading(d, D(v)) for d, v in readings], **{**base, **kwargs})


def test_when_the_benefit_is_measured_then_the_status_follows_the_straight_line_to_the_target():
    assert _status([]) == Status.NOT_STARTED
    # 2 July 2024 is 183/366 = 50 % of the way; 160 is 60 % of the way from 100 to 200 → on track.
    assert _status([(datetime.date(2024, 7, 2), 160)]) == Status.ON_TRACK
    # 140 is only 40 % of the way at 50 % of the time → behind.
    assert _status([(datetime.date(2024, 7, 2), 140)]) == Status.BEHIND
    assert _status([(datetime.date(2024, 7, 2), 140), (datetime.date(2024, 12, 1), 200)]) == Status.REALISED
    assert _status([(datetime.date(2024, 3, 1), 150)], today=datetime.date(2025, 2, 1)) == Status.BEHIND
    assert _status([(datetime.date(2024, 3, 1), 150)], abandoned=True) == Status.ABANDONED


def test_when_the_target_is_a_reduction_then_falling_values_are_progress():
    kwargs = {"baseline": D(30), "target": D(10)}
    assert _status([(datetime.date(2024, 7, 2), 15)], **kwargs) == Status.ON_TRACK
    assert _status([(datetime.date(2024, 7, 2), 25)], **kwargs) == Status.BEHIND
    assert _status([(datetime.date(2024, 7, 2), 9)], **kwargs) == Status.REALISED


def test_when_a_benefit_has_no_quantified_target_then_measuring_it_is_on_track():
    assert _status([(datetime.date(2024, 7, 2), 1)], target=None) == Status.ON_TRACK


def test_when_the_next_measurement_is_due_then_months_are_added_and_the_day_clamped():
    start = datetime.date(2024, 1, 31)
    assert next_measurement_due(frequency_months=1, last_measured=None, start=start) == datetime.date(2024, 2, 29)
    assert next_measurement_due(frequency_months=12, last_measured=datetime.date(2024, 6, 15), start=start) == (
        datetime.date(2025, 6, 15)
    )


# Prevention


def test_when_prevention_savings_are_computed_then_ages_are_discounted_from_today():
    costs = [
        PreventionCost(level="state", sector="NAV benefits", from_age=18, to_age=19, yearly_cost=D(100_000)),
        PreventionCost(level="municipality", sector="Social assistance", from_age=19, to_age=19, yearly_cost=D(50_000)),
    ]
    result = prevention_savings(costs, persons=10, success_rate=D("0.2"))
    # 10 persons × 20 % = 2 prevented. State: 2 × (100 000 + 100 000/1.04) = 392 307.69; undiscounted 400 000.
    state = next(line for line in result.lines if line.level == "state")
    assert state.undiscounted == 400_000 and close(state.present_value, 200_000 + 200_000 / 1.04)
    # Municipality: age 19 is year 1 → 2 × 50 000 / 1.04 = 96 153.85.
    assert close(result.by_level["municipality"], 100_000 / 1.04)
    assert result.by_level["county"] == 0 and result.persons_prevented == 2
    # Starting at 19: the age-18 year is in the past and not counted; age 19 is now year 0.
    later = prevention_savings(costs, persons=10, success_rate=D("0.2"), start_age=19)
    assert later.total_present_value == 200_000 + 100_000


def test_when_prevention_input_is_bad_then_the_field_is_named():
    with pytest.raises(CalculationError) as error:
        prevention_savings([], persons=1, success_rate=D("1.5"))
    assert error.value.field == "success_rate"
    with pytest.raises(CalculationError) as ages:
        prevention_savings(
            [PreventionCost(level="state", sector="x", from_age=30, to_age=20, yearly_cost=D(1))],
            persons=1,
            success_rate=D(1),
        )
    assert ages.value.field == "costs.0.to_age"


# NPV per invested krone: DOMAIN.md §3.2's "NPV / investment cost", with the present-value reading beside it


def spread_investment_flows() -> CashFlows:
    """Base year 2024, three years. Investment 520 000 in 2024 and 520 000 in 2025; citizens' benefit 2 163 200 in
    2026 (not a budget cut, so it does not lower the tax-financing cost)."""
    return CashFlows(
        base_year=2024,
        analysis_years=3,
        investment={2024: D(520_000), 2025: D(520_000)},
        benefits=[BenefitStream(bearer="citizens", amounts={2026: D(2_163_200)})],
    )


def test_when_the_investment_is_spread_over_years_then_both_per_krone_figures_follow_the_hand_worked_example():
    result = net_present_value(spread_investment_flows())
    # 2024: 520 000 invested → tax-financing cost 0.2 × 520 000 = 104 000; net −624 000; DF 1 → −624 000.
    # 2025: the same net −624 000; DF 1/1.04 → −600 000.
    # 2026: 2 163 200 for citizens, no cost, no tax effect; DF 1/1.0816 → 2 000 000.
    assert result.rows[0].discounted == -624_000
    assert close(result.rows[1].discounted, -600_000, 8) and close(result.rows[2].discounted, 2_000_000, 8)
    # NPV = −624 000 − 600 000 + 2 000 000 = 776 000.
    assert close(result.npv, 776_000, 8)
    # DOMAIN's formula: NPV / investment cost = 776 000 / (520 000 + 520 000) = 776 000 / 1 040 000 = 0.746153…
    assert result.investment_total == 1_040_000
    assert close(result.npv_per_invested_krone, D(776_000) / D(1_040_000), 12)
    # Present-value reading: 776 000 / (520 000 + 520 000/1.04) = 776 000 / 1 020 000 = 0.760784…
    assert close(result.pv_investment, 1_020_000, 8)
    assert close(result.npv_per_pv_invested_krone, D(776_000) / D(1_020_000), 12)


def test_when_nothing_is_invested_then_neither_per_krone_figure_exists():
    flows = CashFlows(base_year=2024, analysis_years=2, operating={2025: D(10)})
    result = net_present_value(flows)
    assert (result.investment_total, result.npv_per_invested_krone, result.npv_per_pv_invested_krone) == (0, None, None)


@settings(max_examples=60, deadline=None)
@given(cash_flows())
def test_when_per_krone_figures_exist_then_they_match_an_independent_computation(flows):
    result = net_present_value(flows)
    invested = sum(float(v) for v in flows.investment.values())
    if invested == 0:
        assert result.npv_per_invested_krone is None and result.npv_per_pv_invested_krone is None
        return
    pv_invested = sum(independent_factor(y - flows.base_year) * float(v) for y, v in flows.investment.items())
    npv = independent_npv(flows)
    assert math.isclose(float(result.npv_per_invested_krone), npv / invested, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(float(result.npv_per_pv_invested_krone), npv / pv_invested, rel_tol=1e-9, abs_tol=1e-9)
    # Discounting only shrinks later amounts, so the present value of the investment is never above its sum.
    assert result.pv_investment <= result.investment_total


@settings(max_examples=40, deadline=None)
@given(cash_flows(), st.integers(min_value=1, max_value=50_000_000).map(D))
def test_when_everything_is_invested_in_the_base_year_then_both_per_krone_figures_are_equal(flows, invested):
    flows = CashFlows(
        base_year=flows.base_year,
        analysis_years=flows.analysis_years,
        investment={flows.base_year: invested},
        operating=flows.operating,
        benefits=flows.benefits,
        real_growth_rate=flows.real_growth_rate,
        residual_value=flows.residual_value,
    )
    result = net_present_value(flows)
    assert result.npv_per_invested_krone == result.npv_per_pv_invested_krone


# The tax-financing cost: its base and sign


@settings(max_examples=60, deadline=None)
@given(cash_flows(), st.sampled_from([OWN, OTHER_STATE, MUNICIPAL]), st.dictionaries(st.integers(0, 99), amount))
def test_when_a_public_benefit_is_taken_as_a_budget_cut_then_npv_rises_by_the_tax_rate_of_its_present_value(
    flows, bearer, by_offset
):
    amounts = {flows.base_year + offset % flows.analysis_years: value for offset, value in by_offset.items()}

    def with_stream(cut: bool) -> CashFlows:
        stream = BenefitStream(bearer=bearer, amounts=amounts, budget_cut=cut)
        return CashFlows(
            base_year=flows.base_year,
            analysis_years=flows.analysis_years,
            investment=flows.investment,
            operating=flows.operating,
            benefits=[*flows.benefits, stream],
            real_growth_rate=flows.real_growth_rate,
            residual_value=flows.residual_value,
        )

    stream_pv = sum(
        (
            factor * amounts.get(flows.base_year + t, D(0)) * (1 + flows.real_growth_rate) ** t
            for t, factor in enumerate(discount_factors(flows.analysis_years))
        ),
        D(0),
    )
    difference = net_present_value(with_stream(True)).npv - net_present_value(with_stream(False)).npv
    # A cut lowers the taxes to raise by the benefit, saving 20 øre per krone; a reallocation saves none.
    assert abs(difference - D("0.2") * stream_pv) < D("0.0001")


def test_when_budget_cuts_exceed_the_costs_then_the_tax_financing_cost_is_a_gain():
    flows = CashFlows(
        base_year=2024,
        analysis_years=1,
        operating={2024: D(100)},
        benefits=[BenefitStream(bearer=MUNICIPAL, amounts={2024: D(1_000)}, budget_cut=True)],
    )
    (row,) = net_present_value(flows).rows
    # Net public-budget cost 100 − 1 000 = −900; tax-financing cost 0.2 × −900 = −180; net 1 000 − 100 + 180 = 1 080.
    assert (row.net_public_budget_cost, row.tax_financing_cost, row.net) == (-900, -180, 1_080)


# Residual value and base year


def test_when_a_residual_value_is_given_then_it_is_discounted_from_the_last_year_of_the_period():
    flows = CashFlows(base_year=2030, analysis_years=42, residual_value=D(1_000_000))
    result = net_present_value(flows)
    # A 42-year period 2030–2071: the last year is t = 41 → 1 000 000 / (1.04⁴⁰ × 1.03).
    assert close(result.residual_value_discounted, D(1_000_000) / (D("1.04") ** 40 * D("1.03")), 10)
    assert result.npv == result.residual_value_discounted


def test_when_the_base_year_moves_then_only_the_labels_move():
    """Discounting counts years from the base year, not calendar years: the same flows one year later give the same
    NPV."""
    early = example_flows()
    late = CashFlows(
        base_year=2025,
        analysis_years=3,
        investment={2025: D(1_000_000)},
        operating={2026: D(100_000), 2027: D(100_000)},
        benefits=[BenefitStream(bearer=OWN, amounts={2026: D(600_000), 2027: D(600_000)}, budget_cut=True)],
    )
    assert net_present_value(early).npv == net_present_value(late).npv
    assert [row.year for row in net_present_value(late).rows] == [2025, 2026, 2027]


# Co-financing checks follow the same amounts as the gross and net benefit by bearer


def test_when_benefits_grow_in_real_prices_then_the_co_financing_check_uses_the_grown_amounts():
    flows = CashFlows(
        base_year=2024,
        analysis_years=3,
        operating={2025: D(100_000)},
        benefits=[
            BenefitStream(bearer=OWN, amounts={2025: D(1_000_000), 2026: D(1_000_000)}),
            BenefitStream(bearer=OWN, amounts={2026: D(1_000_000)}, budget_cut=True),
        ],
        real_growth_rate=D("0.02"),
    )
    (own,) = co_financing_checks(flows)
    # 2025: 1 000 000 × 1.02 = 1 020 000; 2026: 2 × 1 000 000 × 1.0404 = 2 080 800 → gross 3 100 800;
    # net 3 100 800 − 100 000 = 3 000 800; required 50 % = 1 500 400; planned cut 1 040 400 → does not pass.
    assert (own.net_benefit, own.required_cut, own.planned_cut, own.passed) == (
        D("3000800"),
        D("1500400"),
        D("1040400"),
        False,
    )
    bearer_total = next(t for t in net_present_value(flows).by_bearer if t.bearer == OWN)
    assert bearer_total.net == own.net_benefit


@settings(max_examples=60, deadline=None)
@given(cash_flows())
def test_when_any_plan_is_checked_then_the_applicants_net_benefit_equals_its_row_by_bearer(flows):
    own_check = co_financing_checks(flows)[0]
    own_total = next(t for t in net_present_value(flows).by_bearer if t.bearer == OWN)
    assert abs(own_check.net_benefit - own_total.net) < D("0.000001")
    assert own_check.required_cut == max(own_check.net_benefit, D(0)) / 2


def test_when_another_state_body_is_exactly_at_the_threshold_then_no_cut_is_required_and_above_it_is():
    def check(amount: int):
        flows = CashFlows(
            base_year=2024,
            analysis_years=1,
            benefits=[BenefitStream(bearer=OTHER_STATE, organisation="NAV", amounts={2024: D(amount)})],
        )
        return co_financing_checks(flows)[1]

    at, above = check(5_000_000), check(5_000_001)
    assert (at.applies, at.required_cut, at.passed) == (False, 0, True)
    # 5 000 001 > 5 000 000 → 50 % = 2 500 000.5 must be cut; none is planned.
    assert (above.applies, above.required_cut, above.passed) == (True, D("2500000.5"), False)


def _four_million_a_year(years: int = 10) -> CashFlows:
    return CashFlows(
        base_year=2025,
        analysis_years=years,
        benefits=[
            BenefitStream(bearer=OWN, organisation="Skatteetaten", amounts={2025: Decimal(1000)}, budget_cut=True),
            BenefitStream(
                bearer=OTHER_STATE,
                organisation="Lånekassen",
                amounts={year: Decimal(4_000_000) for year in range(2025, 2025 + years)},
            ),
        ],
    )


def test_when_a_body_gets_4_million_a_year_for_10_years_then_only_the_period_reading_requires_a_cut():
    from nyskap.benefits.calculations import CoFinancingBasis

    own, period = co_financing_checks(_four_million_a_year(), CoFinancingBasis.PERIOD)
    assert (own.subject, own.applies, own.other_basis_applies, own.readings_differ) == (
        "Skatteetaten",
        True,
        None,
        False,
    )
    assert (period.net_benefit, period.largest_year_net_benefit) == (Decimal(40_000_000), Decimal(4_000_000))
    assert (period.basis, period.applies, period.passed, period.required_cut) == (
        "period",
        True,
        False,
        Decimal(20_000_000),
    )
    assert (period.other_basis, period.other_basis_applies, period.other_basis_passed) == ("per_year", False, True)
    assert period.readings_differ is True
    _own, per_year = co_financing_checks(_four_million_a_year(), CoFinancingBasis.PER_YEAR)
    assert (per_year.basis, per_year.applies, per_year.passed, per_year.required_cut) == ("per_year", False, True, 0)
    assert (per_year.other_basis_applies, per_year.other_basis_passed, per_year.readings_differ) == (True, False, True)


def test_when_a_body_gets_6_million_in_one_year_then_both_readings_agree():
    flows = CashFlows(
        base_year=2025,
        analysis_years=3,
        benefits=[BenefitStream(bearer=OTHER_STATE, organisation="NAV", amounts={2026: Decimal(6_000_000)})],
    )
    _own, check = co_financing_checks(flows, "per_year")
    assert (check.applies, check.passed, check.other_basis_applies, check.readings_differ) == (True, False, True, False)
