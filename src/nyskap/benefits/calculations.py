# Over 500 lines on purpose: pure calculations (no Django) that read top to bottom with DOMAIN.md §3–§4.
"""Pure numbers of benefit realisation (DOMAIN.md §3–§4): net present value by Rundskriv R-109, the co-financing
scheme's rule checks, a benefit's follow-up status and the prevention calculator. No Django imports, so everything
here can be tested against hand-worked examples, an independent implementation and hypothesis invariants.

Money is ``Decimal`` throughout (kroner); rounding to øre happens only when results are shown.

How the tax-financing cost is read (DOMAIN.md §3.2: "20 % of the net public-budget effect financed by taxes"):

- Every krone the public sector must raise through taxes costs society an extra 20 øre (skattefinansieringskostnad).
- The project's costs (investment and lasting operating costs of the new solution) are paid from public budgets.
- A monetised benefit lowers the tax need only when it is taken out as a budget cut in a public body (realisation
  form *budget cut* for the own organisation, other state bodies or the municipal sector). A reallocation keeps the
  budget as it is (the freed resources do other work), and benefits for citizens and business never touch a public
  budget.
- So, for each year: net public-budget cost = investment + operating costs − budget cuts, and the tax-financing cost
  is 20 % of it. When the budget cuts exceed the costs, the net effect is a saving and the tax-financing cost is
  negative (a gain): fewer taxes need to be raised. This symmetric treatment is how R-109 practice applies it (the
  Kystverket FRAM model computes it per cash flow with its sign).

The yearly formula (DOMAIN.md §3.2)::

    NPV = Σ_t DF_t · (B_t − I_t − O_t − 0.20 · (I_t + O_t − Cut_t)) + DF_T · residual value
    DF_t = Π_{k=1..t} 1 / (1 + r_k), r_k = 4 % (k ≤ 40), 3 % (40 < k ≤ 75), 2 % (k > 75)

where t counts years after the base year (sammenstillingsår, t = 0 is not discounted) and benefits B_t are in
base-year prices, raised by the real-price growth rate g as B_t · (1 + g)^t when one is chosen. Costs are not
raised. The residual value (what lies beyond the period) is entered net, counted in the last year of the period T and
discounted with DF_T, without growth or a further tax-financing cost. docs/adr/0005 records these readings.

NPV per invested krone is DOMAIN.md §3.2's formula, NPV / investment cost: the NPV divided by the plain sum of the
investment over the analysis period in base-year prices (the ranking key of the co-financing scheme, §3.3). Beside it,
and labelled as such, ``npv_per_pv_invested_krone`` divides by the present value of the investment (the two are equal
when everything is invested in the base year; the present-value reading puts numerator and denominator on the same
footing when the investment is spread over several years). Both are undefined when there is no investment.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)
ONE = Decimal(1)

# Bearers (who the benefit lands with), DOMAIN.md §3.4.
OWN = "own_organisation"
OTHER_STATE = "other_state"
MUNICIPAL = "municipal_sector"
CITIZENS = "citizens"
BUSINESS = "business"
BEARERS = (OWN, OTHER_STATE, MUNICIPAL, CITIZENS, BUSINESS)
PUBLIC_BEARERS = frozenset({OWN, OTHER_STATE, MUNICIPAL})

# The co-financing scheme (DOMAIN.md §3.3): 50 % of the net benefit as a budget cut, in the applicant and in other
# state bodies whose net benefit is above NOK 5 million.
CO_FINANCING_CUT_SHARE = Decimal("0.5")
CO_FINANCING_OTHER_STATE_THRESHOLD = Decimal(5_000_000)


class CoFinancingBasis(StrEnum):
    """What the NOK 5 million threshold is compared with [U]: the sources do not say whether a body's net benefit
    is meant per year or over the whole analysis period. A versioned parameter (ParameterSet.co_financing_basis);
    both readings are computed and shown when their verdicts differ."""

    PER_YEAR = "per_year"  # the body's largest net benefit in any one year
    PERIOD = "period"  # the body's net benefit summed over the analysis period


class CalculationError(ValueError):
    """Input the calculation cannot use; ``field`` names the input it concerns."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Parameters:
    """One version of the analysis parameters. ``discount_bands`` are (last year of the band or None, rate):
    R-109 gives 4 % up to year 40, 3 % up to year 75 and 2 % after."""

    discount_bands: tuple[tuple[int | None, Decimal], ...] = (
        (40, Decimal("0.04")),
        (75, Decimal("0.03")),
        (None, Decimal("0.02")),
    )
    tax_financing_rate: Decimal = Decimal("0.20")
    max_analysis_years: int = 100
    co_financing_basis: str = CoFinancingBasis.PERIOD

    def rate_for_year(self, year: int) -> Decimal:
        """The discount rate used to discount from year ``year − 1`` to ``year`` (year ≥ 1)."""
        for last, rate in self.discount_bands:
            if last is None or year <= last:
                return rate
        return self.discount_bands[-1][1]


