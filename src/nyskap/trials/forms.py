"""The trial forms. They check the shape of what was typed; the rules (periods, approval, transitions) are in
`services`, whose refusals are shown at the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nyskap.core.permissions import Visibility, is_operator, organisations_edited_by
from nyskap.organisations.models import CentralityClass, Organisation
from nyskap.projects.models import Project, Sector

from . import calculations, rules
from .models import (
    APPROVAL_STEP_LABELS,
    CHECKLIST_LABELS,
    Evaluator,
    Sandbox,
    SandboxRound,
    Trial,
    TrialDecision,
    TrialDesign,
    TrialKind,
    TrialOutcome,
    TrialStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "—")]
# Dates a trial can have; beyond them the period rules would count years past the calendar's end.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class TrialDateField(forms.DateField):
    widget = DATE

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )


class TrialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of trial"), choices=TrialKind.choices)
    sandbox = forms.ModelChoiceField(
        label=_("Sandbox"),
        queryset=Sandbox.objects.all(),
        required=False,
        to_field_name="slug",
        help_text=_("Only for a trial in a regulatory sandbox."),
    )
    owners = forms.ModelMultipleChoiceField(
        label=_("Owning organisations"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    project = forms.CharField(
        label=_("Project in the library"),
        max_length=220,
        required=False,
        help_text=_("The project's address name (the last part of its web address), if the trial has one."),
    )
    legal_act = forms.CharField(label=_("Legal basis: act"), max_length=200, required=False)
    legal_section = forms.CharField(label=_("Legal basis: section"), max_length=100, required=False)
    hypothesis = forms.CharField(label=_("Hypothesis"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    intervention = forms.CharField(label=_("Intervention"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    target_group = forms.CharField(label=_("Target group"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    primary_outcome = forms.CharField(
        label=_("Primary outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    secondary_outcomes = forms.CharField(
        label=_("Secondary outcomes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line."),
    )
    design = forms.ChoiceField(label=_("Design"), choices=BLANK + list(TrialDesign.choices), required=False)
    planned_sample_size = forms.IntegerField(
        label=_("Planned sample size"), min_value=1, max_value=1_000_000_000, required=False
    )
    sample_size_rationale = forms.CharField(
        label=_("How the sample size was chosen"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    analysis_plan = forms.CharField(
        label=_("Evaluation plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evaluator = forms.ChoiceField(label=_("Evaluator"), choices=BLANK + list(Evaluator.choices), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=BLANK + list(Sector.choices), required=False)
    area = forms.CharField(label=_("Area"), max_length=200, required=False)
    starts_on = TrialDateField(label=_("Start date"), required=False)
    ends_on = TrialDateField(label=_("End date"), required=False)
    extended_to = TrialDateField(label=_("Extended until"), required=False)
    extension_reform = forms.CharField(
        label=_("Extended until the reform"),
        max_length=300,
        required=False,
        help_text=_("Name the reform when the extension runs until it enters into force."),
    )
    source = forms.CharField(label=_("Source"), max_length=500, required=False)
    visibility = forms.ChoiceField(label=_("Who may see the trial"), choices=Visibility.choices)
    amendment_reason = forms.CharField(
        label=_("Reason for the amendment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("The plan is pre-registered: a change to it is an amendment, shown with its reason."),
    )

    def __init__(self, *args: Any, user: Any, trial: Trial | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        owners = Organisation.objects.all() if is_operator(user) else organisations_edited_by(user)
        if trial is not None:
            owners = owners | Organisation.objects.filter(pk__in=trial.owners.values("pk"))
        self.fields["owners"].queryset = owners.distinct().order_by("name")  # type: ignore[attr-defined]
        if trial is None or not hasattr(trial, "registration"):
            del self.fields["amendment_reason"]
        self.fields["visibility"].initial = Visibility.ORGANISATION

    def clean_project(self) -> Project | None:
        slug = self.cleaned_data.get("project", "").strip()
        if not slug:
            return None
        project = Project.objects.visible_to(self.user).filter(slug=slug).first()
        if project is None:
            raise forms.ValidationError(_("No project you can see has this address name."))
        return project

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("owners", None)
        data.pop("amendment_reason", None)
        return data


def initial_for(trial: Trial) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(trial, name) for name in TrialForm.base_fields if hasattr(trial, name)}
    initial["sandbox"] = trial.sandbox.slug if trial.sandbox else None
    initial["project"] = trial.project.slug if trial.project else ""
    initial["owners"] = list(trial.owners.values_list("slug", flat=True))
    return initial


YES_NO = [("", _("Not answered")), ("no", _("No")), ("yes", _("Yes"))]


class ApprovalForm(forms.Form):
    """The dated approval steps under the trial act and the § 4 checklist, each answer with its reason."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for step in rules.APPROVAL_STEPS:
            self.fields[f"step_{step}"] = TrialDateField(label=APPROVAL_STEP_LABELS[step], required=False)
        for item in rules.LIMITS_CHECKLIST:
            self.fields[f"answer_{item}"] = forms.ChoiceField(
                label=CHECKLIST_LABELS[item], choices=YES_NO, required=False
            )
            self.fields[f"reason_{item}"] = forms.CharField(
                label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for item in rules.LIMITS_CHECKLIST:
            if data.get(f"answer_{item}") and not str(data.get(f"reason_{item}") or "").strip():
                self.add_error(f"reason_{item}", _("Give the reason for the answer."))
        return data


def approval_initial(trial: Trial) -> dict[str, Any]:
    initial: dict[str, Any] = {f"step_{s.step}": s.dated_on for s in trial.approval_steps.all()}
    for answer in trial.checklist_answers.all():
        initial[f"answer_{answer.item}"] = "yes" if answer.answer else "no"
        initial[f"reason_{answer.item}"] = answer.reason
    return initial


ARM_LABEL = {"max_length": 100}
COUNT = {"min_value": 0, "max_value": 1_000_000_000}


class CountsForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=300)
    label_1 = forms.CharField(label=_("Trial arm"), **ARM_LABEL)  # type: ignore[arg-type]
    events_1 = forms.IntegerField(label=_("Trial arm: units with the outcome"), **COUNT)  # type: ignore[arg-type]
    n_1 = forms.IntegerField(label=_("Trial arm: units in all"), min_value=1, max_value=1_000_000_000)
    label_2 = forms.CharField(label=_("Comparison arm"), **ARM_LABEL)  # type: ignore[arg-type]
    events_2 = forms.IntegerField(label=_("Comparison arm: units with the outcome"), **COUNT)  # type: ignore[arg-type]
    n_2 = forms.IntegerField(label=_("Comparison arm: units in all"), min_value=1, max_value=1_000_000_000)


