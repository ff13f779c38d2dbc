from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CentralityClass, County, Organisation, OrganisationKind, size_band_choices
from .validators import normalise_organisation_number, validate_organisation_number


class OrganisationForm(forms.ModelForm):
    """Registering an organisation that is not in the reference data (operators, suppliers)."""

    # Wider than the model's nine characters, so "974 761 076" (as printed on letters) can be typed.
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=_("Nine digits, as in the Central Coordinating Register for Legal Entities."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "organisation_number", "website"]

    def clean_organisation_number(self) -> str:
        number = normalise_organisation_number(self.cleaned_data["organisation_number"].strip())
        validate_organisation_number(number)
        taken = Organisation.objects.filter(organisation_number=number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("An organisation with organisation number %(number)s is already registered."),
                code="duplicate_organisation_number",
                params={"number": number},
            )
        return number


class OrganisationFilterForm(forms.Form):
    """The filters of the organisation list; always bound to request.GET, every field optional."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, short name or organisation number."),
        widget=forms.SearchInput,
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.order_by("number"),
        to_field_name="number",
        required=False,
        empty_label=_("All counties"),
    )
    size_band = forms.ChoiceField(label=_("Population (municipalities)"), required=False)
    centrality_class = forms.TypedChoiceField(label=_("Centrality class"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [("", _("All kinds")), *OrganisationKind.choices]  # type: ignore[attr-defined]
        self.fields["size_band"].choices = [("", _("All sizes")), *size_band_choices()]  # type: ignore[attr-defined]
        self.fields["centrality_class"].choices = [  # type: ignore[attr-defined]
            ("", _("All classes")),
            *CentralityClass.choices,
        ]

    def filters(self) -> dict[str, object]:
        """The valid filters; a field with an invalid value is left out (its error shows beside it)."""
        self.is_valid()
        cleaned = dict(getattr(self, "cleaned_data", {}))
        county = cleaned.get("county")
        cleaned["county"] = county.number if county else None
        return cleaned
