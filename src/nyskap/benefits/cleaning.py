"""Checking plan and benefit values before the services write them, and the refusals they raise: `BenefitError` (a
message fit to show the user, and the field it concerns) and `PlanIncomplete` (the problems that stop a submission)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .models import (
    BenefitPlan,
    ParameterSet,
)


class BenefitError(Exception):
    """A refused change; ``message`` is shown to the user as it is, next to ``field`` when given."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Problem:
    benefit_id: int | None
    field: str
    message: str


class PlanIncomplete(Exception):
    """The plan cannot be submitted yet; ``problems`` says what is missing and where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def clean_text(value: Any, *, field: str, limit: int | None = None, required: str | None = None) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise BenefitError(required, field)
    if limit is not None and len(text) > limit:
        raise BenefitError(_("Use at most %(limit)d characters.") % {"limit": limit}, field)
    return text


def clean_decimal(value: Any, *, field: str, allow_none: bool = True, negative: bool = True) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise BenefitError(_("Enter an amount."), field)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise BenefitError(_("Enter a number."), field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise BenefitError(_("Enter a number below one trillion."), field)
    if not negative and number < 0:
        raise BenefitError(_("Costs cannot be negative."), field)
    return number


def clean_plan_period(*, base_year: Any, analysis_years: Any, parameters: ParameterSet) -> tuple[int, int]:
    try:
        base = int(base_year)
    except (TypeError, ValueError):
        raise BenefitError(_("Enter a year."), "base_year") from None
    if not 1990 <= base <= 2100:
        raise BenefitError(_("Enter a year between 1990 and 2100."), "base_year")
    try:
        years = int(analysis_years)
    except (TypeError, ValueError):
        raise BenefitError(_("Enter a whole number of years."), "analysis_years") from None
    if not 1 <= years <= parameters.max_analysis_years:
        raise BenefitError(
            _("The analysis period must be between 1 and %(max)d years.") % {"max": parameters.max_analysis_years},
            "analysis_years",
        )
    return base, years


def clean_growth(value: Any) -> Decimal:
    rate = clean_decimal(value, field="real_growth_rate") or Decimal(0)
    if not Decimal("-0.1") <= rate <= Decimal("0.1"):
        raise BenefitError(
            _("Give the growth as a share between −0.1 and 0.1 (0.008 is 0.8 % a year)."), "real_growth_rate"
        )
    return rate


def submission_problems(plan: BenefitPlan) -> list[Problem]:
    problems: list[Problem] = []
    benefits = list(plan.benefits.all())
    if not benefits:
        problems.append(Problem(None, "benefits", _("Add at least one benefit before the plan is submitted.")))
    for benefit in benefits:
        if benefit.owner_id is None:
            problems.append(
                Problem(
                    benefit.pk,
                    "owner",
                    _("“%(benefit)s” needs a benefit owner in the line organisation.")
                    % {"benefit": benefit.description},
                )
            )
        if not benefit.indicator:
            problems.append(
                Problem(
                    benefit.pk,
                    "indicator",
                    _("“%(benefit)s” needs an indicator to be followed up.") % {"benefit": benefit.description},
                )
            )
    return problems


def clean_yearly(plan: BenefitPlan, amounts: Mapping[Any, Any], *, field: str, negative: bool) -> dict[int, Decimal]:
    cleaned: dict[int, Decimal] = {}
    for year, value in amounts.items():
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise BenefitError(_("Enter a year."), field) from None
        if not plan.base_year <= year <= plan.last_year:
            raise BenefitError(
                _("The year %(year)d is outside the analysis period %(first)d–%(last)d.")
                % {"year": year, "first": plan.base_year, "last": plan.last_year},
                field,
            )
        number = clean_decimal(value, field=field, negative=negative)
        if number:
            cleaned[year] = cleaned.get(year, Decimal(0)) + number
    return cleaned