FINITE = {"min_value": -1e12, "max_value": 1e12}


class MeansForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=300)
    label_1 = forms.CharField(label=_("Trial arm"), **ARM_LABEL)  # type: ignore[arg-type]
    mean_1 = forms.FloatField(label=_("Trial arm: mean"), **FINITE)  # type: ignore[arg-type]
    sd_1 = forms.FloatField(label=_("Trial arm: standard deviation"), min_value=0, max_value=1e12)
    n_1 = forms.IntegerField(label=_("Trial arm: units"), min_value=2, max_value=1_000_000_000)
    label_2 = forms.CharField(label=_("Comparison arm"), **ARM_LABEL)  # type: ignore[arg-type]
    mean_2 = forms.FloatField(label=_("Comparison arm: mean"), **FINITE)  # type: ignore[arg-type]
    sd_2 = forms.FloatField(label=_("Comparison arm: standard deviation"), min_value=0, max_value=1e12)
    n_2 = forms.IntegerField(label=_("Comparison arm: units"), min_value=2, max_value=1_000_000_000)


OUTCOME_TYPES = [
    (calculations.BINARY, _("Yes/no (0 or 1 per unit)")),
    (calculations.CONTINUOUS, _("A number per unit")),
]


class UnitsForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=300)
    outcome_type = forms.ChoiceField(label=_("Kind of outcome"), choices=OUTCOME_TYPES)
    icc = forms.FloatField(
        label=_("Intra-cluster correlation (ICC)"),
        min_value=0,
        max_value=1,
        required=False,
        help_text=_(
            "Only when groups were randomised: with an ICC the interval is widened by the design effect; without one "
            "the clusters are compared with each other."
        ),
    )
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_(
            "One row per unit, with the columns arm and outcome, and cluster when groups were randomised. "
            "The trial arm is the one in the first row."
        ),
    )