R109 = Parameters()


def discount_factors(years: int, parameters: Parameters = R109) -> list[Decimal]:
    """DF_0 … DF_{years−1}: the cumulative product of 1/(1 + r_k), year by year (DOMAIN.md §3.2, as in Kystverket's
    FRAM model), so a flow in year 41 is discounted 40 years at 4 % and one at 3 %."""
    if years < 0:
        raise CalculationError("The number of years cannot be negative.", "analysis_years")
    factors: list[Decimal] = []
    factor = ONE
    for year in range(years):
        if year > 0:
            factor = factor / (ONE + parameters.rate_for_year(year))
        factors.append(factor)
    return factors


@dataclass(frozen=True)
class BenefitStream:
    """Monetised benefit by calendar year for one bearer. ``budget_cut`` says whether it is taken out as a cut in a
    public body's budget (then it also lowers the tax-financing cost); ``organisation`` names the body when known."""

    bearer: str
    amounts: Mapping[int, Decimal]
    budget_cut: bool = False
    organisation: str = ""
    label: str = ""


@dataclass(frozen=True)
class CashFlows:
    base_year: int
    analysis_years: int
    investment: Mapping[int, Decimal] = field(default_factory=dict)
    operating: Mapping[int, Decimal] = field(default_factory=dict)
    benefits: Sequence[BenefitStream] = ()
    real_growth_rate: Decimal = ZERO
    residual_value: Decimal = ZERO


@dataclass(frozen=True)
class YearRow:
    year: int
    t: int
    discount_factor: Decimal
    benefits_by_bearer: dict[str, Decimal]
    benefits: Decimal
    investment: Decimal
    operating: Decimal
    budget_cuts: Decimal
    net_public_budget_cost: Decimal
    tax_financing_cost: Decimal
    net: Decimal
    discounted: Decimal


@dataclass(frozen=True)
class BearerTotal:
    bearer: str
    gross: Decimal
    operating: Decimal
    net: Decimal
    present_value: Decimal


@dataclass(frozen=True)
class Result:
    rows: list[YearRow]
    npv: Decimal
    residual_value_discounted: Decimal
    pv_benefits: Decimal
    pv_investment: Decimal
    pv_operating: Decimal
    pv_tax_financing_cost: Decimal
    investment_total: Decimal
    npv_per_invested_krone: Decimal | None
    npv_per_pv_invested_krone: Decimal | None
    gross_benefit: Decimal
    net_benefit: Decimal
    by_bearer: list[BearerTotal]


def _check_amounts(name: str, amounts: Mapping[int, Decimal], first: int, last: int, *, signed: bool) -> None:
    for year, amount in amounts.items():
        if not first <= year <= last:
            raise CalculationError(
                f"The year {year} is outside the analysis period {first}–{last}.",
                name,
            )
        if not Decimal(amount).is_finite():
            raise CalculationError("Amounts must be finite numbers.", name)
        if not signed and amount < 0:
            raise CalculationError("Costs cannot be negative.", name)


