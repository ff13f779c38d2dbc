"""Forms of the catalogue pages. They parse and show errors at the field; the rules live in `services`."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nyskap.core.forms import QuickSelect
from nyskap.organisations.models import Organisation, OrganisationKind
from nyskap.projects.models import InnovationTypeCode, Phase, Sector

from .matching import MatchInput
from .models import Instrument, Offer, Outcome, Requirement, Status

PHASE_CHOICES = [(p.value, p.label) for p in Phase if p != Phase.STOPPED]
BLANK = [("", _("Any"))]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    offer = forms.MultipleChoiceField(
        label=_("Offers"), required=False, choices=Offer.choices, widget=forms.CheckboxSelectMultiple
    )
    phase = forms.MultipleChoiceField(
        label=_("Phases"), required=False, choices=PHASE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    applicant_kind = forms.ChoiceField(
        label=_("Who may apply"), required=False, choices=BLANK + OrganisationKind.choices
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=BLANK + Sector.choices)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=BLANK + Status.choices)


def _organisation_choices() -> list[tuple[str, Any]]:
    organisations = Organisation.objects.filter(ended_on=None).order_by("name").values_list("slug", "name")
    return [("", _("Choose your organisation")), *organisations]


class MatcherForm(forms.Form):
    """The guided matcher: a GET form, so it works without JavaScript and every answer has a shareable URL."""

    phase = forms.ChoiceField(label=_("Which phase is the work in?"), required=False, choices=BLANK + PHASE_CHOICES)
    needs = forms.MultipleChoiceField(
        label=_("What do you need?"), required=False, choices=Offer.choices, widget=forms.CheckboxSelectMultiple
    )
    innovation_types = forms.MultipleChoiceField(
        label=_("What kind of innovation is it?"),
        required=False,
        choices=InnovationTypeCode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=BLANK + Sector.choices)
    # Built in Python (QuickSelect): through the template engine the 500 organisations took 80 ms per page.
    organisation = forms.ChoiceField(
        label=_("Your organisation"),
        required=False,
        help_text=_("Gives the kind of organisation, its size and centrality."),
        widget=QuickSelect,
    )
    kind = forms.ChoiceField(
        label=_("Or the kind of organisation"),
        required=False,
        choices=BLANK + OrganisationKind.choices,
        help_text=_("Used when no organisation is chosen."),
    )
    only_open_calls = forms.BooleanField(label=_("Only what I can apply for now"), required=False)
    show_excluded = forms.BooleanField(
        label=_("Also show the instruments that do not fit, with the reason"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = _organisation_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        slug = cleaned.get("organisation")
        cleaned["organisation_obj"] = Organisation.objects.filter(slug=slug).first() if slug else None
        return cleaned

    @property
    def chosen_organisation(self) -> Organisation | None:
        return self.cleaned_data.get("organisation_obj") if self.is_valid() else None

    def match_input(self) -> MatchInput:
        data = self.cleaned_data
        organisation = data.get("organisation_obj")
        return MatchInput(
            phase=data.get("phase") or "",
            needs=tuple(data.get("needs") or ()),
            innovation_types=tuple(data.get("innovation_types") or ()),
            sector=data.get("sector") or "",
            organisation_kind=organisation.kind if organisation else (data.get("kind") or ""),
            population=organisation.population if organisation else None,
            only_open_calls=bool(data.get("only_open_calls")),
        )

    def is_answered(self) -> bool:
        return self.is_valid() and any(
            self.cleaned_data.get(name)
            for name in ("phase", "needs", "innovation_types", "sector", "organisation", "kind")
        )


PROFILE_FIELDS = ("phase", "needs", "innovation_types", "sector", "organisation", "kind", "only_open_calls")


def normalise_matcher_query(query: str) -> tuple[str, MatcherForm]:
    """The matcher question as one canonical query string (fields in order, values sorted, blanks dropped), so
    the same question is saved once. Raises ValueError when the question is not valid or empty."""
    form = MatcherForm(QueryDict(query.strip().lstrip("?")))
    if not form.is_answered():
        raise ValueError("not a matcher question")
    pairs: list[tuple[str, str]] = []
    for name in PROFILE_FIELDS:
        value = form.cleaned_data.get(name)
        if not value:
            continue
        if isinstance(value, list):
            pairs += [(name, item) for item in sorted(value)]
        elif value is True:
            pairs.append((name, "on"))
        else:
            pairs.append((name, str(value)))
    return urlencode(pairs), form


class ProfileForm(forms.Form):
    query = forms.CharField(widget=forms.HiddenInput, max_length=1000)
    label = forms.CharField(label=_("Name of the question"), max_length=200, required=False)


def _list_field(label: Any, choices: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class AmountField(forms.CharField):
    """Kroner as typed (spaces and a decimal comma allowed); `cleaning.clean_amount` checks the value."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class InstrumentForm(forms.Form):
    name_nb = forms.CharField(label=_("Name (bokmål)"), max_length=300)
    name_nn = forms.CharField(label=_("Name (nynorsk)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    offers = _list_field(_("Offers"), Offer.choices)
    applicant_kinds = _list_field(_("Who may apply"), OrganisationKind.choices)
    partner_kinds = _list_field(_("Who may take part as partners only"), OrganisationKind.choices)
    phases = _list_field(_("Phases"), PHASE_CHOICES)
    sectors = _list_field(_("Sectors"), Sector.choices, _("None ticked means open to every sector."))
    innovation_types = _list_field(
        _("Innovation types"), InnovationTypeCode.choices, _("None ticked means open to every type.")
    )
    requirements = _list_field(_("Requirements"), Requirement.choices)
    requires_open_call = forms.BooleanField(label=_("Applications only through calls"), required=False)
    grant_max = AmountField(label=_("Largest grant per project (NOK)"))
    project_cost_min = AmountField(label=_("Smallest project cost (NOK)"))
    project_cost_max = AmountField(label=_("Largest project cost (NOK)"))
    cofunding_max_percent = forms.CharField(
        label=_("Largest share of the project cost covered (%)"), required=False, max_length=10
    )
    amounts_text = forms.CharField(
        label=_("Amounts and rules"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status_note = forms.CharField(label=_("About the status"), required=False, max_length=300)
    website = forms.CharField(label=_("The owner's page"), required=False, max_length=200)
    source = forms.CharField(label=_("Source"), required=False, max_length=300)

    EDITABLE = (
        "name_nb", "name_nn", "name_en", "summary", "offers", "applicant_kinds", "partner_kinds", "phases",
        "sectors", "innovation_types", "requirements", "requires_open_call", "grant_max", "project_cost_min",
        "project_cost_max", "cofunding_max_percent", "amounts_text", "status", "ended_on", "status_note",
        "website", "source",
    )  # fmt: skip

    @classmethod
    def initial_for(cls, instrument: Instrument) -> dict[str, Any]:
        from .templatetags.instrument_tags import public_citation

        initial = {name: getattr(instrument, name) for name in cls.EDITABLE}
        # The catalogue's texts as the public page shows them: the white paper by name, and no pointers into
        # Nyskap's working documents ("See §3.3"), which an owner would otherwise meet and keep.
        for name in ("amounts_text", "status_note", "requirements", "source"):
            initial[name] = public_citation(initial[name]) if initial[name] else initial[name]
        for name in ("grant_max", "project_cost_min", "project_cost_max", "cofunding_max_percent"):
            initial[name] = "" if initial[name] is None else str(initial[name])
        return initial


class InstrumentCreateForm(InstrumentForm):
    """A new instrument: the owning organisation first, then the same fields as when editing."""

    organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation: Any = self.fields["organisation"]
        organisation.queryset = organisations
        self.order_fields(["organisation", *InstrumentForm.EDITABLE])


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for continuous intake."),
    )
    budget = AmountField(label=_("Budget (NOK)"))
    url = forms.CharField(label=_("Link to the call"), required=False, max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


def _year_default() -> int:
    return timezone.localdate().year


class UseForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Instrument"), queryset=Instrument.objects.real().order_by("name_nb"), to_field_name="slug"
    )
    year = forms.IntegerField(label=_("Year"), initial=_year_default)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    amount = AmountField(label=_("Amount (NOK)"), help_text=_("Applied for, or granted."))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class OwnerRoleForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    email = forms.EmailField(label=_("The user's e-mail address"))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation: Any = self.fields["organisation"]
        organisation.queryset = organisations  # type: ignore[attr-defined]


def parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def catalogue_filter(params: Any) -> tuple[CatalogueFilterForm, Any]:
    """The catalogue's filter form filled in with ``params`` (a query string's values), and the instruments it
    selects (all when the form is empty or not valid). The list, its exports and the export job share it."""
    from . import selectors

    form = CatalogueFilterForm(params or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    instruments = selectors.instrument_search(
        q=filters.get("q", ""),
        offer=filters.get("offer", []),
        phase=filters.get("phase", []),
        applicant_kind=filters.get("applicant_kind", ""),
        sector=filters.get("sector", ""),
        status=filters.get("status", ""),
    )
    return form, instruments