class ExemptionForm(forms.Form):
    rule = forms.CharField(label=_("Rule set aside"), max_length=300, help_text=_("E.g. the act and section."))
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)
    for_whom = forms.CharField(label=_("For whom"), max_length=300, required=False)


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.deadline:
            return str(_("Round with the application deadline %(date)s") % {"date": obj.deadline.strftime("%d.%m.%Y")})
        if obj.opened_on:
            return str(_("Round opened %(date)s") % {"date": obj.opened_on.strftime("%d.%m.%Y")})
        return str(_("Round %(number)d") % {"number": obj.pk})


class SandboxForm(forms.Form):
    """A sandbox trial's admission (the round and its plan) and its exit report."""

    round = RoundChoiceField(label=_("Admitted in the round"), queryset=SandboxRound.objects.none(), required=False)
    plan = forms.CharField(
        label=_("The project's plan in the sandbox"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    exit_report = forms.CharField(
        label=_("Exit report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Required before the results are reported; published on the trial's page when saved."),
    )

    def __init__(self, *args: Any, trial: Trial, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rounds = SandboxRound.objects.filter(sandbox__pk=trial.sandbox_id or 0)
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    result_summary = forms.CharField(
        label=_("Summary of the results"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=BLANK + list(TrialDecision.choices))
    decision_reason = forms.CharField(label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 3}))
    lessons = forms.CharField(
        label=_("Lessons learned"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Also what did not work."),
    )
    adopted_by = forms.CharField(
        label=_("Projects that adopted the result"),
        max_length=2000,
        required=False,
        help_text=_(
            "The address names of the projects in the library (the last part of their web address), one per line."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_adopted_by(self) -> list[Project]:
        slugs = list(
            dict.fromkeys(part.strip() for part in self.cleaned_data.get("adopted_by", "").split() if part.strip())
        )
        if len(slugs) > 50:
            raise forms.ValidationError(_("At most 50 projects."))
        found = {p.slug: p for p in Project.objects.visible_to(self.user).filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise forms.ValidationError(
                _("No project you can see has the address name “%(slug)s”.") % {"slug": missing[0][:100]}
            )
        return [found[slug] for slug in slugs]


class FilterForm(forms.Form):
    """The overview's search box; the facets are read from the query string as they are."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)


FACET_LABELS = {
    "kind": (_("Kind of trial"), dict(TrialKind.choices)),
    "status": (_("Status"), dict(TrialStatus.choices)),
    "design": (_("Design"), dict(TrialDesign.choices)),
    "sector": (_("Sector"), dict(Sector.choices)),
    "area": (_("Area"), {}),
    "outcome": (_("Outcome"), dict(TrialOutcome.choices)),
    "decision": (_("Decision"), dict(TrialDecision.choices)),
    "legal_act": (_("Legal basis"), {}),
    "county": (_("Owners' county"), {}),
    "municipality": (_("Owning municipality"), {}),
    "size_band": (_("Owners' size (inhabitants)"), {}),
    "centrality": (_("Owners' centrality (SSB)"), dict(CentralityClass.choices)),
}