def validate(flows: CashFlows, parameters: Parameters = R109) -> None:
    if not 1 <= flows.analysis_years <= parameters.max_analysis_years:
        raise CalculationError(
            f"The analysis period must be between 1 and {parameters.max_analysis_years} years.", "analysis_years"
        )
    first, last = flows.base_year, flows.base_year + flows.analysis_years - 1
    _check_amounts("investment", flows.investment, first, last, signed=False)
    _check_amounts("operating", flows.operating, first, last, signed=False)
    for index, stream in enumerate(flows.benefits):
        if stream.bearer not in BEARERS:
            raise CalculationError(f"Unknown bearer “{stream.bearer}”.", f"benefits.{index}.bearer")
        if stream.budget_cut and stream.bearer not in PUBLIC_BEARERS:
            raise CalculationError(
                "Only benefits in public bodies can be realised as budget cuts.", f"benefits.{index}.budget_cut"
            )
        _check_amounts(f"benefits.{index}.amounts", stream.amounts, first, last, signed=True)
    if not flows.real_growth_rate.is_finite() or not Decimal("-0.5") < flows.real_growth_rate < ONE:
        raise CalculationError("The real-price growth rate must be between −50 % and 100 %.", "real_growth_rate")
    if not flows.residual_value.is_finite():
        raise CalculationError("The residual value must be a finite number.", "residual_value")


def net_present_value(flows: CashFlows, parameters: Parameters = R109) -> Result:
    """The yearly table and its totals (see the module docstring for the formula and the reading of R-109)."""
    validate(flows, parameters)
    factors = discount_factors(flows.analysis_years, parameters)
    growth = ONE + flows.real_growth_rate
    rows: list[YearRow] = []
    gross_by_bearer = {bearer: ZERO for bearer in BEARERS}
    pv_by_bearer = {bearer: ZERO for bearer in BEARERS}
    totals = {"npv": ZERO, "benefits": ZERO, "investment": ZERO, "operating": ZERO, "tax": ZERO}
    for t, factor in enumerate(factors):
        year = flows.base_year + t
        uplift = growth**t
        by_bearer = {bearer: ZERO for bearer in BEARERS}
        cuts = ZERO
        for stream in flows.benefits:
            amount = Decimal(stream.amounts.get(year, ZERO)) * uplift
            by_bearer[stream.bearer] += amount
            if stream.budget_cut:
                cuts += amount
        benefits = sum(by_bearer.values(), ZERO)
        investment = Decimal(flows.investment.get(year, ZERO))
        operating = Decimal(flows.operating.get(year, ZERO))
        budget_cost = investment + operating - cuts
        tax = parameters.tax_financing_rate * budget_cost
        net = benefits - investment - operating - tax
        discounted = factor * net
        rows.append(
            YearRow(
                year=year,
                t=t,
                discount_factor=factor,
                benefits_by_bearer=by_bearer,
                benefits=benefits,
                investment=investment,
                operating=operating,
                budget_cuts=cuts,
                net_public_budget_cost=budget_cost,
                tax_financing_cost=tax,
                net=net,
                discounted=discounted,
            )
        )
        for bearer, amount in by_bearer.items():
            gross_by_bearer[bearer] += amount
            pv_by_bearer[bearer] += factor * amount
        totals["npv"] += discounted
        totals["benefits"] += factor * benefits
        totals["investment"] += factor * investment
        totals["operating"] += factor * operating
        totals["tax"] += factor * tax
    residual = factors[-1] * flows.residual_value
    npv = totals["npv"] + residual
    investment_total = sum((Decimal(v) for v in flows.investment.values()), ZERO)
    operating_total = sum((Decimal(v) for v in flows.operating.values()), ZERO)
    gross = sum(gross_by_bearer.values(), ZERO)
    bearer_totals = [
        BearerTotal(
            bearer=bearer,
            gross=gross_by_bearer[bearer],
            # The lasting operating costs of the new solution are carried by the applicant (DOMAIN.md §3.3).
            operating=operating_total if bearer == OWN else ZERO,
            net=gross_by_bearer[bearer] - (operating_total if bearer == OWN else ZERO),
            present_value=pv_by_bearer[bearer],
        )
        for bearer in BEARERS
    ]
    return Result(
        rows=rows,
        npv=npv,
        residual_value_discounted=residual,
        pv_benefits=totals["benefits"],
        pv_investment=totals["investment"],
        pv_operating=totals["operating"],
        pv_tax_financing_cost=totals["tax"],
        investment_total=investment_total,
        npv_per_invested_krone=(npv / investment_total) if investment_total > 0 else None,
        npv_per_pv_invested_krone=(npv / totals["investment"]) if totals["investment"] > 0 else None,
        gross_benefit=gross,
        net_benefit=gross - operating_total,
        by_bearer=bearer_totals,
    )


