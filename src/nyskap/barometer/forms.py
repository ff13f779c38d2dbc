"""Forms of the barometer's pages (they work without JavaScript; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nyskap.core.permissions import organisations_edited_by
from nyskap.organisations.models import Organisation

from .models import STRATUM_VARIABLES, QuestionnaireKind

VARIABLE_LABELS = {
    "sector": _("Sector"),
    "org_type": _("Organisation type"),
    "size_band": _("Size band"),
    "county": _("County"),
    "centrality": _("Centrality"),
}
MAX_FRAME_BYTES = 10 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


class RoundForm(forms.Form):
    owner: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation running the round")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Questionnaire"), choices=QuestionnaireKind.choices)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), widget=DateInput)
    strata = forms.MultipleChoiceField(
        label=_("Weighting strata"),
        choices=[(v, VARIABLE_LABELS[v]) for v in STRATUM_VARIABLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Sector alone as KS 2020; organisation type and county as KS 2018. None: one stratum."),
    )
    min_cell = forms.IntegerField(
        label=_("Smallest cell shown"), min_value=3, max_value=100, initial=5, help_text=_("At least 3 respondents.")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations_edited_by(user)  # type: ignore[attr-defined]


class FrameForm(forms.Form):
    file = forms.FileField(
        label=_("Frame (CSV or XLSX)"),
        help_text=_(
            "Columns: name, sector, org_type, size_band, county, centrality, and optionally organisation, email "
            "and language."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FRAME_BYTES:
            raise forms.ValidationError(_("The file can be at most 10 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class ReferenceFrameForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Organisations of the reference data"),
        choices=[
            ("municipalities", _("Municipalities")),
            ("county_municipalities", _("County municipalities")),
            ("state", _("State bodies")),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One row per organisation. Their managers' addresses are not in the reference data."),
    )


class SampleForm(forms.Form):
    size = forms.IntegerField(
        label=_("Sample size"),
        min_value=1,
        max_value=1_000_000,
        required=False,
        help_text=_("Leave empty to ask every workplace in the frame (a census)."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**48 - 1,
        required=False,
        help_text=_("Leave empty for a new random seed. The seed is recorded: the same seed draws the same sample."),
    )


class FieldworkForm(forms.Form):
    closes_on = forms.DateField(label=_("Fieldwork closes"), widget=DateInput)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Earlier microdata (CSV or XLSX)"))
    mapping = forms.CharField(
        label=_("Column mapping"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One line per column: their column = our key. Our keys: sector, org_type, size_band, county, centrality "
            "(all needed) and the questionnaire's item keys (b1_product, b3_novelty …)."
        ),
    )

    def clean_file(self) -> Any:
        return FrameForm.clean_file(self)  # type: ignore[arg-type]
