"""Forms of the project pages. They parse and check the shape of input; the rules live in `services.py`, whose
`ProjectError` the views put back beside the field it concerns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nyskap.core.permissions import edited_by, organisations_edited_by
from nyskap.core.visibility import Visibility, is_operator
from nyskap.organisations.models import Organisation

from .models import (
    AdoptionHow,
    Degree,
    EffectsMeasurement,
    InnovationTypeCode,
    LifeEventCode,
    Novelty,
    PartnerRole,
    Phase,
    Project,
    Sector,
    SustainableDevelopmentGoalNumber,
)

NEED_FIELDS = ("title", "need_problem", "need_who", "need_today", "need_effect")


def editable_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations where ``user`` is an editor or administrator (any public body for an operator): those a project
    can be registered for."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    if is_operator(user):
        # Operators register projects on behalf of any public body (the service allows it).
        return Organisation.objects.public_sector().active().order_by("name")
    return organisations_edited_by(user).order_by("name")


def editable_projects(user: Any, *, exclude: Project | None = None) -> QuerySet[Project]:
    """Projects ``user`` may change (author, or editor/admin of an owner), the same rule as ``core.change_object``."""
    if user is None or not user.is_authenticated:
        return Project.objects.none()
    projects = Project.objects.filter(Q(authors=user) | edited_by(user, organisation="owners"))
    if exclude is not None:
        projects = projects.exclude(pk=exclude.pk)
    return Project.objects.filter(pk__in=projects.values("pk")).order_by("title", "pk")


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class NeedFieldsMixin(forms.Form):
    """The need, written before any solution (behov, ikke løsning). The help texts guide the writing."""

    title = forms.CharField(label=_("Title"), max_length=200)
    need_problem = forms.CharField(
        label=_("The problem"),
        widget=_textarea(),
        help_text=_("What is the problem? Describe the need, not a solution."),
    )
    need_who = forms.CharField(label=_("Who has the problem"), widget=_textarea(3), help_text=_("Who has the need?"))
    need_today = forms.CharField(
        label=_("Today's situation"), widget=_textarea(3), help_text=_("How is it handled today?")
    )
    need_effect = forms.CharField(
        label=_("Effect wanted"), widget=_textarea(3), help_text=_("What should be better, and for whom?")
    )


class ProjectCreateForm(NeedFieldsMixin):
    """Step one of a new project: the need, the owner and who may see it. Sector and innovation types are optional
    here; they sharpen the list of similar projects."""

    owner = forms.ModelChoiceField(label=_("Owning organisation"), queryset=Organisation.objects.none())
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    innovation_types = forms.MultipleChoiceField(
        label=_("Innovation types"),
        choices=InnovationTypeCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see the project"),
        choices=Visibility.choices,
        initial=Visibility.DRAFT,
        help_text=_("You can publish it later."),
    )

    field_order = ["title", "need_problem", "need_who", "need_today", "need_effect", "sector", "innovation_types"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = editable_organisations(user)
        owner = self.fields["owner"]
        owner.queryset = organisations  # type: ignore[attr-defined]
        if self.initial.get("owner") is None and len(organisations) == 1:
            owner.initial = organisations[0].pk
        # While the need is written, similar projects appear (htmx posts the form, CSRF token included).
        live = {
            "hx-post": reverse_lazy("projects:similar"),
            "hx-target": "#similar-projects",
            "hx-sync": "closest form:replace",
        }
        for name in NEED_FIELDS:
            self.fields[name].widget.attrs.update({**live, "hx-trigger": "keyup changed delay:600ms"})
        for name in ("sector", "innovation_types"):
            self.fields[name].widget.attrs.update({**live, "hx-trigger": "change"})

    @classmethod
    def initial_from(cls, data: Any) -> dict[str, Any]:
        """What was typed, as initial values: the no-JavaScript "check for similar projects" shows the form again
        without complaining about fields not yet filled in."""
        initial: dict[str, Any] = {name: data.get(name, "") for name in (*NEED_FIELDS, "sector", "visibility")}
        initial["innovation_types"] = data.getlist("innovation_types") if hasattr(data, "getlist") else []
        if data.get("owner"):
            initial["owner"] = data.get("owner")
        return initial


def _multiple(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


class ProjectEditForm(NeedFieldsMixin):
    """Every field the service lets an editor change. The phase has its own form (it writes the timeline)."""

    description = forms.CharField(label=_("Description"), widget=_textarea(6), required=False, help_text=_("Markdown."))
    innovation_types = _multiple(_("Innovation types"), InnovationTypeCode.choices)
    degree = forms.ChoiceField(label=_("Degree of innovation"), choices=[("", "—"), *Degree.choices], required=False)
    novelty = forms.ChoiceField(
        label=_("Novelty"),
        choices=[("", "—"), *Novelty.choices],
        required=False,
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    service_area = forms.CharField(label=_("Service area"), max_length=200, required=False)
    sdgs = forms.TypedMultipleChoiceField(
        label=_("Sustainable development goals"),
        choices=SustainableDevelopmentGoalNumber.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    life_events = _multiple(_("Life events"), LifeEventCode.choices)
    budget = forms.DecimalField(label=_("Budget (NOK)"), min_value=0, max_digits=14, decimal_places=2, required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    effects_achieved = forms.CharField(
        label=_("Effects achieved"), widget=_textarea(), required=False, help_text=_("Markdown.")
    )
    effects_measurement = forms.ChoiceField(
        label=_("How the effects were measured"), choices=EffectsMeasurement.choices
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"),
        widget=_textarea(),
        required=False,
        help_text=_("Also what did not work. Markdown."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    visibility = forms.ChoiceField(label=_("Who can see the project"), choices=Visibility.choices)
    is_synthetic = forms.BooleanField(
        label=_("Synthetic example"), required=False, help_text=_("Made-up demonstration data, not a real project.")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_operator(user):
            # Only operators mark demonstration data.
            del self.fields["is_synthetic"]

    @classmethod
    def initial_for(cls, project: Project) -> dict[str, Any]:
        names = [name for name in cls.base_fields if name not in ("innovation_types", "sdgs", "life_events")]
        initial = {name: getattr(project, name) for name in names}
        initial["innovation_types"] = [t.pk for t in project.innovation_types.all()]
        initial["sdgs"] = [g.pk for g in project.sdgs.all()]
        initial["life_events"] = [e.pk for e in project.life_events.all()]
        return initial


def allowed_next_phases(project: Project) -> list[tuple[str, str]]:
    """The phases the project may move to now (the rules of ``services.project_change_phase``)."""
    from .selectors import phase_stopped_from
    from .services import BACK, FORWARD

    if project.phase == Phase.STOPPED:
        stopped_from = phase_stopped_from(project)
        return [(stopped_from, str(Phase(stopped_from).label))] if stopped_from else []
    choices: list[tuple[str, str]] = []
    if project.phase in FORWARD:
        choices.append((FORWARD[project.phase], str(Phase(FORWARD[project.phase]).label)))
    if project.phase in BACK:
        back = BACK[project.phase]
        choices.append((back, _("Back to %(phase)s (write a note)") % {"phase": Phase(back).label}))
    choices.append((Phase.STOPPED.value, str(Phase.STOPPED.label)))
    return choices


class PhaseChangeForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), widget=_textarea(2), required=False, max_length=2000)
    stopped_reason = forms.CharField(
        label=_("Why the project is stopped"),
        widget=_textarea(2),
        required=False,
        help_text=_("Required when you stop the project."),
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"),
        widget=_textarea(3),
        required=False,
        help_text=_("Required when you stop the project, unless it already shares lessons. Also what did not work."),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = allowed_next_phases(project)  # type: ignore[attr-defined]


class AdoptForm(forms.Form):
    """“We adopted this”: one of the user's projects, or one of their organisations without a project of its own."""

    adopter_project = forms.ModelChoiceField(
        label=_("Our project that builds on this one"),
        queryset=Project.objects.none(),
        required=False,
        empty_label="—",
    )
    adopter_organisation = forms.ModelChoiceField(
        label=_("Or: our organisation took it into use without a project"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
    )
    how = forms.ChoiceField(label=_("How"), choices=AdoptionHow.choices, widget=forms.RadioSelect)
    adopted_on = forms.DateField(label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), widget=_textarea(3), required=False, max_length=2000)

    def __init__(self, *args: Any, user: Any, source: Project, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"adopted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["adopter_project"].queryset = editable_projects(user, exclude=source)  # type: ignore[attr-defined]
        self.fields["adopter_organisation"].queryset = editable_organisations(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("adopter_project")) == bool(cleaned.get("adopter_organisation")):
            self.add_error("adopter_project", _("Choose either the adopting project or the adopting organisation."))
        return cleaned


class PartnerForm(forms.Form):
    """Add a partner: a registered organisation (by organisation number or its address name) or a free-text name."""

    organisation = forms.CharField(
        label=_("Registered organisation"),
        required=False,
        max_length=220,
        help_text=_("Organisation number (9 digits) or the organisation's short address name, e.g. “oygarden”."),
    )
    name = forms.CharField(label=_("Or the partner's name"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role in the project"), choices=PartnerRole.choices)
    contribution = forms.CharField(label=_("Contribution"), required=False, max_length=300)

    def clean_organisation(self) -> Organisation | None:
        value = (self.cleaned_data.get("organisation") or "").strip().replace(" ", "")
        if not value:
            return None
        found = Organisation.objects.filter(Q(slug=value) | Q(organisation_number=value)).first()
        if found is None:
            raise forms.ValidationError(_("No organisation has that organisation number or address name."))
        return found


class FundingForm(forms.Form):
    source_name = forms.CharField(label=_("Source of funding"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (NOK)"), min_value=0, max_digits=14, decimal_places=2)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, office documents, text or pictures; at most 20 MB."))
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