# The co-financing scheme's rules (DOMAIN.md §3.3)


@dataclass(frozen=True)
class RuleCheck:
    """One check: who it concerns, the net benefit, the budget cut planned, the cut required, and whether it holds.
    ``applies`` is False for other state bodies under the threshold (shown, but not required)."""

    subject: str
    bearer: str
    net_benefit: Decimal
    planned_cut: Decimal
    required_cut: Decimal
    applies: bool
    passed: bool
    basis: str = CoFinancingBasis.PERIOD
    largest_year_net_benefit: Decimal = ZERO
    # The verdict under the other reading of the threshold (None for the applicant, where no threshold applies).
    other_basis_applies: bool | None = None
    other_basis_passed: bool | None = None

    @property
    def other_basis(self) -> str:
        return CoFinancingBasis.PER_YEAR if self.basis == CoFinancingBasis.PERIOD else CoFinancingBasis.PERIOD

    @property
    def readings_differ(self) -> bool:
        return self.other_basis_applies is not None and (self.other_basis_applies, self.other_basis_passed) != (
            self.applies,
            self.passed,
        )


def _threshold_verdict(net: Decimal, largest_year: Decimal, cut: Decimal, basis: str) -> tuple[bool, bool, Decimal]:
    """(applies, passed, required cut) for another state body under one reading of the threshold."""
    compared = largest_year if basis == CoFinancingBasis.PER_YEAR else net
    applies = compared > CO_FINANCING_OTHER_STATE_THRESHOLD
    required = net * CO_FINANCING_CUT_SHARE if applies else ZERO
    return applies, (cut >= required) if applies else True, required


