"""The challenge forms. They check the shape of what was typed; the rules (budget, deadlines, transitions) are in
`services` and `calculations`, whose refusals are shown at the field they name. Times are read in Europe/Oslo time
(the site's time zone)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project, Sector

from .models import MAX_AMOUNT, Challenge, ChallengeStatus, Criterion, Procedure

BLANK = [("", "—")]
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_ATTACHMENT = 20 * 1024 * 1024


class ChallengeDateTimeField(forms.DateTimeField):
    widget = DATETIME

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"])
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a time between the years %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )


class ChallengeDateField(forms.DateField):
    widget = DATE

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )


def amount_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        error_messages={"min_value": _("The amount cannot be negative.")},
        **kwargs,
    )


def check_upload(upload: Any) -> Any:
    if upload and upload.size > MAX_ATTACHMENT:
        raise forms.ValidationError(_("The file is larger than 20 MB."))
    return upload


class ChallengeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    owners = forms.ModelMultipleChoiceField(
        label=_("Posted by"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    need = forms.CharField(
        label=_("The need"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Describe the problem, not the solution."),
    )
    effect = forms.CharField(label=_("Effect wanted"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))
    target_users = forms.CharField(
        label=_("Target users"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=BLANK + list(Sector.choices), required=False)
    topics = forms.CharField(
        label=_("Topics"), max_length=300, required=False, help_text=_("Keywords separated by commas.")
    )
    budget_min = amount_field(_("Budget from (NOK)"))
    budget_max = amount_field(_("Budget up to (NOK)"))
    procedure = forms.ChoiceField(label=_("Intended procedure"), choices=Procedure.choices)
    opens_at = ChallengeDateTimeField(label=_("Opens"), required=False, help_text=_("Norwegian time."))
    dialogue_deadline = ChallengeDateTimeField(
        label=_("Deadline for questions"), required=False, help_text=_("Norwegian time.")
    )
    proposal_deadline = ChallengeDateTimeField(
        label=_("Deadline for proposals"), required=False, help_text=_("Norwegian time.")
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=_("At most 20 MB."))

    def __init__(self, *args: Any, user: Any, challenge: Challenge | None = None, **kwargs: Any) -> None:
        from . import services

        super().__init__(*args, **kwargs)
        self.user = user
        if challenge is None:
            self.fields["owners"].queryset = services.public_bodies_edited_by(user).order_by("name")  # type: ignore[attr-defined]
        else:
            del self.fields["owners"]

    def clean_attachment(self) -> Any:
        return check_upload(self.cleaned_data.get("attachment"))

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("owners", "attachment"):
            data.pop(name, None)
        return data


def initial_for(challenge: Challenge) -> dict[str, Any]:
    return {name: getattr(challenge, name) for name in ChallengeForm.base_fields if hasattr(challenge, name)}


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Most recent")),
            ("bodies", _("Most bodies with the same need")),
            ("deadline", _("Deadline")),
        ],
    )
    min_bodies = forms.IntegerField(
        label=_("At least this many bodies with the need"), required=False, min_value=1, max_value=10000
    )


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Public body"), queryset=Organisation.objects.none(), to_field_name="slug", empty_label=None
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the need looks for you, in a few words."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from . import services

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = services.public_bodies_edited_by(user).order_by("name")  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))


class ProposalForm(forms.Form):
    text = forms.CharField(label=_("Your proposal"), max_length=50000, widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=_("At most 20 MB."))

    def clean_attachment(self) -> Any:
        return check_upload(self.cleaned_data.get("attachment"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to read this proposal?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The reason is logged with your name and the time."),
    )


class NotAwardedForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the challenge is not awarded"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutcomeForm(forms.Form):
    procedure = forms.ChoiceField(label=_("Procedure used"), choices=Procedure.choices)
    contract_value = amount_field(_("Contract value (NOK)"))
    suppliers = forms.CharField(label=_("Supplier(s)"), max_length=500, required=False)
    decided_on = ChallengeDateField(label=_("Date"))
    project = forms.CharField(
        label=_("Project in the library"),
        max_length=220,
        required=False,
        help_text=_("The project's address name (the last part of its web address), if there is one."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_project(self) -> Project | None:
        slug = self.cleaned_data.get("project", "").strip()
        if not slug:
            return None
        project = Project.objects.visible_to(self.user).filter(slug=slug).first()
        if project is None:
            raise forms.ValidationError(_("No project you can see has this address name."))
        return project


class CriteriaForm(forms.Form):
    """Up to five criteria, each with a weight; the weights must add up to 100."""

    ROWS = 5

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, self.ROWS + 1):
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Criterion %(n)d") % {"n": i}, max_length=200, required=False
            )
            self.fields[f"weight_{i}"] = forms.IntegerField(
                label=_("Weight of criterion %(n)d (%%)") % {"n": i}, min_value=0, max_value=100, required=False
            )

    def criteria(self) -> list[tuple[str, int]]:
        rows = []
        for i in range(1, self.ROWS + 1):
            name = (self.cleaned_data.get(f"name_{i}") or "").strip()
            if name:
                rows.append((name, self.cleaned_data.get(f"weight_{i}") or 0))
        return rows


def criteria_initial(criteria: list[Criterion]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for i, criterion in enumerate(criteria[: CriteriaForm.ROWS], start=1):
        initial[f"name_{i}"] = criterion.name
        initial[f"weight_{i}"] = criterion.weight
    return initial


class ScoreForm(forms.Form):
    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} ({criterion.weight} %)", min_value=0, max_value=10, required=False
            )

    def values(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if value is not None}


class StageForm(forms.Form):
    starts_on = ChallengeDateField(label=_("Starts"), required=False)
    ends_on = ChallengeDateField(label=_("Ends"), required=False)
    suppliers = forms.IntegerField(label=_("Number of suppliers"), required=False, min_value=0, max_value=1000)
    amount_each = amount_field(_("Amount per supplier (NOK)"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class FollowForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=BLANK + list(Sector.choices), required=False)
    topic = forms.CharField(label=_("Topic"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("sector") and not (data.get("topic") or "").strip() and not self.errors:
            self.add_error("sector", _("Choose a sector or write a topic."))
        return data


FACET_LABELS = {
    "procedure": (_("Procedure"), dict(Procedure.choices)),
    "status": (_("Status"), dict(ChallengeStatus.choices)),
    "sector": (_("Sector"), dict(Sector.choices)),
}
