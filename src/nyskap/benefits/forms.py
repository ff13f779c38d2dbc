"""Forms of the benefit pages. They parse and check the shape of input (and the simple rules a user should see at
the field at once); the rules live in `services.py`, whose `BenefitError` the views put back beside its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nyskap.organisations.models import Organisation

from . import calculations
from .models import Bearer, Benefit, BenefitPlan, BenefitType, CostKind, Frequency, RealisationForm

MAX_AMOUNT = Decimal("999999999999")


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _amount_field(label: Any, *, negative: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=None if negative else Decimal(0),
        max_value=MAX_AMOUNT,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"min_value": _("Costs cannot be negative.")},
    )


class PlanForm(forms.Form):
    rationale = forms.CharField(
        label=_("Rationale"), widget=_textarea(), help_text=_("Why is the project done? Markdown.")
    )
    goals = forms.CharField(
        label=_("Goals and main products"),
        widget=_textarea(),
        help_text=_("The societal and effect goals the benefits serve, and what the project delivers. Markdown."),
    )
    base_year = forms.IntegerField(
        label=_("Base year"),
        min_value=1990,
        max_value=2100,
        help_text=_("The year values are discounted to (sammenstillingsår). Amounts are in this year's prices."),
    )
    analysis_years = forms.IntegerField(
        label=_("Analysis period (years)"),
        min_value=1,
        max_value=100,
        help_text=_("Normally the solution's lifetime; 10 years unless there is reason for another."),
    )
    real_growth_rate = forms.DecimalField(
        label=_("Real-price growth of benefits per year"),
        required=False,
        max_digits=6,
        decimal_places=4,
        min_value=Decimal("-0.1"),
        max_value=Decimal("0.1"),
        localize=True,
        help_text=_("Optional, as a share: 0.008 is 0.8 % a year. Leave empty for constant prices."),
    )
    # Net of its own costs, so it may be negative (ADR 0005), as in the calculation and the API.
    residual_value = _amount_field(_("Residual value (NOK)"), negative=True)
    residual_value.help_text = _("Optional: value beyond the analysis period, counted in its last year.")

    @classmethod
    def initial_for(cls, plan: BenefitPlan | None, default_years: int) -> dict[str, Any]:
        if plan is None:
            return {"base_year": timezone.localdate().year, "analysis_years": default_years}
        return {
            "rationale": plan.rationale,
            "goals": plan.goals,
            "base_year": plan.base_year,
            "analysis_years": plan.analysis_years,
            "real_growth_rate": plan.real_growth_rate or None,
            "residual_value": plan.residual_value or None,
        }


class BenefitForm(forms.Form):
    description = forms.CharField(label=_("Benefit"), max_length=300, help_text=_("What gets better, and for whom."))
    benefit_type = forms.ChoiceField(label=_("Type"), choices=BenefitType.choices, widget=forms.RadioSelect)
    bearer = forms.ChoiceField(
        label=_("Bearer"), choices=Bearer.choices, widget=forms.RadioSelect, help_text=_("Where the benefit lands.")
    )
    bearer_organisation = forms.ModelChoiceField(
        label=_("Bearer organisation"),
        queryset=Organisation.objects.public_sector().order_by("name"),
        required=False,
        help_text=_("Name the organisation where it is known."),
    )
    bearer_name = forms.CharField(label=_("Bearer, when not registered"), max_length=200, required=False)
    realisation_form = forms.ChoiceField(
        label=_("Realisation form"),
        choices=RealisationForm.choices,
        widget=forms.RadioSelect,
        help_text=_("Budget cut: the budget is reduced. Reallocation: freed resources do other work."),
    )
    indicator = forms.CharField(
        label=_("Indicator"), max_length=300, required=False, help_text=_("What is measured (måleindikator).")
    )
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False, help_text=_("E.g. hours, NOK, %."))
    baseline_value = forms.DecimalField(
        label=_("Baseline value"), required=False, max_digits=16, decimal_places=4, localize=True
    )
    baseline_date = forms.DateField(
        label=_("Baseline date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    target_value = forms.DecimalField(
        label=_("Target value"), required=False, max_digits=16, decimal_places=4, localize=True
    )
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Benefit owner"),
        queryset=None,
        required=False,
        help_text=_("A person with authority in the line organisation, not in the project. Required to submit."),
    )
    measures = forms.CharField(label=_("Realisation measures"), widget=_textarea(3), required=False)
    preconditions_risks = forms.CharField(label=_("Preconditions and risks"), widget=_textarea(3), required=False)
    measurement_method = forms.CharField(
        label=_("Measurement method"),
        max_length=300,
        required=False,
        help_text=_("E.g. usage statistics, surveys, registers."),
    )
    measurement_frequency = forms.TypedChoiceField(
        label=_("Measurement frequency"), choices=Frequency.choices, coerce=int, initial=Frequency.QUARTERLY
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field: Any = self.fields["owner"]
        owner_field.queryset = owners
        owner_field.label_from_instance = lambda user: f"{user.name or user.email} ({user.email})"

    @staticmethod
    def initial_for(benefit: Benefit) -> dict[str, Any]:
        return {name: getattr(benefit, name) for name in BenefitForm.base_fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target_value") is not None and data.get("baseline_value") is None:
            self.add_error("baseline_value", _("A target needs a baseline to be measured against."))
        baseline_date, target_date = data.get("baseline_date"), data.get("target_date")
        if baseline_date and target_date and target_date <= baseline_date:
            self.add_error("target_date", _("The target date must be after the baseline date."))
        if data.get("realisation_form") == RealisationForm.BUDGET_CUT and data.get("bearer") not in (
            calculations.PUBLIC_BEARERS
        ):
            self.add_error("realisation_form", _("Only benefits in public bodies can be realised as budget cuts."))
        return data


class YearlyForm(forms.Form):
    """One amount field per year of the analysis period and per series (``series`` = [(name, label, negative)]).
    Field names are ``<series>_<year>``; blank means zero."""

    def __init__(self, *args: Any, years: list[int], series: list[tuple[str, str, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        self.series = series
        for year in years:
            for name, label, negative in series:
                self.fields[f"{name}_{year}"] = _amount_field(f"{label} {year}", negative=negative)

    def rows(self) -> list[tuple[int, list[Any]]]:
        return [(year, [self[f"{name}_{year}"] for name, _label, _neg in self.series]) for year in self.years]

    def amounts(self, name: str) -> dict[int, Decimal]:
        return {
            year: self.cleaned_data[f"{name}_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"{name}_{year}") not in (None, Decimal(0))
        }

    @staticmethod
    def initial_from(values: dict[str, dict[int, Decimal]]) -> dict[str, Any]:
        return {f"{name}_{year}": amount for name, by_year in values.items() for year, amount in by_year.items()}


def cost_series() -> list[tuple[str, str, bool]]:
    return [
        (CostKind.INVESTMENT, str(_("Investment")), False),
        (CostKind.OPERATING, str(_("Operating costs")), False),
    ]


class MeasurementForm(forms.Form):
    value = forms.DecimalField(label=_("Measured value"), max_digits=16, decimal_places=4, localize=True)
    measured_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("Where the figure comes from (report, register, survey).")
    )
    comment = forms.CharField(label=_("Comment"), widget=_textarea(3), required=False)
    deviation_explanation = forms.CharField(
        label=_("Explanation of the deviation"),
        widget=_textarea(3),
        required=False,
        help_text=_("Required when the benefit is behind its path to the target."),
    )
    realised_amount = forms.DecimalField(
        label=_("Realised benefit in the period (NOK)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=_("Optional, for monetised benefits: counted as realised in the year of the date."),
    )


class AbandonForm(forms.Form):
    reason = forms.CharField(label=_("Why is the benefit abandoned?"), widget=_textarea(3))


LEVEL_LABELS = {
    "state": _("State"),
    "county": _("County"),
    "municipality": _("Municipality"),
}


class PreventionForm(forms.Form):
    """The prevention calculator's parameters; the cost lines come from `PreventionRowForm` rows."""

    target_group = forms.CharField(label=_("Target group"), max_length=300, required=False)
    persons = forms.IntegerField(label=_("Number of persons in the target group"), min_value=0, max_value=10_000_000)
    success_rate = forms.DecimalField(
        label=_("Expected success rate (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        localize=True,
        help_text=_("The share of the persons the measure keeps from falling outside."),
    )
    start_age = forms.IntegerField(
        label=_("Age today"),
        min_value=calculations.FIRST_AGE,
        max_value=calculations.LAST_AGE,
        initial=calculations.FIRST_AGE,
        help_text=_("Costs from this age to 58 are counted, discounted to today."),
    )


class PreventionRowForm(forms.Form):
    level = forms.ChoiceField(label=_("Government level"), choices=[("", "—"), *LEVEL_LABELS.items()], required=False)
    sector = forms.CharField(label=_("Sector"), max_length=100, required=False)
    from_age = forms.IntegerField(
        label=_("From age"), min_value=calculations.FIRST_AGE, max_value=calculations.LAST_AGE, required=False
    )
    to_age = forms.IntegerField(
        label=_("To age"), min_value=calculations.FIRST_AGE, max_value=calculations.LAST_AGE, required=False
    )
    yearly_cost = forms.DecimalField(
        label=_("Extra yearly cost per person (NOK)"),
        min_value=Decimal(0),
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=2,
        localize=True,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [data.get(name) not in (None, "") for name in ("level", "sector", "from_age", "to_age", "yearly_cost")]
        if any(filled) and not all(filled):
            for name in ("level", "sector", "from_age", "to_age", "yearly_cost"):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Fill in the whole line, or leave it all empty."))
        if data.get("from_age") and data.get("to_age") and data["to_age"] < data["from_age"]:
            self.add_error("to_age", _("The last age cannot be before the first."))
        return data

    def is_filled(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("level"))


PreventionRowFormSet = forms.formset_factory(PreventionRowForm, extra=0, max_num=60, absolute_max=60)


class PreventionSaveForm(forms.Form):
    name = forms.CharField(label=_("Name of the set"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