def co_financing_checks(flows: CashFlows, basis: str = CoFinancingBasis.PERIOD) -> list[RuleCheck]:
    """50 % of the applicant's net benefit as a budget cut; the same for each other state body with a net benefit
    above NOK 5 million.

    Readings marked [U] (the scheme's template is not verified): the sums run over the analysis period,
    undiscounted, in base-year prices with the plan's real-price growth applied — the same amounts as the gross and
    net benefit by bearer, so the figures on a plan agree with each other; the lasting operating costs of the new
    solution are all carried by the applicant, so they reduce only the applicant's net benefit; other state bodies
    are checked one by one by name, and benefits for other state bodies without a name are checked together (a
    stricter reading: several small unnamed bodies may be flagged as one); the threshold is compared with the net
    benefit over the period or in the body's largest year, as ``basis`` says (see CoFinancingBasis). The applicant
    is named by the organisation given on its benefits, if any."""
    growth = ONE + flows.real_growth_rate
    operating_total = sum((Decimal(v) for v in flows.operating.values()), ZERO)
    own_gross = ZERO
    own_cut = ZERO
    own_names: list[str] = []
    others: dict[str, list[Decimal]] = {}
    others_by_year: dict[str, dict[int, Decimal]] = {}
    for stream in flows.benefits:
        yearly = {year: Decimal(v) * growth ** (year - flows.base_year) for year, v in stream.amounts.items()}
        total = sum(yearly.values(), ZERO)
        if stream.bearer == OWN:
            own_gross += total
            own_cut += total if stream.budget_cut else ZERO
            if stream.organisation and stream.organisation not in own_names:
                own_names.append(stream.organisation)
        elif stream.bearer == OTHER_STATE:
            entry = others.setdefault(stream.organisation or "", [ZERO, ZERO])
            entry[0] += total
            entry[1] += total if stream.budget_cut else ZERO
            by_year = others_by_year.setdefault(stream.organisation or "", {})
            for year, amount in yearly.items():
                by_year[year] = by_year.get(year, ZERO) + amount
    own_net = own_gross - operating_total
    own_required = max(own_net, ZERO) * CO_FINANCING_CUT_SHARE
    checks = [
        RuleCheck(
            subject=", ".join(own_names),
            bearer=OWN,
            net_benefit=own_net,
            planned_cut=own_cut,
            required_cut=own_required,
            applies=True,
            passed=own_cut >= own_required,
            basis=basis,
        )
    ]
    other_basis = CoFinancingBasis.PER_YEAR if basis == CoFinancingBasis.PERIOD else CoFinancingBasis.PERIOD
    for name in sorted(others):
        net, cut = others[name]
        largest_year = max(others_by_year[name].values(), default=ZERO)
        applies, passed, required = _threshold_verdict(net, largest_year, cut, basis)
        other_applies, other_passed, _required = _threshold_verdict(net, largest_year, cut, other_basis)
        checks.append(
            RuleCheck(
                subject=name,
                bearer=OTHER_STATE,
                net_benefit=net,
                planned_cut=cut,
                required_cut=required,
                applies=applies,
                passed=passed,
                basis=basis,
                largest_year_net_benefit=largest_year,
                other_basis_applies=other_applies,
                other_basis_passed=other_passed,
            )
        )
    return checks


# Follow-up status of one benefit


class Status(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    REALISED = "realised"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class Reading:
    date: datetime.date
    value: Decimal


def benefit_status(
    *,
    baseline: Decimal | None,
    baseline_date: datetime.date | None,
    target: Decimal | None,
    target_date: datetime.date | None,
    readings: Iterable[Reading],
    abandoned: bool = False,
    today: datetime.date,
) -> Status:
    """Where a benefit stands, from its measurements and its target.

    - abandoned when the line organisation gave it up (with a reason, kept on the benefit);
    - not started before the first measurement;
    - realised when the latest measurement has reached the target (in the direction from baseline to target);
    - otherwise on track when the progress made is at least the share of the time from the baseline date to the
      target date that has passed by the latest measurement (a straight line from baseline to target), and behind
      when it is less or the target date has passed. Benefits without a quantified target are on track once
      measured: they are followed by their indicator and described, not scored."""
    if abandoned:
        return Status.ABANDONED
    ordered = sorted(readings, key=lambda r: r.date)
    if not ordered:
        return Status.NOT_STARTED
    latest = ordered[-1]
    if baseline is None or target is None or target == baseline:
        return Status.ON_TRACK
    progress = (latest.value - baseline) / (target - baseline)
    if progress >= 1:
        return Status.REALISED
    if target_date is not None and today > target_date:
        return Status.BEHIND
    if baseline_date is None or target_date is None or target_date <= baseline_date:
        return Status.ON_TRACK if progress > 0 else Status.BEHIND
    elapsed = (latest.date - baseline_date).days / (target_date - baseline_date).days
    expected = Decimal(str(max(0.0, min(1.0, elapsed))))
    return Status.ON_TRACK if progress >= expected else Status.BEHIND


def next_measurement_due(
    *,
    frequency_months: int,
    last_measured: datetime.date | None,
    start: datetime.date,
) -> datetime.date:
    """The next measurement is due ``frequency_months`` after the last one (or after ``start`` — the baseline or
    the plan's submission — when none is recorded yet)."""
    origin = last_measured or start
    month = origin.month - 1 + frequency_months
    year = origin.year + month // 12
    month = month % 12 + 1
    # Clamp the day to the month's length (31 January + 1 month = 28/29 February).
    for day in (origin.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# Prevention as investment (KS Utenfor-regnskapet, DOMAIN.md §4)

LEVELS = ("state", "county", "municipality")
FIRST_AGE = 18
LAST_AGE = 58


@dataclass(frozen=True)
class PreventionCost:
    """The extra yearly public cost per person in the target group compared with the population average, for one
    government level and sector over an age span (inclusive)."""

    level: str
    sector: str
    from_age: int
    to_age: int
    yearly_cost: Decimal


@dataclass(frozen=True)
class PreventionLine:
    level: str
    sector: str
    undiscounted: Decimal
    present_value: Decimal


@dataclass(frozen=True)
class PreventionResult:
    lines: list[PreventionLine]
    by_level: dict[str, Decimal]
    total_undiscounted: Decimal
    total_present_value: Decimal
    persons_prevented: Decimal


def prevention_savings(
    costs: Sequence[PreventionCost],
    *,
    persons: int,
    success_rate: Decimal,
    start_age: int = FIRST_AGE,
    parameters: Parameters = R109,
) -> PreventionResult:
    """Discounted savings when ``persons × success_rate`` people no longer fall outside: for each cost line, the
    yearly cost at each age from ``start_age`` (the group's age today, year 0) to 58 is discounted to today with the
    R-109 factors and summed, times the persons prevented. Lines are totalled per level and sector."""
    if persons < 0:
        raise CalculationError("The number of persons cannot be negative.", "persons")
    if not success_rate.is_finite() or not ZERO <= success_rate <= ONE:
        raise CalculationError("The success rate must be between 0 and 100 %.", "success_rate")
    if not FIRST_AGE <= start_age <= LAST_AGE:
        raise CalculationError(f"The age today must be between {FIRST_AGE} and {LAST_AGE}.", "start_age")
    factors = discount_factors(LAST_AGE - start_age + 1, parameters)
    prevented = Decimal(persons) * success_rate
    totals: dict[tuple[str, str], list[Decimal]] = {}
    for index, cost in enumerate(costs):
        if cost.level not in LEVELS:
            raise CalculationError(f"Unknown government level “{cost.level}”.", f"costs.{index}.level")
        if not FIRST_AGE <= cost.from_age <= cost.to_age <= LAST_AGE:
            raise CalculationError(
                f"The ages must be within {FIRST_AGE}–{LAST_AGE}, the first not after the last.",
                f"costs.{index}.to_age",
            )
        if not cost.yearly_cost.is_finite() or cost.yearly_cost < 0:
            raise CalculationError("The yearly cost cannot be negative.", f"costs.{index}.yearly_cost")
        entry = totals.setdefault((cost.level, cost.sector), [ZERO, ZERO])
        for age in range(max(cost.from_age, start_age), cost.to_age + 1):
            entry[0] += cost.yearly_cost * prevented
            entry[1] += factors[age - start_age] * cost.yearly_cost * prevented
    lines = [
        PreventionLine(level=level, sector=sector, undiscounted=values[0], present_value=values[1])
        for (level, sector), values in totals.items()
    ]
    by_level = {level: sum((line.present_value for line in lines if line.level == level), ZERO) for level in LEVELS}
    return PreventionResult(
        lines=lines,
        by_level=by_level,
        total_undiscounted=sum((line.undiscounted for line in lines), ZERO),
        total_present_value=sum((line.present_value for line in lines), ZERO),
        persons_prevented=prevented,
    )
